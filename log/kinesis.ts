import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, waitUntilStreamExists, type _Record } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Logger } from 'pino';
import type { EventDraft, LogPosition, StoredEvent } from '../schemas/envelope';
import { totalLag, type AppendOptions, type EventLog, type Positions, type SubscribeOptions, type Subscription } from './eventLog';
import { verifyAssetChains } from './assetChains';
import type { ChainKeyring } from './chainKey';
import { headOf, type AssetHead } from './assetHead';
import { checkDrafts, encodeEvent, eventBatches, eventOfRecord, type StoredRecord } from './eventRecord';
import type { ChainAnchor, ChainReport, TamperEvident } from './hashChain';
import { groupCommit } from './groupCommit';
import type { PollingSource } from './pollingConsumer';
import { KinesisGroupMember, type KinesisGroupContext } from './kinesisGroupMember';
import { putRecords, RECORD_MAX_BYTES } from './kinesisPutRecords';
import { KinesisShards } from './kinesisShards';
import { RedisCoordinatedLog, RedisCoordinator } from './redisCoordinator';
import type { OutgoingEvent } from './redisAppends';
import { OpenSubscriptions } from './openSubscriptions';

/**
 * The log on Amazon Kinesis Data Streams: one stream, the asset id as the
 * partition key, so an asset's events share a shard until the stream is
 * resharded, and its parent shard is read to the end before its children.
 * Positions: partition = shard id, offset = the sequence number of the last
 * handled record.
 *
 * As on Kafka, versions, ids and dead letters live in Redis
 * (log/redisCoordinator.ts), and so do consumer groups: shard leases,
 * checkpoints and which shards a group has finished (log/redisConsumerGroups.ts,
 * kept by each member: log/kinesisGroupMember.ts).
 * Consumers poll GetRecords (no enhanced fan-out: it needs HTTP/2, which
 * kinesalite and some proxies lack). Mind the service's read limits: five
 * GetRecords calls a second per shard (log/kinesisShards.ts), shared by every
 * consumer group, lag() and the reads below.
 */
export interface KinesisLogOptions {
  stream: string;
  /** Shards of a stream this log creates; an existing stream keeps its own (reshard it with the AWS tools). */
  shards: number;
  region?: string;
  /** A Kinesis-compatible endpoint (kinesalite, LocalStack); omitted: AWS. */
  endpoint?: string;
  /** Omitted: the AWS SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  redisUrl: string;
  /** Whether redisUrl names a node of a Redis Cluster (log/redisClient.ts). */
  redisCluster?: boolean;
  /** The keys the hash chain is signed with (log/chainKey.ts); without them links are unkeyed. */
  chainKeys?: ChainKeyring;
  lockMs?: number;
  /** A group member silent for this long loses its shards to the others. */
  leaseMs?: number;
  /** How long a member waits after finding no new records in any of its shards. */
  pollMs?: number;
  logger?: Logger;
}

/** Partition keys are at most 256 bytes (asset ids are ≤ 128), so this keeps data + key within a record. */
const RECORD_LIMIT = RECORD_MAX_BYTES - 256;

/**
 * Creates the stream where there is none. Asked first, because a deployment
 * that provisions the stream (the CDK app) does not grant kinesis:CreateStream,
 * and IAM refuses that call before Kinesis would say the stream exists.
 */
async function createStreamIfMissing(client: KinesisClient, options: Pick<KinesisLogOptions, 'stream' | 'shards'>): Promise<void> {
  const found = await client.send(new DescribeStreamSummaryCommand({ StreamName: options.stream })).then(
    () => true,
    (error: Error) => {
      if (error.name === 'ResourceNotFoundException') return false;
      throw error;
    },
  );
  if (found) return;
  await client.send(new CreateStreamCommand({ StreamName: options.stream, ShardCount: options.shards })).catch((error: Error) => {
    if (error.name !== 'ResourceInUseException') throw error; // another process created it meanwhile
  });
}

