import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafka, type KafkaEngine } from '../engines/kafka';
import { startRedis, type RedisEngine } from '../engines/redis';
import { temporaryDirectory } from '../support/fixtures';
import { kafkaLakeEnvironment, kafkaLakePresent } from '../support/kafkaLake';
import { waitFor } from '../support/waitFor';
import { medialake, type Outcome } from './medialakeProcess';
import { loadConfig } from '../../app/config';
import { openLake } from '../../app/lake';
import { adminApi } from '../support/principals';

const present = kafkaLakePresent();

const FILES = 300;
const ALREADY_IN = 5;
const RETRY_MS = 2_000;
/** Files a directory ingest appends at once (producers/directory.ts): as many may be in flight when Redis goes. */
const IN_FLIGHT = 4;

/** "ingested 9, duplicates 3, failed 0, not ingested 288" → its numbers. */
function counts(stdout: string): Record<'ingested' | 'duplicates' | 'failed' | 'not ingested', number> {
  const line = stdout.split('\n')[0]!;
  const found = Object.fromEntries([...line.matchAll(/(ingested|duplicates|failed|not ingested) (\d+)/g)].map(([, name, n]) => [name!, Number(n)]));
  return { ingested: NaN, duplicates: NaN, failed: NaN, 'not ingested': 0, ...found };
}

describe.skipIf(!present)('ingest on Kafka while Redis goes away', () => {
  let kafka: KafkaEngine;
  let redis: RedisEngine;
  const directory = temporaryDirectory('medialake-outage-');

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([startKafka(), startRedis()]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([kafka?.stop(), redis?.stop()]);
    directory.remove();
  });

  it('retries for ingest.outageRetryMs saying so on one line, then exits 75 naming what it did not ingest; a second run takes the rest exactly once', async () => {
    const env = {
      ...kafkaLakeEnvironment(kafka, redis, directory.path, 3),
      MEDIALAKE_INGEST_OUTAGE_RETRY_MS: String(RETRY_MS),
    };
    const folder = join(directory.path, 'notes');
    const some = join(directory.path, 'some');
    mkdirSync(folder);
    mkdirSync(some);
    for (let i = 0; i < FILES; i++) writeFileSync(join(folder, `note-${String(i).padStart(3, '0')}.txt`), `note ${i}\n`);
    for (let i = 0; i < ALREADY_IN; i++) writeFileSync(join(some, `note-${i}.txt`), `note ${i}\n`);
    expect((await medialake(['ingest', some], env)).code).toBe(0);

    const admin = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const appended = async () => (await admin.fetchTopicOffsets(env.MEDIALAKE_KAFKA_TOPIC)).reduce((sum, p) => sum + Number(p.high), 0);
    const running = medialake(['ingest', folder], env);
    await waitFor('part of the folder on the log', async () => (await appended()) >= ALREADY_IN + 20, 60_000);
    let first!: Outcome;
    await redis.restart(async () => {
      first = await running;
    });
    await admin.disconnect();

    expect(first.code).toBe(75);
    const before = counts(first.stdout);
    expect(before.failed).toBe(0);
    expect(before['not ingested']).toBeGreaterThan(0);
    expect(before.ingested + before.duplicates + before['not ingested']).toBe(FILES);
    expect(first.stdout).toMatch(/files not ingested: Redis at 127\.0\.0\.1:\d+ is unreachable.*\(files already in the lake then count as duplicates\)/);
    expect(first.stderr).toMatch(/^medialake: Redis at 127\.0\.0\.1:\d+ is unreachable; retrying for up to 2 s \(ingest\.outageRetryMs\)$/m);
    expect(first.stderr).not.toMatch(/Unhandled error event|resume on their own|^\s+at /m);

    const second = await medialake(['ingest', folder], env);
    expect(second.code).toBe(0);
    // The topic exists by now: kafkajs's "Topic creation errors" is routine, not an error.
    expect(second.stderr).not.toContain('"level":50');
    const after = counts(second.stdout);
    expect(after.failed).toBe(0);
    // An append in flight when Redis went is finished by the log's recovery, and counts as a duplicate the second time.
    expect(ALREADY_IN + before.ingested + after.ingested).toBeGreaterThanOrEqual(FILES - IN_FLIGHT);
    expect(ALREADY_IN + before.ingested + after.ingested).toBeLessThanOrEqual(FILES);
    expect(after.ingested + after.duplicates).toBe(FILES);
  }, 150_000);

  it('answers a write 503 COORDINATION_UNAVAILABLE while Redis is away, not a 500, and goes on answering /status and /metrics', async () => {
    const lake = await openLake(loadConfig({ logLevel: 'silent' }, kafkaLakeEnvironment(kafka, redis, join(directory.path, 'api'), 3)));
    const { app, fetch } = await adminApi(lake);
    try {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      expect((await fetch(`${base}/status`)).status).toBe(200); // the dead letters read once, while Redis is there
      let answer!: Response;
      const during: number[] = [];
      await redis.restart(async () => {
        answer = await fetch(`${base}/collections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Outage' }) });
        for (const path of ['/status', '/metrics']) during.push((await fetch(`${base}${path}`)).status);
      });
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('COORDINATION_UNAVAILABLE');
      expect(during).toEqual([200, 200]);
    } finally {
      await app.close();
      await lake.close();
    }
  }, 90_000);
});
