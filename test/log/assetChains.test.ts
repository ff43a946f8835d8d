import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnchorNotApplicableError, verifyAssetChains } from '../../log/assetChains';
import { chainedFields, encodeEvent, type HashedEvent } from '../../log/eventRecord';
import { ChainKeyring, newChainKey } from '../../log/chainKey';
import { chainHash, type ChainBreak } from '../../log/hashChain';
import type { Produce } from '../../log/redisAppends';
import { RedisCoordinator } from '../../log/redisCoordinator';
import type { AssetEvent } from '../../schemas/envelope';
import { engineAvailable } from '../engines/availability';
import { redisServerPresent, startRedis, type RedisEngine } from '../engines/redis';
import { editDraft, ingestedDraft } from '../support/events';

const keys = ChainKeyring.of(newChainKey());
const present = engineAvailable('redis-server', redisServerPresent(), 'install the Debian package redis-server (.ci/run does)');

/**
 * The per-asset chain of a partitioned log, the log stood in for by an array
 * of records (one partition) written through the real Redis coordinator; the
 * tampering is done on that array, as someone with access to the topic or a
 * copy of it would.
 */
describe.skipIf(!present)('per-asset hash chains of a partitioned log', () => {
  let redis: RedisEngine;
  let coordinator: RedisCoordinator;
  let records: (AssetEvent | HashedEvent | string)[];
  const produce: Produce = async (outgoing) => outgoing.map(({ event }) => ({ partition: '0', offset: String(records.push(event) - 1) }));
  const stored = async function* () {
    yield records.map((record, i) => ({ partition: '0', offset: String(i), data: typeof record === 'string' ? Buffer.from(record) : encodeEvent(record) }));
  };
  const verify = async () => {
    const [report] = await verifyAssetChains(['0'], stored(), coordinator.appends);
    return report!;
  };
  const kinds = (breaks: ChainBreak[]) => breaks.map(({ kind, offsets, eventIds, versions }) => ({ kind, offsets, eventIds, versions }));
  const event = (i: number) => records[i] as HashedEvent;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await coordinator?.close();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** Offsets 0–5: a1 a2 b1 (one batch: each asset's events together), b2, a3, c1. */
  let namespace: string;
  async function appendSome(lockMs = 30_000) {
    namespace = `test:${randomUUID()}`;
    coordinator = await RedisCoordinator.connect({ url: redis.url, namespace, lockMs, chainKeys: keys });
    records = [];
    await coordinator.appends.append([ingestedDraft('asset-a'), ingestedDraft('asset-b'), editDraft('asset-a', 'one')], {}, produce);
    await coordinator.appends.append([editDraft('asset-b', 'two')], {}, produce);
    await coordinator.appends.append([editDraft('asset-a', 'three')], {}, produce);
    await coordinator.appends.append([ingestedDraft('asset-c')], {}, produce);
  }

  it('finds an untouched log intact, a crashed producer’s second copy of an event included', async () => {
    await appendSome(300);
    const diesAfterProducing: Produce = async (events) => {
      await produce(events);
      return new Promise(() => undefined);
    };
    void coordinator.appends.append([editDraft('asset-c', 'produced, never committed')], {}, diesAfterProducing);
    await sleep(400);
    await coordinator.appends.append([editDraft('asset-c', 'after the recovery')], {}, produce);
    expect(event(6).id).toBe(event(7).id); // the recovery produced it again
    expect(await verify()).toEqual({ partition: '0', events: 9, unchained: 0, breaks: [] });
  });

  it('names a second copy of an event that differs from it as edited', async () => {
    await appendSome();
    records.push({ ...event(1), payload: { title: 'forged' } } as HashedEvent);
    expect(kinds((await verify()).breaks)).toEqual([{ kind: 'edited', offsets: ['6'], eventIds: [event(1).id], versions: [2] }]);
  });

  it('names an event edited in place (a rewritten copy of the log) as edited, and checks on past it', async () => {
    await appendSome();
    records[1] = { ...event(1), payload: { title: 'forged' } } as HashedEvent;
    expect(kinds((await verify()).breaks)).toEqual([{ kind: 'edited', offsets: ['1'], eventIds: [event(1).id], versions: [2] }]);
  });

  it('names the first event that no longer matches when an edit comes with the unkeyed chain recomputed after it and the head in Redis rewritten', async () => {
    await appendSome();
    // asset-a is at offsets 0, 1 and 4: edit version 2, rehash it and version 3 without the key, and point the head at the result.
    const edited = { ...event(1), payload: { title: 'forged' } } as AssetEvent;
    const editedHash = chainHash(event(0).hash, chainedFields(edited));
    const next = { ...event(4) } as AssetEvent;
    const nextHash = chainHash(editedHash, chainedFields(next));
    records[1] = { ...edited, hash: editedHash };
    records[4] = { ...next, hash: nextHash };
    const client = new Redis(redis.url);
    const stored = (await client.hget(`${namespace}:heads`, 'asset-a'))!.split(' ');
    await client.hset(`${namespace}:heads`, 'asset-a', [stored[0], nextHash, ...stored.slice(2)].join(' ')).finally(() => client.disconnect());
    const { breaks } = await verify();
    expect(kinds(breaks)).toEqual([{ kind: 'edited', offsets: ['1'], eventIds: [event(1).id], versions: [2] }]);
    expect(breaks[0]!.message).toBe(
      `edited: asset asset-a version 2 at partition 0 offset 1 (event ${event(1).id}): the first event that no longer matches: ` +
        "its link is not signed with the log's key (the asset's chain from here was recomputed without it)",
    );
  });

  it('names forged events as inserted: past the head with a valid hash, on a taken version, without a hash, not an event', async () => {
    await appendSome();
    const a3 = event(4);
    const forged = { ...a3, id: randomUUID(), assetVersion: 4, payload: { title: 'forged' } } as AssetEvent;
    records.push({ ...forged, hash: chainHash(a3.hash, chainedFields(forged)) });
    const taken = { ...a3, id: randomUUID(), payload: { title: 'taken' } } as AssetEvent;
    records.push({ ...taken, hash: chainHash(event(1).hash, chainedFields(taken)) });
    records.push({ ...editDraft('asset-b', 'no hash'), assetVersion: 3 } as AssetEvent);
    records.push('not an event');
    const report = await verify();
    expect(kinds(report.breaks)).toEqual([
      { kind: 'inserted', offsets: ['7'], eventIds: [taken.id], versions: [3] },
      { kind: 'inserted', offsets: ['8'], eventIds: [(records[8] as AssetEvent).id], versions: [3] },
      { kind: 'inserted', offsets: ['9'], eventIds: [], versions: undefined },
      { kind: 'inserted', offsets: ['6'], eventIds: [forged.id], versions: [4] },
    ]);
    expect(report.breaks.at(-1)!.message).toBe(
      `inserted: asset asset-a version 4 at partition 0 offset 6 (event ${forged.id}): written past the log: the asset's last committed version is 3`,
    );
  });

  it('names events deleted from the middle and dropped from the end (against the head in Redis) as deleted', async () => {
    await appendSome();
    records.splice(3, 1); // asset-b's last event
    records.splice(1, 1); // asset-a version 2
    const { breaks } = await verify();
    expect(breaks.map(({ kind, assetId, versions }) => [kind, assetId, versions])).toEqual([
      ['deleted', 'asset-a', [2]],
      ['deleted', 'asset-b', [2]],
    ]);
    expect(breaks.map((found) => found.message)).toEqual([
      `deleted: asset asset-a version 2 is missing before asset asset-a version 3 at partition 0 offset 2 (event ${event(2).id})`,
      'deleted: asset asset-b version 2 is missing from the end: dropped after the last event left',
    ]);
  });

  it('names an event appended before the one it follows as reordered', async () => {
    await appendSome();
    [records[1], records[4]] = [records[4]!, records[1]!];
    expect(kinds((await verify()).breaks)).toEqual([{ kind: 'reordered', offsets: ['1'], eventIds: [event(1).id], versions: [3] }]);
  });

  it('counts events written before the log kept hashes as unchained, and chains what follows from them', async () => {
    namespace = `test:${randomUUID()}`;
    coordinator = await RedisCoordinator.connect({ url: redis.url, namespace, chainKeys: keys });
    records = [];
    // An old producer: versions from the coordinator, no hashes on the records.
    await coordinator.appends.append([ingestedDraft('asset-a')], {}, (outgoing) =>
      produce(outgoing.map(({ event: { hash: _, ...event }, checked }) => ({ event: event as HashedEvent, checked }))),
    );
    const client = new Redis(redis.url);
    await client.del(`${namespace}:heads`).finally(() => client.disconnect()); // nor did it keep heads
    await coordinator.appends.append([editDraft('asset-a', 'hashed')], {}, produce);
    expect(await verify()).toEqual({ partition: '0', events: 2, unchained: 1, breaks: [] });
  });

  it('reports links written before the log was signed as unsigned, not tampered, and verifies the signed ones after them', async () => {
    namespace = `test:${randomUUID()}`;
    const unsignedCoordinator = await RedisCoordinator.connect({ url: redis.url, namespace });
    records = [];
    await unsignedCoordinator.appends.append([ingestedDraft('asset-a')], {}, produce);
    await unsignedCoordinator.close();
    coordinator = await RedisCoordinator.connect({ url: redis.url, namespace, chainKeys: keys });
    await coordinator.appends.append([editDraft('asset-a', 'signed')], {}, produce);
    expect(await verify()).toEqual({ partition: '0', events: 2, unchained: 0, unsigned: { events: 1, upTo: '0' }, breaks: [] });
  });

  it('refuses an anchor: the heads in Redis end each chain', async () => {
    await appendSome();
    await expect(verifyAssetChains(['0'], stored(), coordinator.appends, { offset: 0, hash: '0'.repeat(64) })).rejects.toBeInstanceOf(AnchorNotApplicableError);
  });
});
