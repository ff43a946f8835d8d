import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventLog } from '../../app/backends';
import { loadConfig } from '../../app/config';
import type { EventLog, Subscription } from '../../log/eventLog';
import type { StoredEvent } from '../../schemas/envelope';
import { startKafka, type KafkaEngine } from '../engines/kafka';
import { startRedis, type RedisEngine } from '../engines/redis';
import { CountingProjection } from '../support/countingProjection';
import { temporaryDirectory } from '../support/fixtures';
import { kafkaLakeEnvironment, kafkaLakePresent } from '../support/kafkaLake';
import { waitFor } from '../support/waitFor';
import { medialake, startServe } from './medialakeProcess';

const present = kafkaLakePresent();

const PICTURES = 36;
const PARTITIONS = 6;
/** The broker's smallest (group.min.session.timeout.ms): a killed worker's partitions move after this. */
const SESSION_TIMEOUT_MS = 6_000;
/** A killed worker's unfinished appends hold their assets this long; a survivor appending to one waits, and the rebalance waits for it. */
const LOCK_MS = 3_000;
/** After the session timeout the group rejoins, syncs and fetches again: a few heartbeats (1 s each). */
const REBALANCE_MS = 4_000;

/** Pictures big enough that renditions take a while, each different so none is a duplicate. */
async function pictures(folder: string): Promise<void> {
  for (let i = 0; i < PICTURES; i++) {
    const noise = Buffer.alloc(480 * 360 * 3, i);
    for (let j = 0; j < noise.length; j += 97) noise[j] = (j * (i + 7)) & 255;
    await sharp(noise, { raw: { width: 480, height: 360, channels: 3 } }).jpeg().toFile(join(folder, `picture-${i}.jpg`));
  }
}

/** `medialake serve --role processors`; resolves once it says it is serving. */
const startWorker = async (env: NodeJS.ProcessEnv): Promise<ChildProcess> => (await startServe(['--role', 'processors'], env)).process;

describe.skipIf(!present)('processors scaled out over three worker processes on Kafka', () => {
  let kafka: KafkaEngine;
  let redis: RedisEngine;
  const directory = temporaryDirectory('medialake-scale-');
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([startKafka(), startRedis()]);
  }, 90_000);
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all([kafka?.stop(), redis?.stop()]);
    directory.remove();
  });

  it('takes every event into effect exactly once, with no duplicate rendition and no stall past the session timeout, when one worker is SIGKILLed mid-stream', async () => {
    const env = {
      ...kafkaLakeEnvironment(kafka, redis, directory.path, PARTITIONS),
      MEDIALAKE_KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
      MEDIALAKE_REDIS_LOCK_MS: String(LOCK_MS),
      MEDIALAKE_LOG_LEVEL: 'info',
      MEDIALAKE_CONCURRENCY: '1',
    };
    const folder = join(directory.path, 'pictures');
    mkdirSync(folder);
    await pictures(folder);

    // The first start creates the topic and the chain key the workers share; the log here reads what they append.
    const log: EventLog = await openEventLog(loadConfig({}, env));
    const counting = new CountingProjection(join(directory.path, 'counting.db'));
    const arrivals = new Map<string, number[]>();
    const counted: Subscription = log.subscribe({
      group: counting.name,
      positions: () => counting.positions(),
      handle: async (batch: StoredEvent[]) => {
        await counting.apply(batch);
        for (const event of batch.filter((e) => e.type === 'RenditionCreated')) arrivals.set(event.partition, [...(arrivals.get(event.partition) ?? []), Date.now()]);
      },
    });
    const renditions = () => [...arrivals.values()].reduce((sum, times) => sum + times.length, 0);

    workers.push(...(await Promise.all([startWorker(env), startWorker(env), startWorker(env)])));
    const ingest = await medialake(['ingest', folder], env);
    expect(ingest.stdout).toContain(`ingested ${PICTURES}, duplicates 0, failed 0`);

    await waitFor('a third of the renditions', () => renditions() >= PICTURES / 3, 60_000);
    const killedAt = Date.now();
    workers[1]!.kill('SIGKILL');
    expect(renditions()).toBeLessThan(PICTURES * 2);

    const processorGroups = ['metadata', 'renditions', 'perceptual-hash'].map((name) => `processor:${name}`);
    let lags: Record<string, Record<string, number>> = {};
    const caughtUp = async () => {
      lags = { counting: await log.partitionLag(await counting.positions()) };
      for (const group of processorGroups) lags[group] = await log.partitionLag(await log.committed(group));
      return Object.values(lags).every((partitions) => Object.values(partitions).every((lag) => lag === 0));
    };
    await waitFor('every processor and the counting projection at the end of the log', caughtUp, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}; lag: ${JSON.stringify(lags)}`);
    });
    await counted.stop();

    const events = new Map<string, StoredEvent>();
    for await (const batch of log.readAll()) for (const event of batch) events.set(event.id, event);
    const effects = counting.effects();
    expect(effects.size).toBe(events.size);
    expect([...effects.values()].every((times) => times === 1)).toBe(true);

    const ingested = [...events.values()].filter((e) => e.type === 'AssetIngested');
    expect(ingested).toHaveLength(PICTURES);
    expect([...events.values()].filter((e) => e.type === 'AssetProcessingFailed')).toEqual([]);
    for (const { assetId } of ingested) {
      const names = [...events.values()].filter((e) => e.assetId === assetId && e.type === 'RenditionCreated').map((e) => (e as StoredEvent<'RenditionCreated'>).payload.name);
      expect(names.length).toBeGreaterThan(0);
      expect(new Set(names).size).toBe(names.length);
    }

    // Per partition, the longest wait for the next rendition while renditions were still coming.
    const longestStall = Math.max(
      ...[...arrivals.values()].map((times) => Math.max(...times.map((time, i) => (i === 0 ? 0 : time - times[i - 1]!)), ...times.filter((t) => t > killedAt).slice(0, 1).map((t) => t - killedAt))),
    );
    expect(longestStall).toBeLessThan(SESSION_TIMEOUT_MS + REBALANCE_MS);
    await Promise.all([counting.close(), log.close()]);
  }, 150_000);
});
