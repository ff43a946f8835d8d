import type { RedisClient, RedisTarget } from './redisClient';
import { RedisConnection } from './redisConnection';
import { newSubjectKey, subjectHash, type SubjectKey, type SubjectKeys } from './subjectKeys';

/**
 * Subject keys of a lake on Kafka or Kinesis, in the Redis that coordinates
 * its log: two hashes, subject hash → key id and key id → key. A key made by
 * two processes at once is settled by HSETNX: the first one stands.
 * Redis keeps a destroyed key in its AOF and snapshots until they are
 * rewritten (BGREWRITEAOF): an erasure is complete when they are.
 */
export class RedisSubjectKeys implements SubjectKeys {
  private readonly redis: RedisClient;
  private readonly subjects: string;
  private readonly keys: string;

  /** Redis out of reach fails each call with CoordinationUnavailableError, as the log's own calls do. */
  private constructor(private readonly connection: RedisConnection) {
    this.redis = connection.redis;
    this.subjects = connection.key('subject-keys');
    // One slot for both hashes on a cluster (the connection's prefix): destroy deletes from both at once.
    this.keys = connection.key('keys');
  }

  static async connect(options: RedisTarget & { namespace: string }): Promise<RedisSubjectKeys> {
    return new RedisSubjectKeys(await RedisConnection.connect(options, options.namespace));
  }

  keysOf(subjects: string[]): Promise<Map<string, SubjectKey>> {
    return this.connection.guard(() => this.readOrMake(subjects));
  }

  private async readOrMake(subjects: string[]): Promise<Map<string, SubjectKey>> {
    const hashes = subjects.map(subjectHash);
    const ids = hashes.length ? await this.redis.hmget(this.subjects, ...hashes) : [];
    for (const [i, id] of ids.entries()) if (!id) ids[i] = await this.make(hashes[i]!);
    const found = await this.keysById(ids.filter((id) => id !== null));
    const keys = new Map<string, SubjectKey>();
    subjects.forEach((subject, i) => {
      const key = found.get(ids[i]!);
      if (key) keys.set(subject, { id: ids[i]!, key });
    });
    return keys;
  }

  /** The subject's key id: a new key, unless another process made one first. */
  private async make(hash: string): Promise<string | null> {
    const made = newSubjectKey();
    // The key first: an id that is visible always has its key.
    await this.redis.hset(this.keys, made.id, made.key.toString('base64'));
    if (await this.redis.hsetnx(this.subjects, hash, made.id)) return made.id;
    await this.redis.hdel(this.keys, made.id);
    return this.redis.hget(this.subjects, hash);
  }

  async keysById(ids: string[]): Promise<Map<string, Buffer>> {
    const values = ids.length ? await this.connection.guard(() => this.redis.hmget(this.keys, ...ids)) : [];
    const keys = new Map<string, Buffer>();
    values.forEach((value, i) => value && keys.set(ids[i]!, Buffer.from(value, 'base64')));
    return keys;
  }

  destroy(subject: string): Promise<boolean> {
    return this.connection.guard(() => this.destroyKey(subject));
  }

  private async destroyKey(subject: string): Promise<boolean> {
    const hash = subjectHash(subject);
    const id = await this.redis.hget(this.subjects, hash);
    if (!id) return false;
    await this.redis.multi().hdel(this.keys, id).hdel(this.subjects, hash).exec();
    return true;
  }

  async close(): Promise<void> {
    this.connection.close();
  }
}
