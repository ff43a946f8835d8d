import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { openTestLake } from '../support/lake';
import { expectApiError } from './http';

/** A write answers once the projections show it: unless one of them cannot apply anything, which the answer then says at once. */
describe('a write beside a projection that fails every batch', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;

  beforeAll(async () => {
    lake = await openTestLake();
    ({ app } = await adminApi(lake));
    lake.start();
    await lake.waitForIdle();
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  it('answers 503 PROJECTIONS_BEHIND naming the failure within seconds, not at the request timeout, and the change shows once the projection recovers', async () => {
    const apply = lake.collections.apply.bind(lake.collections);
    lake.collections.apply = () => Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    const started = Date.now();
    const answer = await app.inject({ method: 'POST', url: '/collections', payload: { name: 'disk full' } });
    expect(answer.statusCode).toBe(503);
    expectApiError(answer.json(), 'PROJECTIONS_BEHIND');
    expect(answer.json().error.message).toMatch(/projection:collections has failed every batch .*SQLITE_FULL/);
    expect(Date.now() - started).toBeLessThan(15_000);
    lake.collections.apply = apply;
    await expect.poll(async () => (await app.inject('/collections')).json().collections.map((c: { name: string }) => c.name), { timeout: 20_000 }).toContain('disk full');
  });
});
