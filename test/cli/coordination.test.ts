import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Produce } from '../../log/redisAppends';
import { RedisCoordinator } from '../../log/redisCoordinator';
import { engineAvailable } from '../engines/availability';
import { redisClusterPresent, startRedis, startRedisCluster, type RedisClusterEngine, type RedisEngine } from '../engines/redis';
import { ingestedDraft } from '../support/events';
import { medialake } from './medialakeProcess';
import { TEST_CHAIN_KEY } from '../support/chainKey';

const present = engineAvailable('redis-server and redis-cli', redisClusterPresent(), 'install the Debian package redis-server (.ci/run does)');

/** A log that only numbers what it is given: the move concerns Redis alone. */
const produce: Produce = async (events) => events.map((_, i) => ({ partition: '0', offset: String(i) }));

describe.skipIf(!present)('medialake coordination move-to-cluster: a Kafka log’s Redis state, from a single Redis to a Redis Cluster', () => {
  let single: RedisEngine;
  let cluster: RedisClusterEngine;
  const topic = `moved-${randomUUID().slice(0, 8)}`;
  const environment = () => ({ MEDIALAKE_LOG_BACKEND: 'kafka', MEDIALAKE_KAFKA_TOPIC: topic, MEDIALAKE_REDIS_URL: cluster.url, MEDIALAKE_REDIS_CLUSTER: 'true', MEDIALAKE_CHAIN_KEY: TEST_CHAIN_KEY });

  beforeAll(async () => {
    [single, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
  });
  afterAll(async () => {
    await Promise.all([single?.stop(), cluster?.stop()]);
  });

  it('moves the state, after which the cluster hands out the next version, and refuses to move it a second time', async () => {
    const namespace = `medialake:kafka:${topic}`;
    const before = await RedisCoordinator.connect({ url: single.url, namespace });
    await before.appends.ensureState(async () => false);
    const ingest = ingestedDraft('asset-a');
    await before.appends.append([ingest], {}, produce);
    const head = await before.appends.assetHead('asset-a');
    await before.close();

    const moved = await medialake(['coordination', 'move-to-cluster', '--from', single.url, '--json'], environment());
    expect(moved.stderr).toBe('');
    expect(JSON.parse(moved.stdout)).toMatchObject({ namespace, keys: expect.any(Number) });

    const after = await RedisCoordinator.connect({ url: cluster.url, cluster: true, namespace });
    try {
      await after.appends.ensureState(async () => true); // would throw COORDINATION_STATE_LOST without the marker
      expect(await after.appends.assetHead('asset-a')).toEqual(head);
      const [again, next] = await after.appends.append([ingest, ingestedDraft('asset-a')], {}, produce);
      expect([again!.assetVersion, next!.assetVersion]).toEqual([1, 2]);
    } finally {
      await after.close();
    }

    const twice = await medialake(['coordination', 'move-to-cluster', '--from', single.url], environment());
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^medialake: the Redis Cluster already holds state for medialake:kafka:moved-\S+: a lake has run on it/);
  });

  it('says in one line what is missing when the lake is not configured for a cluster', async () => {
    const outcome = await medialake(['coordination', 'move-to-cluster', '--from', single.url], { ...environment(), MEDIALAKE_REDIS_CLUSTER: 'false' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('medialake: the lake is not configured for a Redis Cluster: set redis.url to one of its nodes and redis.cluster (MEDIALAKE_REDIS_CLUSTER=true)\n');
  });
});
