import { execFile } from 'node:child_process';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { ChainKeyMissingError, ChainKeyring, newChainKey } from '../../log/chainKey';
import { chainHash, type ChainReport } from '../../log/hashChain';
import { editDraft, ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const EVENTS = 20;
const KEY = newChainKey();
const run = promisify(execFile);
/** The CLI's audit verify on a log file: its exit code and output. */
const verifyCli = (path: string, env: Record<string, string> = { MEDIALAKE_CHAIN_KEY: KEY }) =>
  run(process.execPath, [CLI, 'audit', 'verify', '--log-file', path], { env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent', ...env } }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('the signed hash chain of the embedded log', () => {
  const directory = temporaryDirectory();
  const original = join(directory.path, 'log.db');
  const ids: string[] = [];
  let copies = 0;

  beforeAll(async () => {
    const log = new SqliteEventLog({ path: original, chainKeys: ChainKeyring.of(KEY) });
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
  async function tampered(sql: string | ((raw: Database.Database) => void), anchor?: { offset: number; hash: string }, keys = ChainKeyring.of(KEY)): Promise<ChainReport> {
    const copy = tamperedCopy(sql);
    const log = new SqliteEventLog({ path: copy, chainKeys: keys });
    try {
      return (await log.verifyChain(anchor))[0]!;
    } finally {
      await log.close();
    }
  }
  function tamperedCopy(sql: string | ((raw: Database.Database) => void)): string {
    const copy = join(directory.path, `copy-${copies++}.db`);
    copyFileSync(original, copy);
    const raw = new Database(copy);
    if (typeof sql === 'string') raw.exec(sql);
    else sql(raw);
    raw.close();
    return copy;
  }
  const idAt = (offset: number) => ids[offset]!;

  /** What someone with the file but not the key does: edit an event, then recompute the unkeyed chain from it to the end. */
  const editAndRechain = (offset: number) => (raw: Database.Database) => {
    raw.prepare(`UPDATE events SET payload = json_set(payload, '$.title', 'forged') WHERE offset = ?`).run(offset);
    let previous = raw.prepare('SELECT hash FROM events WHERE offset = ?').pluck().get(offset - 1) as string;
    type Row = { id: string; type: string; schema_version: number; asset_id: string; asset_version: number; time: string; actor: string; source: string; correlation_id: string; causation_id: string | null; payload: string; offset: number };
    const rows = raw.prepare('SELECT * FROM events WHERE offset >= ? ORDER BY offset').all(offset) as Row[];
    for (const row of rows) {
      previous = chainHash(previous, {
        id: row.id, type: row.type, schemaVersion: row.schema_version, assetId: row.asset_id, assetVersion: row.asset_version, time: row.time,
        actor: row.actor, source: row.source, correlationId: row.correlation_id, causationId: row.causation_id, payload: row.payload,
      });
      raw.prepare('UPDATE events SET hash = ? WHERE offset = ?').run(previous, row.offset);
    }
  };

  it('is intact as the log wrote it, and names its head', async () => {
    const report = await tampered('SELECT 1');
    expect(report).toMatchObject({ partition: '0', events: EVENTS, breaks: [], head: { offset: EVENTS - 1, eventId: idAt(EVENTS - 1) } });
    expect(report.unsigned).toBeUndefined();
    expect(report.head!.hash).toMatch(/^k1:[0-9a-f]{12}:[0-9a-f]{32}:[0-9a-f]{64}$/);
  });

  it('names the first event that no longer matches when an edit comes with the unkeyed chain recomputed to the end, without an anchor', async () => {
    const report = await tampered(editAndRechain(7));
    expect(report.breaks).toEqual([expect.objectContaining({ kind: 'edited', partition: '0', offsets: [7], eventIds: [idAt(7)] })]);
    expect(report.breaks[0]!.message).toBe(
      `edited: offset 7 (event ${idAt(7)}): the first event that no longer matches: its link is not signed with the log's key ` +
        `and every link from there to offset ${EVENTS - 1} was recomputed without it`,
    );
    const cli = await verifyCli(tamperedCopy(editAndRechain(12)));
    expect(cli.code).toBe(3);
    expect(cli.stdout).toContain(`edited: offset 12 (event ${idAt(12)}): the first event that no longer matches`);
  });

  it('names an event put in at a far offset as inserted, not as offsets missing before it', async () => {
    const far = 100_000;
    const report = await tampered(forged(far, `'${'ab'.repeat(32)}'`));
    expect(report.breaks).toEqual([expect.objectContaining({ kind: 'inserted', offsets: [far], eventIds: ['00000000-0000-4000-8000-000000000001'] })]);
    expect(report.breaks[0]!.message).toBe(
      `inserted: offset ${far} (event 00000000-0000-4000-8000-000000000001): put in at a far offset (after offset ${EVENTS - 1}): it is not signed with the log's key`,
    );
  });

  it('cannot vouch without the key: verify names the key and fails, rather than passing', async () => {
    await expect(tampered('SELECT 1', undefined, new ChainKeyring({}))).rejects.toBeInstanceOf(ChainKeyMissingError);
    await expect(tampered('SELECT 1', undefined, ChainKeyring.of(newChainKey()))).rejects.toThrow(/offset 0 \(event .*\) is signed with chain key [0-9a-f]{12}, which is not configured here/);
    const cli = await verifyCli(tamperedCopy('SELECT 1'), {});
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('which is not configured here');
  });

  /** Writes another key id into the link at `offset`, keeping the rest of it: what someone who can write the log does to a link. */
  const forgeKeyId = (offset: number) => `UPDATE events SET hash = 'k1:000000000000:' || substr(hash, 17) WHERE offset = ${offset}`;
  const editPayload = (offset: number) => `UPDATE events SET payload = json_set(payload, '$.title', 'forged') WHERE offset = ${offset};`;

  it('lists a link naming a key id that is not configured as a break, where a later link is signed with a configured key, and goes on to the end', async () => {
    const report = await tampered(`${editPayload(2)} ${forgeKeyId(5)}`);
    expect(report.breaks).toEqual([
      expect.objectContaining({ kind: 'edited', offsets: [2], eventIds: [idAt(2)] }),
      expect.objectContaining({ kind: 'edited', offsets: [5], eventIds: [idAt(5)] }),
    ]);
    expect(report.breaks[1]!.message).toContain(`offset 5 (event ${idAt(5)}): its link names chain key 000000000000, which is not configured here, yet a later link is signed`);
    const cli = await verifyCli(tamperedCopy(`${forgeKeyId(5)}; ${editPayload(9)}`));
    expect(cli.code).toBe(3);
    expect(cli.stdout).toContain('2 break(s)');
    expect(cli.stdout).toContain(`offset 9 (event ${idAt(9)})`);
  });

  it('cannot vouch for an end signed with a key it lacks, yet lists it after the breaks before it rather than hiding them', async () => {
    const last = EVENTS - 1;
    await expect(tampered(forgeKeyId(last))).rejects.toThrow(`offset ${last} (event ${idAt(last)}) is signed with chain key 000000000000, which is not configured here`);
    const report = await tampered(`${editPayload(3)} ${forgeKeyId(last)}`);
    expect(report.breaks.map((found) => found.offsets)).toEqual([[3], [last]]);
    expect(report.breaks[1]!.message).toContain(`no link after it is signed with a configured key: nothing from here to offset ${last} can be checked`);
  });

  it('verifies links signed before a key rotation with the old key kept in the ring', async () => {
    const copy = tamperedCopy('SELECT 1');
    const rotated = new SqliteEventLog({ path: copy, chainKeys: ChainKeyring.of(KEY, newChainKey()) });
    await rotated.append([editDraft('asset-1', 'after the rotation')]);
    expect(await rotated.verifyChain()).toEqual([expect.objectContaining({ events: EVENTS + 1, breaks: [] })]);
    await rotated.close();
    const oldKeyOnly = new SqliteEventLog({ path: copy, chainKeys: ChainKeyring.of(KEY) });
    await expect(oldKeyOnly.verifyChain()).rejects.toThrow(`offset ${EVENTS} `);
    await oldKeyOnly.close();
  });

  it('walks a long log between other work: the event loop turns during the walk, and the whole chain is checked', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'long.db'), chainKeys: ChainKeyring.of(KEY) });
    for (let batch = 0; batch < 5; batch++) await log.append(Array.from({ length: 500 }, (_, n) => ingestedDraft(`long-${batch}-${n}`)));
    let finished = false;
    const verified = log.verifyChain().finally(() => (finished = true));
    await new Promise((resolve) => setImmediate(resolve)); // queued after the walk began
    expect(finished).toBe(false);
    expect(await verified).toEqual([expect.objectContaining({ events: 2500, breaks: [], head: expect.objectContaining({ offset: 2499 }) })]);
    await log.close();
  });

  it('makes the embedded default key on first use, readable by its owner only', async () => {
    const keyFile = join(directory.path, 'fresh', 'chain.key');
    const log = new SqliteEventLog({ path: join(directory.path, 'fresh.db'), chainKeys: new ChainKeyring({ defaultFile: keyFile }) });
    expect(await log.verifyChain()).toEqual([expect.objectContaining({ events: 0, breaks: [] })]);
    expect(() => statSync(keyFile)).toThrow(); // verifying makes no key
    await log.append([ingestedDraft('asset-x')]);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await log.verifyChain())[0]!.head!.hash).toMatch(/^k1:/);
    await log.close();
  });

  it('refuses to append after a link signed with a key it lacks, and makes no key for a log that has signed links', async () => {
    const keyFile = join(directory.path, 'lost', 'chain.key');
    const path = join(directory.path, 'lost.db');
    const first = new SqliteEventLog({ path, chainKeys: new ChainKeyring({ defaultFile: keyFile }) });
    await first.append([ingestedDraft('asset-y')]);
    await first.close();
    rmSync(keyFile); // a restore that left the key behind
    const restored = new SqliteEventLog({ path, chainKeys: new ChainKeyring({ defaultFile: keyFile }) });
    await expect(restored.append([editDraft('asset-y', 'after the restore')])).rejects.toBeInstanceOf(ChainKeyMissingError);
    expect(() => statSync(keyFile)).toThrow();
    await restored.close();
    // A process given another ring (an older one) refuses as well; the ring with the log's key appends.
    const other = new SqliteEventLog({ path: tamperedCopy('SELECT 1'), chainKeys: ChainKeyring.of(newChainKey()) });
    await expect(other.append([editDraft('asset-1', 'signed with another key')])).rejects.toThrow(/signed with chain key [0-9a-f]{12}, which is not configured here/);
    await other.close();
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

  it('chains a log written before events carried hashes when it is opened, reports it unsigned up to there, and signs from the next append', async () => {
    const copy = join(directory.path, 'legacy.db');
    copyFileSync(original, copy);
    const raw = new Database(copy);
    raw.exec('ALTER TABLE events DROP COLUMN hash');
    raw.close();
    const log = new SqliteEventLog({ path: copy, chainKeys: ChainKeyring.of(KEY) });
    await log.append([editDraft('asset-1', 'after the upgrade')]);
    expect(await log.verifyChain()).toEqual([
      expect.objectContaining({ events: EVENTS + 1, unsigned: { events: EVENTS, upTo: EVENTS - 1 }, breaks: [] }),
    ]);
    await log.close();
    const cli = await verifyCli(copy);
    expect(cli).toMatchObject({ code: 0 });
    expect(cli.stdout).toContain(`partition 0: ${EVENTS + 1} events, unsigned up to offset ${EVENTS - 1} (${EVENTS} written before the log was signed), chain intact`);
  });

  it('says where, from the command line, with a non-zero exit', async () => {
    const copy = join(directory.path, 'cli.db');
    copyFileSync(original, copy);
    const raw = new Database(copy);
    raw.exec('DELETE FROM events WHERE offset = 3');
    raw.close();
    const error = await verifyCli(copy);
    expect(error).toMatchObject({ code: 3 });
    expect((error as { stdout: string }).stdout).toContain(
      `partition 0: ${EVENTS - 1} events, 1 break(s); head offset ${EVENTS - 1}`,
    );
    expect((error as { stdout: string }).stdout).toContain(`  deleted: offset 3 is missing; the chain breaks before offset 4 (event ${idAt(4)})`);
  });
});
