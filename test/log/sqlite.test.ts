import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { eventLoopTurns } from '../support/eventLoopTurns';
import { eventLogContract } from './eventLog.contract';
import { editDraft, ingestedDraft, resultDraft, v1IngestPayload } from '../support/events';
import { headOf } from '../../log/assetHead';
import { waitFor } from '../support/waitFor';
import { lagSeconds } from '../../projections/lifecycle/lagSeconds';

const directory = temporaryDirectory();
afterAll(() => directory.remove());

eventLogContract('embedded SQLite', {
  open: async (name) => new SqliteEventLog({ path: join(directory.path, `${name}.db`) }),
});

describe('the embedded log file', () => {
  it('takes appends from two connections (a CLI beside a server) without losing or renumbering events', async () => {
    const path = join(directory.path, 'shared.db');
    const [server, cli] = [new SqliteEventLog({ path }), new SqliteEventLog({ path })];
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? server : cli).append([ingestedDraft(`asset-${i % 5}`)])),
      );
      const events = [];
      for await (const batch of server.readAll()) events.push(...batch);
      expect(events.map((e) => Number(e.offset))).toEqual(Array.from({ length: 20 }, (_, i) => i));
      for (let asset = 0; asset < 5; asset++) {
        expect((await cli.readAsset(`asset-${asset}`)).map((e) => e.assetVersion)).toEqual([1, 2, 3, 4]);
      }
    } finally {
      await Promise.all([server.close(), cli.close()]);
    }
  });
});

describe('closing the embedded log', () => {
  it('commits the appends already asked for before the connection goes', async () => {
    const path = join(directory.path, 'close-with-appends.db');
    const log = new SqliteEventLog({ path });
    const appended = log.append([ingestedDraft('asset-queued')]);
    await log.close();
    await expect(appended).resolves.toHaveLength(1);
    const reopened = new SqliteEventLog({ path });
    try {
      expect((await reopened.readAsset('asset-queued')).map((e) => e.type)).toEqual(['AssetIngested']);
    } finally {
      await reopened.close();
    }
  });
});

describe('asset heads in the embedded log file', () => {
  it('indexes the ingests and deletes of a file written before the log did, when it is opened, and answers heads from there', async () => {
    const path = join(directory.path, 'before-lifecycle-index.db');
    const old = new SqliteEventLog({ path });
    await old.append([ingestedDraft('asset-live'), editDraft('asset-live', 'one'), ingestedDraft('asset-gone'), editDraft('asset-other', 'no ingest')]);
    await old.append([resultDraft('asset-gone', 'AssetDeleted', {}), editDraft('asset-gone', 'after')]);
    old.database.exec('DROP INDEX events_asset_lifecycle'); // as the file was before
    await old.close();

    const log = new SqliteEventLog({ path });
    try {
      expect(log.database.prepare("SELECT name FROM sqlite_master WHERE name = 'events_asset_lifecycle'").all()).toHaveLength(1);
      for (const assetId of ['asset-live', 'asset-gone', 'asset-other']) {
        expect(await log.assetHead(assetId)).toEqual(headOf(await log.readAsset(assetId)));
      }
      expect(await log.assetHead('asset-live')).toMatchObject({ version: 2, live: true, sha256: '0'.repeat(64), ingest: { partition: '0', offset: '0' } });
      expect(await log.assetHead('asset-gone')).toEqual({ version: 3, live: false });
      expect(await log.assetHead('asset-other')).toEqual({ version: 1, live: false });
    } finally {
      await log.close();
    }
  });

  it('keeps the head of an event that older code wrote straight into the file, at an old schema version, and reads that event upcast', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'older-writer.db') });
    try {
      log.database
        .prepare(
          `INSERT INTO events (offset, id, asset_id, asset_version, type, schema_version, time, actor, source, correlation_id, causation_id, payload)
           VALUES (0, 'old-ingest', 'asset-old', 1, 'AssetIngested', 1, '2024-01-01T00:00:00.000Z', 'legacy', 'cli', 'c', NULL, ?)`,
        )
        .run(JSON.stringify({ ...v1IngestPayload('asset-old', '/archive/photo.jpg'), sha256: 'f'.repeat(64) }));
      const head = await log.assetHead('asset-old');
      expect(head).toEqual({ version: 1, live: true, sha256: 'f'.repeat(64), ingest: { eventId: 'old-ingest', partition: '0', offset: '0' } });
      expect(await log.readAt(head.ingest!)).toMatchObject({ id: 'old-ingest', schemaVersion: 2, payload: { origin: { kind: 'directory', path: '/archive/photo.jpg' } } });
    } finally {
      await log.close();
    }
  });
});