export async function openKinesisEventLog(options: KinesisLogOptions): Promise<KinesisEventLog> {
  const client = new KinesisClient({
    // A local endpoint still signs requests with some region; AWS takes the SDK's (AWS_REGION, profile).
    region: options.region ?? (options.endpoint ? 'us-east-1' : undefined),
    endpoint: options.endpoint,
    credentials: options.credentials,
    // HTTP/1.1: enough without SubscribeToShard, and what kinesalite speaks.
    requestHandler: new NodeHttpHandler(),
  });
  let coordinator: RedisCoordinator | undefined;
  try {
    await createStreamIfMissing(client, options);
    await waitUntilStreamExists({ client, maxWaitTime: 300, minDelay: 1 }, { StreamName: options.stream });
    coordinator = await RedisCoordinator.connect({ url: options.redisUrl, cluster: options.redisCluster, namespace: `medialake:kinesis:${options.stream}`, lockMs: options.lockMs, chainKeys: options.chainKeys });
    const log = new KinesisEventLog(client, new KinesisShards(client, options.stream), coordinator, options);
    await coordinator.appends.ensureState(() => log.hasEvents());
    return log;
  } catch (error) {
    await coordinator?.close();
    client.destroy();
    throw error;
  }
}

export class KinesisEventLog extends RedisCoordinatedLog implements EventLog, TamperEvident, Pick<PollingSource, 'partitionIds' | 'readAfter'> {
  private readonly subscriptions = new OpenSubscriptions();
  private readonly send = groupCommit((outgoing: OutgoingEvent[]) => this.produce(outgoing));
  /** What each consumer group member of this log shares. */
  private readonly groupContext: KinesisGroupContext;

  constructor(
    private readonly client: KinesisClient,
    private readonly shards: KinesisShards,
    coordinator: RedisCoordinator,
    private readonly options: KinesisLogOptions,
  ) {
    super(coordinator);
    coordinator.appends.keepRecovering(this.send, options.logger);
    this.groupContext = {
      shards,
      groups: coordinator.groups,
      deadLetter: (entry) => this.deadLetter(entry),
      leaseMs: options.leaseMs,
      pollMs: options.pollMs,
    };
  }

  async append(drafts: EventDraft[], options: AppendOptions = {}): Promise<StoredEvent[]> {
    return this.coordinator.appends.append(checkDrafts(drafts, RECORD_LIMIT), options, this.send);
  }

  /** Kinesis records carry no headers: every reader validates them (decodeEvent). */
  private async produce(outgoing: OutgoingEvent[]): Promise<LogPosition[]> {
    const entries = outgoing.map(({ event }) => ({ partitionKey: event.assetId, data: encodeEvent(event) }));
    const placed = await putRecords(this.client, this.options.stream, entries);
    return placed.map(({ shardId, sequenceNumber }) => ({ partition: shardId, offset: sequenceNumber }));
  }

  /** The event a record holds; undefined where it holds none (something else wrote it): reads leave it out (eventOfRecord). */
  private decode(record: _Record, shardId: string): StoredEvent | undefined {
    return eventOfRecord({ data: record.Data!, partition: shardId, offset: record.SequenceNumber! });
  }

  /** Records that hold no event are left out, each logged (eventOfRecord): a replay goes on past them. */
  readAll({ batchSize = 1000 } = {}): AsyncIterable<StoredEvent[]> {
    return eventBatches(this.storedRecords(), batchSize, (record, error) =>
      this.options.logger?.warn({ partition: record.partition, offset: record.offset, err: error }, 'a record on the stream holds no event: left out of the read'),
    );
  }

  /** Every record as stored, shard by shard, parents before their children. */
  private async *storedRecords(): AsyncIterable<StoredRecord[]> {
    for (const shard of await this.shards.list()) {
      for await (const records of this.shards.read(shard.ShardId!, 'start')) {
        yield records.map((record) => ({ partition: shard.ShardId!, offset: record.SequenceNumber!, data: record.Data! }));
      }
    }
  }

  /** Checks each asset's hash chain (log/assetChains.ts) over every shard, ending at the heads Redis keeps. */
  async verifyChain(anchor?: ChainAnchor): Promise<ChainReport[]> {
    return verifyAssetChains(await this.partitionIds(), this.storedRecords(), this.coordinator.appends, anchor);
  }

  /** Every shard still in the stream's retention, as positions name them. */
  async partitionIds(): Promise<string[]> {
    return (await this.shards.list()).map((shard) => shard.ShardId!);
  }

