import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventDraft, StoredEvent } from '../../schemas/envelope';
import type { EventPlace } from '../../log/assetHead';
import { ExpectedVersionConflictError, advance, type DeadLetter, type EventLog } from '../../log/eventLog';
import { lagSeconds } from '../../projections/lifecycle/lagSeconds';
import { editDraft, ingestedDraft, resultDraft } from '../support/events';

/**
 * The EventLog contract: every backend passes it (embedded, Kafka, Kinesis).
 * `open` gives a fresh, empty log; calling it again with the same `name`
 * opens the same log anew (a restart).
 */
export interface EventLogFactory {
  open(name: string): Promise<EventLog>;
  /** Removes whatever the logs of this run left behind. */
  cleanup?(): Promise<void>;
}

async function collect(log: EventLog, group: string, count: number, timeoutMs = 30_000): Promise<StoredEvent[]> {
  const seen: StoredEvent[] = [];
  const subscription = log.subscribe({ group, handle: async (batch) => void seen.push(...batch) });
  const deadline = Date.now() + timeoutMs;
  while (seen.length < count && Date.now() < deadline) await sleep(20);
  await subscription.stop();
  return seen;
}

/** An ingest of bytes with this content hash. */
function ingestOf(assetId: string, sha256: string): EventDraft {
  const ingest = ingestedDraft(assetId);
  return { ...ingest, payload: { ...(ingest.payload as object), sha256 } } as EventDraft;
}

const deleteOf = (assetId: string) => resultDraft(assetId, 'AssetDeleted', {});

/** Where a stored event is, as a head names it. */
const placeOf = (event: StoredEvent): EventPlace => ({ eventId: event.id, partition: event.partition, offset: event.offset });

async function readAll(log: EventLog): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for await (const batch of log.readAll({ batchSize: 7 })) all.push(...batch);
  return all;
}

