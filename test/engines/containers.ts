// Where the harness's engines run: in containers (testcontainers, the images
// docker-compose.yml names) where a Docker engine answers, else as local
// processes. test/engines/globalSetup.ts decides once per run and says so.
import { request } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { Wait, WaitStrategy } from 'testcontainers';
import { parse } from 'yaml';
import { freePorts } from './freePorts';

/** Set by globalSetup for the test workers: `containers` or `processes`. */
export const ENGINE_HOST_VARIABLE = 'MEDIALAKE_TEST_ENGINE_HOST';

export type EngineHost = 'containers' | 'processes';

/** Whether this run's engines are containers (decided by globalSetup; local processes outside a test run). */
export function enginesInContainers(): boolean {
  return process.env[ENGINE_HOST_VARIABLE] === 'containers';
}

/** Where Docker's API is, as DOCKER_HOST names it or the default socket. */
function dockerEndpoint(environment: NodeJS.ProcessEnv): { socketPath: string } | { host: string; port: number } | undefined {
  const named = environment.DOCKER_HOST?.trim();
  if (!named) return existsSync('/var/run/docker.sock') ? { socketPath: '/var/run/docker.sock' } : undefined;
  if (named.startsWith('unix://')) return { socketPath: named.slice('unix://'.length) };
  const url = new URL(named.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/** Docker's own health check (GET /_ping answers OK), given a second. */
function answersPing(endpoint: { socketPath: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const ping = request({ ...endpoint, path: '/_ping', timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    ping.on('timeout', () => ping.destroy());
    ping.on('error', () => resolve(false));
    ping.end();
  });
}

/** The choice and the one line that reports it. */
export async function chooseEngineHost(environment: NodeJS.ProcessEnv = process.env): Promise<{ host: EngineHost; line: string }> {
  const endpoint = dockerEndpoint(environment);
  const where = environment.DOCKER_HOST?.trim() || '/var/run/docker.sock';
  if (endpoint && (await answersPing(endpoint))) return { host: 'containers', line: `[engines] Docker answers at ${where}: engines run in containers (testcontainers)` };
  return { host: 'processes', line: `[engines] no Docker engine answers at ${where}: engines run as local processes` };
}

interface ContainerSpec {
  /** The docker-compose.yml service whose image it runs, or the image itself where the compose file has none. */
  service?: string;
  image?: string;
  port: number;
  /** Given testcontainers' Wait, which is loaded only when a container starts. */
  wait: (wait: typeof Wait) => WaitStrategy;
  environment?: Record<string, string>;
  command?: string[];
}

const COMPOSE = new URL('../../docker-compose.yml', import.meta.url);

/**
 * Each engine as a container: the image, the port it serves on and when it is
 * ready. Kafka is set up apart (containerKafka), since it must advertise the
 * host's port.
 */
const CONTAINERS = {
  Redis: { service: 'redis', port: 6379, wait: (wait) => wait.forLogMessage('Ready to accept connections'), command: ['redis-server', '--appendonly', 'yes', '--appendfsync', 'always'] },
  OpenSearch: {
    service: 'opensearch',
    port: 9200,
    wait: (wait) => wait.forHttp('/_cluster/health?wait_for_status=yellow', 9200).forStatusCode(200),
    environment: { 'discovery.type': 'single-node', DISABLE_SECURITY_PLUGIN: 'true', DISABLE_INSTALL_DEMO_CONFIG: 'true', OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m' },
  },
  Kinesis: { service: 'kinesis', port: 4567, wait: (wait) => wait.forListeningPorts(), command: ['npx', '--yes', 'kinesalite@3.3.3', '--port', '4567', '--createStreamMs', '0', '--updateStreamMs', '50', '--shardLimit', '1000'] },
  DynamoDB: { service: 'dynamodb', port: 8000, wait: (wait) => wait.forListeningPorts(), command: ['-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb'] },
  // docker-compose.yml runs no SQS: the lake's queue there is AWS's own.
  SQS: { image: 'softwaremill/elasticmq-native:1.6.11', port: 9324, wait: (wait) => wait.forListeningPorts() },
} satisfies Record<string, ContainerSpec>;

export type ContainerEngine = keyof typeof CONTAINERS | 'Kafka';

function imageOf(spec: Pick<ContainerSpec, 'service' | 'image'>): string {
  if (spec.image) return spec.image;
  const compose = parse(readFileSync(COMPOSE, 'utf8')) as { services: Record<string, { image: string }> };
  return compose.services[spec.service!]!.image;
}

export interface EngineContainer {
  /** host:port on this machine. */
  address: string;
  stop(): Promise<void>;
  /** A container's port moves when it restarts: the tests that restart an engine skip (engineControllable). */
  restart(): Promise<void>;
}

/** Starts the engine's container and waits until it is ready. */
export async function startContainer(engine: ContainerEngine): Promise<EngineContainer> {
  if (engine === 'Kafka') return containerKafka();
  const { GenericContainer, Wait } = await import('testcontainers');
  const spec: ContainerSpec = CONTAINERS[engine];
  let container = new GenericContainer(imageOf(spec)).withExposedPorts(spec.port).withWaitStrategy(spec.wait(Wait)).withStartupTimeout(180_000);
  if (spec.environment) container = container.withEnvironment(spec.environment);
  if (spec.command) container = container.withCommand(spec.command);
  const started = await container.start();
  return running(engine, `${started.getHost()}:${started.getMappedPort(spec.port)}`, () => started.stop());
}

/** apache/kafka in KRaft mode, advertising the host port it is published on (fixed before start). */
async function containerKafka(): Promise<EngineContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const [port] = await freePorts(1);
  const started = await new GenericContainer(imageOf({ service: 'kafka' }))
    .withExposedPorts({ container: 9092, host: port! })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'HOST://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `HOST://127.0.0.1:${port}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'HOST:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'HOST',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(180_000)
    .start();
  return running('Kafka', `127.0.0.1:${port}`, () => started.stop());
}

function running(engine: ContainerEngine, address: string, stop: () => Promise<unknown>): EngineContainer {
  return {
    address,
    stop: async () => void (await stop()),
    restart: async () => {
      throw new Error(`${engine} runs in a container; a test that restarts it must skip with engineControllable`);
    },
  };
}
