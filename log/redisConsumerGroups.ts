import type { Result } from 'ioredis';
import type { Positions } from './eventLog';
import type { RedisConnection } from './redisConnection';

const TAKE_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const CHECKPOINT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    medialakeTakeLease(lease: string, owner: string, ttlMs: string): Result<number, Context>;
    medialakeCheckpoint(lease: string, checkpoints: string, owner: string, partition: string, offset: string): Result<number, Context>;
  }
}

/**
 * Consumer groups of a log whose engine keeps none (Kinesis without the KCL),
 * in its Redis: per group, a lease per partition, its live members, its
 * checkpoints and the closed partitions it read to the end. What a member
 * does with them is log/kinesisGroupMember.ts.
 */
export class RedisConsumerGroups {
  constructor(private readonly connection: RedisConnection) {
    connection.redis.defineCommand('medialakeTakeLease', { lua: TAKE_LEASE, numberOfKeys: 1 });
    connection.redis.defineCommand('medialakeCheckpoint', { lua: CHECKPOINT, numberOfKeys: 2 });
  }

  private key(group: string, ...parts: string[]): string {
    return this.connection.key('group', group, ...parts);
  }

  private get redis() {
    return this.connection.redis;
  }

  /** Takes or renews a lease on one partition for a group member; false while another member holds it. */
  async takeLease(group: string, partition: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.connection.guard(() => this.redis.medialakeTakeLease(this.key(group, 'lease', partition), owner, String(ttlMs)))) === 1;
  }

  async releaseLease(group: string, partition: string, owner: string): Promise<void> {
    await this.connection.release(this.key(group, 'lease', partition), owner);
  }

  /** Registers a live member and counts the group's live members, this one included. */
  async liveMembers(group: string, owner: string, ttlMs: number): Promise<number> {
    const members = this.key(group, 'members');
    const now = Date.now();
    const [, , count] = await this.connection.exec<number>(this.redis.pipeline().zadd(members, now + ttlMs, owner).zremrangebyscore(members, '-inf', now).zcard(members));
    return count!;
  }

  /** Counts the group's live members: those whose membership has not run out (each renews it at every round of its loop). */
  async countMembers(group: string): Promise<number> {
    return this.connection.guard(() => this.redis.zcount(this.key(group, 'members'), Date.now(), '+inf'));
  }

  async leaveGroup(group: string, owner: string): Promise<void> {
    await this.connection.guard(() => this.redis.zrem(this.key(group, 'members'), owner));
  }

  async committed(group: string): Promise<Positions> {
    return this.connection.guard(() => this.redis.hgetall(this.key(group, 'checkpoints')));
  }

  /** Stores a checkpoint only while `owner` holds the partition's lease (a member that lost it cannot move it). */
  async commit(group: string, partition: string, offset: string, owner: string): Promise<boolean> {
    const lease = this.key(group, 'lease', partition);
    return (await this.connection.guard(() => this.redis.medialakeCheckpoint(lease, this.key(group, 'checkpoints'), owner, partition, offset))) === 1;
  }

  /** Records that a group read a closed partition to its end; `last` is the position it ended at. */
  async markFinished(group: string, partition: string, last: string): Promise<void> {
    await this.connection.guard(() => this.redis.hset(this.key(group, 'finished'), partition, last));
  }

  async finished(group: string): Promise<Record<string, string>> {
    return this.connection.guard(() => this.redis.hgetall(this.key(group, 'finished')));
  }
}
