import { traceAppends } from '../log/tracedAppends';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ChainKeyError, ChainKeyring } from '../log/chainKey';
import { isCoordinationUnavailable } from '../log/redisConnection';
import type { EventLog } from '../log/eventLog';
import { SqliteEventLog } from '../log/sqlite';
import { sealPersonalData } from '../log/sealedLog';
import type { SubjectKeys } from '../log/subjectKeys';
import { openSqliteSubjectKeys } from '../log/sqliteSubjectKeys';
import type { ObjectStore } from '../storage/objectStore';
import { LocalDirectoryStore } from '../storage/localDirectory';
import type { S3ClientOptions } from '../storage/s3';
import type { AssetRecords } from '../projections/assets/assetRecords';
import { SqliteAssetRecords } from '../projections/assets/sqlite';
import type { SearchIndex } from '../projections/search/searchIndex';
import { SqliteSearchIndex } from '../projections/search/sqlite';
import type { VectorIndex } from '../projections/vectors/vectorIndex';
import { SqliteVectorIndex } from '../projections/vectors/sqlite';
import { DEFAULT_APPROXIMATE } from '../projections/vectors/vectorSpace';
import type { DuplicateGroups } from '../projections/duplicates/duplicateGroups';
import { SqliteDuplicateGroups } from '../projections/duplicates/sqlite';
import type { CameraInventory } from '../projections/cameras/cameraInventory';
import { SqliteCameraInventory } from '../projections/cameras/sqlite';
import type { AuditTrail } from '../projections/audit/auditTrail';
import { COLLECTIONS, type Collections } from '../projections/collections/collections';
import { SqliteCollections } from '../projections/collections/sqlite';
import { SqliteAuditTrail } from '../projections/audit/sqlite';
import type { PrincipalDirectory } from '../projections/principals/principalDirectory';
import { PRINCIPALS } from '../projections/principals/principalDirectory';
import { SqlitePrincipalDirectory } from '../projections/principals/sqlite';
import type { ProjectionDefinition } from '../projections/projection';
import type { SqliteProjection } from '../projections/sqliteProjection';
import type { SqliteGenerationsOptions } from '../projections/lifecycle/sqliteGenerations';
import {
  RebuildableSqliteAssetRecords,
  RebuildableSqliteAuditTrail,
  RebuildableSqliteCameraInventory,
  RebuildableSqliteCollections,
  RebuildableSqlitePrincipalDirectory,
  RebuildableSqlitePipelineHistory,
  RebuildableSqliteDuplicateGroups,
  RebuildableSqliteSearchIndex,
  RebuildableSqliteVectorIndex,
} from '../projections/lifecycle/rebuildableSqliteStores';
import { ASSET_RECORDS, DUPLICATE_GROUPS, SEARCH_INDEX, VECTOR_INDEX } from '../projections/registry';
import { CAMERA_INVENTORY } from '../projections/cameras/cameraInventory';
import { AUDIT_TRAIL } from '../projections/audit/auditTrail';
import { PIPELINE_HISTORY, type PipelineHistory } from '../projections/pipelines/pipelineHistory';
import { SqlitePipelineHistory } from '../projections/pipelines/sqlite';
import { EnvironmentSecrets, FileSecrets, type SecretStore } from '../storage/secretStore';
import { modelSource } from '../processors/modelSource';
import { startEmbedder, type Embedder } from '../processors/embedder';
import type { MediaConvertJobs } from '../processors/mediaConvert';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config';

/**
 * One function per concern, one case per backend: the configuration chooses,
 * the code never changes. The embedded defaults keep everything under the
 * data directory. Scale-out backends are imported when chosen, so a command
 * on the embedded default never loads their clients.
 */
function dataPath(config: Config, name: string): string {
  return join(dataDirectory(config), name);
}

/** A data directory the lake cannot use, said in one line that names it. */
export class DataDirectoryError extends Error {
  readonly code = 'DATA_DIRECTORY';
}

/**
 * The data directory, made when missing. One that cannot be used is refused
 * here, naming it: else the first write fails as SQLite's "attempt to write a
 * readonly database", or mkdir's EEXIST for a file, naming neither. Even a
 * command that only reads writes there (the databases' write-ahead logs).
 */
function dataDirectory(config: Config): string {
  const directory = config.data;
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST') throw new DataDirectoryError(`${directory} is a file, not a directory: give --data (or MEDIALAKE_DATA) a directory`);
    if (code === 'ENOTDIR') throw new DataDirectoryError(`the data directory ${directory} cannot be made: part of its path is a file, not a directory`);
    throw new DataDirectoryError(`the data directory ${directory} cannot be made (${message})`);
  }
  try {
    accessSync(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new DataDirectoryError(
      `the data directory ${directory} is not writable (${(error as NodeJS.ErrnoException).code}): the lake writes there even to read; run as a user that may write it`,
    );
  }
  for (const name of readdirSync(directory).filter((entry) => SQLITE_FILE.test(entry))) writableFile(join(directory, name));
  return directory;
}

