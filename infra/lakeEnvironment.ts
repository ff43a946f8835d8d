/** Where the deployed lake's resources are: names, endpoints and the region they live in (CDK tokens in a stack). */
export interface LakeResources {
  region: string;
  mediaBucket: string;
  rawBucket: string;
  /** The SQS queue the services poll: S3 notifications and MediaConvert state changes; none when nothing is theirs to poll. */
  queueUrl?: string;
  assetTable: string;
  /** https://ENDPOINT of the OpenSearch domain. */
  openSearchNode: string;
  /** rediss://HOST:PORT of the coordination store, a Redis Cluster (its cluster endpoint). */
  redisUrl: string;
  log: { backend: 'kinesis'; stream: string } | { backend: 'kafka'; brokers: string; topic: string; partitions: number };
  /** The proxy on MediaConvert (the role it assumes, the queue's ARN); on ffmpeg in the task when absent. */
  mediaConvert?: { role: string; queue: string };
  /** Where pipeline nodes' secrets are in Secrets Manager (infra/pipelineNodes.ts). */
  pipelineSecretsPrefix: string;
}

/**
 * The MEDIALAKE_* variables a deployed task or function reads (app/config.ts):
 * every backend on its AWS service, resources made by this app rather than by
 * the lake (records.dynamodb.createTable off). The chain key is not here: it
 * is a secret, handed over by ECS from Secrets Manager.
 */
export function lakeEnvironment(resources: LakeResources): Record<string, string> {
  const { log } = resources;
  return {
    MEDIALAKE_AWS_REGION: resources.region,
    MEDIALAKE_LOG_BACKEND: log.backend,
    ...(log.backend === 'kinesis'
      ? { MEDIALAKE_KINESIS_STREAM: log.stream }
      : { MEDIALAKE_KAFKA_BROKERS: log.brokers, MEDIALAKE_KAFKA_TOPIC: log.topic, MEDIALAKE_KAFKA_PARTITIONS: String(log.partitions) }),
    MEDIALAKE_REDIS_URL: resources.redisUrl,
    // MemoryDB (infra/coordination.ts) is always a Redis Cluster, even with one shard.
    MEDIALAKE_REDIS_CLUSTER: 'true',
    MEDIALAKE_STORAGE_BACKEND: 's3',
    MEDIALAKE_S3_BUCKET: resources.mediaBucket,
    MEDIALAKE_S3_SOURCES: JSON.stringify([{ bucket: resources.rawBucket }]),
    ...(resources.queueUrl && { MEDIALAKE_SQS_QUEUE_URL: resources.queueUrl }),
    MEDIALAKE_RECORDS_BACKEND: 'dynamodb',
    MEDIALAKE_DYNAMODB_TABLE: resources.assetTable,
    MEDIALAKE_DYNAMODB_CREATE_TABLE: 'false',
    MEDIALAKE_SEARCH_BACKEND: 'opensearch',
    MEDIALAKE_OPENSEARCH_NODE: resources.openSearchNode,
    MEDIALAKE_OPENSEARCH_SIGV4: 'true',
    ...(resources.mediaConvert
      ? { MEDIALAKE_VIDEO_BACKEND: 'mediaconvert', MEDIALAKE_MEDIACONVERT_ROLE: resources.mediaConvert.role, MEDIALAKE_MEDIACONVERT_QUEUE: resources.mediaConvert.queue }
      : { MEDIALAKE_VIDEO_BACKEND: 'ffmpeg' }),
    MEDIALAKE_PIPELINE_SECRETS: 'secrets-manager',
    MEDIALAKE_PIPELINE_SECRETS_PREFIX: resources.pipelineSecretsPrefix,
  };
}

/** A task's data directory: the embedded projections live there (docs/deploy.md). */
export const DATA_DIRECTORY = '/data';

/** What a service adds: where it listens, and the task's scratch space. */
export function serviceEnvironment(port: number): Record<string, string> {
  return { MEDIALAKE_HOST: '0.0.0.0', MEDIALAKE_PORT: String(port), MEDIALAKE_DATA: DATA_DIRECTORY, MEDIALAKE_LOG_LEVEL: 'info' };
}
