import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** How long a received notification stays hidden from other consumers before it is delivered again. */
export const NOTIFICATIONS_VISIBILITY = Duration.minutes(5);

/** Every bucket alike: no public access, encrypted, TLS only, access-logged. */
const PRIVATE = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
} as const;

/**
 * Where media lives. The raw bucket receives sources (uploads by other
 * systems); its notifications go to a queue the lake polls (or the Lambda
 * function handles). The media bucket holds the lake's originals and
 * renditions, keyed by content, so an object never changes once written:
 * versioning guards against deletes, not edits.
 */
export class Storage extends Construct {
  readonly mediaBucket: Bucket;
  readonly rawBucket: Bucket;
  readonly accessLogs: Bucket;
  readonly notifications: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, retainData: boolean) {
    super(scope, id);
    const removal = retainData ? { removalPolicy: RemovalPolicy.RETAIN } : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...PRIVATE,
      ...removal,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED, // CloudFront standard logs need ACLs
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    this.mediaBucket = new Bucket(this, 'Media', {
      ...PRIVATE,
      ...removal,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'media/',
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { prefix: 'originals/', transitions: [{ storageClass: StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(0) }] },
      ],
    });
    this.rawBucket = new Bucket(this, 'Raw', {
      ...PRIVATE,
      ...removal,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'raw/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });

    this.deadLetters = new Queue(this, 'NotificationDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.notifications = new Queue(this, 'Notifications', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Above the notification function's timeout (infra/notificationsFunction.ts), as SQS event sources require.
      visibilityTimeout: NOTIFICATIONS_VISIBILITY,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });
    const toQueue = new SqsDestination(this.notifications);
    this.rawBucket.addEventNotification(EventType.OBJECT_CREATED, toQueue);
    this.rawBucket.addEventNotification(EventType.OBJECT_REMOVED, toQueue);
  }
}
