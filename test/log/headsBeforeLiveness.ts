import { Redis } from 'ioredis';

/**
 * Rewrites an asset's head in a partitioned log's Redis (`headsKey`) as the
 * log wrote heads before they held liveness: "VERSION HASH", nothing more.
 */
export async function forgetLiveness(redisUrl: string, headsKey: string, assetId: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const [version, hash] = (await redis.hget(headsKey, assetId))!.split(' ');
    await redis.hset(headsKey, assetId, `${version} ${hash}`);
  } finally {
    redis.disconnect();
  }
}
