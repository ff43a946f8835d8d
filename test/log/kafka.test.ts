import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft, StoredEvent } from '../../schemas/envelope';
import { eventSchemaId } from '../../schemas/jsonSchema';
import { openKafkaEventLog, PartitionCountMismatchError, type KafkaEventLog } from '../../log/kafka';
import { CoordinationStateLostError } from '../../log/redisAppends';
import { CoordinationUnavailableError } from '../../log/redisConnection';
import { CoordinationStateExistsError, moveStateToCluster } from '../../log/redisStateMove';
import { engineAvailable } from '../engines/availability';
import { engineControllable } from '../engines/external';
import { kafkaPresent, startKafka, type KafkaEngine } from '../engines/kafka';
import { redisClusterPresent, redisServerPresent, startRedis, startRedisCluster, type RedisClusterEngine, type RedisEngine } from '../engines/redis';
import { CountingProjection } from '../support/countingProjection';
import { editDraft, ingestedDraft, v1IngestPayload } from '../support/events';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { killMidBatch } from '../support/killMidBatch';
import { openTestLake } from '../support/lake';
import { runWholeLake } from '../support/lakeOnLog';
import { waitFor } from '../support/waitFor';
import { eventLogContract } from './eventLog.contract';
import { expectHeadFromHistory } from './olderHeads';
import { proveTamperEvidence } from './tamperEvidence';
import { ChainKeyring, newChainKey } from '../../log/chainKey';
import { TEST_CHAIN_KEY } from '../support/chainKey';

const CHAIN_KEYS = ChainKeyring.of(newChainKey());

const present =
  engineAvailable('Kafka', kafkaPresent(), 'run .ci/engines/kafka.sh') &&
  engineAvailable('redis-server', redisServerPresent(), 'install the Debian package redis-server (.ci/run does)') &&
  engineAvailable('redis-server and redis-cli', redisClusterPresent(), 'install the Debian package redis-server (.ci/run does)');

/** Six events for each of `assets` assets: an ingest, then five edits, in the order they must be appended. */
function streamOf(assets: number): EventDraft[] {
  return Array.from({ length: assets * 6 }, (_, i) => {
    const assetId = `asset-${Math.floor(i / 6)}`;
    return i % 6 ? editDraft(assetId, `edit ${i}`) : ingestedDraft(assetId);
  });
}

