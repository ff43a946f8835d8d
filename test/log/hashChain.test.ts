import { execFile } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { chainHash, type ChainReport } from '../../log/hashChain';
import { editDraft, ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const EVENTS = 20;

describe('the hash chain of the embedded log', () => {
  const directory = temporaryDirectory();
  const original = join(directory.path, 'log.db');
  const ids: string[] = [];
  let copies = 0;

  beforeAll(async () => {
    const log = new SqliteEventLog({ path: original });
    for (let n = 0; n < EVENTS / 4; n++) {
      const assetId = `asset-${n}`;
      const stored = await log.append([
        ingestedDraft(assetId),
        resultDraft(assetId, 'TechnicalMetadataExtracted', { format: 'jpeg', sha256: '0'.repeat(64), size: 1, warnings: [] }),
        editDraft(assetId, `title ${n}`),
      ]);
      ids.push(...stored.map((e) => e.id));
      ids.push((await log.append([editDraft(assetId, `title ${n}, again`)]))[0]!.id);
    }
    await log.close();
  });
  afterAll(() => directory.remove());

  /** Tampers with a copy of the log the way someone with the file could, then verifies the copy. */
  async function tampered(sql: string, anchor?: { offset: number; hash: string }): Promise<ChainReport> {
    const copy = join(directory.path, `copy-${copies++}.db`);
    copyFileSync(original, copy);
    const raw = new Database(copy);
    raw.exec(sql);
    raw.close();
    const log = new SqliteEventLog({ path: copy });
    try {
      return (await log.verifyChain(anchor))[0]!;
    } finally {
      await log.close();
    }
  }
  const idAt = (offset: number) => ids[offset]!;

  it('is intact as the log wrote it, and names its head', async () => {
    const report = await tampered('SELECT 1');
    expect(report).toMatchObject({ partition: '0', events: EVENTS, breaks: [], head: { offset: EVENTS - 1, eventId: idAt(EVENTS - 1) } });
    expect(report.head!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds an edited event: its payload, or its actor', async () => {
    const payload = await tampered(`UPDATE events SET payload = json_set(payload, '$.title', 'forged') WHERE offset = 7`);
    expect(payload.breaks).toEqual([expect.objectContaining({ kind: 'edited', partition: '0', offsets: [7], eventIds: [idAt(7)] })]);
    const actor = await tampered(`UPDATE events SET actor = 'mallory' WHERE offset = 12`);
    expect(actor.breaks).toEqual([expect.objectContaining({ kind: 'edited', offsets: [12], eventIds: [idAt(12)] })]);
    expect(actor.breaks[0]!.message).toBe(`edited: offset 12 (event ${idAt(12)}): its content no longer matches its hash`);
  });

  it('finds a deleted event', async () => {
    const report = await tampered('DELETE FROM events WHERE offset = 7');
    expect(report.events).toBe(EVENTS - 1);
    expect(report.breaks).toEqual([expect.objectContaining({ kind: 'deleted', offsets: [7], eventIds: [] })]);
    expect(report.breaks[0]!.message).toBe(`deleted: offset 7 is missing; the chain breaks before offset 8 (event ${idAt(8)})`);
  });

  const shiftFrom = (offset: number) => `
    UPDATE events SET offset = -offset - 1000000 WHERE offset >= ${offset};
    UPDATE events SET offset = -(offset + 1000000) + 1 WHERE offset < 0;`;
  const forged = (offset: number, hash: string) => `
    INSERT INTO events (offset, id, asset_id, asset_version, type, schema_version, time, actor, source, correlation_id, causation_id, payload, hash)
    VALUES (${offset}, '00000000-0000-4000-8000-000000000001', 'asset-0', 99, 'AssetDeleted', 1, '2024-01-01T00:00:00.000Z',
            'mallory', 'api', 'c', NULL, '{}', ${hash});`;

  it('finds an inserted event, whether its hash is made up, recomputed by the forger, or missing', async () => {
    const madeUp = await tampered(shiftFrom(7) + forged(7, `'${'ab'.repeat(32)}'`));
    expect(madeUp.events).toBe(EVENTS + 1);
    expect(madeUp.breaks).toEqual([expect.objectContaining({ kind: 'inserted', offsets: [7], eventIds: ['00000000-0000-4000-8000-000000000001'] })]);

    const raw = new Database(original, { readonly: true });
    const previous = raw.prepare('SELECT hash FROM events WHERE offset = 6').pluck().get() as string;
    raw.close();
    const recomputed = chainHash(previous, {
      id: '00000000-0000-4000-8000-000000000001', type: 'AssetDeleted', schemaVersion: 1, assetId: 'asset-0', assetVersion: 99,
      time: '2024-01-01T00:00:00.000Z', actor: 'mallory', source: 'api', correlationId: 'c', causationId: null, payload: '{}',
    });
    const chained = await tampered(shiftFrom(7) + forged(7, `'${recomputed}'`));
    expect(chained.breaks).toEqual([expect.objectContaining({ kind: 'inserted', offsets: [7] })]);

    const unhashed = await tampered(forged(EVENTS, 'NULL'));
    expect(unhashed.breaks).toEqual([expect.objectContaining({ kind: 'inserted', offsets: [EVENTS] })]);
    expect(unhashed.breaks[0]!.message).toContain('written past the log: it has no hash');
  });

  it('finds reordered events, next to each other or far apart', async () => {
    const swap = (a: number, b: number) => `
      UPDATE events SET offset = -1 WHERE offset = ${a};
      UPDATE events SET offset = ${a} WHERE offset = ${b};
      UPDATE events SET offset = ${b} WHERE offset = -1;`;
    const adjacent = await tampered(swap(7, 8));
    expect(adjacent.breaks).toEqual([expect.objectContaining({ kind: 'reordered', offsets: [7, 8, 9] })]);
    expect(adjacent.breaks[0]!.eventIds.slice(0, 2)).toEqual([idAt(8), idAt(7)]);
    const far = await tampered(swap(4, 15));
    expect(far.breaks.map((b) => [b.kind, b.offsets])).toEqual([
      ['reordered', [4, 5]],
      ['reordered', [15, 16]],
    ]);
  });

  it('finds events dropped from the end against a recorded head', async () => {
    const intact = await tampered('SELECT 1');
    const anchor = { offset: intact.head!.offset, hash: intact.head!.hash! };
    expect((await tampered('SELECT 1', anchor)).breaks).toEqual([]);
    const truncated = await tampered(`DELETE FROM events WHERE offset >= ${EVENTS - 2}`, anchor);
    expect(truncated.breaks).toEqual([expect.objectContaining({ kind: 'deleted', offsets: [EVENTS - 1] })]);
  });

  it('chains a log written before events carried hashes when it is opened, and goes on chaining', async () => {
    const copy = join(directory.path, 'legacy.db');
    copyFileSync(original, copy);
    const raw = new Database(copy);
    raw.exec('ALTER TABLE events DROP COLUMN hash');
    raw.close();
    const log = new SqliteEventLog({ path: copy });
    await log.append([editDraft('asset-1', 'after the upgrade')]);
    expect(await log.verifyChain()).toEqual([expect.objectContaining({ events: EVENTS + 1, breaks: [] })]);
    await log.close();
  });

  it('says where, from the command line, with a non-zero exit', async () => {
    const copy = join(directory.path, 'cli.db');
    copyFileSync(original, copy);
    const raw = new Database(copy);
    raw.exec('DELETE FROM events WHERE offset = 3');
    raw.close();
    const error = await promisify(execFile)(process.execPath, [CLI, 'audit', 'verify', '--log-file', copy], {
      env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' },
    }).catch((e: { code: number; stdout: string }) => e);
    expect(error).toMatchObject({ code: 3 });
    expect((error as { stdout: string }).stdout).toContain(
      `partition 0: ${EVENTS - 1} events, 1 break(s); head offset ${EVENTS - 1}`,
    );
    expect((error as { stdout: string }).stdout).toContain(`  deleted: offset 3 is missing; the chain breaks before offset 4 (event ${idAt(4)})`);
  });
});
