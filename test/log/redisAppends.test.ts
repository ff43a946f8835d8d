import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AssetEvent, StoredEvent } from '../../schemas/envelope';
import { ExpectedVersionConflictError } from '../../log/eventLog';
import { chainedFields, type HashedEvent } from '../../log/eventRecord';
import { GENESIS, chainHash } from '../../log/hashChain';
import type { Produce } from '../../log/redisAppends';
import { redisClient } from '../../log/redisClient';
import { RedisCoordinator } from '../../log/redisCoordinator';
import { redisKinds, type RedisClusterEngine } from '../engines/redis';
import { editDraft, ingestedDraft, resultDraft } from '../support/events';
import { forgetIngestPlace, forgetLiveness } from './olderHeads';

/**
 * The append protocol against a real Redis, with the partitioned log stood in
 * for by an array: what reaches "the log" at each crash point.
 */
function arrayLog() {
  const records: HashedEvent[] = [];
  /** The ids of events produced as validated by the appending process (OutgoingEvent.checked). */
  const checked = new Set<string>();
  const produce: Produce = async (outgoing) =>
    outgoing.map(({ event, checked: valid }) => {
      if (valid) checked.add(event.id);
      return { partition: '0', offset: String(records.push(event) - 1) };
    });
  return { records, checked, produce };
}

/** A process that dies while producing: the call never returns. */
const dies: Produce = () => new Promise(() => undefined);
const deleteDraft = (assetId: string) => resultDraft(assetId, 'AssetDeleted', {});
const placeOf = (event: StoredEvent) => ({ eventId: event.id, partition: event.partition, offset: event.offset });
const versionsOf = (records: AssetEvent[], assetId: string) => records.filter((e) => e.assetId === assetId).map((e) => e.assetVersion);

