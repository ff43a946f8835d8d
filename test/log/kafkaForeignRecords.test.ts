import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafkaEventLog } from '../../log/kafka';
import { catchUp } from '../../projections/projection';
import { lagSeconds } from '../../projections/lifecycle/lagSeconds';
import { startKafka, type KafkaEngine } from '../engines/kafka';
import { startRedis, type RedisEngine } from '../engines/redis';
import { CountingProjection } from '../support/countingProjection';
import { editDraft, ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { kafkaLakePresent } from '../support/kafkaLake';
import { openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';

/**
 * Law 7 for what other writers put on the topic: a record that is no event
 * is a dead letter of each consumer group, and neither a consumer's progress
 * nor a read stops on it.
 */
describe.skipIf(!kafkaLakePresent())('Kafka log with records on its topic that are no events', () => {
  let kafka: KafkaEngine;
  let redis: RedisEngine;
  const directory = temporaryDirectory();
  const open = (topic: string, partitions = 1) => openKafkaEventLog({ brokers: kafka.brokers, topic, partitions, redisUrl: redis.url, sessionTimeoutMs: 6_000 });

  /** What the tester's script does: another client writes something that is no event to the lake's topic. */
  async function produceForeign(topic: string, key: string): Promise<void> {
    const producer = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages: [{ key, value: '{"not":"an event"}' }] });
    await producer.disconnect();
  }

  const within = <T>(ms: number, what: string, promise: Promise<T>) =>
    Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what} did not end within ${ms} ms`)))]);

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([startKafka(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([kafka?.stop(), redis?.stop()]);
    directory.remove();
  });

  it("moves a self-checkpointing projection past a non-event that ends a partition: its lag reaches 0 and a catch-up ends", async () => {
    const topic = `foreign-last-${randomUUID().slice(0, 8)}`;
    const log = await open(topic);
    const store = new CountingProjection(join(directory.path, 'last.db'));
    try {
      await log.append([ingestedDraft('asset-a'), editDraft('asset-a', 'a title')]);
      await produceForeign(topic, 'garbage');

      await within(30_000, 'the catch-up', catchUp(log, store, pino({ level: 'silent' })));

      expect(await store.positions()).toEqual({ '0': '2' });
      expect(await log.lag(await store.positions())).toBe(0);
      expect(store.effects().size).toBe(2);
      expect((await log.deadLetters({ group: store.name })).map((letter) => letter.eventId)).toEqual(['record 0/2']);
    } finally {
      await log.close();
      await store.close();
    }
  }, 60_000);

  it('reads past non-events: readAll, readAsset, readAt and lagSeconds leave them out', async () => {
    const topic = `foreign-reads-${randomUUID().slice(0, 8)}`;
    const log = await open(topic);
    try {
      await produceForeign(topic, 'asset-b');
      const appended = await log.append([ingestedDraft('asset-b'), editDraft('asset-b', 'a title')]);
      await produceForeign(topic, 'asset-b');

      const all = [];
      for await (const batch of log.readAll()) all.push(...batch);
      expect(all).toStrictEqual(appended);
      expect(await log.readAsset('asset-b')).toStrictEqual(appended);
      expect(await log.readAt({ partition: '0', offset: '0' })).toBeUndefined();
      expect(await log.readAt({ partition: '0', offset: '1' })).toStrictEqual(appended[0]);
      expect(await log.readAfter('0', undefined, 5)).toStrictEqual(appended);
      expect(await lagSeconds(log, {}, await log.lag({}))).toEqual(expect.any(Number));
    } finally {
      await log.close();
    }
  }, 60_000);

  it('rebuilds a projection and tells its status on a topic with non-events first and last', async () => {
    const topic = `foreign-lake-${randomUUID().slice(0, 8)}`;
    const created = await open(topic);
    await produceForeign(topic, 'garbage');
    await created.close();
    const lake = await openTestLake({ 'log.backend': 'kafka', 'log.kafka.brokers': kafka.brokers, 'log.kafka.topic': topic, 'log.kafka.partitions': 1, 'redis.url': redis.url });
    try {
      await lake.log.append([ingestedDraft('asset-c')]);
      await produceForeign(topic, 'asset-c');

      // Not started: every projection is behind, so status reads the oldest event after its position (the non-event first).
      const status = await lake.projections.status('cameras');
      expect(status).toEqual([expect.objectContaining({ name: 'cameras', lag: expect.any(Number), lagSeconds: expect.any(Number) })]);
      expect(status[0]!.lag).toBeGreaterThan(0);

      const rebuilt = await within(60_000, 'the rebuild', lake.projections.rebuild('cameras'));
      expect(rebuilt).toMatchObject({ projection: 'cameras', state: 'done' });
      expect(await lake.log.lag(await lake.cameras.positions())).toBe(0);
    } finally {
      await lake.close();
    }
  }, 120_000);

  it("counts a per-host projection's dead letters under the group it consumes as, the label its lag and handled events carry", async () => {
    const topic = `foreign-hosts-${randomUUID().slice(0, 8)}`;
    const lake = await openTestLake({ 'log.backend': 'kafka', 'log.kafka.brokers': kafka.brokers, 'log.kafka.topic': topic, 'log.kafka.partitions': 1, 'redis.url': redis.url });
    try {
      lake.start('projections');
      await lake.log.append([ingestedDraft('asset-d')]);
      await produceForeign(topic, 'garbage');
      const audit = async () => (await lake.consumers()).find((consumer) => consumer.group.startsWith('projection:audit'));
      await waitFor('the audit trail past the non-event', async () => (await audit())?.lag === 0 && (await audit())?.deadLetters === 1);

      const { group } = (await audit())!;
      expect(group).toMatch(/^projection:audit@[0-9a-f-]{36}$/);
      const { text } = await lake.metrics.exposition();
      expect(text).toContain(`medialake_dead_letters{consumer="${group}"} 1`);
      expect(text).toContain(`medialake_consumer_lag_events{consumer="${group}",partition="0"} 0`);
      expect(text).toMatch(new RegExp(`medialake_consumer_events_total\\{consumer="${group}"\\} [1-9]`));
    } finally {
      await lake.close();
    }
  }, 120_000);
});
