import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc } from 'aws-cdk-lib/aws-ec2';
import { Architecture, ParamsAndSecretsLayerVersion, ParamsAndSecretsVersions, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';

/**
 * How long the function may take on one notification: under the notification
 * queue's visibility timeout (infra/storage.ts: 5 minutes), which an SQS event
 * source requires, so that no message comes back while it is still handled.
 */
export const NOTIFICATION_TIMEOUT = Duration.minutes(4);

/** The lake's Lambda handler for S3 notifications. */
export const HANDLER_ENTRY = fileURLToPath(new URL('../app/s3Lambda.ts', import.meta.url));

/**
 * Native addons the handler's imports name but a Kafka or Kinesis log never
 * loads (the embedded SQLite stores, image and model work): left out of the
 * bundle, so it stays small and needs no Linux binaries.
 */
export const NOT_BUNDLED = ['better-sqlite3', 'hnswlib-node', 'sharp', 'onnxruntime-node', '@huggingface/transformers', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'];

/**
 * The alternative entry for S3 notifications (settings: notifications=lambda):
 * app/s3Lambda.ts, bundled by esbuild on this machine (no Docker), fed by the
 * notification queue with partial batch failures, so one bad message is
 * retried alone and lands in the dead-letter queue after its receives. The
 * chain key comes from Secrets Manager through AWS's Parameters and Secrets
 * extension (app/lambdaSecret.ts): the configuration names the secret only.
 */
export class NotificationsFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(
    scope: Construct,
    id: string,
    props: { vpc: IVpc; queue: IQueue; environment: Record<string, string>; chainKey: ISecret; securityGroups: ISecurityGroup[]; retention: RetentionDays },
  ) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    this.function = new NodejsFunction(this, 'Handler', {
      entry: HANDLER_ENTRY,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.X86_64,
      memorySize: 1024,
      // Each object is downloaded whole to /tmp, hashed and stored (producers/s3Notifications.ts): the disk
      // bounds the largest object, the timeout how long the three passes may take (docs/deploy.md).
      ephemeralStorageSize: Size.gibibytes(10),
      timeout: NOTIFICATION_TIMEOUT,
      vpc: props.vpc,
      vpcSubnets: { subnets: props.vpc.privateSubnets },
      securityGroups: props.securityGroups,
      environment: { ...props.environment, MEDIALAKE_DATA: '/tmp/medialake', MEDIALAKE_CHAIN_KEY_SECRET: props.chainKey.secretArn },
      paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103),
      tracing: Tracing.ACTIVE,
      logGroup,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        forceDockerBundling: false,
        externalModules: NOT_BUNDLED,
        // ESM output still meets CommonJS packages that call require().
        banner: "import { createRequire as requireFor } from 'node:module'; const require = requireFor(import.meta.url);",
        mainFields: ['module', 'main'],
      },
    });
    props.chainKey.grantRead(this.function);
    // One notification an invocation: the whole timeout and /tmp go to one object, not to ten sharing them four at a time.
    this.function.addEventSource(new SqsEventSource(props.queue, { batchSize: 1, reportBatchItemFailures: true }));
  }
}
