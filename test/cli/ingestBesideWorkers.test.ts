import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventLog } from '../../app/backends';
import { loadConfig } from '../../app/config';
import type { ConsumerStatus } from '../../app/lake';
import { startKafka, type KafkaEngine } from '../engines/kafka';
import { startRedis, type RedisEngine } from '../engines/redis';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { kafkaLakeEnvironment, kafkaLakePresent } from '../support/kafkaLake';
import { waitFor } from '../support/waitFor';
import { medialake, startServe } from './medialakeProcess';

const present = kafkaLakePresent();

const PHOTOS = ['Canon_40D.jpg', 'Nikon_D70.jpg', 'Pentax_K10D.jpg', 'Sony_HDR-HC3.jpg'];

/** How many times each consumer group's member joined its group, from the kafkajs lines of a process logging at debug level. */
function joinsByGroup(output: string): Record<string, number> {
  const joins: Record<string, number> = {};
  for (const line of output.split('\n')) {
    if (!line.includes('Consumer has joined the group')) continue;
    const { groupId } = (JSON.parse(line) as { kafka: { groupId: string } }).kafka;
    joins[groupId] = (joins[groupId] ?? 0) + 1;
  }
  return joins;
}

describe.skipIf(!present)('ingest --wait on Kafka', () => {
  let kafka: KafkaEngine;
  let redis: RedisEngine;
  const directory = temporaryDirectory('medialake-ingest-wait-');
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([startKafka(), startRedis()]);
  }, 90_000);
  afterAll(async () => {
    for (const server of servers) server.kill('SIGKILL');
    await Promise.all([kafka?.stop(), redis?.stop()]);
    directory.remove();
  });

  /** A folder of photos, and the environment of an operator's host with its own data directory on a fresh topic. */
  function setUp(name: string) {
    const root = join(directory.path, name);
    const folder = join(root, 'photos');
    mkdirSync(folder, { recursive: true });
    for (const photo of PHOTOS) copyFileSync(fixture(`jpg/${photo}`), join(folder, photo));
    const env = { ...kafkaLakeEnvironment(kafka, redis, root, 3), MEDIALAKE_DATA: join(root, 'laptop') };
    return { root, folder, env };
  }

  /** The consumer groups `status` reports for a data directory: the shared ones and this host's own projections. */
  async function consumers(env: NodeJS.ProcessEnv): Promise<{ consumers: ConsumerStatus[]; assets: Record<string, number> }> {
    const status = await medialake(['status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    return JSON.parse(status.stdout);
  }

  it("beside a processors worker, waits on the worker's groups without joining them (no rebalance there) and returns with every asset ready", async () => {
    const { root, folder, env } = setUp('beside-worker');
    // The worker has a data directory of its own; the media store is one, as a bucket would be.
    const workerEnv = { ...env, MEDIALAKE_DATA: join(root, 'worker'), MEDIALAKE_LOG_LEVEL: 'debug' };
    mkdirSync(join(root, 'worker', 'objects'), { recursive: true });
    mkdirSync(env.MEDIALAKE_DATA);
    symlinkSync(join(root, 'worker', 'objects'), join(env.MEDIALAKE_DATA, 'objects'));
    const worker = await startServe(['--role', 'processors'], workerEnv);
    servers.push(worker.process);

    const shared = (await consumers(env)).consumers.filter((consumer) => !consumer.local).map((consumer) => consumer.group);
    expect(shared).toContain('pipelines');
    const log = await openEventLog(loadConfig({}, env));
    try {
      const members = () => Promise.all(shared.map((group) => log.groupMembers(group)));
      await waitFor("the worker's member in every shared group", async () => (await members()).every((count) => count === 1), 60_000);
      const joinsBefore = joinsByGroup(worker.output());
      expect(Object.keys(joinsBefore)).toEqual(expect.arrayContaining(shared.map((group) => `${env.MEDIALAKE_KAFKA_TOPIC}.${group}`)));

      const ingest = await medialake(['ingest', folder, '--wait', '--json'], env);
      expect(ingest.code).toBe(0);
      expect(JSON.parse(ingest.stdout)).toMatchObject({ ingested: PHOTOS.length, failed: [], degraded: [] });

      expect((await consumers(env)).assets).toEqual({ ready: PHOTOS.length });
      // Had the command joined a group, the worker would have joined it again (a rebalance), and again when the command left.
      expect(joinsByGroup(worker.output())).toEqual(joinsBefore);
      expect(await members()).toEqual(shared.map(() => 1));
    } finally {
      await log.close();
    }
  }, 150_000);

  it('with no worker running, runs every group itself and returns with every asset ready', async () => {
    const { folder, env } = setUp('alone');
    const ingest = await medialake(['ingest', folder, '--wait', '--json'], env);
    expect(ingest.code).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ ingested: PHOTOS.length, failed: [], degraded: [] });
    const status = await consumers(env);
    expect(status.assets).toEqual({ ready: PHOTOS.length });
    expect(status.consumers.filter((consumer) => consumer.lag > 0)).toEqual([]);
  }, 120_000);
});