// The same protocol on a single Redis and on a Redis Cluster, whose keys of one log share a hash slot.
for (const { engine, present, start, cluster } of redisKinds()) describe.skipIf(!present)(`Redis coordination of a partitioned log, on ${engine}`, () => {
  let redis: RedisClusterEngine;
  const opened: RedisCoordinator[] = [];
  const connect = async (namespace: string, lockMs = 30_000) => {
    const coordinator = await RedisCoordinator.connect({ url: redis.url, cluster, namespace, lockMs });
    opened.push(coordinator);
    return coordinator.appends;
  };
  let namespace: string;
  // Heads in the formats of older versions were only ever written on a single node: no log ran on a cluster before.
  const olderHeadsExist = !cluster;

  beforeAll(async () => {
    redis = await start();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const fresh = () => (namespace = `test:${randomUUID()}`);

  it('gives a retried event id its first version and place, and produces it once', async () => {
    const coordinator = await connect(fresh());
    const log = arrayLog();
    const event = ingestedDraft('asset-a');
    const [first] = await coordinator.append([event], {}, log.produce);
    const [again] = await coordinator.append([event], {}, log.produce);
    expect(again).toMatchObject({ id: first!.id, assetVersion: 1, partition: '0', offset: first!.offset });
    expect(log.records).toHaveLength(1);
  });

  it('refuses a stale expected version and reserves nothing', async () => {
    const coordinator = await connect(fresh());
    const log = arrayLog();
    await coordinator.append([ingestedDraft('asset-a')], {}, log.produce);
    const stale = coordinator.append([editDraft('asset-a', 'late')], { expectedVersion: 0 }, log.produce);
    await expect(stale).rejects.toBeInstanceOf(ExpectedVersionConflictError);
    await expect(stale).rejects.toMatchObject({ expected: 0, actual: 1 });
    const [next] = await coordinator.append([editDraft('asset-a', 'fresh')], { expectedVersion: 1 }, log.produce);
    expect(next!.assetVersion).toBe(2);
  });

  it('completes the events of an appender that died before producing, ahead of the next append to the asset', async () => {
    const coordinator = await connect(fresh(), 300);
    const log = arrayLog();
    const lost = editDraft('asset-a', 'reserved, never produced');
    void coordinator.append([ingestedDraft('asset-a'), lost], {}, dies);
    await sleep(50);
    expect(log.records).toHaveLength(0);

    const [later] = await coordinator.append([editDraft('asset-a', 'later')], {}, log.produce);
    expect(later!.assetVersion).toBe(3);
    expect(versionsOf(log.records, 'asset-a')).toEqual([1, 2, 3]);
    // Only the appender's own events count as validated here: an outbox may have been written by another build.
    expect([...log.checked]).toEqual([later!.id]);
    // A retry of the lost event is now a duplicate with its reserved version.
    const [retried] = await coordinator.append([lost], {}, log.produce);
    expect(retried!.assetVersion).toBe(2);
    expect(log.records).toHaveLength(3);
  });

  it('re-produces, with the same version, events whose producer died before it could commit', async () => {
    const coordinator = await connect(fresh(), 300);
    const log = arrayLog();
    const diesAfterProducing: Produce = async (events) => {
      await log.produce(events);
      return dies(events);
    };
    void coordinator.append([ingestedDraft('asset-a')], {}, diesAfterProducing);
    await sleep(50);
    await coordinator.append([editDraft('asset-a', 'next')], {}, log.produce);
    // The same event twice (consumers keep only newer versions), never a second version of it.
    expect(versionsOf(log.records, 'asset-a')).toEqual([1, 1, 2]);
    expect(new Set(log.records.map((e) => e.id)).size).toBe(2);
    // With the same hash: the recovery chains from the head the dead appender chained from.
    const [first, again, next] = log.records;
    expect(again!.hash).toBe(first!.hash);
    expect(next!.hash).toBe(chainHash(first!.hash, chainedFields(next!)));
    expect(await coordinator.heads()).toEqual(new Map([['asset-a', { version: 2, hash: next!.hash }]]));
  });

  it("keeps an asset's head at its last committed event while an appender that died before producing holds it, and moves it with the recovery", async () => {
    const coordinator = await connect(fresh(), 200);
    const log = arrayLog();
    const [ingest] = await coordinator.append([ingestedDraft('asset-a')], {}, log.produce);
    void coordinator.append([deleteDraft('asset-a')], {}, dies);
    await sleep(50);
    expect(await coordinator.assetHead('asset-a')).toEqual({ version: 1, live: true, sha256: '0'.repeat(64), ingest: placeOf(ingest!) });
    await sleep(300);
    expect(await coordinator.recoverAbandoned(log.produce)).toBe(1);
    expect(await coordinator.assetHead('asset-a')).toEqual({ version: 2, live: false });
  });

  it("keeps an asset's head at its last committed event when the log has more (died before the commit), until the recovery commits them", async () => {
    const coordinator = await connect(fresh(), 300);
    const log = arrayLog();
    const diesAfterProducing: Produce = async (events) => {
      await log.produce(events);
      return dies(events);
    };
    const [ingest] = await coordinator.append([ingestedDraft('asset-a')], {}, log.produce);
    void coordinator.append([deleteDraft('asset-a')], {}, diesAfterProducing);
    await sleep(50);
    expect(versionsOf(log.records, 'asset-a')).toEqual([1, 2]);
    // As readAsset, which reads only committed placements: a command at version 1 meets a conflict, never a lost delete.
    expect(await coordinator.assetHead('asset-a')).toEqual({ version: 1, live: true, sha256: '0'.repeat(64), ingest: placeOf(ingest!) });
    const command = coordinator.append([editDraft('asset-a', 'at the head')], { expectedVersion: 1 }, log.produce);
    await expect(command).rejects.toMatchObject({ expected: 1, actual: 2 });
    expect(await coordinator.assetHead('asset-a')).toEqual({ version: 2, live: false });
  });

  it.runIf(olderHeadsExist)('cannot tell the head of an asset whose only versions are reserved, nor one kept before heads held liveness, until an ingest or delete', async () => {
    const coordinator = await connect(fresh());
    const log = arrayLog();
    expect(await coordinator.assetHead('asset-new')).toEqual({ version: 0, live: false });
    void coordinator.append([ingestedDraft('asset-new')], {}, dies);
    await sleep(50);
    expect(await coordinator.assetHead('asset-new')).toBeUndefined();

    await coordinator.append([ingestedDraft('asset-old'), editDraft('asset-old', 'one')], {}, log.produce);
    await forgetLiveness(redis.url, `${namespace}:heads`, 'asset-old');
    expect(await coordinator.assetHead('asset-old')).toBeUndefined();
    await coordinator.append([editDraft('asset-old', 'two')], {}, log.produce);
    expect(await coordinator.assetHead('asset-old')).toBeUndefined();
    await coordinator.append([deleteDraft('asset-old')], {}, log.produce);
    expect(await coordinator.assetHead('asset-old')).toEqual({ version: 4, live: false });
    // The chain runs on through the old head.
    expect((await coordinator.heads()).get('asset-old')).toEqual({ version: 4, hash: log.records.at(-1)!.hash });
  });

  it.runIf(olderHeadsExist)("names where the live ingest landed, also when a recovery produced it, and reads a head kept before heads named it as live without the place, until the next ingest", async () => {
    const coordinator = await connect(fresh(), 200);
    const log = arrayLog();
    await coordinator.append([ingestedDraft('asset-other')], {}, log.produce);
    const recovered = ingestedDraft('asset-a');
    void coordinator.append([recovered, editDraft('asset-a', 'one')], {}, dies);
    await sleep(300);
    await coordinator.recoverAbandoned(log.produce);
    expect(await coordinator.assetHead('asset-a')).toEqual({ version: 2, live: true, sha256: '0'.repeat(64), ingest: { eventId: recovered.id, partition: '0', offset: '1' } });

    await forgetIngestPlace(redis.url, `${namespace}:heads`, 'asset-a');
    expect(await coordinator.assetHead('asset-a')).toEqual({ version: 2, live: true, sha256: '0'.repeat(64) });
    await coordinator.append([editDraft('asset-a', 'two')], {}, log.produce);
    expect(await coordinator.assetHead('asset-a')).toEqual({ version: 3, live: true, sha256: '0'.repeat(64) });
    const [reingest] = await coordinator.append([ingestedDraft('asset-a')], {}, log.produce);
    expect(await coordinator.assetHead('asset-a')).toEqual({ version: 4, live: true, sha256: '0'.repeat(64), ingest: placeOf(reingest!) });
    // The chain runs on through the older head.
    expect((await coordinator.heads()).get('asset-a')).toEqual({ version: 4, hash: log.records.at(-1)!.hash });
  });

  it("chains each asset's events from its own head, across appends and batches", async () => {
    const coordinator = await connect(fresh());
    const log = arrayLog();
    await coordinator.append([ingestedDraft('asset-a'), ingestedDraft('asset-b'), editDraft('asset-a', 'one')], {}, log.produce);
    await coordinator.append([editDraft('asset-b', 'two')], {}, log.produce);
    for (const assetId of ['asset-a', 'asset-b']) {
      const events = log.records.filter((e) => e.assetId === assetId);
      let previous = GENESIS;
      for (const event of events) expect(event.hash).toBe((previous = chainHash(previous, chainedFields(event))));
      expect((await coordinator.heads()).get(assetId)).toEqual({ version: 2, hash: previous });
    }
  });

  it('appends a batch of many assets in parts, reserving the next while one is produced; each asset once, its events in order', async () => {
    const coordinator = await connect(fresh());
    const log = arrayLog();
    const assets = Array.from({ length: 300 }, (_, i) => `asset-${i}`);
    const drafts = assets.flatMap((assetId) => [ingestedDraft(assetId), editDraft(assetId, 'titled')]);
    const producedAssets: number[] = [];
    const pipelined: Produce = async (outgoing) => {
      producedAssets.push(new Set(outgoing.map(({ event }) => event.assetId)).size);
      if (producedAssets.length === 1) {
        // The first part is on its way; the next part is reserved (and on its way too) meanwhile, not after.
        for (let tries = 0; producedAssets.length < 2; tries++) {
          if (tries > 200) throw new Error('the next part was not reserved while this one was produced');
          await sleep(10);
        }
      }
      return log.produce(outgoing);
    };
    const stored = await coordinator.append(drafts, {}, pipelined);
    expect(producedAssets).toEqual([256, 44]);
    expect(stored.map((event) => [event.id, event.assetVersion])).toEqual(drafts.map((draft, i) => [draft.id, (i % 2) + 1]));
    for (const assetId of ['asset-0', 'asset-255', 'asset-256', 'asset-299']) expect(versionsOf(log.records, assetId)).toEqual([1, 2]);
    expect(log.records).toHaveLength(600);
  });

  it("rejects a batch once all its parts are done when one part's produce failed; a retry completes it, each event once", async () => {
    const coordinator = await connect(fresh(), 600_000);
    const log = arrayLog();
    const drafts = Array.from({ length: 300 }, (_, i) => ingestedDraft(`asset-${i}`));
    const secondPartFails: Produce = async (outgoing) => {
      if (outgoing.some(({ event }) => event.assetId === 'asset-299')) throw new Error('broker unreachable');
      await sleep(50); // the first part is still producing when the second fails
      return log.produce(outgoing);
    };
    await expect(coordinator.append(drafts, {}, secondPartFails)).rejects.toThrow('broker unreachable');
    expect(log.records).toHaveLength(256);
    const retried = await coordinator.append(drafts, {}, log.produce);
    expect(retried.map((event) => event.assetVersion)).toEqual(drafts.map(() => 1));
    expect(log.records.map((event) => event.id).sort()).toEqual(drafts.map((draft) => draft.id).sort());
  });

  it('sweeps up an abandoned outbox when nobody appends to that asset again', async () => {
    const coordinator = await connect(fresh(), 200);
    const log = arrayLog();
    void coordinator.append([ingestedDraft('asset-a')], {}, dies);
    await sleep(50);
    expect(await coordinator.recoverAbandoned(log.produce)).toBe(0); // its lock has not expired yet
    await sleep(300);
    expect(await coordinator.recoverAbandoned(log.produce)).toBe(1);
    expect(versionsOf(log.records, 'asset-a')).toEqual([1]);
    expect((await coordinator.placements('asset-a')).map((p) => p.version)).toEqual([1]);
  });

  it('lets the next append produce at once what a failed produce left behind', async () => {
    const coordinator = await connect(fresh(), 600_000); // were the asset left locked, the test would hang
    const log = arrayLog();
    const failing: Produce = () => Promise.reject(new Error('broker unreachable'));
    await expect(coordinator.append([ingestedDraft('asset-a')], {}, failing)).rejects.toThrow('broker unreachable');
    await coordinator.append([editDraft('asset-a', 'next')], {}, log.produce);
    expect(versionsOf(log.records, 'asset-a')).toEqual([1, 2]);
  });

  it(`keeps a log's keys ${cluster ? 'in one hash slot, on one node, under the tag {NAMESPACE}' : 'under the names a single node has always held'}`, async () => {
    const coordinator = await connect(fresh(), 200);
    const log = arrayLog();
    const assets = Array.from({ length: 40 }, (_, i) => `asset-${i}`);
    await coordinator.append(assets.map((assetId) => ingestedDraft(assetId)), {}, log.produce);
    void coordinator.append([editDraft('asset-0', 'left in the outbox')], {}, dies);
    await sleep(50);
    const client = redisClient({ url: redis.url, cluster }, { maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      const nodes = 'nodes' in client ? client.nodes('master') : [client];
      const keysByNode = await Promise.all(nodes.map((node) => node.keys(`*${namespace}*`)));
      const holding = keysByNode.filter((keys) => keys.length);
      expect(holding).toHaveLength(1);
      const prefix = cluster ? `{${namespace}}:` : `${namespace}:`;
      expect(holding[0]!.filter((key) => !key.startsWith(prefix))).toEqual([]);
      expect(holding[0]).toEqual(expect.arrayContaining([`${prefix}heads`, `${prefix}pending-assets`, `${prefix}asset:asset-39:ids`]));
    } finally {
      client.disconnect();
    }
  });

  it('produces concurrent appends to one asset, from several processes, in version order', async () => {
    const [one, two] = [await connect(fresh()), await connect(namespace)];
    const log = arrayLog();
    const slowProduce: Produce = async (events) => {
      await sleep(Math.random() * 5);
      return log.produce(events);
    };
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two)!.append([editDraft('asset-a', `edit ${i}`)], {}, slowProduce)),
    );
    expect(versionsOf(log.records, 'asset-a')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("returns once the log has the events, with the commit behind it: this process reads its own head, and close waits for the commit", async () => {
    const PAUSE_MS = 1000;
    const appends = await connect(fresh());
    const [coordinator, other] = [opened.at(-1)!, await connect(namespace)];
    const log = arrayLog();
    await appends.append([ingestedDraft('asset-a')], {}, log.produce);
    const client = redisClient({ url: redis.url, cluster }, { maxRetriesPerRequest: 1 });
    await client.connect();
    let pausedUntil = 0;
    // Redis then holds every write, the commit among them, for PAUSE_MS; reads go on.
    const producedThenPause: Produce = async (events) => {
      const positions = await log.produce(events);
      const nodes = 'nodes' in client ? client.nodes('master') : [client];
      await Promise.all(nodes.map((node) => node.call('CLIENT', 'PAUSE', String(PAUSE_MS), 'WRITE')));
      pausedUntil = Date.now() + PAUSE_MS;
      return positions;
    };
    try {
      const [edit] = await appends.append([editDraft('asset-a', 'next')], {}, producedThenPause);
      expect(edit!.assetVersion).toBe(2);
      expect(Date.now()).toBeLessThan(pausedUntil - 500);
      // Another connection still sees the head before the edit; this one's read waits behind its commit.
      expect((await other.assetHead('asset-a'))?.version).toBe(1);
      expect((await appends.assetHead('asset-a'))?.version).toBe(2);

      await appends.append([editDraft('asset-a', 'last')], {}, producedThenPause);
      await coordinator.close();
      expect(Date.now()).toBeGreaterThanOrEqual(pausedUntil - 50);
      expect((await other.assetHead('asset-a'))?.version).toBe(3);
    } finally {
      client.disconnect();
    }
  });
});
