/**
 * The coordinator's append protocol (reserve, produce, commit:
 * log/redisAppends.ts) on a Redis Cluster of three redis-server processes,
 * where a log's keys share one slot, vs a single Redis, both started here
 * (test/engines/redis.ts) with `appendfsync always`. Events/s in batches of
 * 500 distinct assets; "the log" is an array, so the ratio is what the
 * cluster client and the cluster itself cost the coordination alone.
 */
import { randomUUID } from 'node:crypto';
import type { Produce } from '../log/redisAppends';
import { RedisCoordinator } from '../log/redisCoordinator';
import { startRedis, startRedisCluster } from '../test/engines/redis';
import { ingestedDraft } from '../test/support/events';
import { compare, rate } from './report';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BATCH = 500;

const produce: Produce = async (events) => events.map((_, i) => ({ partition: '0', offset: String(i) }));

async function appendRate(url: string, cluster: boolean): Promise<number> {
  const coordinator = await RedisCoordinator.connect({ url, cluster, namespace: `bench:${randomUUID()}` });
  const drafts = Array.from({ length: EVENTS }, () => ingestedDraft(`asset-${randomUUID()}`));
  const perSecond = await rate(EVENTS, async () => {
    for (let i = 0; i < drafts.length; i += BATCH) await coordinator.appends.append(drafts.slice(i, i + BATCH), {}, produce);
  });
  await coordinator.close();
  return perSecond;
}

const [single, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
try {
  await compare(
    `Coordinator appends, batches of ${BATCH} (${EVENTS} events)`,
    { label: 'on a Redis Cluster (3 nodes, one slot per log)', run: () => appendRate(cluster.url, true) },
    { label: 'on a single Redis', run: () => appendRate(single.url, false) },
    0.9,
  );
} finally {
  await Promise.all([single.stop(), cluster.stop()]);
}
