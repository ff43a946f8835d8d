import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisClient } from '../../log/redisClient';
import { RedisCoordinator } from '../../log/redisCoordinator';
import { redisKinds, type RedisClusterEngine } from '../engines/redis';

const letter = (group: string, eventId: string, second: number) => ({
  group,
  eventId,
  assetId: 'asset-a',
  attempts: 3,
  error: 'failed',
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
});

for (const { engine, present, start, cluster } of redisKinds()) describe.skipIf(!present)(`dead letters of a partitioned log, on ${engine}`, () => {
  let redis: RedisClusterEngine;
  beforeAll(async () => {
    redis = await start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('lists dead letters filed before they were kept in order, once, in order', async () => {
    const namespace = `test:${randomUUID()}`;
    const key = (...parts: string[]) => (cluster ? `{${namespace}}` : namespace) + `:${parts.join(':')}`;
    const older = [letter('processor:a', 'e1', 1), letter('processor:b', 'e2', 2), letter('processor:a', 'e3', 3)];
    // As the code before the orders filed them: a hash per group and the set of groups, nothing else.
    const client = redisClient({ url: redis.url, cluster }, { maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      for (const entry of older) {
        await client.sadd(key('dead-letter-groups'), entry.group);
        await client.hset(key('dead-letters', entry.group), entry.eventId, JSON.stringify(entry));
      }
    } finally {
      client.disconnect();
    }
    const coordinator = await RedisCoordinator.connect({ url: redis.url, cluster, namespace });
    try {
      const newer = letter('processor:b', 'e4', 4);
      await coordinator.deadLetters.add(newer);
      expect(await coordinator.deadLetters.list({ limit: 2 })).toEqual([newer, older[2]]);
      expect(await coordinator.deadLetters.list({ group: 'processor:a' })).toEqual([older[2], older[0]]);
      expect(await coordinator.deadLetters.list({ assetId: 'asset-a', after: older[1] })).toEqual([older[0]]);
      await coordinator.deadLetters.remove([{ group: 'processor:a', eventId: 'e3' }]);
      expect(await coordinator.deadLetters.list()).toEqual([newer, older[1], older[0]]);
    } finally {
      await coordinator.close();
    }
  });
});
