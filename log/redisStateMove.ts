import { Redis } from 'ioredis';
import { keyPrefix, redisClient, type RedisClient } from './redisClient';

const SCAN_COUNT = 500;

export class CoordinationStateExistsError extends Error {
  readonly code = 'COORDINATION_STATE_EXISTS';
  constructor(readonly namespace: string) {
    super(`the Redis Cluster already holds state for ${namespace}: a lake has run on it, and moving older state over it would hand out versions twice`);
  }
}

export class NoCoordinationStateError extends Error {
  readonly code = 'NO_COORDINATION_STATE';
  constructor(readonly namespace: string) {
    super(`the single Redis holds no state for ${namespace}: check its URL and the log's topic or stream`);
  }
}

/**
 * Moves a log's coordination state (versions, ids, outboxes, heads, dead
 * letters, consumer groups, subject keys) from a single Redis to a Redis
 * Cluster, under the names a cluster uses: `NAMESPACE:…` becomes
 * `{NAMESPACE}:…` (log/redisClient.ts). Run it with every process of the lake
 * stopped. Each key is copied with DUMP and RESTORE, keeping what is left of
 * its time to live; the log's state marker goes last, so a log opened on an
 * interrupted copy refuses to open (COORDINATION_STATE_LOST) and the copy can
 * run again. The single node keeps its keys. Returns how many keys it copied.
 */
export async function moveStateToCluster(from: string, to: string, namespace: string): Promise<number> {
  const single = new Redis(from, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const cluster = redisClient({ url: to, cluster: true }, { maxRetriesPerRequest: 3 });
  try {
    await Promise.all([reach(single, 'single Redis', from), reach(cluster, 'Redis Cluster', to)]);
    const clusterPrefix = keyPrefix({ cluster: true }, namespace);
    if (await cluster.exists(`${clusterPrefix}:state`)) throw new CoordinationStateExistsError(namespace);
    const marker = `${namespace}:state`;
    if (!(await single.exists(marker))) throw new NoCoordinationStateError(namespace);
    const rename = (key: string) => clusterPrefix + key.slice(namespace.length);
    let copied = 0;
    for await (const keys of single.scanStream({ match: `${namespace}:*`, count: SCAN_COUNT }) as AsyncIterable<string[]>) {
      copied += await copyKeys(single, cluster, keys.filter((key) => key !== marker), rename);
    }
    return copied + (await copyKeys(single, cluster, [marker], rename));
  } finally {
    single.disconnect();
    cluster.disconnect();
  }
}

/** Connects, or says which Redis could not be reached; later errors come through the failing calls, not as unhandled events. */
async function reach(client: RedisClient, name: string, url: string): Promise<void> {
  client.on('error', () => undefined);
  await client.connect().catch((error: Error) => {
    throw new Error(`cannot reach the ${name} at ${new URL(url).host}: ${error.message}`, { cause: error });
  });
}

/** One pipeline of DUMP and PTTL on the single node, one of RESTORE … REPLACE on the cluster (all of a log's keys are in one slot). */
async function copyKeys(single: RedisClient, cluster: RedisClient, keys: string[], rename: (key: string) => string): Promise<number> {
  if (!keys.length) return 0;
  const read = single.pipeline();
  for (const key of keys) read.dumpBuffer(key).pttl(key);
  const replies = (await read.exec()) ?? [];
  const write = cluster.pipeline();
  let copied = 0;
  keys.forEach((key, i) => {
    const [[dumpError, dump], [ttlError, ttl]] = [replies[2 * i]!, replies[2 * i + 1]!];
    if (dumpError || ttlError) throw dumpError ?? ttlError;
    if (dump === null) return; // expired since the scan: a lock or lease that no longer holds
    write.restore(rename(key), Math.max(Number(ttl), 0), dump as Buffer, 'REPLACE');
    copied++;
  });
  const written = (await write.exec()) ?? [];
  const failed = written.find(([error]) => error);
  if (failed) throw failed[0];
  return copied;
}
