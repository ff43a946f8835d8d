import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type EachBatchPayload, type KafkaMessage, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventDraft, LogPosition, StoredEvent } from '../schemas/envelope';
import { eventSchemaId } from '../schemas/jsonSchema';
import { passedOver, PositionPastEndError, totalLag, unhandled, type AppendOptions, type EventLog, type Positions, type SubscribeOptions, type Subscription } from './eventLog';
import { verifyAssetChains } from './assetChains';
import type { ChainKeyring } from './chainKey';
import { headOf, type AssetHead } from './assetHead';
import { checkDrafts, decodeRecords, encodeEvent, eventBatches, eventOfRecord, eventsOfRecords, type RawRecord, type StoredRecord } from './eventRecord';
import type { ChainAnchor, ChainReport, TamperEvident } from './hashChain';
import { groupCommit } from './groupCommit';
import type { PollingSource } from './pollingConsumer';
import pRetry from 'p-retry';
import { handleWithRetries, retryDelay } from './handleWithRetries';
import { OpenSubscriptions } from './openSubscriptions';
import { KafkaRangeReader } from './kafkaRangeReader';
import { RedisCoordinatedLog, RedisCoordinator } from './redisCoordinator';
import type { OutgoingEvent } from './redisAppends';

/**
 * The log on Apache Kafka: one topic, N partitions, an asset's events all in
 * the partition its id hashes to (the Java client's murmur2, so other Kafka
 * tools agree). Positions: partition number as a string ("0", "1", …),
 * offset = the Kafka offset of the last handled event.
 *
 * Kafka cannot check versions or recognise ids, so appends go through the
 * Redis coordinator (log/redisAppends.ts: reserve, produce, commit).
 * Consumers may therefore now and then see an event twice (same id, same
 * version) after a crash; projections and processors are idempotent.
 *
 * Consumer groups are Kafka's own; a group's offset is committed only after
 * its handler resolved. A consumer that keeps its positions with its state
 * (`positions` given) commits nothing to Kafka: on every (re)assignment it
 * reads its positions again, skips what it already holds and seeks past it.
 */
export interface KafkaLogOptions {
  brokers: string[];
  topic: string;
  /** Fixed for the topic's life: more partitions would move assets between partitions and break their order. */
  partitions: number;
  /** Defaults to the broker's default.replication.factor. */
  replicationFactor?: number;
  /** Redis for versions, ids and dead letters (log/redisCoordinator.ts). */
  redisUrl: string;
  /** Whether redisUrl names a node of a Redis Cluster (log/redisClient.ts). */
  redisCluster?: boolean;
  /** The keys the hash chain is signed with (log/chainKey.ts); without them links are unkeyed. */
  chainKeys?: ChainKeyring;
  clientId?: string;
  /** A member silent for this long is dropped from its group and its partitions move (broker minimum 6 s). */
  sessionTimeoutMs?: number;
  lockMs?: number;
  logger?: Logger;
}

export class PartitionCountMismatchError extends Error {
  readonly code = 'PARTITION_COUNT_MISMATCH';
  constructor(
    readonly topic: string,
    readonly actual: number,
    readonly configured: number,
  ) {
    super(`topic ${topic} has ${actual} partitions but the configuration says ${configured}: set log.kafka.partitions to ${actual} (changing it would move assets between partitions and break their order), or use a new topic and replay into it`);
  }
}

/** The broker's default message.max.bytes is 1 MiB a record batch; stay under it with room for batch headers. */
export const RECORD_LIMIT = 1_000_000;
const SEND_LIMIT = 900_000;
/** How long a subscription's fetch waits for new records; also how long stop() may wait. */
const MAX_WAIT_MS = 500;
const HEARTBEAT_MS = 1_000;
/** How long a member may hold handled records of a fetch uncommitted: a crash hands them to the next owner again. */
const COMMIT_EVERY_MS = 1_000;
/** The header naming the schema a record was validated against before it was written (decodeEvent). */
const SCHEMA_HEADER = 'medialake-schema';
/** The broker's answers to a member the group no longer counts: its partitions have moved. */
const REBALANCED = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS']);

