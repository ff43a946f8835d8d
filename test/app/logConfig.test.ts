import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';

describe('configuring the log on Kafka or Kinesis', () => {
  it('reads brokers, topic, partitions and Redis from MEDIALAKE_* variables', () => {
    const config = loadConfig(
      {},
      {
        MEDIALAKE_LOG_BACKEND: 'kafka',
        MEDIALAKE_KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
        MEDIALAKE_KAFKA_TOPIC: 'lake-events',
        MEDIALAKE_KAFKA_PARTITIONS: '24',
        MEDIALAKE_KAFKA_REPLICATION_FACTOR: '3',
        MEDIALAKE_REDIS_URL: 'redis://coordination:6379',
      },
    );
    expect(config.log).toMatchObject({
      backend: 'kafka',
      kafka: { brokers: ['kafka-1:9092', 'kafka-2:9092'], topic: 'lake-events', partitions: 24, replicationFactor: 3 },
    });
    expect(config.redis).toMatchObject({ url: 'redis://coordination:6379', cluster: false });
  });

  it('talks to a Redis Cluster when MEDIALAKE_REDIS_CLUSTER says so, the URL naming one of its nodes', () => {
    const config = loadConfig({}, { MEDIALAKE_REDIS_URL: 'rediss://clustercfg.coordination:6379', MEDIALAKE_REDIS_CLUSTER: 'true' });
    expect(config.redis).toMatchObject({ url: 'rediss://clustercfg.coordination:6379', cluster: true });
  });

  it('reads the stream, its shards and a local endpoint for Kinesis', () => {
    const config = loadConfig(
      {},
      { MEDIALAKE_LOG_BACKEND: 'kinesis', MEDIALAKE_KINESIS_STREAM: 'lake', MEDIALAKE_KINESIS_SHARDS: '8', MEDIALAKE_KINESIS_ENDPOINT: 'http://localhost:4567' },
    );
    expect(config.log).toMatchObject({ backend: 'kinesis', kinesis: { stream: 'lake', shards: 8, endpoint: 'http://localhost:4567' } });
  });

  it('says which setting is wrong', () => {
    expect(() => loadConfig({}, { MEDIALAKE_REDIS_URL: 'coordination:6379' })).toThrow(/redis\.url: a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig({}, { MEDIALAKE_KAFKA_PARTITIONS: '0' })).toThrow(/log\.kafka\.partitions/);
  });
});
