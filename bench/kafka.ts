/**
 * The log on Kafka, on a real single-node broker and Redis started here
 * (test/engines), three measures:
 *
 * 1. Produce: events/s through KafkaEventLog.append (validation, Redis
 *    reservation and commit, idempotent producer) vs kafkajs producer.send of
 *    the same records (same keys, partitions, acks=all, idempotent), on
 *    fresh topics of the same broker — once in batches of 500, once as
 *    single-event appends with 64 in flight (what processors do). Beside
 *    them, the log's own work on each event (validation, the hash chain,
 *    encoding and placement) with the same send and no coordinator: what an
 *    append would cost if versions and ids never left the process.
 * 2. Consume: events/s through subscribe (a consumer group, offsets
 *    committed after each batch) vs a kafkajs consumer committing per batch
 *    and parsing each record's JSON, over the same topic of CONSUME_EVENTS
 *    written through the log, group join included on both sides.
 * 3. End to end: at a sustained ingest rate into a whole lake (processors and
 *    projections running), the latency from append to visible in search
 *    (the search projection's checkpoint, stored with its state, has passed
 *    the event) p50/p99, with the consumers' lag sampled every second; the
 *    same on the embedded SQLite log is the baseline.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { loadConfig } from '../app/config';
import { openLake } from '../app/lake';
import { openKafkaEventLog, partitionOfAsset, RECORD_LIMIT } from '../log/kafka';
import { checkDrafts, encodeEvent } from '../log/eventRecord';
import { chainEvents } from '../log/redisHeads';
import { draft, type AssetEvent, type EventDraft } from '../schemas/envelope';
import { assetIdForContent } from '../schemas/ids';
import { startKafka } from '../test/engines/kafka';
import { startRedis } from '../test/engines/redis';
import { ingestedDraft } from '../test/support/events';
import { fixture, temporaryDirectory } from '../test/support/fixtures';
import { compare, rate } from './report';
import { TEST_CHAIN_KEY } from '../test/support/chainKey';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BATCH = 500;
const IN_FLIGHT = 64;
const RATE = Number(process.env.BENCH_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PARTITIONS = 6;
/** Five times the produced events: both sides read 20,000 in about 150 ms, where the group join's variance shows. */
const CONSUME_EVENTS = 5 * EVENTS;

const [kafka, redis] = await Promise.all([startKafka(), startRedis()]);
const client = new Kafka({ clientId: 'bench', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
const admin = client.admin();
await admin.connect();
const fresh = (what: string) => `bench-${what}-${randomUUID().slice(0, 8)}`;
const openLog = (topic: string) => openKafkaEventLog({ brokers: kafka.brokers, topic, partitions: PARTITIONS, redisUrl: redis.url });
const drafts = (count = EVENTS): EventDraft[] => Array.from({ length: count }, () => ingestedDraft(`asset-${randomUUID()}`));

/** The same records as the log writes, for kafkajs on its own: versions counted in memory. */
function records(events: EventDraft[]): AssetEvent[] {
  return events.map((event) => ({ ...event, assetVersion: 1 }) as AssetEvent);
}

async function produceThroughLog(singles: boolean): Promise<number> {
  const log = await openLog(fresh('log'));
  const events = drafts();
  const perSecond = await rate(EVENTS, () => (singles ? inFlight(events, (e) => log.append([e])) : inBatches(events, (b) => log.append(b))));
  await log.close();
  return perSecond;
}

/** A fresh topic and an idempotent producer on it, as the log has. */
async function directProducer(): Promise<{ topic: string; producer: Producer }> {
  const topic = fresh('direct');
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  const producer = client.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return { topic, producer };
}

async function produceDirectly(singles: boolean): Promise<number> {
  const { topic, producer } = await directProducer();
  const send = (batch: AssetEvent[]) => producer.send({ topic, acks: -1, messages: batch.map((e) => ({ key: e.assetId, value: encodeEvent(e) })) });
  const events = records(drafts());
  const perSecond = await rate(EVENTS, () => (singles ? inFlight(events, (e) => send([e])) : inBatches(events, send)));
  await producer.disconnect();
  return perSecond;
}

/**
 * The log's own work on each event, without the coordinator: validation and
 * the size check (checkDrafts), the hash chain's links, encoding and placing
 * the records, then the same send. What an append would cost if versions
 * and ids never left the appending process (docs/scale.md).
 */
async function produceWithoutCoordinator(): Promise<number> {
  const { topic, producer } = await directProducer();
  const partitionOf = partitionOfAsset(topic, PARTITIONS);
  const send = (batch: EventDraft[]) => {
    const versioned = checkDrafts(batch, RECORD_LIMIT).map((draft) => ({ ...draft, assetVersion: 1 }) as AssetEvent);
    const messages = chainEvents(versioned, new Map()).map((e) => ({ key: e.assetId, value: encodeEvent(e), partition: partitionOf(e.assetId) }));
    return producer.send({ topic, acks: -1, messages });
  };
  const events = drafts();
  const perSecond = await rate(EVENTS, () => inBatches(events, send));
  await producer.disconnect();
  return perSecond;
}

async function inBatches<T>(items: T[], send: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) await send(items.slice(i, i + BATCH));
}

async function inFlight<T>(items: T[], send: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => { while (next < items.length) await send(items[next++]!); }));
}

// One topic, filled once through the log, read by both consumers.
const consumeTopic = fresh('consume');
{
  const log = await openLog(consumeTopic);
  await inBatches(drafts(CONSUME_EVENTS), (batch) => log.append(batch));
  await log.close();
}

