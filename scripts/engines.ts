// The engines the tests use, started as local processes for a trial of the
// scale-out backends without Docker: `npx tsx scripts/engines.ts --help`.
import { Command } from 'commander';
import { newChainKey } from '../log/chainKey';
import { startDynamoDb } from '../test/engines/dynamodb';
import { kafkaPresent, startKafka } from '../test/engines/kafka';
import { startKinesis } from '../test/engines/kinesis';
import { openSearchPresent, startOpenSearch } from '../test/engines/opensearch';
import { redisServerPresent, startRedis } from '../test/engines/redis';
import { startS3 } from '../test/engines/s3';

interface Running {
  environment: Record<string, string>;
  stop(): Promise<void>;
}

const BUCKET = 'medialake';

/**
 * Each engine: what it needs here, and what the lake must be told to use it.
 * s3rver checks signatures against S3RVER/S3RVER; dynalite and kinesalite
 * take any credentials, so that one pair serves all three.
 */
const ENGINES: { name: string; present: () => boolean; install: string; start: () => Promise<Running> }[] = [
  {
    name: 'Redis',
    present: redisServerPresent,
    install: 'apt-get install redis-server',
    start: async () => {
      const redis = await startRedis();
      return { environment: { MEDIALAKE_REDIS_URL: redis.url }, stop: redis.stop };
    },
  },
  {
    name: 'Kafka',
    present: kafkaPresent,
    install: '.ci/engines/kafka.sh (Java 17 and Maven)',
    start: async () => {
      const kafka = await startKafka();
      return { environment: { MEDIALAKE_KAFKA_BROKERS: kafka.brokers.join(','), MEDIALAKE_KAFKA_REPLICATION_FACTOR: '1' }, stop: kafka.stop };
    },
  },
  {
    name: 'Kinesis (kinesalite)',
    present: () => true,
    install: 'npm ci',
    start: async () => {
      const kinesis = await startKinesis();
      return { environment: { MEDIALAKE_KINESIS_ENDPOINT: kinesis.client.endpoint }, stop: kinesis.stop };
    },
  },
  {
    name: 'S3 (s3rver)',
    present: () => true,
    install: 'npm ci',
    start: async () => {
      const s3 = await startS3();
      await s3.createBucket(BUCKET);
      return { environment: { MEDIALAKE_STORAGE_BACKEND: 's3', MEDIALAKE_S3_BUCKET: BUCKET, MEDIALAKE_S3_ENDPOINT: s3.client.endpoint }, stop: s3.stop };
    },
  },
  {
    name: 'DynamoDB (dynalite)',
    present: () => true,
    install: 'npm ci',
    start: async () => {
      const dynamodb = await startDynamoDb();
      return { environment: { MEDIALAKE_RECORDS_BACKEND: 'dynamodb', MEDIALAKE_DYNAMODB_ENDPOINT: dynamodb.client.endpoint }, stop: dynamodb.stop };
    },
  },
  {
    name: 'OpenSearch',
    present: openSearchPresent,
    install: '.ci/engines/opensearch.sh (Java 17 and Maven)',
    start: async () => {
      const opensearch = await startOpenSearch();
      return { environment: { MEDIALAKE_SEARCH_BACKEND: 'opensearch', MEDIALAKE_OPENSEARCH_NODE: opensearch.node }, stop: opensearch.stop };
    },
  },
];

const CREDENTIALS = { MEDIALAKE_AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

/** Kafka when it runs, else kinesalite; either needs Redis to coordinate it, without which the log stays embedded. */
function logBackend(environment: Record<string, string>): Record<string, string> {
  if (!environment.MEDIALAKE_REDIS_URL) {
    console.error('the log stays on SQLite: a Kafka or Kinesis log needs Redis');
    return {};
  }
  // Every process on the shared log signs with one keyring: this one, given to each.
  return { MEDIALAKE_LOG_BACKEND: environment.MEDIALAKE_KAFKA_BROKERS ? 'kafka' : 'kinesis', MEDIALAKE_CHAIN_KEY: newChainKey() };
}

async function main(options: { json?: boolean }): Promise<void> {
  const running: Running[] = [];
  const stopAll = async () => {
    await Promise.allSettled(running.map((engine) => engine.stop()));
    process.exit(0);
  };
  process.once('SIGINT', stopAll).once('SIGTERM', stopAll);
  for (const engine of ENGINES) {
    if (!engine.present()) {
      console.error(`${engine.name}: not here (${engine.install}); the lake keeps its embedded backend for it`);
      continue;
    }
    running.push(await engine.start());
    console.error(`${engine.name}: started`);
  }
  const environment: Record<string, string> = Object.assign({}, CREDENTIALS, ...running.map((engine) => engine.environment));
  Object.assign(environment, logBackend(environment));
  if (options.json) console.log(JSON.stringify(environment));
  else {
    console.log(Object.entries(environment).map(([name, value]) => `export ${name}='${value}'`).join('\n'));
    console.error('Paste the lines above into another shell, then `npx medialake serve`. Data lives in temporary folders and goes with the engines. Ctrl-C stops them.');
  }
}

await new Command('engines')
  .description('start the engines the tests use (Redis, Kafka, kinesalite, s3rver, dynalite, OpenSearch) as local processes and print the environment that points medialake at them')
  .option('--json', 'print the environment as one JSON object')
  .action(main)
  .parseAsync();