export function eventLogContract(backend: string, factory: EventLogFactory): void {
  describe(`EventLog contract: ${backend}`, () => {
    let name: string;
    const opened: EventLog[] = [];
    const open = async () => {
      const log = await factory.open(name);
      opened.push(log);
      return log;
    };

    beforeEach(() => {
      name = `log-${randomUUID().slice(0, 8)}`;
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((log) => log.close()));
      await factory.cleanup?.();
    });

    it('numbers each asset’s events 1, 2, 3 … in append order', async () => {
      const log = await open();
      await log.append([ingestedDraft('asset-a'), ingestedDraft('asset-b')]);
      await log.append([editDraft('asset-a', 'one'), editDraft('asset-a', 'two')]);
      const a = await log.readAsset('asset-a');
      expect(a.map((e) => e.assetVersion)).toEqual([1, 2, 3]);
      expect(a.map((e) => e.type)).toEqual(['AssetIngested', 'UserMetadataUpdated', 'UserMetadataUpdated']);
      expect((await log.readAsset('asset-b')).map((e) => e.assetVersion)).toEqual([1]);
    });

    it('refuses an append at a stale expected version and appends nothing', async () => {
      const log = await open();
      await log.append([ingestedDraft('asset-a')]);
      await log.append([editDraft('asset-a', 'fresh')], { expectedVersion: 1 });
      const stale = log.append([editDraft('asset-a', 'stale')], { expectedVersion: 1 });
      await expect(stale).rejects.toBeInstanceOf(ExpectedVersionConflictError);
      await expect(stale).rejects.toMatchObject({ expected: 1, actual: 2 });
      expect((await log.readAsset('asset-a')).length).toBe(2);
    });

    it('appends an event id only once (redelivery is harmless)', async () => {
      const log = await open();
      const event = ingestedDraft('asset-a');
      const [first] = await log.append([event]);
      const [again] = await log.append([event]);
      expect(again!.id).toBe(first!.id);
      expect(again!.assetVersion).toBe(first!.assetVersion);
      expect((await readAll(log)).length).toBe(1);
    });

    it('gives the head of an asset with no events: version 0, not live', async () => {
      const log = await open();
      await log.append([ingestedDraft('asset-other')]);
      expect(await log.assetHead('asset-none')).toEqual({ version: 0, live: false });
    });

    it("gives an asset's head as appends move it: its last version, live with the content hash and place of its last ingest", async () => {
      const log = await open();
      const ingest = ingestOf('asset-a', 'a'.repeat(64));
      const [a, b] = await log.append([ingest, ingestOf('asset-b', 'b'.repeat(64))]);
      await log.append([editDraft('asset-a', 'one'), editDraft('asset-a', 'two')]);
      expect(await log.assetHead('asset-a')).toEqual({ version: 3, live: true, sha256: 'a'.repeat(64), ingest: placeOf(a!) });
      expect(await log.assetHead('asset-b')).toEqual({ version: 1, live: true, sha256: 'b'.repeat(64), ingest: placeOf(b!) });
      await log.append([ingest]); // an id already on the log moves nothing
      expect((await log.assetHead('asset-a')).version).toBe(3);
    });

    it('gives a deleted asset as not live, its version still counting; a new ingest makes it live with the new content, at the new ingest', async () => {
      const log = await open();
      await log.append([ingestOf('asset-a', 'a'.repeat(64))]);
      await log.append([deleteOf('asset-a')], { expectedVersion: 1 });
      expect(await log.assetHead('asset-a')).toEqual({ version: 2, live: false });
      await log.append([editDraft('asset-a', 'after the delete')]);
      expect(await log.assetHead('asset-a')).toEqual({ version: 3, live: false });
      const [reingest] = await log.append([ingestOf('asset-a', 'c'.repeat(64))], { expectedVersion: 3 });
      await log.append([editDraft('asset-a', 'after the re-ingest')]);
      const head = await log.assetHead('asset-a');
      expect(head).toEqual({ version: 5, live: true, sha256: 'c'.repeat(64), ingest: placeOf(reingest!) });
      expect(await log.readAt(head.ingest!)).toMatchObject({ id: reingest!.id, payload: reingest!.payload, offset: reingest!.offset });
    });

    it('reads the event at a place by its partition and offset: the appended event, same id, payload and place', async () => {
      const log = await open();
      const appended = await log.append([ingestedDraft('asset-a'), ingestedDraft('asset-b'), editDraft('asset-a', 'one')]);
      await log.append([editDraft('asset-b', 'later')]);
      for (const event of appended) {
        const read = await log.readAt({ partition: event.partition, offset: event.offset });
        expect(read).toMatchObject({ id: event.id, payload: event.payload, partition: event.partition, offset: event.offset });
      }
    });

    it("agrees with the asset's history after concurrent appends, and lets one command of many win at its version", async () => {
      const log = await open();
      const [ingest] = await log.append([ingestedDraft('asset-a')]);
      await Promise.all(Array.from({ length: 8 }, (_, i) => log.append([editDraft('asset-a', `edit ${i}`)])));
      const head = await log.assetHead('asset-a');
      expect(head.version).toBe(9);
      expect(head.version).toBe((await log.readAsset('asset-a')).at(-1)!.assetVersion);

      const commands = await Promise.allSettled(
        Array.from({ length: 4 }, (_, i) => log.append([editDraft('asset-a', `command ${i}`)], { expectedVersion: head.version })),
      );
      expect(commands.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
      expect(commands.filter((c) => c.status === 'rejected').map((c) => (c as PromiseRejectedResult).reason)).toEqual(
        Array(3).fill(expect.any(ExpectedVersionConflictError)),
      );
      expect(await log.assetHead('asset-a')).toEqual({ version: 10, live: true, sha256: '0'.repeat(64), ingest: placeOf(ingest!) });
    });

    it('rejects an invalid event with a clear error', async () => {
      const log = await open();
      const bad = { ...ingestedDraft('asset-a'), payload: { objectKey: 42 } } as never;
      await expect(log.append([bad])).rejects.toThrow(/invalid event/);
      expect((await readAll(log)).length).toBe(0);
    });

    it('replays everything from the start, per-asset order kept', async () => {
      const log = await open();
      const assets = Array.from({ length: 20 }, (_, i) => `asset-${i}`);
      await log.append(assets.map((id) => ingestedDraft(id)));
      for (let round = 0; round < 3; round++) await log.append(assets.map((id) => editDraft(id, `t${round}`)));
      const all = await readAll(log);
      expect(all.length).toBe(80);
      for (const id of assets) {
        expect(all.filter((e) => e.assetId === id).map((e) => e.assetVersion)).toEqual([1, 2, 3, 4]);
      }
    });

    it('delivers every event to a consumer group, and none twice after a restart', async () => {
      const log = await open();
      await log.append(Array.from({ length: 30 }, (_, i) => ingestedDraft(`asset-${i}`)));
      const first = await collect(log, 'group-a', 30);
      expect(new Set(first.map((e) => e.id)).size).toBe(30);
      await log.close();
      const reopened = await open();
      await reopened.append([ingestedDraft('asset-late')]);
      const second = await collect(reopened, 'group-a', 1);
      expect(second.map((e) => e.assetId)).toEqual(['asset-late']);
    });

    it('redelivers a batch whose handler failed, so no event is lost', async () => {
      const log = await open();
      await log.append([ingestedDraft('asset-a'), ingestedDraft('asset-b')]);
      const handled: string[] = [];
      let failures = 0;
      const subscription = log.subscribe({
        group: 'flaky',
        handle: async (batch) => {
          if (failures++ === 0) throw new Error('transient');
          handled.push(...batch.map((e) => e.assetId));
        },
      });
      const deadline = Date.now() + 30_000;
      while (handled.length < 2 && Date.now() < deadline) await sleep(20);
      await subscription.stop();
      expect(handled.sort()).toEqual(['asset-a', 'asset-b']);
    });

    it('resumes a self-checkpointing consumer from the positions it reports', async () => {
      const log = await open();
      await log.append(Array.from({ length: 5 }, (_, i) => ingestedDraft(`asset-${i}`)));
      const handled = advance({}, await readAll(log));
      const seen: StoredEvent[] = [];
      const subscription = log.subscribe({ group: 'own', handle: async (b) => void seen.push(...b), positions: async () => handled });
      await log.append([ingestedDraft('asset-new')]);
      const deadline = Date.now() + 30_000;
      while (seen.length < 1 && Date.now() < deadline) await sleep(20);
      await sleep(200);
      await subscription.stop();
      expect(seen.map((e) => e.assetId)).toEqual(['asset-new']);
    });

    it('lets two members of one group share the work without duplicates', async () => {
      const log = await open();
      await log.append(Array.from({ length: 40 }, (_, i) => ingestedDraft(`asset-${i}`)));
      const seen: string[] = [];
      const handle = async (batch: StoredEvent[]) => void seen.push(...batch.map((e) => e.id));
      const members = [log.subscribe({ group: 'shared', handle }), log.subscribe({ group: 'shared', handle })];
      const deadline = Date.now() + 30_000;
      while (seen.length < 40 && Date.now() < deadline) await sleep(20);
      await sleep(300);
      await Promise.all(members.map((m) => m.stop()));
      expect(seen.length).toBe(40);
      expect(new Set(seen).size).toBe(40);
    });

    it('counts the live members of a group: none before one subscribes, one while it consumes, none once it stopped', async () => {
      const log = await open();
      await log.append([ingestedDraft('asset-a')]);
      expect(await log.groupMembers('watched')).toBe(0);
      const seen: StoredEvent[] = [];
      const member = log.subscribe({ group: 'watched', handle: async (batch) => void seen.push(...batch) });
      const deadline = Date.now() + 30_000;
      while (seen.length < 1 && Date.now() < deadline) await sleep(20);
      expect(seen.map((e) => e.assetId)).toEqual(['asset-a']);
      expect(await log.groupMembers('watched')).toBe(1);
      expect(await log.groupMembers('another')).toBe(0);
      await member.stop();
      expect(await log.groupMembers('watched')).toBe(0);
    });

    it('counts the lag of a consumer in events', async () => {
      const log = await open();
      await log.append(Array.from({ length: 6 }, (_, i) => ingestedDraft(`asset-${i}`)));
      const all = await readAll(log);
      expect(await log.lag({})).toBe(6);
      expect(await log.lag(advance({}, all.slice(0, 4)))).toBe(6 - all.slice(0, 4).length);
      expect(await log.lag(advance({}, all))).toBe(0);
    });

    it('says how long the oldest event a consumer has not handled has waited (projections status: lagSeconds)', async () => {
      const log = await open();
      const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
      const [handled] = await log.append([ingestedDraft('asset-old', { time: ago(120) })]);
      await log.append([ingestedDraft('asset-waiting', { time: ago(60) })]);
      await log.append(Array.from({ length: 4 }, (_, i) => ingestedDraft(`asset-new-${i}`)));
      const all = await readAll(log);

      // Whichever partitions the assets hashed to, asset-waiting is now the oldest event not handled.
      const behind = advance({}, [handled!]);
      const waited = await lagSeconds(log, behind, await log.lag(behind));
      expect(waited).toBeGreaterThanOrEqual(60);
      expect(waited).toBeLessThan(90);
      expect(await lagSeconds(log, {}, await log.lag({}))).toBeGreaterThanOrEqual(120);
      const caughtUp = advance({}, all);
      expect(await lagSeconds(log, caughtUp, await log.lag(caughtUp))).toBe(0);
    });

    it('keeps dead letters per group, until they are cleared one by one', async () => {
      const log = await open();
      const entry = { group: 'processor:x', eventId: randomUUID(), assetId: 'asset-a', attempts: 3, error: 'boom', time: new Date().toISOString() };
      await log.deadLetter(entry);
      expect(await log.deadLetters({ group: 'processor:x' })).toEqual([entry]);
      expect(await log.deadLetters({ group: 'processor:y' })).toEqual([]);
      const other = { ...entry, eventId: randomUUID() };
      await log.deadLetter(other);
      await log.deadLetter({ ...entry, group: 'processor:y' });
      expect(await log.deadLetterCounts()).toEqual({ 'processor:x': 2, 'processor:y': 1 });
      await log.clearDeadLetters([{ group: 'processor:x', eventId: entry.eventId }, { group: 'processor:y', eventId: entry.eventId }]);
      expect(await log.deadLetters({ group: 'processor:x' })).toEqual([other]);
      await log.clearDeadLetters([]);
      expect(await log.deadLetters()).toEqual([other]);
      // A group whose dead letters are all cleared has none to count.
      expect(await log.deadLetterCounts()).toEqual({ 'processor:x': 1 });
    });

    it('lists dead letters newest first, a page at a time, of a group or of an asset', async () => {
      const log = await open();
      const letter = (group: string, eventId: string, assetId: string, second: number) =>
        ({ group, eventId, assetId, attempts: 3, error: `failed at ${second}`, time: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString() });
      const letters = [
        letter('processor:a', 'e1', 'asset-1', 1),
        letter('processor:b', 'e2', 'asset-2', 2),
        letter('processor:a', 'e3', 'asset-1', 3),
        // At one time: by group, then event id, descending.
        letter('processor:a', 'e4', 'asset-2', 4),
        letter('processor:b', 'e4', 'asset-2', 4),
        letter('processor:b', 'e5', 'asset-2', 4),
        letter('processor:a', 'e6', 'asset-3', 5),
      ];
      for (const entry of letters) await log.deadLetter(entry);
      const newestFirst = [letters[6], letters[5], letters[4], letters[3], letters[2], letters[1], letters[0]];
      expect(await log.deadLetters()).toEqual(newestFirst);

      const pages: unknown[][] = [];
      for (let after: DeadLetter | undefined, page: DeadLetter[]; (page = await log.deadLetters({ limit: 3, after })).length; after = page.at(-1)) pages.push(page);
      expect(pages).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);

      expect(await log.deadLetters({ group: 'processor:a' })).toEqual([letters[6], letters[3], letters[2], letters[0]]);
      expect(await log.deadLetters({ group: 'processor:a', limit: 2, after: letters[3] })).toEqual([letters[2], letters[0]]);
      expect(await log.deadLetters({ assetId: 'asset-2' })).toEqual([letters[5], letters[4], letters[3], letters[1]]);
      expect(await log.deadLetters({ assetId: 'asset-2', group: 'processor:b', limit: 1, after: letters[5] })).toEqual([letters[4]]);
      expect(await log.deadLetters({ assetId: 'asset-9' })).toEqual([]);

      // Filed again (the event failed again): listed once, at its new time; cleared: listed nowhere.
      const again = { ...letters[0]!, attempts: 4, time: letter('', '', '', 9).time };
      await log.deadLetter(again);
      expect((await log.deadLetters()).map((entry) => entry.eventId)).toEqual(['e1', 'e6', 'e5', 'e4', 'e4', 'e3', 'e2']);
      expect(await log.deadLetters({ assetId: 'asset-1' })).toEqual([again, letters[2]]);
      await log.clearDeadLetters([{ group: 'processor:a', eventId: 'e1' }, { group: 'processor:b', eventId: 'e4' }]);
      expect(await log.deadLetters({ limit: 2 })).toEqual([letters[6], letters[5]]);
      expect(await log.deadLetters({ assetId: 'asset-1' })).toEqual([letters[2]]);
      expect(await log.deadLetters({ group: 'processor:b' })).toEqual([letters[5], letters[1]]);
      expect(await log.deadLetterCounts()).toEqual({ 'processor:a': 3, 'processor:b': 2 });
    });
  });
}
