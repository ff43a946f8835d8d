import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alarms } from './alarms';
import { Compute, lakeTaskRole } from './compute';
import { Coordination } from './coordination';
import { Delivery } from './delivery';
import { EventLogStore } from './eventLog';
import { Identity } from './identity';
import { lakeEnvironment } from './lakeEnvironment';
import { logRetention } from './logRetention';
import { Network } from './network';
import { NotificationsFunction } from './notificationsFunction';
import { ReadModels } from './readModels';
import { grantPipelineNodes, pipelineSecretsPrefix } from './pipelineNodes';
import { SettingsError, type Settings } from './settings';
import { Storage } from './storage';
import { VideoTranscoding } from './videoTranscoding';

/**
 * medialake on its scale-out backends, in one stack: the network, media
 * buckets and their notification queue, the log and its Redis, the read
 * models, the services, delivery and alarms.
 */
export class MediaLakeStack extends Stack {
  readonly storage: Storage;
  readonly readModels: ReadModels;
  readonly compute: Compute;
  readonly delivery: Delivery;
  readonly notificationsFunction?: NotificationsFunction;
  readonly video?: VideoTranscoding;
  readonly identity: Identity;

  constructor(scope: Construct, id: string, settings: Settings, props: StackProps = {}) {
    super(scope, id, props);
    const retention = logRetention(settings.logRetentionDays);
    const { vpc } = new Network(this, 'Network', retention);
    this.storage = new Storage(this, 'Storage', settings.retainData);
    const eventLog = new EventLogStore(this, 'EventLog', { vpc, settings, retention });
    const coordination = new Coordination(this, 'Coordination', { vpc, settings });
    const taskRole = lakeTaskRole(this);
    this.readModels = new ReadModels(this, 'ReadModels', { vpc, settings, lakeRole: taskRole, retention });

    const byLambda = settings.notifications === 'lambda';
    // With the function on the notification queue, MediaConvert's state changes need a queue of their own for the services to poll.
    this.video =
      settings.video === 'mediaconvert'
        ? new VideoTranscoding(this, 'Video', { mediaBucket: this.storage.mediaBucket, jobEvents: byLambda ? undefined : this.storage.notifications, deadLetters: this.storage.deadLetters })
        : undefined;
    const polled = byLambda ? this.video?.jobEvents : this.storage.notifications;
    const shared = {
      region: this.region,
      mediaBucket: this.storage.mediaBucket.bucketName,
      rawBucket: this.storage.rawBucket.bucketName,
      assetTable: this.readModels.assets.tableName,
      openSearchNode: `https://${this.readModels.domain.domainEndpoint}`,
      redisUrl: coordination.redisUrl,
      log: eventLog.log,
      pipelineSecretsPrefix: pipelineSecretsPrefix(this),
    };
    const securityGroups = [coordination.clients, this.readModels.searchClients, ...(eventLog.kafkaClients ? [eventLog.kafkaClients] : [])];
    this.compute = new Compute(this, 'Compute', {
      vpc,
      settings,
      taskRole,
      environment: lakeEnvironment({
        ...shared,
        queueUrl: polled?.queueUrl,
        mediaConvert: this.video && { role: this.video.role.roleArn, queue: this.video.queue.attrArn },
      }),
      securityGroups,
      accessLogs: this.storage.accessLogs,
      retention,
    });

    this.storage.mediaBucket.grantReadWrite(taskRole);
    this.storage.rawBucket.grantRead(taskRole);
    eventLog.grantReadWrite(taskRole);
    this.readModels.grantRecords(taskRole);
    polled?.grantConsumeMessages(taskRole);
    this.video?.grantJobs(taskRole);
    grantPipelineNodes(taskRole);

    if (byLambda) {
      const notifications = new NotificationsFunction(this, 'Notifications', { vpc, queue: this.storage.notifications, environment: lakeEnvironment(shared), chainKey: this.compute.chainKey, securityGroups, retention });
      const role = notifications.function.role!;
      this.storage.mediaBucket.grantReadWrite(role);
      this.storage.rawBucket.grantRead(role);
      eventLog.grantReadWrite(role);
      this.notificationsFunction = notifications;
    }

    this.delivery = new Delivery(this, 'Delivery', { api: this.compute.api.loadBalancer, logs: this.storage.accessLogs, webAclArn: webAclFor(this, settings) });
    this.identity = new Identity(this, 'Identity', { url: `https://${this.delivery.distribution.distributionDomainName}`, retainData: settings.retainData });
    this.compute.addEnvironment(this.identity.environment);
    new Alarms(this, 'Alarms', { notifications: this.storage.notifications, deadLetters: this.storage.deadLetters, api: this.compute.api.loadBalancer, email: settings.alarmEmail });

    new CfnOutput(this, 'Url', { value: `https://${this.delivery.distribution.distributionDomainName}`, description: 'The web UI and the API (and /docs); renditions under /assets/ID/renditions/NAME' });
    new CfnOutput(this, 'RawBucket', { value: this.storage.rawBucket.bucketName, description: 'Objects put here become assets' });
    new CfnOutput(this, 'UserPool', { value: this.identity.userPool.userPoolId, description: 'People sign in here; a group admin, editor or viewer gives the role' });
    new CfnOutput(this, 'WebClient', { value: this.identity.webClient.userPoolClientId, description: 'The web UI\'s app client (authorization code with PKCE, no secret)' });
    new CfnOutput(this, 'MediaBucket', { value: this.storage.mediaBucket.bucketName });
    new CfnOutput(this, 'Cluster', { value: this.compute.api.cluster.clusterName, description: 'Where `medialake` commands run as one-off tasks' });
  }
}

/** A CLOUDFRONT web ACL can only be made in us-east-1. */
function webAclFor(stack: Stack, settings: Settings): string | undefined {
  if (settings.webAclArn || stack.region === 'us-east-1') return settings.webAclArn;
  throw new SettingsError(`CloudFront's web ACL must be made in us-east-1; the stack is in ${stack.region}: pass -c webAclArn=ARN of a CLOUDFRONT-scope web ACL (docs/deploy.md)`);
}
