import { ReplyError, type Redis, type Result } from 'ioredis';
import { keyPrefix, redisClient, type RedisClient, type RedisTarget } from './redisClient';

export class CoordinationUnavailableError extends Error {
  readonly code = 'COORDINATION_UNAVAILABLE';
  constructor(
    readonly redis: string,
    cause: unknown,
  ) {
    super(`Redis at ${redis} is unreachable, and the log refuses appends without it (it checks versions and ids): bring Redis back, then try again`, { cause });
  }
}

export function isCoordinationUnavailable(error: unknown): error is CoordinationUnavailableError {
  return error instanceof CoordinationUnavailableError;
}

/** Deletes a key (a lock, a lease) only while it still holds the owner's token: one that lost it cannot free it for another. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    medialakeRelease(key: string, owner: string): Result<number, Context>;
  }
}

/**
 * The one Redis connection a partitioned log's coordination shares
 * (log/redisCoordinator.ts): its keys, all under the log's namespace, and
 * the difference between Redis refusing a request and Redis being gone.
 */
export class RedisConnection {
  private constructor(
    readonly redis: RedisClient,
    private readonly url: string,
    /** One per log (stream or topic): every key is under it. */
    readonly namespace: string,
    /** The namespace as keys start with it (log/redisClient.ts). */
    private readonly prefix: string,
  ) {
    redis.defineCommand('medialakeRelease', { lua: RELEASE, numberOfKeys: 1 });
  }

  static async connect(target: RedisTarget, namespace: string): Promise<RedisConnection> {
    // No offline queue and one try per command: while Redis is down an append
    // fails at once with CoordinationUnavailableError instead of hanging; the
    // client keeps reconnecting in the background.
    const redis = redisClient(target, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined); // reported through the failing calls
    const connection = new RedisConnection(redis, target.url, namespace, keyPrefix(target, namespace));
    await connection.guard(() => redis.connect());
    return connection;
  }

  /** Where Redis is, for errors: its host, never its password. */
  get where(): string {
    const url = new URL(this.url);
    return url.host || this.url;
  }

  /** `NAMESPACE:part:part…` (`{NAMESPACE}:…` on a cluster): one namespace per log (stream or topic). */
  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // Redis answered with an error: the request itself was refused. Anything else (a closed or
      // unwritable connection, retries run out) means Redis could not be reached, even where the
      // client has not noticed yet that the connection is gone and still says it is ready.
      if (error instanceof ReplyError || isCoordinationUnavailable(error)) throw error;
      throw new CoordinationUnavailableError(this.where, error);
    }
  }

  /** Deletes `key` if `owner` still holds it. */
  async release(key: string, owner: string): Promise<void> {
    await this.guard(() => this.redis.medialakeRelease(key, owner));
  }

  /** Runs a pipeline and throws its first failed command's error. */
  exec<T>(pipeline: ReturnType<Redis['pipeline']>): Promise<T[]> {
    return this.guard(async () => {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
      return results.map(([, value]) => value as T);
    });
  }

  close(): void {
    this.redis.disconnect();
  }
}
