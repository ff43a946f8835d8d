import { enginesInContainers } from './containers';

// Engines a developer already runs (docker compose up, see docker-compose.yml),
// named by environment variables. Outside CI the harnesses use them instead of
// starting their own; CI always tests the engines .ci/run installed.

/** The variable that names each engine's endpoint. */
export const EXTERNAL_ENGINES = {
  Kafka: 'MEDIALAKE_TEST_KAFKA_BROKERS', // host:port,host:port
  Redis: 'MEDIALAKE_TEST_REDIS_URL', // redis://host:port
  RedisCluster: 'MEDIALAKE_TEST_REDIS_CLUSTER_URL', // redis://host:port of one node
  Kinesis: 'MEDIALAKE_TEST_KINESIS_ENDPOINT', // http://host:port
  OpenSearch: 'MEDIALAKE_TEST_OPENSEARCH_NODE', // http://host:port
} as const;

export type ExternalEngine = keyof typeof EXTERNAL_ENGINES;

/** The endpoint of an engine run outside the tests, or undefined when the harness starts its own. */
export function externalEndpoint(engine: ExternalEngine): string | undefined {
  if (process.env.CI) return undefined;
  return process.env[EXTERNAL_ENGINES[engine]]?.trim() || undefined;
}

/**
 * Whether the tests may stop or restart the engine: not one they did not
 * start. Says so when they may not; use the result with it.skipIf.
 */
export function engineControllable(engine: ExternalEngine, test: string): boolean {
  if (enginesInContainers()) {
    console.warn(`[skipped] ${test}: it stops or restarts ${engine}, which runs in a container here (test/engines/containers.ts).`);
    return false;
  }
  const endpoint = externalEndpoint(engine);
  if (!endpoint) return true;
  console.warn(`[skipped] ${test}: it stops or restarts ${engine}, and ${engine} is the external one at ${endpoint} (${EXTERNAL_ENGINES[engine]}).`);
  return false;
}

/** An engine the tests did not start: stop() leaves it running, restart() refuses. */
export function borrowed(engine: ExternalEngine) {
  return {
    async stop(): Promise<void> {},
    async restart(): Promise<void> {
      throw new Error(`${engine} is external (${EXTERNAL_ENGINES[engine]}); a test that restarts it must skip with engineControllable`);
    },
  };
}