describe.skipIf(!present)('Kafka event log', () => {
  let kafka: KafkaEngine;
  let redis: RedisEngine;
  let redisCluster: RedisClusterEngine;
  const directory = temporaryDirectory();
  const open = (topic: string, partitions = 3) =>
    openKafkaEventLog({ brokers: kafka.brokers, topic, partitions, redisUrl: redis.url, chainKeys: CHAIN_KEYS, sessionTimeoutMs: 6_000 });

  beforeAll(async () => {
    [kafka, redis, redisCluster] = await Promise.all([startKafka(), startRedis(), startRedisCluster()]);
  });
  afterAll(async () => {
    await Promise.all([kafka?.stop(), redis?.stop(), redisCluster?.stop()]);
    directory.remove();
  });

  eventLogContract('Kafka', { open: (name) => open(name) });
  eventLogContract('Kafka, coordinated by a Redis Cluster', {
    open: (topic) =>
      openKafkaEventLog({ brokers: kafka.brokers, topic, partitions: 3, redisUrl: redisCluster.url, redisCluster: true, chainKeys: CHAIN_KEYS, sessionTimeoutMs: 6_000 }),
  });

  describe('on a real broker and Redis', () => {
    let log: KafkaEventLog;
    let topic: string;
    let store: CountingProjection;

    beforeAll(async () => {
      topic = `faults-${randomUUID().slice(0, 8)}`;
      log = await open(topic);
    });
    afterAll(async () => {
      await log?.close();
      await store?.close();
    });

    it("names the partitions where a consumer's position lies past the log's end, from each partition's high watermark", async () => {
      const own = await open(`past-${randomUUID().slice(0, 8)}`);
      try {
        const [event] = await own.append([ingestedDraft('asset-past')]);
        const { partition, offset } = event!;
        expect(await own.partitionsPastEnd({ [partition]: offset })).toEqual([]);
        expect(await own.partitionsPastEnd({ [partition]: String(BigInt(offset) + 1n) })).toEqual([partition]);
        expect(await own.partitionsPastEnd({ [partition]: String(BigInt(offset) + 1000n), other: '5' })).toEqual([partition]);
      } finally {
        await own.close();
      }
    });

    it.skipIf(!engineControllable('Kafka', 'the broker restart test'))('projects every event exactly once across a broker restart in the middle of a stream', async () => {
      store = new CountingProjection(join(directory.path, 'restart.db'));
      const subscription = log.subscribe({ group: store.name, handle: (batch) => store.apply(batch), positions: () => store.positions() });
      const drafts = streamOf(20);
      let appended = 0;
      const appending = (async () => {
        for (const draft of drafts) {
          // A caller whose append failed tries the same event again, as the processors do.
          for (;;) {
            const done = await log.append([draft]).then(() => true, () => false);
            if (done) break;
            await sleep(200);
          }
          appended++;
        }
      })();
      await waitFor('a third of the stream', () => appended >= 40);
      await kafka.restart();
      await appending;
      await waitFor('every event projected', () => store.effects().size === drafts.length, 90_000);
      await subscription.stop();

      expect([...store.effects().values()].every((times) => times === 1)).toBe(true);
      expect(await log.lag(await store.positions())).toBe(0);
    }, 180_000);

    it.skipIf(!engineControllable('Redis', 'the Redis outage test'))('refuses appends clearly while Redis is down, and takes them again once it is back', async () => {
      const [first] = await log.append([ingestedDraft('asset-redis')]);
      await redis.restart(async () => {
        const refused = log.append([editDraft('asset-redis', 'during the outage')]);
        await expect(refused).rejects.toBeInstanceOf(CoordinationUnavailableError);
        await expect(refused).rejects.toThrow(/unreachable.*bring Redis back, then try again/);
      });
      let after: unknown;
      await waitFor('an append once Redis is back', async () => {
        after = await log.append([editDraft('asset-redis', 'after the outage')]).catch(() => undefined);
        return Boolean(after);
      });
      expect((await log.readAsset('asset-redis')).map((e) => [e.assetVersion, e.type])).toEqual([
        [first!.assetVersion, 'AssetIngested'],
        [2, 'UserMetadataUpdated'],
      ]);
    });

    it('projects every event exactly once when a consumer is killed in the middle of a batch and started again', async () => {
      const killed = `killed-${randomUUID().slice(0, 8)}`;
      const drafts = streamOf(10);
      const appendLog = await open(killed);
      await appendLog.append(drafts);
      const config = { 'log.backend': 'kafka', 'log.kafka.brokers': kafka.brokers, 'log.kafka.topic': killed, 'log.kafka.partitions': 3, 'redis.url': redis.url, 'chain.key': TEST_CHAIN_KEY };
      const path = join(directory.path, 'killed.db');
      await killMidBatch(config, path);

      const restarted = new CountingProjection(path);
      const before = restarted.effects().size;
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(drafts.length);
      const subscription = appendLog.subscribe({ group: restarted.name, handle: (b) => restarted.apply(b), positions: () => restarted.positions() });
      await waitFor('the rest projected', () => restarted.effects().size === drafts.length, 60_000);
      await sleep(500); // room for a redelivery to show
      await subscription.stop();
      expect([...restarted.effects().values()].every((times) => times === 1)).toBe(true);
      await Promise.all([restarted.close(), appendLog.close()]);
    }, 120_000);

    it('keeps a hash chain per asset: intact as appended, then an edited copy, a forged event and an event dropped from the end named', async () => {
      const chained = `chain-${randomUUID().slice(0, 8)}`;
      const chainLog = await open(chained);
      // Same partitioner and partition count as the log: a record lands where its asset's events are.
      const producer = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      try {
        const write = async ({ key, data }: { key: string; data: Buffer }) => void (await producer.send({ topic: chained, messages: [{ key, value: data }] }));
        await proveTamperEvidence(chainLog, write, redis.url, `medialake:kafka:${chained}:heads`, CHAIN_KEYS);
      } finally {
        await Promise.all([producer.disconnect(), chainLog.close()]);
      }
    });

    it("works out an asset's head from its history where Redis keeps it as written before heads held liveness", async () => {
      const headsTopic = `heads-${randomUUID().slice(0, 8)}`;
      const headsLog = await open(headsTopic);
      try {
        await expectHeadFromHistory(headsLog, redis.url, `medialake:kafka:${headsTopic}:heads`);
      } finally {
        await headsLog.close();
      }
    });

    it('refuses to open a topic with events on a Redis Cluster that holds none of its state, and goes on from where it was once the state is moved there', async () => {
      const moved = `moved-${randomUUID().slice(0, 8)}`;
      const namespace = `medialake:kafka:${moved}`;
      const single = await open(moved);
      const ingest = ingestedDraft('asset-a');
      await single.append([ingest]);
      await single.close();
      const openOnCluster = () =>
        openKafkaEventLog({ brokers: kafka.brokers, topic: moved, partitions: 3, redisUrl: redisCluster.url, redisCluster: true, chainKeys: CHAIN_KEYS });
      await expect(openOnCluster()).rejects.toBeInstanceOf(CoordinationStateLostError);

      expect(await moveStateToCluster(redis.url, redisCluster.url, namespace)).toBeGreaterThan(0);
      const onCluster = await openOnCluster();
      try {
        const [again] = await onCluster.append([ingest]);
        expect(again).toMatchObject({ id: ingest.id, assetVersion: 1 });
        const [edit] = await onCluster.append([editDraft('asset-a', 'on the cluster')], { expectedVersion: 1 });
        expect(edit!.assetVersion).toBe(2);
        expect((await onCluster.readAsset('asset-a')).map((e) => e.assetVersion)).toEqual([1, 2]);
        // The chain runs on from the head that moved with the state.
        expect((await onCluster.verifyChain()).flatMap((report) => report.breaks)).toEqual([]);
      } finally {
        await onCluster.close();
      }
      await expect(moveStateToCluster(redis.url, redisCluster.url, namespace)).rejects.toBeInstanceOf(CoordinationStateExistsError);
    });

    it('refuses to open a topic with another partition count than configured', async () => {
      await expect(open(topic, 5)).rejects.toBeInstanceOf(PartitionCountMismatchError);
      await expect(open(topic, 5)).rejects.toThrow(/has 3 partitions but the configuration says 5/);
    });

    it("stamps what it validated with the schema's id; reads such records as written and validates every other", async () => {
      const topic = `stamped-${randomUUID().slice(0, 8)}`;
      const stream = await open(topic, 1);
      const appended = await stream.append([ingestedDraft('asset-a'), editDraft('asset-a', 'a title')]);
      // What other writers put on the topic: something that is no event, and another build's records, validated there.
      const olderBuild = { ...ingestedDraft('asset-old'), schemaVersion: 1, assetVersion: 1, payload: v1IngestPayload('asset-old', '/archive/a.jpg') };
      const producer = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      await producer.send({
        topic,
        messages: [
          { key: 'asset-x', value: 'not an event' },
          { key: 'asset-old', value: JSON.stringify(olderBuild), headers: { 'medialake-schema': 'an-older-build' } },
          { key: 'asset-y', value: JSON.stringify({ ...ingestedDraft('asset-y'), assetVersion: 1, actor: '' }), headers: { 'medialake-schema': 'an-older-build' } },
        ],
      });
      await producer.disconnect();

      const consumer = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `raw-${randomUUID()}` });
      const headers: (string | undefined)[] = [];
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void headers.push(message.headers?.['medialake-schema']?.toString()) });
      await waitFor('every record read raw', () => headers.length === 5);
      await consumer.disconnect();
      expect(headers).toEqual([eventSchemaId(), eventSchemaId(), undefined, 'an-older-build', 'an-older-build']);

      const group = `stamped-${randomUUID().slice(0, 8)}`;
      const handled: StoredEvent[] = [];
      const subscription = stream.subscribe({ group, handle: async (batch) => void handled.push(...batch) });
      await waitFor('the events handled', () => handled.length === 3);
      await subscription.stop();
      expect(handled.slice(0, 2)).toStrictEqual(appended);
      expect(handled[2]).toMatchObject({ id: olderBuild.id, schemaVersion: 2, payload: { origin: { kind: 'directory', path: '/archive/a.jpg' } } });
      // Newest first: the later record's, or at one time the greater event id.
      expect((await stream.deadLetters({ group })).map((letter) => [letter.eventId, letter.error])).toEqual([
        ['record 0/4', expect.stringMatching(/^undecodable record: .*actor/)],
        ['record 0/2', expect.stringMatching(/^undecodable record: /)],
      ]);
      await stream.close();
    }, 60_000);

    it('commits what a member handled when it stops in the middle of a fetch: a member of the group after it gets only the rest', async () => {
      const stream = await open(`stopped-${randomUUID().slice(0, 8)}`, 1);
      await stream.append(Array.from({ length: 60 }, (_, i) => ingestedDraft(`asset-${i}`)));
      const group = `stopped-${randomUUID().slice(0, 8)}`;
      const first: string[] = [];
      let stopping: Promise<void> | undefined;
      const subscription = stream.subscribe({
        group,
        batchSize: 5, // one fetch of all 60, handed over in chunks
        handle: async (batch) => {
          first.push(...batch.map((event) => event.id));
          if (first.length >= 15) stopping ??= subscription.stop();
        },
      });
      await waitFor('the first member stopped', () => stopping !== undefined);
      await stopping;
      expect(first.length).toBeGreaterThanOrEqual(15);
      expect(first.length).toBeLessThan(60);

      const rest: string[] = [];
      const next = stream.subscribe({ group, handle: async (batch) => void rest.push(...batch.map((event) => event.id)) });
      await waitFor('the rest handed to the next member', () => first.length + rest.length >= 60);
      await sleep(500); // room for a redelivery to show
      await next.stop();
      expect(rest.filter((id) => first.includes(id))).toEqual([]);
      expect(new Set([...first, ...rest]).size).toBe(60);
      await stream.close();
    }, 60_000);
  });

  it('runs the whole lake on Kafka: ingest, processing, search, status', async () => {
    await runWholeLake({
      'log.backend': 'kafka',
      'log.kafka.brokers': kafka.brokers,
      'log.kafka.topic': `lake-${randomUUID().slice(0, 8)}`,
      'log.kafka.partitions': 3,
      'redis.url': redis.url,
    });
  }, 120_000);

  it('folds the whole log into each host\'s own SQLite projections: two hosts on one topic answer the same audit trail', async () => {
    const settings = {
      'log.backend': 'kafka',
      'log.kafka.brokers': kafka.brokers,
      'log.kafka.topic': `hosts-${randomUUID().slice(0, 8)}`,
      'log.kafka.partitions': 3,
      'log.kafka.sessionTimeoutMs': 6_000,
      'redis.url': redis.url,
    };
    const [first, second] = await Promise.all([openTestLake(settings), openTestLake(settings)]);
    try {
      first.start('projections');
      second.start('projections');
      const assets = Array.from({ length: 12 }, (_, i) => `host-asset-${i}`);
      for (const assetId of assets) await first.log.append([ingestedDraft(assetId)]);
      // The assets' entries (the trail also holds the default pipelines' deployments).
      const audited = async (lake: typeof first) =>
        new Set((await lake.audit.query({ limit: 200 })).entries.map((entry) => entry.assetId).filter((assetId) => assetId.startsWith('host-asset-')));
      // With one shared group the two would split the partitions, and each file would hold a part of the trail.
      await waitFor('both hosts to hold the whole trail', async () => (await audited(first)).size === 12 && (await audited(second)).size === 12);
      expect([...(await audited(second))].sort()).toEqual([...assets].sort());
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  }, 120_000);

  it('runs the CLI on Kafka: ingest --wait, search and status, each command its own process', async () => {
    const cli = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
    const data = temporaryDirectory();
    const env = {
      ...process.env,
      MEDIALAKE_DATA: data.path,
      MEDIALAKE_LOG_LEVEL: 'silent',
      MEDIALAKE_LOG_BACKEND: 'kafka',
      MEDIALAKE_KAFKA_BROKERS: kafka.brokers.join(','),
      MEDIALAKE_KAFKA_TOPIC: `cli-${randomUUID().slice(0, 8)}`,
      MEDIALAKE_REDIS_URL: redis.url,
      MEDIALAKE_CHAIN_KEY: TEST_CHAIN_KEY,
    };
    const medialake = async (...args: string[]) => JSON.parse((await promisify(execFile)(process.execPath, [cli, ...args, '--json'], { env })).stdout);
    try {
      expect(await medialake('ingest', fixture('jpg/gps'), '--wait')).toEqual({ ingested: 10, duplicates: 0, failed: [], skipped: [], degraded: [], notIngested: [], correlationId: expect.any(String) });
      expect((await medialake('search', 'coolpix')).total).toBe(9);
      const status = await medialake('status');
      expect(status.assets).toEqual({ ready: 10 });
      expect(status.consumers.length).toBeGreaterThan(0);
      expect(status.consumers.every((c: { lag: number }) => c.lag === 0)).toBe(true);
      const chains: { events: number; breaks: unknown[] }[] = await medialake('audit', 'verify');
      expect(chains.reduce((sum, report) => sum + report.events, 0)).toBeGreaterThanOrEqual(10);
      expect(chains.flatMap((report) => report.breaks)).toEqual([]);

      // Another host's data directory, given no keyring: refused, where a key of its own would fork the chain's keys.
      const { MEDIALAKE_CHAIN_KEY: _shared, ...keyless } = env;
      const elsewhere = join(data.path, 'elsewhere');
      const refused = await promisify(execFile)(process.execPath, [cli, 'ingest', fixture('jpg/Canon_40D.jpg')], { env: { ...keyless, MEDIALAKE_DATA: elsewhere } }).then(
        () => 'ingested',
        (error: { code: number; stderr: string }) => `${error.code} ${error.stderr}`,
      );
      expect(refused).toBe(
        '1 medialake: a Kafka log is appended to by every host of the lake, which must all sign with one keyring: set MEDIALAKE_CHAIN_KEY ' +
          '(or MEDIALAKE_CHAIN_KEY_FILE) to the same keyring everywhere (make one with `openssl rand -base64 32`)\n',
      );
      expect(existsSync(join(elsewhere, 'chain.key'))).toBe(false);
    } finally {
      data.remove();
    }
  }, 120_000);
});
