import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import type { AssetRecord } from '../../projections/assetRecord';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { lakeOverFolder } from '../support/lake';
import { addTestUser, bearer } from '../support/principals';
import { expectApiError } from './http';

/**
 * POST /assets/:id/reprocess and GET /dead-letters over HTTP, on a lake that
 * ingested a truncated JPEG (its processors fail, and give up) beside a sound one.
 */
describe('reprocessing over the API', () => {
  const folder = temporaryDirectory();
  let lake: Awaited<ReturnType<typeof lakeOverFolder>>['lake'];
  let byName: Map<string, AssetRecord>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  const keys = { admin: '', editor: '' };
  const call = (who: keyof typeof keys, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: bearer(keys[who]), ...(payload && { payload }) });

  beforeAll(async () => {
    copyFileSync(fixture('jpg/corrupted.jpg'), join(folder.path, 'corrupted.jpg'));
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, 'canon.jpg'));
    ({ lake, byName } = await lakeOverFolder(folder.path));
    keys.admin = await addTestUser(lake, 'admin', 'admin');
    keys.editor = await addTestUser(lake, 'ed', 'editor');
    app = await buildServer(lake);
  });
  afterAll(async () => {
    await app?.close();
    await lake?.close();
    folder.remove();
  });

  it('lists the dead letters of the asset that failed, with the error', async () => {
    const corrupted = byName.get('corrupted.jpg')!;
    const answer = await call('admin', 'GET', '/dead-letters');
    expect(answer.statusCode).toBe(200);
    const { deadLetters } = answer.json() as { deadLetters: { assetId: string; group: string; error: string }[] };
    const its = deadLetters.filter((letter) => letter.assetId === corrupted.assetId);
    expect(its.length).toBeGreaterThan(0);
    expect(its[0]!.group).toMatch(/^processor:/);
    expect(its[0]!.error).not.toBe('');
    expect(deadLetters.every((letter) => letter.assetId === corrupted.assetId)).toBe(true);
  });

  it("pages the dead letters by cursor, every consumer's or one's or one asset's, and refuses a cursor no page gave", async () => {
    const letters = Array.from({ length: 5 }, (_, i) => ({
      group: 'processor:paged',
      eventId: `event-${i}`,
      assetId: 'asset-paged',
      attempts: 3,
      error: `failure ${i}`,
      time: new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString(),
    }));
    for (const letter of letters) await lake.log.deadLetter(letter);
    const newestFirst = letters.toReversed();
    const pages: unknown[][] = [];
    for (let url = '/dead-letters?asset=asset-paged&limit=2'; ; ) {
      const page = (await call('admin', 'GET', url)).json() as { deadLetters: unknown[]; next?: string };
      pages.push(page.deadLetters);
      if (!page.next) break;
      url = `/dead-letters?asset=asset-paged&limit=2&after=${page.next}`;
    }
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);
    // Every consumer's, newest first: these were filed with the latest times.
    const first = (await call('admin', 'GET', '/dead-letters?limit=3')).json() as { deadLetters: unknown[]; next?: string };
    expect(first.deadLetters).toEqual(newestFirst.slice(0, 3));
    expect(first.next).toBeDefined();
    expect(((await call('admin', 'GET', '/dead-letters?group=processor:paged')).json() as { deadLetters: unknown[] }).deadLetters).toEqual(newestFirst);

    for (const query of ['after=nonsense', `after=${Buffer.from('2030-01-01\nprocessor:paged').toString('base64url')}`]) {
      const refused = await call('admin', 'GET', `/dead-letters?${query}`);
      expect(refused.statusCode).toBe(400);
      expectApiError(refused.json(), 'INVALID_CURSOR');
    }
    expect((await call('admin', 'GET', '/dead-letters?limit=0')).statusCode).toBe(400);
    await lake.log.clearDeadLetters(letters);
  });

  it('appends a ReprocessRequested for the named processors, as the actor who asked, and clears their failures', async () => {
    const corrupted = byName.get('corrupted.jpg')!;
    const failed = corrupted.failures[0]!.processor.replace(/^processor:/, '').replace(/@.*$/, '');
    const answer = await call('admin', 'POST', `/assets/${corrupted.assetId}/reprocess`, { processors: [failed], reason: 'try again' });
    expect(answer.statusCode).toBe(202);
    const body = answer.json() as { assetId: string; eventId: string; processors: string[] };
    expect(body).toMatchObject({ assetId: corrupted.assetId, processors: [failed] });
    const event = (await lake.log.readAsset(corrupted.assetId)).find((stored) => stored.id === body.eventId)!;
    expect(event).toMatchObject({ type: 'ReprocessRequested', actor: 'admin', source: 'api', payload: { processors: [failed], reason: 'try again' } });
  });

  it('reprocesses every processor that handles the asset when none is named', async () => {
    const canon = byName.get('canon.jpg')!;
    const answer = await call('admin', 'POST', `/assets/${canon.assetId}/reprocess`);
    expect(answer.statusCode).toBe(202);
    expect((answer.json() as { processors: string[] }).processors.length).toBeGreaterThan(1);
  });

  it('refuses an unknown processor (400), an unknown asset (404), and an editor (403)', async () => {
    const canon = byName.get('canon.jpg')!;
    const unknown = await call('admin', 'POST', `/assets/${canon.assetId}/reprocess`, { processors: ['nonesuch'] });
    expect(unknown.statusCode).toBe(400);
    expectApiError(unknown.json(), 'UNKNOWN_PROCESSOR');
    const missing = await call('admin', 'POST', '/assets/no-such-asset/reprocess');
    expect(missing.statusCode).toBe(404);
    const editor = await call('editor', 'POST', `/assets/${canon.assetId}/reprocess`);
    expect(editor.statusCode).toBe(403);
    expect((await call('editor', 'GET', '/dead-letters')).statusCode).toBe(403);
  });
});
