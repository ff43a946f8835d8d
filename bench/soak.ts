/**
 * Soak: a long stream of small synthetic events through the lake on Kafka
 * (Kafka and Redis started here, test/engines), with its projections running
 * in this process (role projections: the processors would look for originals
 * these assets do not have). One ingest event per asset, appended in batches
 * of 500 as fast as the log takes them while the projections fold them. At
 * 10%, 50% and 100% of the assets appended it prints the append and fold
 * rates since the previous mark and the process's RSS; at the end, the
 * sustained rate (every event appended and folded) and RSS at 100% over RSS
 * at 10%, the baseline: memory must not grow with the stream (goal ≤ 1.2).
 *
 * BENCH_ASSETS (default 1000000) sets the assets.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../app/config';
import { openLake } from '../app/lake';
import { startKafka } from '../test/engines/kafka';
import { startRedis } from '../test/engines/redis';
import { ingestedDraft } from '../test/support/events';
import { temporaryDirectory } from '../test/support/fixtures';
import { TEST_CHAIN_KEY } from '../test/support/chainKey';

const ASSETS = Number(process.env.BENCH_ASSETS ?? 1_000_000);
const BATCH = 500;
const PARTITIONS = 6;
const GOAL = 1.2;
const MARKS = [0.1, 0.5, 1];

const [kafka, redis] = await Promise.all([startKafka(), startRedis()]);
const data = temporaryDirectory('medialake-soak-');
const env = {
  MEDIALAKE_LOG_BACKEND: 'kafka',
  MEDIALAKE_KAFKA_BROKERS: kafka.brokers.join(','),
  MEDIALAKE_KAFKA_TOPIC: `soak-${randomUUID().slice(0, 8)}`,
  MEDIALAKE_KAFKA_PARTITIONS: String(PARTITIONS),
  MEDIALAKE_REDIS_URL: redis.url,
  MEDIALAKE_CHAIN_KEY: TEST_CHAIN_KEY,
};
const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, env));
lake.start('projections');

/** The projections' largest lag, in events. */
async function projectionLag(): Promise<number> {
  const consumers = (await lake.consumers()).filter((consumer) => consumer.group.startsWith('projection:'));
  return Math.max(...consumers.map((consumer) => consumer.lag));
}

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rows: { mark: number; appendRate: number; foldRate: number; rss: number }[] = [];
const start = performance.now();
let previous = { at: start, appended: 0, folded: 0 };
let appended = 0;
for (const mark of MARKS) {
  const until = Math.round(mark * ASSETS);
  for (; appended < until; appended += BATCH) {
    await lake.log.append(Array.from({ length: Math.min(BATCH, until - appended) }, () => ingestedDraft(`asset-${randomUUID()}`)));
  }
  appended = until;
  const now = performance.now();
  const folded = appended - (await projectionLag());
  const seconds = (now - previous.at) / 1000;
  const row = { mark, appendRate: (appended - previous.appended) / seconds, foldRate: (folded - previous.folded) / seconds, rss: process.memoryUsage().rss };
  rows.push(row);
  console.log(`  ${String(mark * 100).padStart(3)}% appended: ${row.appendRate.toFixed(0)} events/s appended, ${row.foldRate.toFixed(0)} folded since the last mark; RSS ${megabytes(row.rss)}`);
  previous = { at: now, appended, folded };
}
while ((await projectionLag()) > 0) await new Promise((resolve) => setTimeout(resolve, 500));
const sustained = ASSETS / ((performance.now() - start) / 1000);
const rssRatio = rows.at(-1)!.rss / rows[0]!.rss;
console.log(`Soak: ${ASSETS} assets' events through the lake on Kafka (${PARTITIONS} partitions), projections folding as they come
  sustained (appended and folded)              ${sustained.toFixed(0).padStart(12)} events/s
  RSS at 100% / RSS at 10%                     ${megabytes(rows.at(-1)!.rss).padStart(12)} / ${megabytes(rows[0]!.rss)}
  ratio ${rssRatio.toFixed(3)}  (goal ≤ ${GOAL}: ${rssRatio <= GOAL ? 'met' : 'NOT met'})`);
await lake.close();
await Promise.all([kafka.stop(), redis.stop()]);
data.remove();
