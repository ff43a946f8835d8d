import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ROLES as PRINCIPAL_ROLES } from '../schemas/principals';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** What a `serve` process runs (docs/scale.md): the HTTP API, the processors, the projections, or all three. */
export const SERVE_ROLES = ['api', 'processors', 'projections', 'all'] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

/** true/false in a JSON file, "true"/"false" (or 1/0, yes/no) in the environment. */
const flag = z.union([z.boolean(), z.stringbool()], { error: 'expected true or false (or 1/0, yes/no, on/off)' });

/** Lists come from the environment as JSON text. */
function jsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // the schema then says what it expected
  }
}

/** A list, as JSON text in the environment: what is not an array is answered with an example of one (a bare value is the usual slip). */
function jsonList<T extends z.ZodType>(item: T, example: string) {
  return z.preprocess(jsonText, z.array(item, { error: `expected a JSON array, like ${example}` }));
}

/** A list the environment may also give comma-separated (or, for scopes, space-separated: `split`). */
function separatedList(split: RegExp) {
  return z.preprocess(
    (value) => (typeof value === 'string' && !value.startsWith('[') ? value.split(split) : jsonText(value)),
    z.array(z.string().min(1), { error: 'expected a comma-separated list or a JSON array of text' }),
  );
}

/**
 * Which proxies' X-Forwarded-* headers the API believes (Fastify's
 * trustProxy): false, the proxies' addresses and CIDRs (comma-separated or a
 * JSON array in the environment), or true: every one, so the first address of
 * X-Forwarded-For counts, which a client can write itself unless the first
 * proxy overwrites the header. Not a hop count: Fastify refuses those, as a
 * client that reaches the API directly could then name any address.
 */
const trustProxy = z.union(
  [
    // Not the flag's 1/0 either: "1" read as "every proxy" where one proxy was meant would let any client name its address.
    z.boolean(),
    z.stringbool({ truthy: ['true'], falsy: ['false'] }),
    z.preprocess(
      (value) => (typeof value === 'string' && !value.startsWith('[') ? value.split(',').map((part) => part.trim()) : jsonText(value)),
      z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(['loopback', 'linklocal', 'uniquelocal'])])).min(1),
    ),
  ],
  { error: 'expected true, false, or the IP addresses and CIDRs of the proxies in front (also loopback, linklocal, uniquelocal), not a number of them' },
);

/**
 * A JSON number, or text that reads as one (the environment's). Not
 * z.coerce.number: it reads null, "", " " and [] as 0 and true as 1, so a
 * slip in a file or a blank variable would quietly turn a setting off.
 */
/** The longest a Node timer waits (2^31 - 1 ms, about 24.8 days): past it, Node fires the timer at once, over and over. */
const TIMER_LIMIT_MS = 2 ** 31 - 1;
const LONGEST_INTERVAL = { minutes: Math.floor(TIMER_LIMIT_MS / 60_000), seconds: Math.floor(TIMER_LIMIT_MS / 1000) };

function numeric(schema: z.ZodNumber) {
  return z.preprocess((value, context) => {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number === 'number' && !Number.isNaN(number)) return number;
    context.addIssue({ code: 'custom', message: `expected a number, received ${JSON.stringify(value)}` });
    return z.NEVER;
  }, schema);
}

/**
 * Configuration: defaults, then a JSON config file, then MEDIALAKE_*
 * environment variables, then command-line flags. Backends are chosen here,
 * never by editing code.
 */