/**
 * Broker answers kafkajs logs at ERROR although they are part of normal
 * work: createTopics for a topic that exists (a real failure reaches the
 * caller), a group coordinator still starting, a group rebalancing. kafkajs
 * retries them or hands them to the caller, who reports what matters.
 */
const ROUTINE_ANSWERS = new Set([
  'Topic creation errors',
  'The group coordinator is not available',
  "The coordinator is loading and hence can't process requests",
  'This is not the correct coordinator',
  'The group is rebalancing, so a rejoin is needed',
]);

/**
 * A failure kafkajs tries again (a connection refused or timed out, a request
 * it counts retries of): logged at ERROR at every try, a dozen stack traces
 * around the one line a command prints, though only the last try's failure
 * counts, and that reaches the caller (a command's error, a consumer's crash,
 * both reported by the lake).
 */
const retriedByKafkajs = (message: string, extra: Record<string, unknown>) =>
  extra.retryCount !== undefined || /^Connection (error|timeout)/.test(message);

function kafkaLogger(logger: Logger | undefined) {
  return () =>
    ({ level, log: { message, ...extra } }: LogEntry) => {
      if (!logger) return;
      const routine = ROUTINE_ANSWERS.has(String(extra.error)) || retriedByKafkajs(message, extra);
      // kafkajs logs every join and connection at INFO: that is debug here.
      if (level === logLevel.ERROR && !routine) logger.error({ kafka: extra }, message);
      else if (level === logLevel.WARN) logger.warn({ kafka: extra }, message);
      else logger.debug({ kafka: extra }, message);
    };
}

/** The partition of an asset's events: Kafka's default partitioner (murmur2 of the key), as Java clients place the same key. */
export function partitionOfAsset(topic: string, partitions: number): (assetId: string) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, partitionErrorCode: 0, leader: 0, replicas: [], isr: [] }));
  return (assetId) => partitioner({ topic, partitionMetadata, message: { key: assetId, value: null } });
}

/**
 * A request about the topic or a group, tried again while Kafka answers with
 * an error it marks retriable: a topic another process has just created is
 * unknown to a broker for a moment, moving leadership (a new topic, a broker
 * restart) answers "not the leader", and a cluster's first group request
 * finds "the group coordinator is not available" while the offsets topic is
 * made.
 */
const whileKafkaSettles = <T>(request: () => Promise<T>): Promise<T> =>
  pRetry(request, { retries: 5, minTimeout: 100, shouldRetry: ({ error }) => (error as { retriable?: boolean }).retriable === true });

