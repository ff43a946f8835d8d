/**
 * Scale-out: does a second worker process add throughput? A topic of 6
 * partitions is filled once through the log (ingest events of distinct
 * assets); then a consumer group of worker processes (bench/scaleOutWorker.ts)
 * with a CPU-light projection reads all of it. The rate is the group's
 * events/s between 20% and 80% of the topic read, so process start-up, the
 * group's join and the last partitions' tails weigh on neither side.
 * Subject: 2 workers; baseline: 1 worker, in the same run (each side in a
 * fresh group, alternating, best of two). Kafka and Redis are started here
 * (test/engines) and share the host's cores with the workers.
 *
 * BENCH_EVENTS (default 240000) sets the events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openKafkaEventLog } from '../log/kafka';
import { startKafka } from '../test/engines/kafka';
import { startRedis } from '../test/engines/redis';
import { ingestedDraft } from '../test/support/events';
import { compare } from './report';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 240_000);
const PARTITIONS = 6;
const BATCH = 500;
const GOAL = 1.6;
const WORKER = fileURLToPath(new URL('./scaleOutWorker.ts', import.meta.url));

const [kafka, redis] = await Promise.all([startKafka(), startRedis()]);
const topic = `bench-scale-${randomUUID().slice(0, 8)}`;
{
  const log = await openKafkaEventLog({ brokers: kafka.brokers, topic, partitions: PARTITIONS, redisUrl: redis.url });
  for (let i = 0; i < EVENTS; i += BATCH) await log.append(Array.from({ length: Math.min(BATCH, EVENTS - i) }, () => ingestedDraft(`asset-${randomUUID()}`)));
  await log.close();
}

/** Starts `workers` processes in a fresh group, lets them subscribe together, and returns the group's events/s between 20% and 80% of the topic. */
async function groupRate(workers: number): Promise<number> {
  const group = `bench-${randomUUID().slice(0, 8)}`;
  const children: ChildProcess[] = [];
  const handled: number[] = Array(workers).fill(0);
  const ready = Array.from({ length: workers }, (_, i) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, kafka.brokers.join(','), topic, String(PARTITIONS), redis.url, group], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    return new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        handled[i] = Number(chunk.toString().trim().split('\n').at(-1));
        resolve();
      });
    });
  });
  for (const child of children) child.stdin!.write('go\n');
  await Promise.all(ready);
  const marks: (number | undefined)[] = [undefined, undefined];
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const total = handled.reduce((sum, n) => sum + n, 0);
      if (marks[0] === undefined && total >= 0.2 * EVENTS) marks[0] = performance.now();
      if (marks[0] !== undefined && total >= 0.8 * EVENTS) {
        marks[1] = performance.now();
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  for (const child of children) child.kill('SIGKILL');
  return (0.6 * EVENTS) / ((marks[1]! - marks[0]!) / 1000);
}

await compare(
  `Scale-out: ${EVENTS} events, ${PARTITIONS} partitions, a CPU-light projection`,
  { label: '2 worker processes, one consumer group', run: () => groupRate(2) },
  { label: '1 worker process', run: () => groupRate(1) },
  GOAL,
);
await Promise.all([kafka.stop(), redis.stop()]);
