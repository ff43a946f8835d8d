import { Aws, Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { CfnQueue } from 'aws-cdk-lib/aws-mediaconvert';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The state changes that settle a job (processors/mediaConvert.ts); PROGRESSING and the rest would only be read and dropped. */
export const SETTLED = ['COMPLETE', 'ERROR', 'CANCELED'];

/**
 * The video proxy on AWS Elemental MediaConvert (settings: video=mediaconvert):
 * the role MediaConvert assumes (read originals/, write renditions/ of the
 * media bucket, nothing else), an on-demand queue of the lake's own, and the
 * EventBridge rule that sends the queue's settled jobs to the SQS queue the
 * services poll (app/sqsPolling.ts tells them from S3 notifications by shape).
 */
export class VideoTranscoding extends Construct {
  readonly role: Role;
  readonly queue: CfnQueue;
  /** Where job state changes arrive: the given queue, or one of its own when the services poll none. */
  readonly jobEvents: IQueue;

  constructor(scope: Construct, id: string, props: { mediaBucket: IBucket; jobEvents?: IQueue; deadLetters: IQueue }) {
    super(scope, id);
    this.queue = new CfnQueue(this, 'Queue', { pricingPlan: 'ON_DEMAND', status: 'ACTIVE', description: 'medialake video proxies' });
    // Confused-deputy guard, as MediaConvert's user guide documents it ("Cross-service confused deputy prevention":
    // aws:SourceArn is the queue's ARN): MediaConvert may take this role only for a job on the lake's own queue,
    // in this account, never on behalf of someone else's job that names its ARN.
    const mediaConvert = new ServicePrincipal('mediaconvert.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnLike: { 'aws:SourceArn': this.queue.attrArn } },
    });
    this.role = new Role(this, 'Role', { assumedBy: mediaConvert, description: 'MediaConvert, making medialake video proxies' });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [props.mediaBucket.arnForObjects('originals/*')] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [props.mediaBucket.arnForObjects('renditions/*')] }));
    this.jobEvents =
      props.jobEvents ??
      new Queue(this, 'JobEvents', {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.minutes(5),
        deadLetterQueue: { queue: props.deadLetters, maxReceiveCount: 5 },
      });
    new Rule(this, 'JobStateChanges', {
      description: 'MediaConvert jobs of the lake\'s queue that completed, failed or were cancelled, to the queue the lake polls',
      eventPattern: { source: ['aws.mediaconvert'], detailType: ['MediaConvert Job State Change'], detail: { status: SETTLED, queue: [this.queue.attrArn] } },
      targets: [new SqsQueue(this.jobEvents)],
    });
  }

  /** What the lake does with a job: submit it on this queue (passing the role), ask about it, cancel it. */
  grantJobs(lakeRole: IRole): void {
    lakeRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['mediaconvert:CreateJob'], resources: [this.queue.attrArn] }));
    const jobs = `arn:${Aws.PARTITION}:mediaconvert:${Aws.REGION}:${Aws.ACCOUNT_ID}:jobs/*`;
    lakeRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['mediaconvert:GetJob', 'mediaconvert:CancelJob'], resources: [jobs] }));
    this.role.grantPassRole(lakeRole);
  }
}