export async function openKafkaEventLog(options: KafkaLogOptions): Promise<KafkaEventLog> {
  const kafka = new Kafka({
    clientId: options.clientId ?? 'medialake',
    brokers: options.brokers,
    logLevel: options.logger ? logLevel.INFO : logLevel.NOTHING,
    logCreator: kafkaLogger(options.logger),
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  let coordinator: RedisCoordinator | undefined;
  try {
    await admin.connect();
    // kafkajs' wait for a new topic's leaders gives up where the broker does not know the topic yet, which it answers for a moment.
    await whileKafkaSettles(() =>
      admin.createTopics({
        topics: [{ topic: options.topic, numPartitions: options.partitions, replicationFactor: options.replicationFactor ?? -1 }],
        waitForLeaders: true,
      }),
    );
    const [metadata] = (await whileKafkaSettles(() => admin.fetchTopicMetadata({ topics: [options.topic] }))).topics;
    const actual = metadata!.partitions.length;
    if (actual !== options.partitions) throw new PartitionCountMismatchError(options.topic, actual, options.partitions);
    coordinator = await RedisCoordinator.connect({ url: options.redisUrl, cluster: options.redisCluster, namespace: `medialake:kafka:${options.topic}`, lockMs: options.lockMs, chainKeys: options.chainKeys });
    await producer.connect();
    const log = new KafkaEventLog(kafka, admin, producer, coordinator, options);
    await coordinator.appends.ensureState(() => log.hasEvents());
    return log;
  } catch (error) {
    await Promise.all([admin.disconnect(), producer.disconnect(), coordinator?.close()]).catch(() => undefined);
    throw error;
  }
}

export class KafkaEventLog extends RedisCoordinatedLog implements EventLog, TamperEvident, Pick<PollingSource, 'partitionIds' | 'readAfter'> {
  private readonly reader: KafkaRangeReader;
  private readonly partitionOf: (assetId: string) => number;
  private readonly subscriptions = new OpenSubscriptions();
  private readonly send = groupCommit((outgoing: OutgoingEvent[]) => this.produce(outgoing));

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
    coordinator: RedisCoordinator,
    private readonly options: KafkaLogOptions,
  ) {
    super(coordinator);
    this.reader = new KafkaRangeReader(kafka, options.topic, options.partitions, this.groupId(`reader.${randomUUID()}`));
    this.partitionOf = partitionOfAsset(options.topic, options.partitions);
    coordinator.appends.keepRecovering(this.send, options.logger);
  }

  /** Consumer groups are per topic, so two lakes on one cluster never share a group. */
  private groupId(group: string): string {
    return `${this.options.topic}.${group}`;
  }

  async append(drafts: EventDraft[], options: AppendOptions = {}): Promise<StoredEvent[]> {
    return this.coordinator.appends.append(checkDrafts(drafts, RECORD_LIMIT), options, this.send);
  }

  /**
   * One send at a time (groupCommit), in chunks under the broker's batch
   * limit; acks from all in-sync replicas. A record this process validated
   * carries the schema's id, so that readers with the same schema only parse it.
   */
  private async produce(outgoing: OutgoingEvent[]): Promise<LogPosition[]> {
    const positions: LogPosition[] = [];
    const stamp = { [SCHEMA_HEADER]: Buffer.from(eventSchemaId()) };
    for (const chunk of bySize(outgoing.map((out) => ({ ...out, value: encodeEvent(out.event) })), SEND_LIMIT)) {
      const messages = chunk.map(({ event, checked, value }) => ({
        key: event.assetId,
        value,
        partition: this.partitionOf(event.assetId),
        ...(checked && { headers: stamp }),
      }));
      const written = await this.producer.send({ topic: this.options.topic, acks: -1, messages });
      // A partition's messages of one send are one record batch: consecutive offsets from its base offset.
      const next = new Map(written.map((meta) => [meta.partition, BigInt(meta.baseOffset!)]));
      for (const { partition } of messages) {
        const offset = next.get(partition)!;
        next.set(partition, offset + 1n);
        positions.push({ partition: String(partition), offset: String(offset) });
      }
    }
    return positions;
  }

  /** Records that hold no event are left out, each logged (eventOfRecord): a replay goes on past them. */
  readAll({ batchSize = 1000 } = {}): AsyncIterable<StoredEvent[]> {
    return eventBatches(this.storedRecords(), batchSize, (record, error) =>
      this.options.logger?.warn({ partition: record.partition, offset: record.offset, err: error }, 'a record on the topic holds no event: left out of the read'),
    );
  }

  /** Every record as stored, partition by partition. */
  private async *storedRecords(): AsyncIterable<StoredRecord[]> {
    for (const { partition, low, high } of await this.offsets()) {
      for await (const messages of this.reader.read(partition, low, high)) {
        yield messages.map((m) => recordOf(m, String(partition)));
      }
    }
  }

  /** Checks each asset's hash chain (log/assetChains.ts) over every partition, ending at the heads Redis keeps. */
  async verifyChain(anchor?: ChainAnchor): Promise<ChainReport[]> {
    return verifyAssetChains(await this.partitionIds(), this.storedRecords(), this.coordinator.appends, anchor);
  }

  /** The topic's partitions, as positions name them ("0", "1", …). */
  async partitionIds(): Promise<string[]> {
    return Array.from({ length: this.options.partitions }, (_, partition) => String(partition));
  }

  /**
   * Up to `limit` events of one partition after an offset (from the start when
   * undefined): a fetch from the next offset, or from the oldest one retention
   * kept; records holding no event are left out (eventOfRecord). For
   * `projections status` (how long the oldest unhandled event waited).
   */
  async readAfter(partition: string, after: string | undefined, limit: number): Promise<StoredEvent[]> {
    const range = (await this.offsets()).find((offsets) => String(offsets.partition) === partition);
    if (!range) return [];
    const next = after === undefined ? range.low : BigInt(after) + 1n;
    const events: StoredEvent[] = [];
    // Up to the end, not next + limit: offsets may have gaps (compaction, transaction markers).
    for await (const messages of this.reader.read(range.partition, next > range.low ? next : range.low, range.high)) {
      events.push(...eventsOfRecords(messages.map((m) => recordOf(m, partition))));
      if (events.length >= limit) break;
    }
    return events.slice(0, limit);
  }

  /**
   * The event at an offset of a partition: the partition's offsets, then
   * one fetch from that offset (readAfter, the offset before it). Undefined
   * where the offset holds no event: past the end, before the oldest offset
   * retention kept, or a gap (compaction, a transaction marker).
   */
  async readAt({ partition, offset }: LogPosition): Promise<StoredEvent | undefined> {
    const [event] = await this.readAfter(partition, String(BigInt(offset) - 1n), 1);
    return event?.offset === offset ? event : undefined;
  }

  /**
   * Redis knows where each of the asset's events landed, so this reads its
   * partition from the asset's first event to its last: cheap for a new
   * asset (no read at all), one ranged read otherwise, whose length is what
   * the partition took in between (other assets' events included).
   */
  async readAsset(assetId: string): Promise<StoredEvent[]> {
    const placements = await this.coordinator.appends.placements(assetId);
    if (!placements.length) return [];
    const partition = Number(placements[0]!.partition);
    const offsets = placements.map((p) => BigInt(p.offset));
    const from = offsets.reduce((a, b) => (b < a ? b : a));
    const until = offsets.reduce((a, b) => (b > a ? b : a)) + 1n;
    const events = new Map<string, StoredEvent>();
    for await (const messages of this.reader.read(partition, from, until)) {
      for (const m of messages) {
        const record = recordOf(m, String(partition));
        if (record.key !== assetId) continue;
        const event = eventOfRecord(record);
        if (event && !events.has(event.id)) events.set(event.id, event); // a recovered append may have left a copy
      }
    }
    return [...events.values()].sort((a, b) => a.assetVersion - b.assetVersion);
  }

  private async offsets(): Promise<{ partition: number; low: bigint; high: bigint }[]> {
    const offsets = await whileKafkaSettles(() => this.admin.fetchTopicOffsets(this.options.topic));
    return offsets
      .map(({ partition, low, high }) => ({ partition, low: BigInt(low), high: BigInt(high) }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** From the head Redis keeps; from the asset's history where that head cannot tell (RedisAppends.assetHead). */
  async assetHead(assetId: string): Promise<AssetHead> {
    return (await this.coordinator.appends.assetHead(assetId)) ?? headOf(await this.readAsset(assetId));
  }

  async hasEvents(): Promise<boolean> {
    return (await this.offsets()).some(({ high }) => high > 0n);
  }

  /** Exact: each partition's high watermark minus the next offset the consumer would read. */
  async lag(positions: Positions): Promise<number> {
    return totalLag(await this.partitionLag(positions));
  }

  async partitionLag(positions: Positions): Promise<Record<string, number>> {
    const lags: Record<string, number> = {};
    for (const { partition, low, high } of await this.offsets()) {
      const handled = positions[String(partition)];
      const next = handled === undefined ? low : BigInt(handled) + 1n;
      lags[String(partition)] = unhandled(next, low, high);
    }
    return lags;
  }

  async partitionsPastEnd(positions: Positions): Promise<string[]> {
    const past = (await this.offsets()).filter(({ partition, high }) => {
      const handled = positions[String(partition)];
      return handled !== undefined && BigInt(handled) >= high;
    });
    return past.map(({ partition }) => String(partition));
  }

  async committed(group: string): Promise<Positions> {
    const [topic] = await whileKafkaSettles(() => this.admin.fetchOffsets({ groupId: this.groupId(group), topics: [this.options.topic] }));
    return Object.fromEntries(
      (topic?.partitions ?? []).filter((p) => BigInt(p.offset) > 0n).map((p) => [String(p.partition), String(BigInt(p.offset) - 1n)]),
    );
  }

  /** The group's members as the broker counts them (DescribeGroups): none in an Empty or Dead group, one that never was. */
  async groupMembers(group: string): Promise<number> {
    const { groups } = await whileKafkaSettles(() => this.admin.describeGroups([this.groupId(group)]));
    return groups[0]?.members.length ?? 0;
  }

  subscribe(options: SubscribeOptions): Subscription {
    const stopping = new AbortController();
    const consumer = this.kafka.consumer({
      groupId: this.groupId(options.group),
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: HEARTBEAT_MS,
      maxWaitTimeInMs: MAX_WAIT_MS,
      allowAutoTopicCreation: false,
    });
    const consume = new GroupConsumer(this, this.options.topic, consumer, options, stopping.signal);
    const run = async () => {
      for (let failures = 0; !stopping.signal.aborted; failures++) {
        try {
          await consumer.connect();
          await consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
          await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => consume.batch(payload) });
          return;
        } catch (error) {
          options.onError?.(error);
          await sleep(retryDelay(failures), undefined, { signal: stopping.signal }).catch(() => undefined);
        }
      }
    };
    let started = run();
    // kafkajs gives up on a member after an error it deems final (one the group dropped, say): this one joins again.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || stopping.signal.aborted) return;
      options.onError?.(payload.error);
      started = started.then(run);
    });
    return this.subscriptions.track(async () => {
      stopping.abort();
      await started;
      await consumer.disconnect();
    });
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
    await this.coordinator.close();
    if (await this.reader.close()) await this.admin.deleteGroups([this.reader.groupId]).catch(() => undefined);
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }
}