  /**
   * Up to `limit` events of one shard after a sequence number (from the
   * oldest record kept when undefined): GetRecords calls of at most `limit`
   * records until one returns some or the shard's tip is reached. For
   * `projections status` (how long the oldest unhandled event waited).
   */
  async readAfter(partition: string, after: string | undefined, limit: number): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const records of this.shards.read(partition, after ? { after } : 'start', limit)) {
      events.push(...records.flatMap((record) => this.decode(record, partition) ?? []));
      if (events.length >= limit) break;
    }
    return events.slice(0, limit);
  }

  /**
   * The record at a sequence number of a shard: an iterator at it and one
   * GetRecords call for one record (more only where Kinesis answers a call
   * with none before the shard's tip). Undefined where the shard holds no
   * record at that sequence number any more (gone with retention).
   */
  async readAt({ partition, offset }: LogPosition): Promise<StoredEvent | undefined> {
    for await (const [record] of this.shards.read(partition, { at: offset }, 1)) {
      return record?.SequenceNumber === offset ? this.decode(record, partition) : undefined;
    }
    return undefined;
  }

  /**
   * Redis knows where each of the asset's events landed: per shard (more than
   * one only after a reshard), one read from its first event to its last.
   * Cheap for a new asset (no read at all); otherwise the shard's records in
   * between are read too.
   */
  async readAsset(assetId: string): Promise<StoredEvent[]> {
    const byShard = new Map<string, bigint[]>();
    for (const { partition, offset } of await this.coordinator.appends.placements(assetId)) {
      byShard.set(partition, [...(byShard.get(partition) ?? []), BigInt(offset)]);
    }
    const events = new Map<string, StoredEvent>();
    for (const [shardId, sequences] of byShard) {
      const first = sequences.reduce((a, b) => (b < a ? b : a));
      const last = sequences.reduce((a, b) => (b > a ? b : a));
      read: for await (const records of this.shards.read(shardId, { at: String(first) })) {
        for (const record of records) {
          if (BigInt(record.SequenceNumber!) > last) break read;
          if (record.PartitionKey !== assetId) continue;
          const event = this.decode(record, shardId);
          if (event && !events.has(event.id)) events.set(event.id, event); // a recovered append may have left a copy
        }
      }
    }
    return [...events.values()].sort((a, b) => a.assetVersion - b.assetVersion);
  }

  /** From the head Redis keeps; from the asset's history where that head cannot tell (RedisAppends.assetHead). */
  async assetHead(assetId: string): Promise<AssetHead> {
    return (await this.coordinator.appends.assetHead(assetId)) ?? headOf(await this.readAsset(assetId));
  }

  async hasEvents(): Promise<boolean> {
    for (const shard of await this.shards.list()) {
      for await (const _ of this.shards.read(shard.ShardId!, 'start')) return true;
    }
    return false;
  }

  /**
   * Exact, by reading: Kinesis has no offsets to subtract, so this counts the
   * records after each position (every record of a shard without one). It
   * costs GetRecords calls in proportion to the lag, counted against the
   * shards' read limits.
   */
  async lag(positions: Positions): Promise<number> {
    return totalLag(await this.partitionLag(positions));
  }

  async partitionLag(positions: Positions): Promise<Record<string, number>> {
    const lags: Record<string, number> = {};
    for (const shard of await this.shards.list()) {
      const handled = positions[shard.ShardId!];
      let lag = 0;
      for await (const records of this.shards.read(shard.ShardId!, handled ? { after: handled } : 'start')) lag += records.length;
      lags[shard.ShardId!] = lag;
    }
    return lags;
  }

  /** Sequence numbers have no end to be past: a position after the last record reads nothing, and lags by nothing. */
  async partitionsPastEnd(): Promise<string[]> {
    return [];
  }

  committed(group: string): Promise<Positions> {
    return this.coordinator.groups.committed(group);
  }

  groupMembers(group: string): Promise<number> {
    return this.coordinator.groups.countMembers(group);
  }

  subscribe(options: SubscribeOptions): Subscription {
    const member = new KinesisGroupMember(this.groupContext, options);
    return this.subscriptions.track(() => member.stop());
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
    await this.coordinator.close();
    this.client.destroy();
  }
}
