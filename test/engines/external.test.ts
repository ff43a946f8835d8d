// The harness's switch to an engine someone else runs, tested with a real
// redis-server that the harness itself starts first.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { engineAvailable } from './availability';
import { EXTERNAL_ENGINES, engineControllable, externalEndpoint } from './external';
import { redisServerPresent, startRedis } from './redis';

const present = engineAvailable('redis-server', redisServerPresent(), 'install the Debian package redis-server (.ci/run does)');

describe.skipIf(!present)('engines given by environment variables', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reuses the Redis named by MEDIALAKE_TEST_REDIS_URL, and leaves it running on stop', async () => {
    vi.stubEnv('CI', '');
    vi.stubEnv(EXTERNAL_ENGINES.Redis, '');
    const local = await startRedis();
    try {
      vi.stubEnv(EXTERNAL_ENGINES.Redis, local.url);
      const borrowed = await startRedis();
      expect(borrowed.url).toBe(local.url);
      expect(engineControllable('Redis', 'a test that stops Redis')).toBe(false);
      await expect(borrowed.restart()).rejects.toThrow(/Redis is external \(MEDIALAKE_TEST_REDIS_URL\)/);
      await borrowed.stop();

      const client = new Redis(local.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        expect(await client.ping()).toBe('PONG');
      } finally {
        client.disconnect();
      }
    } finally {
      await local.stop();
    }
  });

  it('ignores them under CI, which tests the engines it installed', () => {
    vi.stubEnv(EXTERNAL_ENGINES.Kafka, '127.0.0.1:9092');
    vi.stubEnv('CI', 'true');
    expect(externalEndpoint('Kafka')).toBeUndefined();
    expect(engineControllable('Kafka', 'a broker restart test')).toBe(true);
    vi.stubEnv('CI', '');
    expect(externalEndpoint('Kafka')).toBe('127.0.0.1:9092');
  });
});