const ConfigSchema = z.strictObject({
  // Empty: a script's unset variable (--data "$LAKE"), which would make a lake of the working directory's files.
  data: z.string().min(1, 'an empty path: give the directory of the lake').default('./.medialake'),
  log: z
    .strictObject({
      backend: z.enum(['sqlite', 'kafka', 'kinesis']).default('sqlite'),
      /** full: fsync every append; normal: fsync at WAL checkpoints (see log/sqlite.ts). */
      sync: z.enum(['full', 'normal']).default('full'),
      /** Apache Kafka (log/kafka.ts); coordinated through redis.url. */
      kafka: z
        .strictObject({
          /** host:port, comma-separated in the environment. */
          brokers: z
            .preprocess((value) => (typeof value === 'string' ? value.split(',').map((b) => b.trim()).filter(Boolean) : value), z.array(z.string().min(1)).min(1))
            .default(['127.0.0.1:9092']),
          topic: z.string().min(1).max(249).default('medialake-events'),
          /** Fixed for the topic's life: a change would move assets between partitions. */
          partitions: numeric(z.number().int().min(1).max(10_000)).default(12),
          /** The broker's default.replication.factor when absent. */
          replicationFactor: numeric(z.number().int().min(1)).optional(),
          /** A consumer silent this long leaves its group and its partitions move to the others (within the broker's group.min/max.session.timeout.ms). */
          sessionTimeoutMs: numeric(z.number().int().min(1000)).default(10_000),
        })
        .prefault({}),
      /** Amazon Kinesis Data Streams (log/kinesis.ts); coordinated through redis.url; region from aws.region. */
      kinesis: z
        .strictObject({
          stream: z.string().min(1).max(128).default('medialake-events'),
          /** Shards of a stream the lake creates; an existing stream keeps its own. */
          shards: numeric(z.number().int().min(1)).default(4),
          /** A Kinesis-compatible endpoint (kinesalite, LocalStack); AWS when absent. */
          endpoint: z.url().optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Tamper evidence (docs/audit.md): the key the log's hash chain is signed with, and the background check of the chain. */
  chain: z
    .strictObject({
      /** A keyring (base64 keys, comma-separated, the last signs); beats keyFile. Default: <data>/chain.key, made (mode 0600) on first use. */
      key: z.string().min(1).optional(),
      /** A file holding the keyring, one key a line. */
      keyFile: z.string().min(1).optional(),
      /** A Secrets Manager secret (name or ARN) holding the keyring, read where the lake runs on AWS Lambda (app/lambdaSecret.ts); ECS hands secrets over as chain.key itself. */
      keySecret: z.string().min(1).optional(),
      /** How often `serve` verifies the chain in the background (minutes); 0: never. */
      verifyIntervalMinutes: numeric(z.number().min(0).max(LONGEST_INTERVAL.minutes, `at most ${LONGEST_INTERVAL.minutes} minutes (about 24 days)`)).default(60),
    })
    .prefault({}),
  /** Versions, event ids, leases and dead letters of a Kafka or Kinesis log (log/redisCoordinator.ts). */
  redis: z
    .strictObject({
      url: z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
      /**
       * How long an appender holds an asset before others take over its unfinished append: a killed
       * worker's assets wait this long, and a rebalance waits for the member that waits on them
       * (docs/scale.md): keep it near log.kafka.sessionTimeoutMs.
       */
      lockMs: numeric(z.number().int().min(1000)).default(30_000),
      /** url names one node of a Redis Cluster (Amazon MemoryDB is always one); a log's keys then share one hash slot (docs/scale.md). */
      cluster: flag.default(false),
    })
    .prefault({}),
  /** Shared by the AWS backends; the SDK's own chain (AWS_REGION, profiles) when absent. */
  aws: z.strictObject({ region: z.string().optional() }).prefault({}),
  storage: z
    .strictObject({
      backend: z.enum(['local', 's3']).default('local'),
      s3: z
        .strictObject({
          bucket: z.string().min(3).optional(),
          /** The lake's keys live under it ("lake/"), so the bucket can hold other things too. */
          prefix: z.string().default(''),
          /** An S3-compatible store (MinIO); AWS when absent. */
          endpoint: z.url().optional(),
          /** Bucket in the path, not the host name; on by default with an endpoint. */
          forcePathStyle: flag.optional(),
        })
        .prefault({}),
    })
    .refine((storage) => storage.backend !== 's3' || storage.s3.bucket, {
      message: 'the s3 backend needs a bucket: set storage.s3.bucket or MEDIALAKE_S3_BUCKET',
      path: ['s3', 'bucket'],
    })
    .prefault({}),
  records: z
    .strictObject({
      backend: z.enum(['sqlite', 'dynamodb']).default('sqlite'),
      dynamodb: z
        .strictObject({
          table: z.string().min(3).max(255).default('medialake-assets'),
          /** DynamoDB local; AWS when absent. */
          endpoint: z.url().optional(),
          /** Create the table, its indexes and TABLE-generations when missing; off where infrastructure code owns them (a rebuild still makes its TABLE-* tables). */
          createTable: flag.default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Buckets whose S3 notifications become assets (producers/s3Notifications.ts). */
  sources: z
    .strictObject({
      s3: jsonList(
        z.strictObject({
          bucket: z.string().min(3),
          prefix: z.string().optional(),
          /** File types by ending: [".jpg", ".mp4"]. */
          suffixes: z.array(z.string()).optional(),
        }),
        '[{"bucket":"camera-uploads","suffixes":[".jpg"]}]',
      ).default([]),
      /** An SQS queue the buckets' notifications go to; `serve` polls it (app/sqsPolling.ts). Region from aws.region. */
      sqsQueueUrl: z.url().optional(),
      /** An SQS-compatible endpoint (ElasticMQ, LocalStack); the queue URL's host when absent. */
      sqsEndpoint: z.url().optional(),
    })
    .prefault({}),
  search: z
    .strictObject({
      backend: z.enum(['sqlite', 'opensearch']).default('sqlite'),
      /** OpenSearch (projections/search/opensearch.ts): index generations behind one alias. */
      opensearch: z
        .strictObject({
          node: z.url().default('http://127.0.0.1:9200'),
          /** The alias searches go to; generations are INDEX-…, their checkpoints INDEX-checkpoints. */
          index: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,199}$/, 'lower-case letters, digits, - and _').default('medialake-search'),
          /** Of the image embeddings the index will hold (CLIP ViT-B/32: 512); a change takes effect at the next rebuild. */
          vectorDimensions: numeric(z.number().int().min(1).max(16_000)).default(512),
          shards: numeric(z.number().int().min(1).max(1024)).default(1),
          /** Sign requests with AWS SigV4 for Amazon OpenSearch Service, in aws.region. */
          sigv4: flag.default(false),
        })
        .prefault({}),
      /** The embedded vector index (projections/vectors/sqlite.ts, docs/vectors.md). */
      vectors: z
        .strictObject({
          /** From this many vectors a model, searches walk an HNSW graph; below it (and for filters this few pass) they scan. */
          approximateFrom: numeric(z.number().int().min(1)).default(10_000),
          /** Candidates a graph search keeps: more finds more of the true neighbours, more slowly. */
          efSearch: numeric(z.number().int().min(1).max(10_000)).default(200),
        })
        .prefault({}),
    })
    .prefault({}),
  /** CLIP image embeddings: semantic and hybrid search, similar assets (processors/embeddings.ts). */
  embeddings: z
    .strictObject({
      /** A CLIP model for transformers.js: a local folder, or a Hugging Face hub id (downloaded on first use). */
      model: z.string().min(1).optional(),
      /** Recorded with every vector; a new one re-embeds every image. For a local folder, bump it when its weights change. */
      revision: z.string().min(1).max(100).default('main'),
      /** Default: on exactly when a model is set (none ships with the quick start, and none can be downloaded offline). */
      enabled: flag.optional(),
      batchSize: numeric(z.number().int().min(1).max(256)).default(8),
      /** Which ONNX weights: fp32, or the 8-bit quantised ones (q8: smaller and faster, slightly different vectors). */
      dtype: z.enum(['fp32', 'fp16', 'q8']).default('fp32'),
      /** Never touch the network: a hub model must already be in cacheDir. */
      offline: flag.default(false),
      /** Where hub models are downloaded to; <data>/models when absent. */
      cacheDir: z.string().optional(),
    })
    .refine((embeddings) => embeddings.enabled !== true || embeddings.model, {
      message: 'embeddings need a model: set embeddings.model or MEDIALAKE_EMBEDDING_MODEL',
      path: ['model'],
    })
    .prefault({}),
  processors: z
    .strictObject({
      concurrency: numeric(z.number().int().min(1).max(64)).default(4),
      attempts: numeric(z.number().int().min(1).max(20)).default(3),
      backoffMs: numeric(z.number().int().min(0)).default(200),
      /**
       * Decompression-bomb guard: images with more pixels are not decoded (their metadata, read from the header, is kept).
       * sharp's own default (0x3FFF × 0x3FFF): a 102 MP medium-format photo is well within it.
       */
      maxInputPixels: numeric(z.number().int().positive()).default(268_402_689),
      maxInputBytes: numeric(z.number().int().positive()).default(512 * 1024 * 1024),
      /** Video and audio (docs/media.md): the programs to run; the ones npm installed (@ffmpeg-installer, @ffprobe-installer) when absent. */
      ffmpeg: z.strictObject({ path: z.string().min(1).optional() }).prefault({}),
      ffprobe: z.strictObject({ path: z.string().min(1).optional() }).prefault({}),
      /** What makes the video proxy (docs/media.md): ffmpeg here, or AWS Elemental MediaConvert (the stills stay on ffmpeg). */
      video: z
        .strictObject({
          backend: z.enum(['ffmpeg', 'mediaconvert']).default('ffmpeg'),
          /** Reads the original from and writes the proxy into the lake's S3 store (storage.s3); region from aws.region. */
          mediaconvert: z
            .strictObject({
              /** The IAM role MediaConvert assumes to read and write the bucket. */
              role: z.string().regex(/^arn:aws[a-z-]*:iam::/, 'an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)').optional(),
              /** A queue ARN; the account's Default queue when absent. */
              queue: z.string().min(1).optional(),
              /** A MediaConvert endpoint; the region's when absent. */
              endpoint: z.url().optional(),
              /** A job with no state change (through sources.sqsQueueUrl) after this long is failed and dead-lettered. */
              timeoutMinutes: numeric(z.number().positive()).default(60),
            })
            .prefault({}),
        })
        .prefault({}),
      thumbnailSize: numeric(z.number().int().min(16).max(1024)).default(256),
      proxySize: numeric(z.number().int().min(64).max(8192)).default(1280),
      watermark: z
        .strictObject({
          text: z.string().optional(),
          image: z.string().optional(),
          gravity: z.enum(['northwest', 'northeast', 'southwest', 'southeast', 'centre']).default('southeast'),
          opacity: numeric(z.number().min(0).max(1)).default(0.5),
        })
        // Read at every render: missing, it would fail every image as if the image were at fault.
        .refine((watermark) => !watermark.image || existsSync(watermark.image), { message: 'there is no file there', path: ['image'] })
        .prefault({}),
    })
    .prefault({}),
  /** User-defined pipelines (docs/pipelines.md). */
  pipelines: z
    .strictObject({
      /** Where nodes' credentials come from: a JSON file of names and values, MEDIALAKE_SECRET_NAME variables, or AWS Secrets Manager (region from aws.region). */
      secrets: z.enum(['file', 'environment', 'secrets-manager']).default('file'),
      /** The file store's file; default <data>/secrets.json. */
      secretsFile: z.string().min(1).optional(),
      /** Secrets Manager: a definition's secret NAME is the secret PREFIXNAME, so the lake's role reads only PREFIX*. */
      secretsPrefix: z.string().max(200).default('medialake/pipelines/'),
      /** A Secrets Manager-compatible endpoint (moto, LocalStack); AWS when absent. */
      secretsEndpoint: z.url().optional(),
      /** An EventBridge-compatible endpoint for publish-eventbridge nodes (moto, LocalStack); AWS when absent; region from aws.region. */
      eventBridgeEndpoint: z.url().optional(),
      /** Assets whose executions run at once. */
      concurrency: numeric(z.number().int().min(1).max(64)).default(4),
      /** The largest box a pipeline decodes an original into: the biggest rendition a node may make. */
      maxImageSize: numeric(z.number().int().min(64).max(16384)).default(8192),
    })
    .prefault({}),
  api: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: numeric(z.number().int().min(0).max(65535)).default(8080),
      /** Per file of an upload. */
      maxUploadBytes: numeric(z.number().int().positive()).default(512 * 1024 * 1024),
      /** Files in one upload (POST /assets); more are refused with 413. */
      maxUploadFiles: numeric(z.number().int().min(1).max(10_000)).default(100),
      /** A resumable upload (/uploads, tus) left unfinished this long is removed from staging; its client starts again. */
      partialUploadExpiryMinutes: numeric(z.number().positive()).default(24 * 60),
      /** A request, headers and body, must arrive within this (else 408): bounds a client that trickles bytes. */
      requestTimeoutMs: numeric(z.number().int().positive()).default(15 * 60_000),
      /** A request whose body stops arriving for this long is answered 408 and its connection closed. */
      bodyTimeoutMs: numeric(z.number().int().positive()).default(30_000),
      /** Origins a browser may call the API from (CORS); none when empty. */
      corsOrigins: jsonList(z.url(), '["https://app.example"]').default([]),
      /** Host header names (with or without port) the API answers to, besides localhost, 127.0.0.1, [::1] and api.host: guards against DNS rebinding. */
      allowedHosts: jsonList(z.string().min(1), '["media.example.com"]').default([]),
      /** Serve /openapi.json and /docs without authentication. */
      publicDocs: flag.default(false),
      /** Behind a load balancer or CDN: the client's address (rate limits, logs) and protocol come from the proxies' X-Forwarded-* headers. Off: the connection's. */
      trustProxy: trustProxy.default(false),
    })
    .prefault({}),
  /** Who may call the API, and what they may do (docs/access.md). */
  auth: z
    .strictObject({
      /** Off only on a loopback address (and for the benchmark): `serve` refuses any other host without authentication. */
      enabled: flag.default(true),
      /** Cedar policies that replace the default ones (docs/access.md), validated against the schema at start. */
      policyFile: z.string().min(1).optional(),
      /** Requests per minute per principal; refused credentials per minute per address. */
      rateLimitPerMinute: numeric(z.number().int().min(1)).default(1200),
      /** Bytes a principal may upload per hour; past it uploads are answered 429. */
      uploadBytesPerHour: numeric(z.number().int().min(1)).default(50 * 1024 ** 3),
      /** OIDC bearer tokens (JWT), e.g. an Amazon Cognito user pool. */
      oidc: z
        .strictObject({
          /** The issuer (`iss`): https://cognito-idp.REGION.amazonaws.com/POOL_ID for Cognito. Off when absent. */
          issuer: z.url().optional(),
          /** Accepted audiences: a token's `aud`, or its `client_id` (Cognito access tokens have no aud). */
          audiences: separatedList(/,/).default([]),
          /** Where the signing keys are; ISSUER/.well-known/jwks.json (Cognito's) when absent. */
          jwksUri: z.url().optional(),
          /** The claim holding the principal's groups; each group named like a role grants it (see groupRoles). */
          groupsClaim: z.string().min(1).default('cognito:groups'),
          /** The claim holding the name events are signed with; then email, then sub. */
          nameClaim: z.string().min(1).default('username'),
          /** Group → role, beyond groups named admin, editor or viewer. */
          groupRoles: z.preprocess(jsonText, z.record(z.string(), z.enum(PRINCIPAL_ROLES), { error: 'expected a JSON object of group and role, like {"photographers":"editor"}' })).default({}),
          /** Clock skew allowed on exp, nbf and iat. */
          clockToleranceSeconds: numeric(z.number().int().min(0).max(300)).default(60),
          /** The least time between two fetches of the JWKS (an unknown kid fetches it again). */
          jwksCooldownSeconds: numeric(z.number().min(0)).default(30),
          /** The web UI's app client (a public client, no secret) for sign-in with PKCE: the first audience when absent. */
          clientId: z.string().min(1).optional(),
          /** The scopes the web UI asks for. */
          scopes: separatedList(/[\s,]+/).default(['openid', 'email', 'profile']),
          /** Where the web UI sends the user to sign in (Cognito: https://DOMAIN/oauth2/authorize); from ISSUER/.well-known/openid-configuration when absent. */
          authorizationEndpoint: z.url().optional(),
          /** Where the web UI exchanges the code (Cognito: https://DOMAIN/oauth2/token); from the discovery document when absent. */
          tokenEndpoint: z.url().optional(),
          /** Where sign-out ends the issuer's session too (Cognito: https://DOMAIN/logout); the discovery document's end_session_endpoint when absent. */
          logoutEndpoint: z.url().optional(),
        })
        .prefault({}),
    })
    .refine((auth) => !auth.oidc.issuer || auth.oidc.audiences.length > 0, {
      message: 'an OIDC issuer needs its audiences (client ids): set auth.oidc.audiences or MEDIALAKE_OIDC_AUDIENCES',
      path: ['oidc', 'audiences'],
    })
    .prefault({}),
  ingest: z
    .strictObject({
      /** How long `ingest` retries, with backoff, while the log's coordinator (Redis) is out of reach, before it reports what it did not ingest and exits. */
      outageRetryMs: numeric(z.number().int().min(0)).default(60_000),
    })
    .prefault({}),
  /** Traces (app/telemetry.ts) and consumer lag for CloudWatch (app/consumerLagEmf.ts): each off unless configured. */
  telemetry: z
    .strictObject({
      /** An OTLP/HTTP collector (http://collector:4318): spans go to its /v1/traces. */
      otlpEndpoint: z.url().optional(),
      /** A CloudWatch namespace (MediaLake): `serve` with consumers writes their lag to stdout as Embedded Metric Format lines under it. */
      cloudwatchNamespace: z.string().trim().min(1).max(255).optional(),
      /** How often the lag is written; CloudWatch's standard resolution is one minute. */
      cloudwatchIntervalSeconds: numeric(z.number().min(1).max(LONGEST_INTERVAL.seconds, `at most ${LONGEST_INTERVAL.seconds} seconds (about 24 days)`)).default(60),
    })
    .prefault({}),
  /** `serve`: which part of the lake this process runs (docs/scale.md). */
  serve: z
    .strictObject({
      role: z.enum(SERVE_ROLES).default('all'),
      /** How long a stop (SIGTERM, Ctrl-C) may wait for requests and work in flight; under a container's grace period (30 s by default). */
      shutdownSeconds: numeric(z.number().min(1).max(3600, 'at most 3600 seconds')).default(25),
    })
    .prefault({}),
  logLevel: z.enum(LOG_LEVELS).default('info'),
}).check((context) => {
  const config = context.value;
  if (config.processors.video.backend !== 'mediaconvert') return;
  const needs = (path: string[], message: string) => context.issues.push({ code: 'custom', input: config, path, message });
  if (config.storage.backend !== 's3') needs(['storage', 'backend'], 'the mediaconvert video backend reads and writes S3: set storage.backend to s3');
  if (!config.processors.video.mediaconvert.role) needs(['processors', 'video', 'mediaconvert', 'role'], 'the mediaconvert video backend needs a role: set processors.video.mediaconvert.role or MEDIALAKE_MEDIACONVERT_ROLE');
  if (!config.sources.sqsQueueUrl) needs(['sources', 'sqsQueueUrl'], "MediaConvert reports through EventBridge to SQS: set sources.sqsQueueUrl or MEDIALAKE_SQS_QUEUE_URL to the rule's queue");
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Environment variable → config path. */
const ENVIRONMENT: Record<string, string> = {
  MEDIALAKE_DATA: 'data',
  MEDIALAKE_LOG_BACKEND: 'log.backend',
  MEDIALAKE_LOG_SYNC: 'log.sync',
  MEDIALAKE_KAFKA_BROKERS: 'log.kafka.brokers',
  MEDIALAKE_KAFKA_TOPIC: 'log.kafka.topic',
  MEDIALAKE_KAFKA_PARTITIONS: 'log.kafka.partitions',
  MEDIALAKE_KAFKA_REPLICATION_FACTOR: 'log.kafka.replicationFactor',
  MEDIALAKE_KAFKA_SESSION_TIMEOUT_MS: 'log.kafka.sessionTimeoutMs',
  MEDIALAKE_KINESIS_STREAM: 'log.kinesis.stream',
  MEDIALAKE_KINESIS_SHARDS: 'log.kinesis.shards',
  MEDIALAKE_KINESIS_ENDPOINT: 'log.kinesis.endpoint',
  MEDIALAKE_CHAIN_KEY: 'chain.key',
  MEDIALAKE_CHAIN_KEY_FILE: 'chain.keyFile',
  MEDIALAKE_CHAIN_KEY_SECRET: 'chain.keySecret',
  MEDIALAKE_VERIFY_INTERVAL_MINUTES: 'chain.verifyIntervalMinutes',
  MEDIALAKE_REDIS_URL: 'redis.url',
  MEDIALAKE_REDIS_LOCK_MS: 'redis.lockMs',
  MEDIALAKE_REDIS_CLUSTER: 'redis.cluster',
  MEDIALAKE_STORAGE_BACKEND: 'storage.backend',
  MEDIALAKE_RECORDS_BACKEND: 'records.backend',
  MEDIALAKE_AWS_REGION: 'aws.region',
  MEDIALAKE_S3_BUCKET: 'storage.s3.bucket',
  MEDIALAKE_S3_PREFIX: 'storage.s3.prefix',
  MEDIALAKE_S3_ENDPOINT: 'storage.s3.endpoint',
  MEDIALAKE_S3_FORCE_PATH_STYLE: 'storage.s3.forcePathStyle',
  MEDIALAKE_S3_SOURCES: 'sources.s3',
  MEDIALAKE_SQS_QUEUE_URL: 'sources.sqsQueueUrl',
  MEDIALAKE_SQS_ENDPOINT: 'sources.sqsEndpoint',
  MEDIALAKE_DYNAMODB_TABLE: 'records.dynamodb.table',
  MEDIALAKE_DYNAMODB_ENDPOINT: 'records.dynamodb.endpoint',
  MEDIALAKE_DYNAMODB_CREATE_TABLE: 'records.dynamodb.createTable',
  MEDIALAKE_SEARCH_BACKEND: 'search.backend',
  MEDIALAKE_OPENSEARCH_NODE: 'search.opensearch.node',
  MEDIALAKE_OPENSEARCH_INDEX: 'search.opensearch.index',
  MEDIALAKE_OPENSEARCH_VECTOR_DIMENSIONS: 'search.opensearch.vectorDimensions',
  MEDIALAKE_VECTOR_APPROXIMATE_FROM: 'search.vectors.approximateFrom',
  MEDIALAKE_VECTOR_EF_SEARCH: 'search.vectors.efSearch',
  MEDIALAKE_OPENSEARCH_SHARDS: 'search.opensearch.shards',
  MEDIALAKE_OPENSEARCH_SIGV4: 'search.opensearch.sigv4',
  MEDIALAKE_EMBEDDING_MODEL: 'embeddings.model',
  MEDIALAKE_EMBEDDING_REVISION: 'embeddings.revision',
  MEDIALAKE_EMBEDDINGS: 'embeddings.enabled',
  MEDIALAKE_EMBEDDING_BATCH_SIZE: 'embeddings.batchSize',
  MEDIALAKE_EMBEDDING_DTYPE: 'embeddings.dtype',
  MEDIALAKE_EMBEDDING_OFFLINE: 'embeddings.offline',
  MEDIALAKE_EMBEDDING_CACHE_DIR: 'embeddings.cacheDir',
  MEDIALAKE_CONCURRENCY: 'processors.concurrency',
  MEDIALAKE_ATTEMPTS: 'processors.attempts',
  MEDIALAKE_MAX_INPUT_PIXELS: 'processors.maxInputPixels',
  MEDIALAKE_FFMPEG: 'processors.ffmpeg.path',
  MEDIALAKE_FFPROBE: 'processors.ffprobe.path',
  MEDIALAKE_VIDEO_BACKEND: 'processors.video.backend',
  MEDIALAKE_MEDIACONVERT_ROLE: 'processors.video.mediaconvert.role',
  MEDIALAKE_MEDIACONVERT_QUEUE: 'processors.video.mediaconvert.queue',
  MEDIALAKE_MEDIACONVERT_ENDPOINT: 'processors.video.mediaconvert.endpoint',
  MEDIALAKE_MEDIACONVERT_TIMEOUT_MINUTES: 'processors.video.mediaconvert.timeoutMinutes',
  MEDIALAKE_WATERMARK_TEXT: 'processors.watermark.text',
  MEDIALAKE_PIPELINE_SECRETS: 'pipelines.secrets',
  MEDIALAKE_PIPELINE_SECRETS_FILE: 'pipelines.secretsFile',
  MEDIALAKE_PIPELINE_SECRETS_PREFIX: 'pipelines.secretsPrefix',
  MEDIALAKE_PIPELINE_SECRETS_ENDPOINT: 'pipelines.secretsEndpoint',
  MEDIALAKE_EVENTBRIDGE_ENDPOINT: 'pipelines.eventBridgeEndpoint',
  MEDIALAKE_PIPELINE_CONCURRENCY: 'pipelines.concurrency',
  MEDIALAKE_WATERMARK_IMAGE: 'processors.watermark.image',
  MEDIALAKE_HOST: 'api.host',
  MEDIALAKE_PORT: 'api.port',
  MEDIALAKE_MAX_UPLOAD_FILES: 'api.maxUploadFiles',
  MEDIALAKE_PARTIAL_UPLOAD_EXPIRY_MINUTES: 'api.partialUploadExpiryMinutes',
  MEDIALAKE_REQUEST_TIMEOUT_MS: 'api.requestTimeoutMs',
  MEDIALAKE_BODY_TIMEOUT_MS: 'api.bodyTimeoutMs',
  MEDIALAKE_ROLE: 'serve.role',
  MEDIALAKE_SHUTDOWN_SECONDS: 'serve.shutdownSeconds',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'telemetry.otlpEndpoint',
  MEDIALAKE_CLOUDWATCH_NAMESPACE: 'telemetry.cloudwatchNamespace',
  MEDIALAKE_CLOUDWATCH_INTERVAL_SECONDS: 'telemetry.cloudwatchIntervalSeconds',
  MEDIALAKE_INGEST_OUTAGE_RETRY_MS: 'ingest.outageRetryMs',
  MEDIALAKE_CORS_ORIGINS: 'api.corsOrigins',
  MEDIALAKE_ALLOWED_HOSTS: 'api.allowedHosts',
  MEDIALAKE_PUBLIC_DOCS: 'api.publicDocs',
  MEDIALAKE_TRUST_PROXY: 'api.trustProxy',
  MEDIALAKE_AUTH: 'auth.enabled',
  MEDIALAKE_POLICY_FILE: 'auth.policyFile',
  MEDIALAKE_RATE_LIMIT_PER_MINUTE: 'auth.rateLimitPerMinute',
  MEDIALAKE_UPLOAD_BYTES_PER_HOUR: 'auth.uploadBytesPerHour',
  MEDIALAKE_OIDC_ISSUER: 'auth.oidc.issuer',
  MEDIALAKE_OIDC_AUDIENCES: 'auth.oidc.audiences',
  MEDIALAKE_OIDC_JWKS_URI: 'auth.oidc.jwksUri',
  MEDIALAKE_OIDC_GROUPS_CLAIM: 'auth.oidc.groupsClaim',
  MEDIALAKE_OIDC_NAME_CLAIM: 'auth.oidc.nameClaim',
  MEDIALAKE_OIDC_CLIENT_ID: 'auth.oidc.clientId',
  MEDIALAKE_OIDC_SCOPES: 'auth.oidc.scopes',
  MEDIALAKE_OIDC_AUTHORIZATION_ENDPOINT: 'auth.oidc.authorizationEndpoint',
  MEDIALAKE_OIDC_TOKEN_ENDPOINT: 'auth.oidc.tokenEndpoint',
  MEDIALAKE_OIDC_LOGOUT_ENDPOINT: 'auth.oidc.logoutEndpoint',
  MEDIALAKE_LOG_LEVEL: 'logLevel',
};

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
}

type Settings = Record<string, unknown>;

const isSettings = (value: unknown): value is Settings => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Sets a dotted path. A plain value from the file where the path needs
 * settings (`"log": "sqlite"` beside MEDIALAKE_LOG_BACKEND) is refused: the
 * assignment would fail with a TypeError, or replace a null unnoticed.
 */
function setPath(target: Settings, path: string, value: unknown, file: string | undefined): void {
  const keys = path.split('.');
  let node = target;
  for (const [depth, key] of keys.slice(0, -1).entries()) {
    if (node[key] === undefined) node[key] = {};
    const child = node[key];
    if (!isSettings(child)) throw new ConfigError(`${keys.slice(0, depth + 1).join('.')}${file ? ` in ${file}` : ''} is ${JSON.stringify(child)}, not an object of settings`);
    node = child;
  }
  node[keys.at(-1)!] = value;
}

/** The file named, else ./medialake.config.json where there is one. */
function configFileName(path: string | undefined): string | undefined {
  return path ?? (existsSync('medialake.config.json') ? 'medialake.config.json' : undefined);
}

function readConfigFile(file: string): Settings {
  let settings: unknown;
  try {
    settings = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  if (!isSettings(settings)) throw new ConfigError(`config file ${file} holds ${JSON.stringify(settings)}, not an object of settings`);
  return settings;
}

/** Sets the MEDIALAKE_* variables given; returns what each set (path → NAME=value), for error messages. */
function applyEnvironment(raw: Settings, environment: NodeJS.ProcessEnv, file: string | undefined): Map<string, string> {
  const variables = new Map<string, string>();
  for (const [name, path] of Object.entries(ENVIRONMENT)) {
    const value = environment[name];
    if (value === undefined || value === '') continue;
    setPath(raw, path, value, file);
    variables.set(path, `${name}=${value}`);
  }
  return variables;
}

/** Whether the config file's settings hold a value at `path`. */
function holds(settings: Settings, path: PropertyKey[]): boolean {
  let node: unknown = settings;
  for (const key of path) {
    if (!isSettings(node) || !(String(key) in node)) return false;
    node = node[String(key)];
  }
  return true;
}

/** Where a value came from, as an issue names it: the variable, else the file where the file set it (a flag's is the command's own). */
interface Sources {
  variables: Map<string, string>;
  flags: Set<string>;
  file?: { name: string; settings: Settings };
}

/** "a, b or c", as the CLI's flags say their choices (zod's own: "Invalid option: expected one of "a"|"b"|"c""). */
const choices = (values: readonly unknown[]) => {
  const words = values.map(String);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words.join('');
};

/**
 * One line for an issue, naming the variable or the file a value came from;
 * an unknown key not from a variable is the file's (flags and the environment
 * set known settings only).
 */
function issueLine(issue: z.core.$ZodIssue, { variables, flags, file }: Sources): string {
  const path = issue.path.join('.');
  const variable = [...variables].find(([setting]) => path === setting || path.startsWith(`${setting}.`));
  const inFile = file && !flags.has(path) && holds(file.settings, issue.path) ? ` (in ${file.name})` : '';
  const from = variable ? ` (from ${variable[1]})` : inFile;
  if (issue.code === 'invalid_value') return `invalid configuration at ${path}: expected one of ${choices(issue.values)}${from}`;
  if (issue.code !== 'unrecognized_keys') return `invalid configuration at ${path}: ${issue.message}${from}`;
  const unknown = issue.keys.map((key) => [...issue.path, key].join('.'));
  return `unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}${variable ? from : file ? ` in ${file.name}` : ''}`;
}

/**
 * `defaults` are the caller's own, under everything else: the CLI's quieter
 * log level on a terminal gives way to a config file, the environment and flags.
 */
export function loadConfig(
  overrides: Record<string, unknown> = {},
  environment: NodeJS.ProcessEnv = process.env,
  defaults: Pick<ConfigInput, 'logLevel'> = {},
): Config {
  const file = configFileName(environment.MEDIALAKE_CONFIG);
  const fileSettings = file ? readConfigFile(file) : undefined;
  const raw = structuredClone({ ...defaults, ...fileSettings });
  const variables = applyEnvironment(raw, environment, file);
  const flags = new Set<string>();
  for (const [path, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    setPath(raw, path, value, file);
    variables.delete(path); // a flag's value, not the variable's
    flags.add(path);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const sources = { variables, flags, ...(file && fileSettings && { file: { name: file, settings: fileSettings } }) };
    throw new ConfigError(issueLine(parsed.error.issues[0]!, sources));
  }
  return { ...parsed.data, data: resolve(parsed.data.data) };
}
