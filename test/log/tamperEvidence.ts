import { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { EventLog } from '../../log/eventLog';
import { chainedFields, encodeEvent } from '../../log/eventRecord';
import type { ChainKeyring } from '../../log/chainKey';
import { GENESIS, chainHash, signLink, type TamperEvident } from '../../log/hashChain';
import type { AssetEvent, EventDraft } from '../../schemas/envelope';
import { editDraft, ingestedDraft } from '../support/events';

/** Writes one record to the log's topic or stream directly, past the log (as someone with access to the engine could). */
export type WriteRecord = (record: { key: string; data: Buffer }) => Promise<void>;

/** An event at its version with its link from `previous`: signed as the log signs it with `keys`, unkeyed (as a forger without the key can) without. */
function appended(draft: EventDraft, assetVersion: number, previous: string, keys?: ChainKeyring) {
  const event = { ...draft, assetVersion } as AssetEvent;
  const fields = chainedFields(event);
  return { ...event, hash: keys ? signLink(previous, fields, keys.signing()) : chainHash(previous, fields) };
}

const record = (event: AssetEvent) => ({ key: event.assetId, data: encodeEvent(event) });

/**
 * Tamper evidence on a partitioned log whose links are signed with `keys`,
 * end to end: appends for four assets (a batch among them) verify intact, a
 * crashed producer's second copy of an event included; then an edited copy
 * of an event, a forged event, an event dropped from an asset's end (its head
 * in Redis, `headsKey`, names a version the log no longer has), and a forged
 * event chained without the key with the asset's head in Redis rewritten to
 * it, are each named.
 */
export async function proveTamperEvidence(log: EventLog & TamperEvident, write: WriteRecord, redisUrl: string, headsKey: string, keys: ChainKeyring): Promise<void> {
  const [a1, b1, a2, b2, c1, d1] = ['asset-a', 'asset-b', 'asset-a', 'asset-b', 'asset-c', 'asset-d'].map((asset, i) =>
    i === 2 || i === 3 ? editDraft(asset, String(i)) : ingestedDraft(asset),
  );
  await log.append([a1!, b1!, a2!]);
  await log.append([b2!]);
  await log.append([c1!]);
  await log.append([d1!]);
  const a = appended(a2!, 2, appended(a1!, 1, GENESIS, keys).hash, keys);
  const b = appended(b2!, 2, appended(b1!, 1, GENESIS, keys).hash, keys);
  await write(record(b)); // what a producer that crashed before its commit leaves: the same event twice

  const intact = await log.verifyChain();
  expect(intact.reduce((sum, report) => sum + report.events, 0)).toBe(7);
  expect(intact.flatMap((report) => report.breaks)).toEqual([]);

  const edited = { ...a, payload: { title: 'forged' } } as AssetEvent;
  const c = appended(c1!, 1, GENESIS, keys);
  const forged = appended(editDraft('asset-c', 'forged'), 2, c.hash);
  const rechained = appended(editDraft('asset-d', 'forged'), 2, appended(d1!, 1, GENESIS, keys).hash);
  await write(record(edited));
  await write(record(forged));
  await write(record(rechained));
  const redis = new Redis(redisUrl);
  try {
    await redis.hset(headsKey, 'asset-b', `3 ${GENESIS}`);
    const life = (await redis.hget(headsKey, 'asset-d'))!.split(' ')[2];
    await redis.hset(headsKey, 'asset-d', `2 ${rechained.hash} ${life}`);
  } finally {
    redis.disconnect();
  }

  const breaks = (await log.verifyChain()).flatMap((report) => report.breaks);
  expect(breaks.map(({ kind, assetId, eventIds, versions }) => ({ kind, assetId, eventIds, versions }))).toEqual(
    expect.arrayContaining([
      { kind: 'edited', assetId: 'asset-a', eventIds: [a2!.id], versions: [2] },
      { kind: 'inserted', assetId: 'asset-c', eventIds: [forged.id], versions: [2] },
      { kind: 'deleted', assetId: 'asset-b', eventIds: [], versions: [3] },
      { kind: 'edited', assetId: 'asset-d', eventIds: [rechained.id], versions: [2] },
    ]),
  );
  expect(breaks).toHaveLength(4);
  for (const found of breaks.filter((found) => found.kind !== 'deleted')) {
    expect(found.message).toContain(`at partition ${found.partition} offset ${found.offsets[0]} (event ${found.eventIds[0]})`);
  }
}
