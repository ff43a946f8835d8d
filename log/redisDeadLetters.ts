import type { DeadLetter, DeadLetterKey } from './eventLog';
import type { RedisConnection } from './redisConnection';

/**
 * The dead letters of a partitioned log's consumer groups, in its Redis: a
 * hash per group (event id → entry) and the set of groups that have any.
 * Small, listed on every `status`, and cheaper to read here than by scanning
 * a dead-letter topic or stream.
 */
export class RedisDeadLetters {
  constructor(private readonly connection: RedisConnection) {}

  private get redis() {
    return this.connection.redis;
  }

  async add(entry: DeadLetter): Promise<void> {
    const groups = this.connection.key('dead-letter-groups');
    const entries = this.connection.key('dead-letters', entry.group);
    await this.connection.guard(() => this.redis.multi().sadd(groups, entry.group).hset(entries, entry.eventId, JSON.stringify(entry)).exec());
  }

  async remove(entries: DeadLetterKey[]): Promise<void> {
    if (!entries.length) return;
    const removal = this.redis.multi();
    for (const { group, eventId } of entries) removal.hdel(this.connection.key('dead-letters', group), eventId);
    await this.connection.guard(() => removal.exec());
  }

  /** How many each group has, by the length of its hash. */
  async counts(): Promise<Record<string, number>> {
    const groups = await this.connection.guard(() => this.redis.smembers(this.connection.key('dead-letter-groups')));
    const pipeline = this.redis.pipeline();
    for (const name of groups) pipeline.hlen(this.connection.key('dead-letters', name));
    const lengths = await this.connection.exec<number>(pipeline);
    return Object.fromEntries(groups.flatMap((name, i) => (lengths[i] ? [[name, lengths[i]]] : [])));
  }

  /** Oldest first; every group's when `group` is omitted. */
  async list(group?: string): Promise<DeadLetter[]> {
    const groups = group ? [group] : await this.connection.guard(() => this.redis.smembers(this.connection.key('dead-letter-groups')));
    const pipeline = this.redis.pipeline();
    for (const name of groups) pipeline.hvals(this.connection.key('dead-letters', name));
    const lists = await this.connection.exec<string[]>(pipeline);
    return lists
      .flat()
      .map((json) => JSON.parse(json) as DeadLetter)
      .sort((a, b) => a.time.localeCompare(b.time));
  }
}
