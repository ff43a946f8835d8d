import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Shard } from '@aws-sdk/client-kinesis';
import { passedOver, type DeadLetter, type Positions, type SubscribeOptions } from './eventLog';
import type { StoredEvent } from '../schemas/envelope';
import { decodeRecords } from './eventRecord';
import { handleWithRetries, retryDelay } from './handleWithRetries';
import type { KinesisShards } from './kinesisShards';
import type { RedisConsumerGroups } from './redisConsumerGroups';

const DEFAULT_LEASE_MS = 10_000;
const DEFAULT_POLL_MS = 250;
/** New shards appear only when a parent closes, which a member sees as the parent's end; this catches the rest. */
const SHARD_LIST_MS = 10_000;

/** What a member needs of its log: the stream's shards, the groups' state in Redis, where undecodable records go. */
export interface KinesisGroupContext {
  shards: Pick<KinesisShards, 'list' | 'iterator' | 'records'>;
  groups: RedisConsumerGroups;
  deadLetter(entry: DeadLetter): Promise<void>;
  /** A member silent for this long loses its shards to the others. */
  leaseMs?: number;
  /** How long a member waits after finding no new records in any of its shards. */
  pollMs?: number;
}

/**
 * One member of a consumer group on a Kinesis stream (what the KCL does, kept
 * small). Members share the shards through leases in Redis: each takes its
 * fair share of the shards that are ready (ready shards ÷ live members) and
 * renews its leases; a member that dies loses them after `leaseMs`.
 *
 * A shard is ready once its parents are finished, so each asset's events are
 * handled in order across a split or merge. "Finished" is stored with the
 * position the group ended the shard at: a consumer whose own positions were
 * reset (a rebuild) no longer matches it and reads the shard again.
 *
 * Checkpoints: in Redis, written only while this member holds the shard's
 * lease; or, for a consumer that keeps its positions with its state, in its
 * store, read again whenever this member takes a shard over.
 */
export class KinesisGroupMember {
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  private readonly stopping = new AbortController();
  /** The shards this member holds, with the iterator reading goes on from once it has one. */
  private readonly held = new Map<string, { iterator?: string }>();
  private positions?: Positions;
  private shardList?: { shards: Shard[]; at: number };
  private readonly running: Promise<void>;

  constructor(
    private readonly context: KinesisGroupContext,
    private readonly options: SubscribeOptions,
  ) {
    this.running = this.loop();
  }

