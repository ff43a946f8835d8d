import { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { EventLog } from '../../log/eventLog';
import { editDraft, ingestedDraft } from '../support/events';

/**
 * Rewrites an asset's head in a partitioned log's Redis (`headsKey`) as
 * older versions of the log wrote it (log/redisHeads.ts).
 */
async function rewriteHead(redisUrl: string, headsKey: string, assetId: string, older: (fields: string[]) => string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    await redis.hset(headsKey, assetId, older((await redis.hget(headsKey, assetId))!.split(' ')));
  } finally {
    redis.disconnect();
  }
}

/** As heads were before they held liveness: "VERSION HASH", nothing more. */
export function forgetLiveness(redisUrl: string, headsKey: string, assetId: string): Promise<void> {
  return rewriteHead(redisUrl, headsKey, assetId, ([version, hash]) => `${version} ${hash}`);
}

/** As heads were before they held the live ingest's place: "VERSION HASH live:SHA256" or "VERSION HASH gone". */
export function forgetIngestPlace(redisUrl: string, headsKey: string, assetId: string): Promise<void> {
  return rewriteHead(redisUrl, headsKey, assetId, ([version, hash, life]) => `${version} ${hash} ${life!.split(':').slice(0, 2).join(':')}`);
}

/** A partitioned log whose Redis keeps a head as written before heads held liveness works the head out from the asset's history. */
export async function expectHeadFromHistory(log: EventLog, redisUrl: string, headsKey: string): Promise<void> {
  const [ingest] = await log.append([ingestedDraft('asset-a'), editDraft('asset-a', 'one')]);
  await forgetLiveness(redisUrl, headsKey, 'asset-a');
  expect(await log.assetHead('asset-a')).toEqual({
    version: 2,
    live: true,
    sha256: '0'.repeat(64),
    ingest: { eventId: ingest!.id, partition: ingest!.partition, offset: ingest!.offset },
  });
}