describe('a subscription on the embedded log', () => {
  it('says it has caught up once it has read to the end, not while a batch is in hand, and never as a member without the lease', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'caught-up.db') });
    let release!: () => void;
    const handled = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const member = log.subscribe({
      group: 'caught-up',
      handle: async (batch) => {
        seen.push(...batch.map((e) => e.assetId));
        await handled;
      },
    });
    try {
      await waitFor('the member to read an empty log to its end', () => member.caughtUp?.() === true);
      await log.append([ingestedDraft('asset-a')]);
      await waitFor('the batch in hand', () => seen.length === 1);
      expect(member.caughtUp?.()).toBe(false);
      const standby = log.subscribe({ group: 'caught-up', handle: async () => undefined });
      release();
      await waitFor('the member to catch up', () => member.caughtUp?.() === true);
      await sleep(100); // the standby has tried for the lease by now
      expect(standby.caughtUp?.()).toBe(false);
      await standby.stop();
    } finally {
      release();
      await member.stop();
      await log.close();
    }
  });

  it('says it has caught up as soon as a batch that reached the end is handled, not after its next read, until this process appends again', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'caught-up-at-once.db') });
    const handled: string[] = [];
    const member = log.subscribe({ group: 'caught-up-at-once', handle: async (batch) => void handled.push(...batch.map((e) => e.assetId)) });
    let freeRead: (() => void) | undefined;
    try {
      await waitFor('the member to read an empty log to its end', () => member.caughtUp?.() === true);
      // The first read after the batch is held, so only what the member knew when it handled the batch can say it has caught up.
      const readAfter = log.readAfter.bind(log);
      log.readAfter = async (...args) => {
        const events = await readAfter(...args);
        if (handled.length && !freeRead) await new Promise<void>((resolve) => (freeRead = resolve));
        return events;
      };
      await log.append([ingestedDraft('asset-a')]);
      await waitFor('the read after the batch', () => freeRead !== undefined);
      expect(member.caughtUp?.()).toBe(true);
      await log.append([ingestedDraft('asset-b')]);
      expect(member.caughtUp?.()).toBe(false);
      freeRead!();
      await waitFor('the member to catch up again', () => member.caughtUp?.() === true);
      expect(handled).toEqual(['asset-a', 'asset-b']);
    } finally {
      freeRead?.();
      await member.stop();
      await log.close();
    }
  });

  it('reads a backlog between other work: the event loop turns between its full batches, for a consumer that keeps its own positions too', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'backlog.db') });
    await log.append(Array.from({ length: 1000 }, (_, n) => ingestedDraft(`backlog-${n}`)));
    let handled = 0;
    const turns = eventLoopTurns(() => handled > 0 && handled < 1000);
    // As a projection does, it keeps its positions with its state: no commit to the log's write queue between batches.
    const member = log.subscribe({ group: 'backlog', batchSize: 50, positions: async () => ({}), handle: async (batch) => void (handled += batch.length) });
    try {
      await waitFor('the backlog to be handled', () => handled === 1000);
      expect(turns.stop()).toBeGreaterThanOrEqual(15); // 20 batches: a turn after each full one
    } finally {
      turns.stop();
      await member.stop();
      await log.close();
    }
  });

  it('with a linger, gathers the events appended while appends keep coming into one batch, and reads as soon as they stop', async () => {
    // No fsync: the appends' spacing is the loop's 10 ms, not a loaded disk's (past QUIET_MS a burst ends).
    const log = new SqliteEventLog({ path: join(directory.path, 'linger.db'), sync: 'normal' });
    const batches: { size: number; at: number }[] = [];
    const member = log.subscribe({
      group: 'lingering',
      lingerMs: 5_000,
      handle: async (batch) => void batches.push({ size: batch.length, at: performance.now() }),
    });
    try {
      await log.append([ingestedDraft('asset-first')]);
      await waitFor('the first event, read at once', () => batches.length === 1);
      let lastAppend = 0;
      for (let i = 0; i < 30; i++) {
        await log.append([ingestedDraft(`asset-${i}`)]);
        lastAppend = performance.now();
        await sleep(10);
      }
      await waitFor('all 31 events', () => batches.reduce((n, b) => n + b.size, 0) === 31);
      // Without a linger the 30 arrive in about 20 batches; a stall of the machine may split the gathered one.
      expect(batches.length - 1).toBeLessThanOrEqual(5);
      // The wait ends when appends stop (a gap of 20 ms), not at the 5 s limit.
      expect(batches.at(-1)!.at - lastAppend).toBeLessThan(1_000);
    } finally {
      await member.stop();
      await log.close();
    }
  });
});

describe('the lag of a consumer whose position is past the end of the log', () => {
  it('counts every event unhandled (a store kept for another log): neither 0, as if caught up, nor less than 0', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'another-log.db') });
    try {
      await log.append([ingestedDraft('asset-one'), ingestedDraft('asset-two')]);
      expect(await log.partitionLag({ '0': '28580' })).toEqual({ '0': 2 });
      expect(await log.lag({ '0': '1' })).toBe(0);
      // What projections status says of it: past the end from the offset the next event will take.
      expect(await log.partitionsPastEnd({ '0': '28580' })).toEqual(['0']);
      expect(await log.partitionsPastEnd({ '0': '2' })).toEqual(['0']);
      expect(await log.partitionsPastEnd({ '0': '1' })).toEqual([]);
      expect(await log.partitionsPastEnd({})).toEqual([]);
      await sleep(300);
      // How long it waited: as long as the first event has, not 0 for want of an event after the position.
      expect(await lagSeconds(log, { '0': '28580' }, 2)).toBeGreaterThanOrEqual(0.2);
    } finally {
      await log.close();
    }
  });
});

describe('a consumer whose position is past the end of the embedded log', () => {
  it('handles nothing, even once the log grows past its position, and says to rebuild', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'restored.db'), sync: 'normal' });
    try {
      await log.append([ingestedDraft('asset-before')]);
      const handled: string[] = [];
      const errors: string[] = [];
      // A store restored from a later copy than the log: it holds offset 3, the log ends at 0.
      const subscription = log.subscribe({
        group: 'projection:restored',
        positions: async () => ({ '0': '3' }),
        handle: async (batch) => void handled.push(...batch.map((event) => event.assetId)),
        onError: (error) => void errors.push((error as Error).message),
      });
      await waitFor('the refusal', async () => errors.length > 0, 10_000);
      await log.append([1, 2, 3, 4, 5].map((i) => ingestedDraft(`asset-after-${i}`)));
      await sleep(500);
      await subscription.stop();
      expect(handled).toEqual([]);
      expect(errors[0]).toMatch(/^projection:restored holds position 3 of partition 0, past the end of the log \(1 events\): .*rebuild/i);
    } finally {
      await log.close();
    }
  });
});
