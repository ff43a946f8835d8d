import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../projections/audit/auditTrail';
import { SqliteAuditTrail } from '../../projections/audit/sqlite';
import type { StoredEvent } from '../../schemas/envelope';
import { temporaryDirectory } from '../support/fixtures';
import { ingestedDraft, storedHistory } from '../support/events';

const directory = temporaryDirectory();
afterAll(() => directory.remove());

const BATCH = 3;
const BASE = Date.parse('2026-03-01T12:00:00.000Z');

/**
 * Batches as concurrent appenders leave them on the log: each later batch was
 * drafted earlier (10 ms per batch), and two of each share a millisecond, so
 * by (time, event id) each batch sorts before the ones the log holds before it.
 */
function skewedHistory(name: string, batches: number): Promise<StoredEvent[]> {
  const drafts = Array.from({ length: batches * BATCH }, (_, i) => {
    const batch = Math.floor(i / BATCH);
    const time = new Date(BASE - batch * 10 + (i % BATCH === 2 ? 1 : 0)).toISOString();
    return ingestedDraft(`asset-${i}`, { time });
  });
  return storedHistory(join(directory.path, `${name}-log.db`), drafts);
}

/** Every entry of the trail, a page at a time. */
async function pageThrough(audit: SqliteAuditTrail, query: AuditQuery): Promise<string[]> {
  const ids: string[] = [];
  for (let after: string | undefined; ; ) {
    const page = await audit.query({ ...query, after });
    ids.push(...page.entries.map((e) => e.eventId));
    if (!page.next) return ids;
    after = page.next;
  }
}

describe('the audit cursor', () => {
  let history: StoredEvent[];
  beforeAll(async () => {
    history = await skewedHistory('skewed', 10);
  });

  it('never skips an event a follower pages past, though events keep arriving with earlier times', async () => {
    const audit = new SqliteAuditTrail(join(directory.path, 'follower.db'));
    const seen: string[] = [];
    let after: string | undefined;
    // A follower takes full pages only (their cursor comes with them), and the rest once the log is done.
    const follow = async (drain: boolean) => {
      for (;;) {
        const page = await audit.query({ limit: 2, after });
        if (!page.next && !drain) return;
        seen.push(...page.entries.map((e) => e.eventId));
        if (!page.next) return;
        after = page.next;
      }
    };
    try {
      for (let i = 0; i < history.length; i += BATCH) {
        await audit.apply(history.slice(i, i + BATCH));
        await follow(false);
      }
      await follow(true);
      expect(seen).toEqual(history.map((e) => e.id));
      // Newest applied first is the same listing reversed, and the time filters keep only what they say.
      expect(await pageThrough(audit, { order: 'desc', limit: 4 })).toEqual(history.map((e) => e.id).reverse());
      const firstBatch = history.slice(0, BATCH);
      expect(await pageThrough(audit, { from: firstBatch[0]!.time, limit: 2 })).toEqual(firstBatch.map((e) => e.id));
    } finally {
      await audit.close();
    }
  });

  it('goes on in a rebuilt file from where the pages before it stopped; the same file reopened takes it too', async () => {
    const path = join(directory.path, 'rebuilt.db');
    let live = new SqliteAuditTrail(path);
    const rebuilt = new SqliteAuditTrail(join(directory.path, 'rebuilt.v2-new.db'));
    try {
      await live.apply(history);
      await rebuilt.apply(history);
      const { next } = await live.query({ limit: 4 });
      await live.close();
      live = new SqliteAuditTrail(path);
      expect((await live.query({ limit: 1, after: next })).entries[0]!.eventId).toBe(history[4]!.id);
      expect((await rebuilt.query({ limit: 1, after: next })).entries[0]!.eventId).toBe(history[4]!.id);
      // A cursor of the format before marks names its file alone: another refuses it, saying why.
      const [file, seq] = JSON.parse(Buffer.from(next!, 'base64url').toString());
      const old = Buffer.from(JSON.stringify([file, seq])).toString('base64url');
      expect((await live.query({ limit: 1, after: old })).entries[0]!.eventId).toBe(history[4]!.id);
      await expect(rebuilt.query({ limit: 4, after: old })).rejects.toMatchObject({ code: 'INVALID_CURSOR', message: expect.stringMatching(/rebuilt/) });
    } finally {
      await Promise.all([live.close(), rebuilt.close()]);
    }
  });

  it('pages through every event once however its pages alternate between hosts that applied the partitions in other orders', async () => {
    // Three partitions, each in offset order; one host took them partition by partition, the other round robin.
    const partitioned = history.map((event, i) => ({ ...event, partition: String(i % 3), offset: String(Math.floor(i / 3) * 7 + 5) }));
    const byPartition = [0, 1, 2].map((p) => partitioned.filter((event) => event.partition === String(p)));
    const hosts = [new SqliteAuditTrail(join(directory.path, 'host-a.db')), new SqliteAuditTrail(join(directory.path, 'host-b.db'))];
    try {
      for (const events of byPartition) await hosts[0]!.apply(events);
      for (let i = 0; i < partitioned.length; i += 2) await hosts[1]!.apply(partitioned.slice(i, i + 2));
      for (const order of ['asc', 'desc'] as const) {
        const ids: string[] = [];
        let after: string | undefined;
        for (let page = 0; ; page++) {
          const answer = await hosts[page % 2]!.query({ order, limit: 4, after });
          ids.push(...answer.entries.map((e) => e.eventId));
          if (!answer.next) break;
          after = answer.next;
        }
        expect(ids.toSorted(), order).toEqual(partitioned.map((e) => e.id).toSorted());
      }
    } finally {
      await Promise.all(hosts.map((host) => host.close()));
    }
  });
});

/** The table as version 1 made it: no seq, listed by (time, event_id). */
const VERSION_1 = `
CREATE TABLE audit_events (event_id TEXT PRIMARY KEY, time TEXT NOT NULL, asset_id TEXT NOT NULL, asset_version INTEGER NOT NULL,
  type TEXT NOT NULL, actor TEXT NOT NULL, source TEXT NOT NULL, correlation_id TEXT NOT NULL, causation_id TEXT,
  log_partition TEXT NOT NULL, log_offset TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX audit_by_time ON audit_events (time, event_id);
CREATE INDEX audit_by_asset ON audit_events (asset_id, time, event_id);`;

describe('a version-1 audit file', () => {
  it('pages at once in the order it applied its rows, then what it applies next', async () => {
    const history = await skewedHistory('v1', 4);
    const path = join(directory.path, 'v1.db');
    const old = new Database(path);
    old.exec(VERSION_1);
    const insert = old.prepare('INSERT INTO audit_events VALUES (?, ?, ?, 1, ?, ?, ?, ?, NULL, ?, ?, ?)');
    const applied = history.slice(0, 9);
    for (const e of applied) insert.run(e.id, e.time, e.assetId, e.type, e.actor, e.source, e.correlationId, e.partition, e.offset, '{}');
    old.close();
    const audit = new SqliteAuditTrail(path);
    try {
      await audit.apply(history.slice(9));
      expect(await pageThrough(audit, { limit: 2 })).toEqual(history.map((e) => e.id));
      expect(await pageThrough(audit, { asset: 'asset-10', limit: 2 })).toEqual([history[10]!.id]);
      const versionOneCursor = Buffer.from(JSON.stringify([applied[1]!.time, applied[1]!.id])).toString('base64url');
      await expect(audit.query({ after: versionOneCursor })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    } finally {
      await audit.close();
    }
  });
});
