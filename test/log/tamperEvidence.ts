import { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { EventLog } from '../../log/eventLog';
import { chainedFields, encodeEvent } from '../../log/eventRecord';
import { GENESIS, chainHash, type TamperEvident } from '../../log/hashChain';
import type { AssetEvent, EventDraft } from '../../schemas/envelope';
import { editDraft, ingestedDraft } from '../support/events';

/** Writes one record to the log's topic or stream directly, past the log (as someone with access to the engine could). */
export type WriteRecord = (record: { key: string; data: Buffer }) => Promise<void>;

/** An event as the log appended it: the draft at its version, with its hash chained from `previous`. */
function appended(draft: EventDraft, assetVersion: number, previous: string) {
  const event = { ...draft, assetVersion } as AssetEvent;
  return { ...event, hash: chainHash(previous, chainedFields(event)) };
}

const record = (event: AssetEvent) => ({ key: event.assetId, data: encodeEvent(event) });

/**
 * Tamper evidence on a partitioned log, end to end: appends for three assets
 * (a batch among them) verify intact, a crashed producer's second copy of an
 * event included; then an edited copy of an event, a forged event with a
 * valid hash, and an event dropped from an asset's end (its head in Redis,
 * `headsKey`, names a version the log no longer has) are each named.
 */
export async function proveTamperEvidence(log: EventLog & TamperEvident, write: WriteRecord, redisUrl: string, headsKey: string): Promise<void> {
  const [a1, b1, a2, b2, c1] = [ingestedDraft('asset-a'), ingestedDraft('asset-b'), editDraft('asset-a', 'one'), editDraft('asset-b', 'two'), ingestedDraft('asset-c')];
  await log.append([a1!, b1!, a2!]);
  await log.append([b2!]);
  await log.append([c1!]);
  const a = appended(a2!, 2, appended(a1!, 1, GENESIS).hash);
  const b = appended(b2!, 2, appended(b1!, 1, GENESIS).hash);
  await write(record(b)); // what a producer that crashed before its commit leaves: the same event twice

  const intact = await log.verifyChain();
  expect(intact.reduce((sum, report) => sum + report.events, 0)).toBe(6);
  expect(intact.flatMap((report) => report.breaks)).toEqual([]);

  const edited = { ...a, payload: { title: 'forged' } } as AssetEvent;
  const c = appended(c1!, 1, GENESIS);
  const forged = appended(editDraft('asset-c', 'forged'), 2, c.hash);
  await write(record(edited));
  await write(record(forged));
  const redis = new Redis(redisUrl);
  await redis.hset(headsKey, 'asset-b', `3 ${GENESIS}`).finally(() => redis.disconnect());

  const breaks = (await log.verifyChain()).flatMap((report) => report.breaks);
  expect(breaks.map(({ kind, assetId, eventIds, versions }) => ({ kind, assetId, eventIds, versions }))).toEqual(
    expect.arrayContaining([
      { kind: 'edited', assetId: 'asset-a', eventIds: [a2!.id], versions: [2] },
      { kind: 'inserted', assetId: 'asset-c', eventIds: [forged.id], versions: [2] },
      { kind: 'deleted', assetId: 'asset-b', eventIds: [], versions: [3] },
    ]),
  );
  expect(breaks).toHaveLength(3);
  for (const found of breaks.filter((found) => found.kind !== 'deleted')) {
    expect(found.message).toContain(`at partition ${found.partition} offset ${found.offsets[0]} (event ${found.eventIds[0]})`);
  }
}