  private get leaseMs(): number {
    return this.context.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private async loop(): Promise<void> {
    const signal = this.stopping.signal;
    for (let failures = 0; !signal.aborted; ) {
      try {
        const progressed = await this.step();
        failures = 0;
        if (!progressed) await sleep(this.context.pollMs ?? DEFAULT_POLL_MS, undefined, { signal }).catch(() => undefined);
      } catch (error) {
        this.options.onError?.(error);
        // Start again from what is durable: positions, and iterators made from them.
        this.positions = undefined;
        for (const state of this.held.values()) state.iterator = undefined;
        await sleep(retryDelay(failures++), undefined, { signal }).catch(() => undefined);
      }
    }
    const { groups } = this.context;
    await Promise.all([...this.held.keys()].map((shardId) => groups.releaseLease(this.options.group, shardId, this.owner))).catch(() => undefined);
    await groups.leaveGroup(this.options.group, this.owner).catch(() => undefined);
  }

  private async step(): Promise<boolean> {
    await this.balance();
    let progressed = false;
    for (const [shardId, state] of this.held) {
      if (this.stopping.signal.aborted) break;
      if (await this.read(shardId, state)) progressed = true;
    }
    return progressed;
  }

  private async loadPositions(): Promise<Positions> {
    return this.options.positions ? this.options.positions() : this.context.groups.committed(this.options.group);
  }

  private async shards(): Promise<Shard[]> {
    if (!this.shardList || Date.now() - this.shardList.at > SHARD_LIST_MS) this.shardList = { shards: await this.context.shards.list(), at: Date.now() };
    return this.shardList.shards;
  }

  /** Renews the leases of this member's share of the ready shards, takes more up to it, and lets the rest go. */
  private async balance(): Promise<void> {
    const { groups } = this.context;
    const { group } = this.options;
    const [shards, finished, members] = await Promise.all([
      this.shards(),
      groups.finished(group),
      groups.liveMembers(group, this.owner, this.leaseMs),
    ]);
    const positions = (this.positions ??= await this.loadPositions());
    const ids = new Set(shards.map((shard) => shard.ShardId!));
    const done = (shardId: string) => finished[shardId] !== undefined && finished[shardId] === (positions[shardId] ?? '');
    const ready = shards
      .filter((shard) => !done(shard.ShardId!) && parentsOf(shard).every((parent) => !ids.has(parent) || done(parent)))
      .map((shard) => shard.ShardId!);
    const share = Math.ceil(ready.length / members);

    for (const shardId of [...this.held.keys()]) {
      const keep = ready.includes(shardId) && this.held.size <= share;
      if (!keep || !(await groups.takeLease(group, shardId, this.owner, this.leaseMs))) await this.drop(shardId);
    }
    let took = false;
    for (const shardId of ready) {
      if (this.held.size >= share) break;
      if (this.held.has(shardId) || !(await groups.takeLease(group, shardId, this.owner, this.leaseMs))) continue;
      this.held.set(shardId, {});
      took = true;
    }
    // Another member may have moved the positions of a shard taken over.
    if (took) this.positions = await this.loadPositions();
  }

  private async drop(shardId: string): Promise<void> {
    this.held.delete(shardId);
    await this.context.groups.releaseLease(this.options.group, shardId, this.owner);
  }

  /** One GetRecords call on a held shard and the handling of what it returned; true if anything moved. */
  private async read(shardId: string, state: { iterator?: string }): Promise<boolean> {
    const { groups, shards } = this.context;
    const { group } = this.options;
    const positions = this.positions!;
    const handled = positions[shardId];
    state.iterator ??= await shards.iterator(shardId, handled ? { after: handled } : 'start');
    const page = await shards.records(state.iterator, this.options.batchSize ?? 256).catch((error: Error) => {
      if (error.name === 'ExpiredIteratorException') return undefined; // iterators live five minutes
      throw error;
    });
    if (!page) {
      state.iterator = undefined;
      return true;
    }
    if (page.records.length) {
      const records = page.records.map((r) => ({ key: r.PartitionKey!, data: r.Data!, partition: shardId, offset: r.SequenceNumber! }));
      const events = await decodeRecords(records, group, (entry) => this.context.deadLetter(entry));
      const handle = (batch: StoredEvent[]) => this.whileRenewing(shardId, () => handleWithRetries(this.options, batch, this.stopping.signal));
      if (events.length && !(await handle(events))) return false;
      const last = records.at(-1)!.offset;
      // As on Kafka: a consumer that keeps its own positions stores that it passed the records after the last event.
      if (this.options.positions && events.at(-1)?.offset !== last && !(await handle(passedOver({ partition: shardId, offset: last })))) return false;
      if (!this.options.positions && !(await groups.commit(group, shardId, last, this.owner))) {
        await this.drop(shardId); // the lease went to another member, which goes on from the last checkpoint
        return true;
      }
      positions[shardId] = last;
    }
    state.iterator = page.next;
    if (!page.next) {
      // A closed shard read to its end: its children become ready.
      await groups.markFinished(group, shardId, positions[shardId] ?? '');
      await this.drop(shardId);
      this.shardList = undefined;
      return true;
    }
    return page.records.length > 0;
  }

  /**
   * Keeps the shard's lease while a handler runs, however long it takes, and
   * the membership the loop renews between batches: the member stays live
   * for the others' shares and for groupMembers (a command leaves the group to it).
   */
  private async whileRenewing<T>(shardId: string, work: () => Promise<T>): Promise<T> {
    const { groups } = this.context;
    const { group } = this.options;
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing
        .then(() => Promise.all([groups.takeLease(group, shardId, this.owner, this.leaseMs), groups.liveMembers(group, this.owner, this.leaseMs)]))
        .catch((error) => this.options.onError?.(error));
    }, this.leaseMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await renewing;
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }
}

export function parentsOf(shard: Shard): string[] {
  return [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => Boolean(id));
}
