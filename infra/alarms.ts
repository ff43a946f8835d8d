import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { HttpCodeTarget, type ApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { consumerLag } from './compute';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/**
 * What wakes someone: the lake falling behind its log, notifications
 * landing in the dead-letter queue, the notification queue backing up, and
 * the API answering 5xx. Every alarm goes to one topic.
 */
export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: { notifications: Queue; deadLetters: Queue; api: ApplicationLoadBalancer; email?: string }) {
    super(scope, id);
    // It encrypts notifications in flight, nothing kept: it goes with the stack (CDK keeps keys by default).
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    this.topic = new Topic(this, 'Topic', { displayName: 'medialake alarms', masterKey: key, enforceSSL: true });
    // CloudWatch publishes an alarm as its own service principal. The topic is encrypted with this key, so
    // CloudWatch needs the key to publish (SNS docs, "compatibility with AWS services"); without it every
    // notification is dropped, silently. The key encrypts this topic alone.
    key.grant(new ServicePrincipal(CLOUDWATCH), 'kms:Decrypt', 'kms:GenerateDataKey*');
    // enforceSSL writes a topic policy, which replaces SNS's default one, and SnsAction adds no statement:
    // let CloudWatch publish, for this account's alarms in this region only (confused-deputy conditions).
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal(CLOUDWATCH)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.alarm('ConsumerLag', consumerLag(this), 100_000, 'A consumer is more than 100,000 events behind the log', 5);
    this.alarm('DeadLetters', props.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 0, 'S3 notifications reached the dead-letter queue', 1);
    this.alarm('QueueDepth', props.notifications.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1) }), 900, 'An S3 notification has waited more than 15 minutes', 5);
    this.alarm('Api5xx', props.api.metrics.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1), statistic: 'Sum' }), 10, 'The API answered more than 10 5xx responses a minute', 3);
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string, evaluationPeriods: number): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      alarmDescription: description,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