/**
 * One member of a consumer group: hands each partition's records to the
 * handler in batches, retries a failed batch (never skips it), and moves the
 * group's position only after the handler resolved.
 */
class GroupConsumer {
  /** Read again after every (re)assignment: another member may have moved them. */
  private positions?: Positions;

  constructor(
    private readonly log: KafkaEventLog,
    private readonly topic: string,
    private readonly consumer: Consumer,
    private readonly options: SubscribeOptions,
    private readonly stopping: AbortSignal,
  ) {
    consumer.on(consumer.events.GROUP_JOIN, () => (this.positions = undefined));
  }

  async batch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!batch.messages.length) return;
    const { topic } = this;
    const partition = String(batch.partition);
    const positions = (this.positions ??= this.options.positions ? await this.options.positions() : await this.log.committed(this.options.group));
    const handled = positions[partition];
    const next = handled === undefined ? 0n : BigInt(handled) + 1n;
    if (next > BigInt(batch.highWatermark)) {
      // Kafka would reset a seek past its end to the start, over and over: say so instead.
      this.options.onError?.(new PositionPastEndError(`${this.options.group} holds position ${handled} of partition ${partition}, past the end of topic ${topic}: was the topic recreated? Rebuild the consumer's state from the log`));
      await sleep(retryDelay(Infinity), undefined, { signal: this.stopping }).catch(() => undefined);
      return;
    }
    if (BigInt(batch.lastOffset()) < next) {
      // Records this consumer already holds (it keeps its own positions): jump past them.
      this.consumer.seek({ topic, partition: batch.partition, offset: String(next) });
      return;
    }
    const messages = batch.messages.filter((m) => BigInt(m.offset) >= next);
    const size = this.options.batchSize ?? 256;
    // Handled records are committed once per fetch, a second after the last commit while the handler is slow,
    // and before the member lets go of the partition: at-least-once, with fewer round trips than a commit per chunk.
    let uncommitted: string | undefined;
    let committedAt = Date.now();
    const commitHandled = async (): Promise<boolean> => {
      if (this.options.positions || uncommitted === undefined) return true;
      const committed = await this.commit(commitOffsetsIfNecessary, batch.partition, uncommitted);
      uncommitted = undefined;
      committedAt = Date.now();
      return committed;
    };
    for (let i = 0; i < messages.length; i += size) {
      if (!isRunning() || isStale() || this.stopping.aborted) break;
      const chunk = messages.slice(i, i + size);
      const records = chunk.map((m) => recordOf(m, partition));
      const events = await decodeRecords(records, this.options.group, (entry) => this.log.deadLetter(entry));
      const handle = (batch: StoredEvent[]) => whileBeating(heartbeat, () => handleWithRetries(this.options, batch, this.stopping, heartbeat));
      if (events.length && !(await handle(events))) break;
      const last = chunk.at(-1)!.offset;
      // Records after the chunk's last event hold none (each is a dead letter now): a consumer that keeps its own
      // positions stores that it passed them, or its lag would stop short of them for good (a catch-up never ending).
      if (this.options.positions && events.at(-1)?.offset !== last && !(await handle(passedOver({ partition, offset: last })))) break;
      resolveOffset(last);
      positions[partition] = last;
      uncommitted = last;
      if (Date.now() - committedAt >= COMMIT_EVERY_MS && !(await commitHandled())) return;
      await heartbeat();
    }
    await commitHandled();
  }

  /**
   * Commits the offset after `last`; false when the group has moved the
   * partition away meanwhile (a rebalance): the batch's effects stand, being
   * idempotent, and the partition's next owner resumes from the last commit.
   */
  private async commit(commitOffsets: EachBatchPayload['commitOffsetsIfNecessary'], partition: number, last: string): Promise<boolean> {
    try {
      // The batch's own commit, which is sent while the member stops too (consumer.commitOffsets then does nothing).
      await commitOffsets({ topics: [{ topic: this.topic, partitions: [{ partition, offset: String(BigInt(last) + 1n) }] }] });
      return true;
    } catch (error) {
      if (!REBALANCED.has((error as { type?: string }).type ?? '')) throw error;
      this.options.onError?.(error);
      return false;
    }
  }
}

/**
 * Runs `work` while telling the group every second that this member is
 * alive: a batch of slow events (a video transcode) may take longer than
 * the session timeout, and a silent member loses its partitions mid-batch.
 */
async function whileBeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  // A beat refused during a rebalance is no failure of the work: the commit afterwards learns the outcome.
  const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(beating);
  }
}

/** A message as decodeEvent reads it: its bytes, key and place, and the schema it was validated against. */
function recordOf(message: KafkaMessage, partition: string): RawRecord {
  return {
    key: message.key?.toString() ?? '',
    data: message.value ?? Buffer.alloc(0),
    partition,
    offset: message.offset,
    schemaId: message.headers?.[SCHEMA_HEADER]?.toString(),
  };
}

/** Consecutive runs of items whose encoded sizes add up to at most `limit` (an item over it goes alone). */
function bySize<T extends { value: Buffer }>(items: T[], limit: number): T[][] {
  const chunks: T[][] = [];
  let size = Infinity;
  for (const item of items) {
    if (size + item.value.length > limit) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(item);
    size += item.value.length;
  }
  return chunks;
}