async function consumeThroughLog(): Promise<number> {
  const log = await openLog(consumeTopic);
  let seen = 0;
  let subscription!: { stop(): Promise<void> };
  const perSecond = await rate(CONSUME_EVENTS, async () => {
    await new Promise<void>((resolve) => {
      subscription = log.subscribe({ group: fresh('group'), batchSize: BATCH, handle: async (batch) => void ((seen += batch.length) >= CONSUME_EVENTS && resolve()) });
    });
  });
  await subscription.stop();
  await log.close();
  return perSecond;
}

async function consumeDirectly(): Promise<number> {
  const consumer = client.consumer({ groupId: fresh('group'), maxWaitTimeInMs: 500 });
  let seen = 0;
  const perSecond = await rate(CONSUME_EVENTS, async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [consumeTopic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch, commitOffsetsIfNecessary, resolveOffset }) => {
          for (const message of batch.messages) JSON.parse(message.value!.toString());
          resolveOffset(batch.lastOffset());
          await commitOffsetsIfNecessary();
          if ((seen += batch.messages.length) >= CONSUME_EVENTS) resolve();
        },
      });
    });
  });
  await consumer.disconnect();
  return perSecond;
}

await compare(
  `Kafka produce: ${EVENTS} events in batches of ${BATCH}, ${PARTITIONS} partitions`,
  { label: 'KafkaEventLog.append (with Redis)', run: () => produceThroughLog(false) },
  { label: 'kafkajs producer.send, same records', run: () => produceDirectly(false) },
  0.8,
);
await compare(
  `Kafka produce: the log's own work on each event without the coordinator, batches of ${BATCH}`,
  { label: 'checkDrafts + hash chain + encode + send', run: produceWithoutCoordinator },
  { label: 'kafkajs producer.send, same records', run: () => produceDirectly(false) },
);
await compare(
  `Kafka produce: ${EVENTS} single-event appends, ${IN_FLIGHT} in flight`,
  { label: 'KafkaEventLog.append (with Redis)', run: () => produceThroughLog(true) },
  { label: 'kafkajs producer.send, same records', run: () => produceDirectly(true) },
  1.0,
);
await compare(
  `Kafka consume: ${CONSUME_EVENTS} events, consumer group, commit per batch`,
  { label: 'KafkaEventLog.subscribe', run: consumeThroughLog },
  { label: 'kafkajs consumer eachBatch', run: consumeDirectly },
  0.8,
);

/** Percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Appends RATE ingests a second for SECONDS seconds into a running lake and
 * measures each one's append → visible-in-search latency; prints the lag of
 * every consumer each second.
 */
async function endToEnd(name: string, overrides: Record<string, unknown>): Promise<{ p50: number; p99: number }> {
  const data = temporaryDirectory('medialake-bench-lake-');
  const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent', 'log.sync': 'normal', ...overrides }, {}));
  lake.start();
  const image = readFileSync(fixture('jpg/Canon_40D.jpg'));
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  const lagOverTime: string[] = [];
  const sampler = setInterval(async () => {
    const consumers = await lake.consumers();
    lagOverTime.push(consumers.map((c) => c.lag).reduce((a, b) => Math.max(a, b), 0).toString());
  }, 1_000);

  const total = RATE * SECONDS;
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (i * 1000) / RATE - Date.now())));
    // Distinct bytes per asset (a trailer after the image), stored before the event, as ingest does.
    const bytes = Buffer.concat([image, Buffer.from(`#${i}:${randomUUID()}`)]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const assetId = assetIdForContent(sha256);
    const objectKey = `originals/${assetId}/original.jpg`;
    await lake.store.put(objectKey, bytes, { contentType: 'image/jpeg' });
    const event = draft('AssetIngested', {
      id: randomUUID(),
      assetId,
      actor: 'bench',
      source: 'cli',
      correlationId: randomUUID(),
      causationId: null,
      payload: { objectKey, originalName: `bench-${i}.jpg`, mediaType: 'image', mimeType: 'image/jpeg', size: bytes.length, sha256, origin: { kind: 'upload' } },
    });
    const appendedAt = performance.now();
    const measured = lake.log.append([event]).then(async ([stored]) => {
      for (;;) {
        const position = (await lake.search.positions())[stored!.partition];
        if (position !== undefined && BigInt(position) >= BigInt(stored!.offset)) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      latencies.push(performance.now() - appendedAt);
    });
    pending.add(measured);
    void measured.finally(() => pending.delete(measured));
  }
  await Promise.all(pending);
  await lake.waitForIdle({ timeoutMs: 300_000 });
  clearInterval(sampler);
  await lake.close();
  data.remove();
  latencies.sort((a, b) => a - b);
  const result = { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  console.log(`  ${name.padEnd(24)} p50 ${result.p50.toFixed(1).padStart(8)} ms   p99 ${result.p99.toFixed(1).padStart(8)} ms`);
  console.log(`  ${''.padEnd(24)} max consumer lag each second: ${lagOverTime.join(' ')}`);
  return result;
}

console.log(`end to end: ${RATE} ingests/s for ${SECONDS} s into a running lake, append → visible in search`);
const onKafka = await endToEnd('Kafka log', {
  'log.backend': 'kafka',
  'log.kafka.brokers': kafka.brokers,
  'log.kafka.topic': fresh('lake'),
  'log.kafka.partitions': PARTITIONS,
  'redis.url': redis.url,
  'chain.key': TEST_CHAIN_KEY,
});
const onSqlite = await endToEnd('embedded SQLite log', {});
console.log(`  ratio of p50 (SQLite / Kafka) ${(onSqlite.p50 / onKafka.p50).toFixed(3)}, of p99 ${(onSqlite.p99 / onKafka.p99).toFixed(3)}`);

await admin.disconnect();
await Promise.all([kafka.stop(), redis.stop()]);