/** The lake's databases and their write-ahead logs: what SQLite opens to write, even to read. Other files (a read-only chain.key, lost+found) the lake leaves be. */
const SQLITE_FILE = /\.db(?:-wal|-shm)?$/;

/** A database of the data directory the lake may write (not one made by another user, say root): else refused, naming it. */
function writableFile(path: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') return; // removed meanwhile (another process's write-ahead log)
    throw new DataDirectoryError(`${path} in the data directory is not writable (${code}): the lake writes its files even to read; run as the user that owns them`);
  }
}

/**
 * Who this data directory is among the hosts of a partitioned log: a UUID
 * made at first use and kept in the directory, so a restarted host (or its
 * container on the same volume) is the same one.
 */
export function dataDirectoryId(config: Config): string {
  const path = dataPath(config, 'host-id');
  try {
    writeFileSync(path, `${randomUUID()}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // made before, or by a process starting beside this one
  }
  return readFileSync(path, 'utf8').trim();
}

/** An embedded projection's generations: a SQLite file each in the data directory, rebuildable beside the live one. */
function embeddedGenerations<S extends SqliteProjection>(config: Config, definition: ProjectionDefinition, open: (path: string) => S): SqliteGenerationsOptions<S> {
  return { directory: dataDirectory(config), definition, open };
}

/** The configured log, with personal data sealed under subject keys (log/sealedLog.ts) and its appends traced. */
export async function openEventLog(config: Config, logger?: Logger, keys?: SubjectKeys): Promise<EventLog> {
  const [log, subjectKeys] = await Promise.all([openBackendLog(config, logger), keys ?? openSubjectKeys(config)]);
  return traceAppends(sealPersonalData(log, subjectKeys));
}

/** The keys the log's hash chain is signed with: configured, or a file in the data directory made on first use. */
export function openChainKeys(config: Pick<Config, 'chain'>, directory: string): ChainKeyring {
  // Signing with a key of the data directory's instead would fork the chain's keys unnoticed.
  if (config.chain.keySecret && !config.chain.key) throw new ChainKeyError(`chain.keySecret (${config.chain.keySecret}) is read on AWS Lambda only; elsewhere give the keyring as chain.key or chain.keyFile`);
  return new ChainKeyring({ key: config.chain.key, keyFile: config.chain.keyFile, defaultFile: join(directory, 'chain.key') });
}

/**
 * An engine's failure while the lake opens, naming the engine and where it
 * was asked ("connect ECONNREFUSED 127.0.0.1:1" says neither). Configuration
 * errors and Redis' own (which names Redis) pass as they are.
 */
async function reaching<T>(engine: string, where: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof ConfigError || isCoordinationUnavailable(error)) throw error;
    throw new Error(`${engine} at ${where}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The keyring of a Kafka or Kinesis log, which every host of the lake appends
 * to: configured, or a `chain.key` already in the data directory (put there
 * by hand), never one made there. A key each data directory made for itself
 * would sign each host's appends with its own key, and every other host
 * would then find links it cannot check, and stop.
 */
function sharedChainKeys(config: Config): ChainKeyring {
  const { key, keyFile } = config.chain;
  if (key === undefined && keyFile === undefined && !existsSync(dataPath(config, 'chain.key'))) {
    throw new ChainKeyError(
      `a ${config.log.backend === 'kafka' ? 'Kafka' : 'Kinesis'} log is appended to by every host of the lake, which must all sign with one keyring: ` +
        'set MEDIALAKE_CHAIN_KEY (or MEDIALAKE_CHAIN_KEY_FILE) to the same keyring everywhere (make one with `openssl rand -base64 32`)',
    );
  }
  return openChainKeys(config, config.data);
}

function openBackendLog(config: Config, logger?: Logger): Promise<EventLog> | EventLog {
  const chainKeys = config.log.backend === 'sqlite' ? openChainKeys(config, config.data) : sharedChainKeys(config);
  switch (config.log.backend) {
    case 'sqlite':
      return new SqliteEventLog({ path: dataPath(config, 'log.db'), sync: config.log.sync, chainKeys });
    case 'kafka':
      return reaching('Kafka', config.log.kafka.brokers.join(','), async () => {
        const { openKafkaEventLog } = await import('../log/kafka');
        return openKafkaEventLog({ ...config.log.kafka, redisUrl: config.redis.url, redisCluster: config.redis.cluster, lockMs: config.redis.lockMs, logger, chainKeys });
      });
    case 'kinesis':
      return import('../log/kinesis').then(({ openKinesisEventLog }) =>
        openKinesisEventLog({ ...config.log.kinesis, region: config.aws.region, redisUrl: config.redis.url, redisCluster: config.redis.cluster, lockMs: config.redis.lockMs, logger, chainKeys }),
      );
  }
}

/** Where a Kafka or Kinesis log keeps its state in Redis (log/redisCoordinator.ts); undefined for the embedded log, which needs no Redis. */
export function coordinationNamespace(config: Config): string | undefined {
  if (config.log.backend === 'kafka') return `medialake:kafka:${config.log.kafka.topic}`;
  if (config.log.backend === 'kinesis') return `medialake:kinesis:${config.log.kinesis.stream}`;
  return undefined;
}

/** Beside the embedded log; in the Redis that coordinates a Kafka or Kinesis log. */
export async function openSubjectKeys(config: Config): Promise<SubjectKeys> {
  switch (config.log.backend) {
    case 'sqlite':
      return openSqliteSubjectKeys(dataPath(config, 'keys.db'), dataPath(config, 'log.db'));
    case 'kafka':
    case 'kinesis': {
      const { RedisSubjectKeys } = await import('../log/redisSubjectKeys');
      return RedisSubjectKeys.connect({ ...config.redis, namespace: coordinationNamespace(config)! });
    }
  }
}

export async function openObjectStore(config: Config): Promise<ObjectStore> {
  switch (config.storage.backend) {
    case 'local':
      return new LocalDirectoryStore(dataPath(config, 'objects'));
    case 's3': {
      const { S3ObjectStore } = await import('../storage/s3');
      const { bucket, prefix, endpoint } = config.storage.s3;
      return reaching('S3', endpoint ?? `region ${config.aws.region}`, () => S3ObjectStore.open({ ...s3ClientOptions(config), bucket: bucket!, prefix }));
    }
  }
}

export async function openAssetRecords(config: Config): Promise<AssetRecords> {
  switch (config.records.backend) {
    case 'sqlite':
      return new RebuildableSqliteAssetRecords(embeddedGenerations(config, ASSET_RECORDS, (path) => new SqliteAssetRecords(path)));
    case 'dynamodb': {
      const { DynamoDbAssetRecords } = await import('../projections/assets/dynamodb');
      const { table, endpoint, createTable } = config.records.dynamodb;
      return reaching('DynamoDB', endpoint ?? `table ${table}`, () => DynamoDbAssetRecords.open({ table, endpoint, createTable, region: config.aws.region }));
    }
  }
}

export async function openSearchIndex(config: Config): Promise<SearchIndex> {
  switch (config.search.backend) {
    case 'sqlite':
      return new RebuildableSqliteSearchIndex(embeddedGenerations(config, SEARCH_INDEX, (path) => new SqliteSearchIndex(path)));
    case 'opensearch': {
      const { OpenSearchSearchIndex } = await import('../projections/search/opensearch');
      return reaching('OpenSearch', config.search.opensearch.node, () => OpenSearchSearchIndex.open(openSearchOptions(config)));
    }
  }
}

/** search.opensearch, with the region SigV4 signs for. */
function openSearchOptions(config: Config) {
  const { sigv4, ...opensearch } = config.search.opensearch;
  const region = config.aws.region ?? process.env.AWS_REGION;
  if (sigv4 && !region) throw new ConfigError('search.opensearch.sigv4 needs a region: set aws.region or MEDIALAKE_AWS_REGION');
  return { ...opensearch, ...(sigv4 && { sigv4: { region: region! } }) };
}

/** The S3 API the lake's store and its connected buckets are reached at. */
export function s3ClientOptions(config: Config): S3ClientOptions {
  const { endpoint, forcePathStyle } = config.storage.s3;
  return { region: config.aws.region, endpoint, forcePathStyle };
}

/** The vector index follows the search backend: on OpenSearch, k-NN indices beside the search alias, one per model. */
export async function openVectorIndex(config: Config): Promise<VectorIndex> {
  switch (config.search.backend) {
    case 'sqlite': {
      const { approximateFrom: from, efSearch } = config.search.vectors;
      const approximate = { ...DEFAULT_APPROXIMATE, from, efSearch };
      return new RebuildableSqliteVectorIndex(embeddedGenerations(config, VECTOR_INDEX, (path) => new SqliteVectorIndex(path, approximate)));
    }
    case 'opensearch': {
      const { OpenSearchVectorIndex } = await import('../projections/vectors/opensearch');
      const { index, ...opensearch } = openSearchOptions(config);
      // INDEX_vectors-…: a name under INDEX-v… would take the search index's template.
      return reaching('OpenSearch', opensearch.node, () => OpenSearchVectorIndex.open({ ...opensearch, prefix: `${index}_vectors` }));
    }
  }
}

/** Embedded on every deployment: one consumer builds the groups, which are small. */
export async function openDuplicateGroups(config: Config): Promise<DuplicateGroups> {
  return new RebuildableSqliteDuplicateGroups(embeddedGenerations(config, DUPLICATE_GROUPS, (path) => new SqliteDuplicateGroups(path)));
}

/** Embedded on every deployment: the worked example of a projection added without a processor change. */
export async function openCameraInventory(config: Config): Promise<CameraInventory> {
  return new RebuildableSqliteCameraInventory(embeddedGenerations(config, CAMERA_INVENTORY, (path) => new SqliteCameraInventory(path)));
}

/** Embedded on every deployment, whichever the log: the runner reads the deployed definitions from it. */
export async function openPipelineHistory(config: Config): Promise<PipelineHistory> {
  return new RebuildableSqlitePipelineHistory(embeddedGenerations(config, PIPELINE_HISTORY, (path) => new SqlitePipelineHistory(path)));
}

/** Pipeline nodes' credentials: a file beside the data (default), the environment, or AWS Secrets Manager. */
export async function openSecretStore(config: Config): Promise<SecretStore> {
  const { secrets, secretsFile, secretsPrefix, secretsEndpoint } = config.pipelines;
  switch (secrets) {
    case 'environment':
      return new EnvironmentSecrets();
    case 'secrets-manager': {
      const { SecretsManagerSecrets } = await import('../storage/secretsManager');
      return new SecretsManagerSecrets({ prefix: secretsPrefix, region: config.aws.region, endpoint: secretsEndpoint });
    }
    case 'file':
      return new FileSecrets(secretsFile ?? join(config.data, 'secrets.json'));
  }
}

/** Embedded on every deployment, whichever the log: audit queries and SQL run on it. */
export async function openAuditTrail(config: Config): Promise<AuditTrail> {
  return new RebuildableSqliteAuditTrail(embeddedGenerations(config, AUDIT_TRAIL, (path) => new SqliteAuditTrail(path)));
}

/**
 * Embedded on every deployment, whichever the log: the collections are few,
 * and visibility is asked of them on every request (api/visibility.ts).
 */
export async function openCollections(config: Config): Promise<Collections> {
  return new RebuildableSqliteCollections(embeddedGenerations(config, COLLECTIONS, (path) => new SqliteCollections(path)));
}

/** The configured CLIP model in its own thread; undefined when embeddings are off (the default without a model). */
/** The local principals: SQLite on every log backend (a small table each node folds for itself). */
export async function openPrincipalDirectory(config: Config): Promise<PrincipalDirectory> {
  return new RebuildableSqlitePrincipalDirectory(embeddedGenerations(config, PRINCIPALS, (path) => new SqlitePrincipalDirectory(path)));
}

export function openEmbedder(config: Config): Embedder | undefined {
  const { model, enabled, revision, batchSize, dtype, offline, cacheDir } = config.embeddings;
  if (!model || enabled === false) return undefined;
  return startEmbedder({
    source: modelSource(model, revision),
    offline,
    cacheDir: cacheDir ?? join(config.data, 'models'),
    dtype,
    maxInputPixels: config.processors.maxInputPixels,
    batchSize,
  });
}

/** The proxy's MediaConvert jobs when processors.video.backend says so (the configuration's check made sure of S3, a role and a queue). */
export async function openProxyJobs(config: Config, log: EventLog, store: ObjectStore, logger: Logger): Promise<MediaConvertJobs | undefined> {
  const { backend, mediaconvert } = config.processors.video;
  if (backend !== 'mediaconvert') return undefined;
  const [{ MediaConvertClient }, { MediaConvertJobs }, { S3ObjectStore }, { VIDEO_RENDITIONS }] = await Promise.all([
    import('@aws-sdk/client-mediaconvert'),
    import('../processors/mediaConvert'),
    import('../storage/s3'),
    import('../processors/videoRenditions'),
  ]);
  if (!(store instanceof S3ObjectStore)) throw new ConfigError('the mediaconvert video backend needs the s3 storage backend');
  const client = new MediaConvertClient({ ...(config.aws.region && { region: config.aws.region }), ...(mediaconvert.endpoint && { endpoint: mediaconvert.endpoint }) });
  const { role, queue, timeoutMinutes } = mediaconvert;
  return new MediaConvertJobs({ client, log, store, logger, role: role!, queue, timeoutMinutes, processor: VIDEO_RENDITIONS });
}
