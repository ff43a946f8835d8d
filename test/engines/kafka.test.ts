// Real broker, no mocks: proves the engine harness works and that kafkajs 2.2.4
// can produce/consume against it, including across a broker restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel, type Consumer, type Producer } from 'kafkajs';
import { kafkaPresent, startKafka, type KafkaEngine } from './kafka';
import { engineAvailable } from './availability';
import { engineControllable } from './external';
import { waitFor } from '../support/waitFor';

const present = engineAvailable('Kafka', kafkaPresent(), 'run .ci/engines/kafka.sh from the repo root');

interface Got { key: string; value: number; partition: number; offset: bigint }

describe.skipIf(!present || !engineControllable('Kafka', 'the Kafka engine test'))('kafka engine (real broker)', () => {
  let engine: KafkaEngine;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    engine = await startKafka();
  }, 90_000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
    await engine?.stop();
  }, 30_000);

  it('produces and consumes keyed messages, and survives a broker restart', async () => {
    const topic = 'engine-smoke';
    const groupId = 'engine-smoke-group';
    const keys = Array.from({ length: 10 }, (_, i) => `key-${i}`);
    // NOTHING: the restart makes kafkajs log expected connection errors.
    const kafka = new Kafka({ clientId: 'engine-test', brokers: engine.brokers, logLevel: logLevel.NOTHING });

    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);

    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const produce = async (from: number, to: number) => {
      // value n goes to key n % 10, so per-key order is checkable from the values alone.
      const messages = [];
      for (let n = from; n < to; n++) messages.push({ key: `key-${n % keys.length}`, value: String(n) });
      await producer!.send({ topic, messages });
    };

    const got: Got[] = [];
    // Short long-poll: disconnect() waits for the in-flight fetch (default 5 s).
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        got.push({ key: message.key!.toString(), value: Number(message.value!.toString()), partition, offset: BigInt(message.offset) });
      },
    });

    const committedTotal = async () =>
      (await admin.fetchOffsets({ groupId, topics: [topic] }))
        .flatMap((t) => t.partitions)
        .reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);

    // Phase 1: before the restart.
    await produce(0, 30);
    await waitFor('30 messages consumed', () => got.length >= 30);
    // Wait for the commit too, so the restart cannot cause legitimate redelivery.
    await waitFor('offsets committed', async () => (await committedTotal()) === 30);

    await engine.restart();

    // Phase 2: same clients, same ports, same data dir; they must reconnect on their own.
    await produce(30, 60);
    await waitFor('60 messages consumed', () => got.length >= 60, 60_000);
    await new Promise((r) => setTimeout(r, 500)); // give a stray duplicate the chance to show up
    await waitFor('offsets committed after restart', async () => (await committedTotal()) === 60);

    // Exactly once each (offsets were committed before the restart, shutdown was clean).
    expect(got.map((g) => g.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));

    // Keyed partitioning: one partition per key, and the 10 keys spread over all 3 partitions.
    const partitionOf = new Map<string, number>();
    for (const g of got) {
      expect(partitionOf.get(g.key) ?? g.partition).toBe(g.partition);
      partitionOf.set(g.key, g.partition);
    }
    expect(new Set(partitionOf.values()).size).toBe(3);

    // Per key, values arrive in produce order; per partition, offsets strictly increase (0..n-1).
    for (const key of keys) {
      const values = got.filter((g) => g.key === key).map((g) => g.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values).toHaveLength(6);
    }
    for (const p of [0, 1, 2]) {
      const offsets = got.filter((g) => g.partition === p).map((g) => g.offset);
      expect(offsets).toEqual(offsets.map((_, i) => BigInt(i)));
    }

    await admin.disconnect();
  }, 120_000);
});
