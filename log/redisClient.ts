import { Cluster, Redis } from 'ioredis';

/** A single Redis (with replicas) or a Redis Cluster, such as Amazon MemoryDB, which is always one. */
export type RedisClient = Redis | Cluster;

/** Where the coordination Redis is: a single node's URL, or, with `cluster`, any one node of the cluster. */
export interface RedisTarget {
  url: string;
  cluster?: boolean;
}

export interface RedisClientOptions {
  /** False: a command while disconnected fails at once instead of waiting. */
  enableOfflineQueue?: boolean;
  maxRetriesPerRequest: number;
}

/**
 * A client that has not connected yet (lazyConnect). On a cluster the URL
 * is a seed: the client learns the other nodes and the slots from it.
 */
export function redisClient({ url, cluster }: RedisTarget, options: RedisClientOptions): RedisClient {
  if (!cluster) return new Redis(url, { lazyConnect: true, ...options });
  const seed = new URL(url);
  const tls = seed.protocol === 'rediss:';
  return new Cluster([{ host: seed.hostname, port: Number(seed.port || 6379) }], {
    lazyConnect: true,
    enableOfflineQueue: options.enableOfflineQueue,
    // With TLS the nodes' certificates name the host, not the address it resolves to (MemoryDB, ElastiCache).
    ...(tls && { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) }),
    redisOptions: {
      maxRetriesPerRequest: options.maxRetriesPerRequest,
      username: decodeURIComponent(seed.username) || undefined,
      password: decodeURIComponent(seed.password) || undefined,
      ...(tls && { tls: {} }),
    },
  });
}

/**
 * What a log's keys start with. On a cluster `{namespace}`: a hash tag, so
 * that every key of the log is in one slot, as the append scripts, which
 * touch many assets' keys at once, need (docs/scale.md). On a single node
 * the bare namespace, the key names that node has always held.
 */
export function keyPrefix({ cluster }: Pick<RedisTarget, 'cluster'>, namespace: string): string {
  return cluster ? `{${namespace}}` : namespace;
}
