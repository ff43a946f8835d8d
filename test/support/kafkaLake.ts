import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { engineAvailable } from '../engines/availability';
import { TEST_CHAIN_KEY } from './chainKey';
import { kafkaPresent, type KafkaEngine } from '../engines/kafka';
import { redisServerPresent, type RedisEngine } from '../engines/redis';

/** Whether the tests have a Kafka broker and a Redis to coordinate it (engines/availability.ts: under CI a missing one fails). */
export function kafkaLakePresent(): boolean {
  return (
    engineAvailable('Kafka', kafkaPresent(), 'run .ci/engines/kafka.sh') &&
    engineAvailable('redis-server', redisServerPresent(), 'install the Debian package redis-server (.ci/run does)')
  );
}

/** The environment that puts the CLI on a fresh topic of the test broker, coordinated by the test Redis, with its data in `directory`. */
export function kafkaLakeEnvironment(kafka: KafkaEngine, redis: RedisEngine, directory: string, partitions: number) {
  return {
    MEDIALAKE_DATA: join(directory, 'lake'),
    MEDIALAKE_LOG_BACKEND: 'kafka',
    MEDIALAKE_KAFKA_BROKERS: kafka.brokers.join(','),
    MEDIALAKE_KAFKA_TOPIC: `lake-${randomUUID().slice(0, 8)}`,
    MEDIALAKE_KAFKA_PARTITIONS: String(partitions),
    MEDIALAKE_REDIS_URL: redis.url,
    MEDIALAKE_CHAIN_KEY: TEST_CHAIN_KEY,
  };
}
