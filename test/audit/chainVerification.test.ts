import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { openTestLake } from '../support/lake';
import { ingestedDraft } from '../support/events';

/** The last check of the hash chain, as the live API shows it. */
describe('tamper evidence in /status and /health', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).json();

  beforeAll(async () => {
    lake = await openTestLake();
    ({ app } = await adminApi(lake));
    await lake.log.append([ingestedDraft('asset-1'), ingestedDraft('asset-2')]);
  });
  afterAll(async () => {
    await app?.close();
    await lake?.close();
  });

  it('shows nothing before the first check, then an intact chain, then the first break, while health stays 200', async () => {
    expect(await get('/health')).toEqual({ ok: true, tamperEvidence: null });
    expect((await get('/audit/verify')).intact).toBe(true);
    expect((await get('/status')).tamperEvidence).toEqual({ verifiedAt: expect.any(String), ok: true });

    const raw = new Database(join(lake.dataDir, 'log.db'));
    const eventId = raw.prepare('SELECT id FROM events WHERE offset = 1').pluck().get() as string;
    raw.prepare(`UPDATE events SET actor = 'mallory' WHERE offset = 1`).run();
    raw.close();
    expect((await get('/audit/verify')).intact).toBe(false);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json().tamperEvidence).toEqual({
      verifiedAt: expect.any(String),
      ok: false,
      firstBreak: expect.objectContaining({ kind: 'edited', partition: '0', offsets: [1], eventIds: [eventId] }),
    });
    expect((await get('/status')).tamperEvidence.firstBreak.message).toContain(`offset 1 (event ${eventId})`);
  });

  it('answers 409 CHAIN_KEY_MISSING, not a server error, when no link names a key this server holds', async () => {
    const raw = new Database(join(lake.dataDir, 'log.db'));
    raw.exec(`UPDATE events SET hash = 'k1:000000000000:' || substr(hash, 17)`);
    raw.close();
    const answer = await app.inject({ method: 'GET', url: '/audit/verify' });
    expect(answer.statusCode).toBe(409);
    expect(answer.json().error).toMatchObject({ code: 'CHAIN_KEY_MISSING', message: expect.stringContaining('is signed with chain key 000000000000, which is not configured here') });
  });
});
