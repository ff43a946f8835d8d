import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { KafkaEngine } from '../engines/kafka';
import type { RedisEngine } from '../engines/redis';

/** The environment that puts the CLI on a fresh topic of the test broker, coordinated by the test Redis, with its data in `directory`. */
export function kafkaLakeEnvironment(kafka: KafkaEngine, redis: RedisEngine, directory: string, partitions: number) {
  return {
    MEDIALAKE_DATA: join(directory, 'lake'),
    MEDIALAKE_LOG_BACKEND: 'kafka',
    MEDIALAKE_KAFKA_BROKERS: kafka.brokers.join(','),
    MEDIALAKE_KAFKA_TOPIC: `lake-${randomUUID().slice(0, 8)}`,
    MEDIALAKE_KAFKA_PARTITIONS: String(partitions),
    MEDIALAKE_REDIS_URL: redis.url,
  };
}
