import { z } from 'zod';

/** `-c name=value` on the cdk command line arrives as text; booleans and numbers are read from it. */
const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.union([z.boolean(), z.stringbool()]);

/** The deployment's choices (cdk.json "context", or `-c name=value`): docs/deploy.md lists them. */
const SettingsSchema = z.object({
  /**
   * The CloudFormation stack, whose name, lower-cased, begins the names of the
   * resources that must be unique in an account and region (infra/physicalName.ts):
   * so a second stack (a staging beside production) needs a name of its own.
   */
  stackName: z
    .string()
    .regex(/^[A-Za-z](-?[A-Za-z0-9])*$/, 'letters, digits and single hyphens, beginning with a letter and ending with a letter or digit, as MemoryDB\'s names must')
    .max(21, 'at most 21 characters, so that STACK-coordination-final keeps within the 40 of a MemoryDB name')
    .refine((name) => !/aws|amazon|cognito/i.test(name), 'must not contain aws, amazon or cognito, which Cognito refuses in the sign-in domain STACK-ACCOUNT')
    .default('MediaLake'),
  /** Where the stack goes; the CLI's own account and region when absent. */
  region: z.string().optional(),
  account: z.string().optional(),
  /** kinesis: Kinesis Data Streams on demand; msk: an Amazon MSK cluster (plaintext inside the VPC). */
  log: z.enum(['kinesis', 'msk']).default('kinesis'),
  kafkaPartitions: whole(1, 10_000).default(12),
  mskInstanceType: z.string().default('kafka.m7g.large'),
  memoryDbNodeType: z.string().default('db.t4g.small'),
  /** Replicas per shard: 0 still keeps every acknowledged write in MemoryDB's multi-AZ transaction log. */
  memoryDbReplicas: whole(0, 5).default(0),
  openSearchInstanceType: z.string().default('r7g.large.search'),
  /** Half in each of the VPC's two zones (infra/readModels.ts, zone awareness). */
  openSearchDataNodes: whole(2, 80)
    .refine((nodes) => nodes % 2 === 0, 'an even number: the domain spreads its data nodes evenly over two availability zones, and OpenSearch Service refuses an odd count')
    .default(2),
  openSearchVolumeGiB: whole(10, 16_000).default(100),
  /** A pushed image (an ECR URI); the repository's Dockerfile, built by `cdk deploy`, when absent. */
  image: z.string().optional(),
  apiCpu: whole(256, 16_384).default(1024),
  apiMemoryMiB: whole(512, 122_880).default(2048),
  apiMinTasks: whole(1, 100).default(2),
  apiMaxTasks: whole(1, 100).default(10),
  workerCpu: whole(256, 16_384).default(2048),
  workerMemoryMiB: whole(512, 122_880).default(4096),
  workerMinTasks: whole(1, 100).default(1),
  workerMaxTasks: whole(1, 100).default(12),
  /** The video proxy: AWS Elemental MediaConvert (scales per job, off the workers' CPUs) or ffmpeg in the worker tasks (docs/deploy.md). */
  video: z.enum(['mediaconvert', 'ffmpeg']).default('mediaconvert'),
  /** S3 notifications: polled by the workers (`serve`), or handled by the Lambda function app/s3Lambda.ts. */
  notifications: z.enum(['workers', 'lambda']).default('workers'),
  /** A CLOUDFRONT-scope WAF web ACL; needed outside us-east-1, where the stack cannot make one. */
  webAclArn: z.string().startsWith('arn:').optional(),
  /** Days the services' logs are kept. */
  logRetentionDays: whole(1, 3653).default(30),
  /** Where alarms are sent (an e-mail address subscribed to the alarm topic). */
  alarmEmail: z.email().optional(),
  /** Retain buckets, tables, the log and the domain when the stack is deleted (production); off: teardown removes them. */
  retainData: flag.default(true),
});

export type Settings = z.infer<typeof SettingsSchema>;

export class SettingsError extends Error {
  readonly code = 'INVALID_SETTINGS';
}

/** The settings from CDK context values; one readable line for a bad one. */
export function readSettings(context: Record<string, unknown>): Settings {
  const parsed = SettingsSchema.safeParse(context);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SettingsError(`invalid context value ${issue.path.join('.')}: ${issue.message} (docs/deploy.md lists the options)`);
  }
  return parsed.data;
}

/** The context names SettingsSchema knows. */
export const SETTINGS = Object.keys(SettingsSchema.shape);
