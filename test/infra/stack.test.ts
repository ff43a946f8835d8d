import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { reviewedFindings } from '../../infra/nagSuppressions';
import { lakeVariables, variablesConfigReads } from '../support/configVariables';
import { CONSUMER_LAG_METRIC } from '../../app/consumerLagEmf';
import { loadConfig } from '../../app/config';
import { readSettings } from '../../infra/settings';
import { acknowledgements, iamStatements, synthesize, type Synthesized } from './synthesize';

/** The default deployment (Kinesis log, workers polling the notification queue), synthesized once. */
describe('the deployed lake (infra/, default settings)', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize();
  }, 180_000);
  afterAll(() => synthesized?.remove());
  const resources = (type: string) => Object.values(synthesized.template.findResources(type));

  it('blocks public access to every bucket, encrypts it and refuses requests without TLS', () => {
    const buckets = synthesized.template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(3);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    }
    const tlsOnly = resources('AWS::S3::BucketPolicy').filter((policy) =>
      policy.Properties.PolicyDocument.Statement.some((s: { Effect: string; Condition?: { Bool?: Record<string, string> } }) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
    );
    expect(tlsOnly.map((policy) => policy.Properties.Bucket.Ref).sort()).toEqual(Object.keys(buckets).sort());
  });

  it('retains the data when the stack is deleted: buckets, tables, the stream, the domain, the chain key and the user pool', () => {
    const data = Object.values(synthesized.template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>).filter((resource) =>
      /S3::Bucket$|DynamoDB::GlobalTable|Kinesis::Stream|OpenSearchService::Domain|SecretsManager::Secret$|Cognito::UserPool$/.test(resource.Type),
    );
    expect(data).toHaveLength(9);
    expect(data.filter((resource) => resource.DeletionPolicy !== 'Retain')).toEqual([]);
  });

  it('sends the raw bucket\'s notifications to an encrypted queue with a dead-letter queue', () => {
    const [notifications] = resources('Custom::S3BucketNotifications');
    expect(notifications!.Properties.NotificationConfiguration.QueueConfigurations.map((c: { Events: string[] }) => c.Events).flat().sort()).toEqual(['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
    const queues = resources('AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queues.filter((queue) => queue.Properties.RedrivePolicy?.maxReceiveCount === 5)).toHaveLength(1);
  });

  it('puts CloudFront, HTTPS only, behind a WAF web ACL, in front of the API alone: renditions go through the API\'s checks, never straight from the bucket', () => {
    const [distribution] = resources('AWS::CloudFront::Distribution');
    const config = distribution!.Properties.DistributionConfig;
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/WebAcl/), 'Arn'] });
    // The balancer tells the API `http`: CloudFront tells it the viewer's HTTPS, which the media cookie's Secure follows.
    expect(config.Origins[0].OriginCustomHeaders).toEqual([{ HeaderName: 'x-medialake-viewer-protocol', HeaderValue: 'https' }]);
    expect(resources('AWS::WAFv2::WebACL')[0]!.Properties.Scope).toBe('CLOUDFRONT');
    // The address rate limit leaves out renditions, which a scrolled grid asks for by the hundred and the API limits per principal.
    const rate = resources('AWS::WAFv2::WebACL')[0]!.Properties.Rules.find((rule: { Name: string }) => rule.Name === 'RateLimit').Statement.RateBasedStatement;
    expect(rate).toMatchObject({ Limit: 10_000, AggregateKeyType: 'IP' });
    expect(rate.ScopeDownStatement.NotStatement.Statement.ByteMatchStatement).toMatchObject({ SearchString: '/renditions/', PositionalConstraint: 'CONTAINS' });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('https-only');
    // One origin, the load balancer; no other path (a renditions/* behaviour would serve the bucket with no authorization, cached past a delete).
    const [balancer] = Object.keys(synthesized.template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    expect(config.Origins.map((origin: { DomainName: unknown }) => origin.DomainName)).toEqual([{ 'Fn::GetAtt': [balancer, 'DNSName'] }]);
    expect(config.CacheBehaviors ?? []).toEqual([]);
    expect(resources('AWS::CloudFront::OriginAccessControl')).toEqual([]);
    // And CloudFront may read nothing of the media bucket (originals included).
    const cloudFrontGrants = resources('AWS::S3::BucketPolicy')
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: { Principal?: { Service?: unknown } }) => JSON.stringify(statement.Principal ?? {}).includes('cloudfront'));
    expect(cloudFrontGrants).toEqual([]);
  });

  it('lets only CloudFront reach the API\'s load balancer, so no request goes around the WAF', () => {
    const [balancer] = resources('AWS::ElasticLoadBalancingV2::LoadBalancer');
    const [group] = balancer!.Properties.SecurityGroups.map((ref: { 'Fn::GetAtt': string[] }) => ref['Fn::GetAtt'][0]);
    expect(synthesized.template.toJSON().Resources[group].Properties.SecurityGroupIngress ?? []).toEqual([]);
    const ingress = resources('AWS::EC2::SecurityGroupIngress').filter((rule) => rule.Properties.GroupId['Fn::GetAtt']?.[0] === group);
    expect(ingress).toHaveLength(1);
    expect(ingress[0]!.Properties).toMatchObject({ FromPort: 80, ToPort: 80, SourcePrefixListId: { 'Fn::GetAtt': [expect.stringMatching(/CloudFrontLookup/), 'PrefixLists.0.PrefixListId'] } });
  });

  it("lets the API answer to the load balancer's name, the Host CloudFront sends it", () => {
    const [balancer] = Object.keys(synthesized.template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    const environments = resources('AWS::ECS::TaskDefinition').map((task) => task.Properties.ContainerDefinitions[0].Environment as { Name: string; Value: unknown }[]);
    const hosts = environments.flatMap((environment) => environment.filter(({ Name }) => Name === 'MEDIALAKE_ALLOWED_HOSTS'));
    expect(hosts).toHaveLength(1);
    expect(JSON.stringify(hosts[0]!.Value)).toContain(JSON.stringify({ 'Fn::GetAtt': [balancer, 'DNSName'] }));
  });

  it('grants no IAM statement every action on every resource', () => {
    const statements = iamStatements(synthesized.template);
    expect(statements.length).toBeGreaterThan(10);
    const wide = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((action) => action === '*' || action.endsWith(':*')) && [s.Resource].flat().includes('*'));
    expect(wide).toEqual([]);
  });

  it('keeps point-in-time recovery on the asset table and the generations pointer table', () => {
    const tables = resources('AWS::DynamoDB::GlobalTable');
    expect(tables.map((table) => table.Properties.TableName).sort()).toEqual(['medialake-assets', 'medialake-assets-generations']);
    for (const table of tables) {
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      for (const replica of table.Properties.Replicas) expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
    const assets = tables.find((table) => table.Properties.TableName === 'medialake-assets')!;
    expect(assets.Properties.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName).sort()).toEqual(['byCapture', 'byIngest', 'byS3Object', 'bySha256', 'byStatus']);
  });

  it('runs OpenSearch inside the VPC, encrypted at rest and between nodes, with fine-grained access', () => {
    const [domain] = resources('AWS::OpenSearchService::Domain');
    const properties = domain!.Properties;
    expect(properties.VPCOptions.SubnetIds).toHaveLength(2);
    expect(properties.EncryptionAtRestOptions.Enabled).toBe(true);
    expect(properties.NodeToNodeEncryptionOptions.Enabled).toBe(true);
    expect(properties.DomainEndpointOptions.EnforceHTTPS).toBe(true);
    expect(properties.AdvancedSecurityOptions).toMatchObject({ Enabled: true, InternalUserDatabaseEnabled: false });
  });

  it('refuses an odd number of OpenSearch data nodes, which two zones cannot hold evenly, in one line that names the option', () => {
    expect(() => readSettings({ openSearchDataNodes: '3' })).toThrow(/^invalid context value openSearchDataNodes: an even number: .*two availability zones.* \(docs\/deploy\.md lists the options\)$/);
    expect(readSettings({ openSearchDataNodes: '4' }).openSearchDataNodes).toBe(4);
    const [domain] = resources('AWS::OpenSearchService::Domain');
    expect(domain!.Properties.ClusterConfig).toMatchObject({ InstanceCount: 2, ZoneAwarenessEnabled: true, ZoneAwarenessConfig: { AvailabilityZoneCount: 2 } });
  });

  it('passes cdk-nag\'s AwsSolutions pack, every acknowledged finding on its resource with its reason', () => {
    expect(synthesized.nagViolations).toEqual([]);
    const written = acknowledgements(synthesized.template);
    const missing = reviewedFindings(synthesized.stack).filter(({ path }) => !/^(Notifications|EventLog)\//.test(path)).flatMap(({ path, ids, reason }) =>
      ids.filter((id) => !written.get(path)?.some((ack) => ack.id === id && ack.reason === reason)).map((id) => `${path} ${id}`),
    );
    expect(missing).toEqual([]);
    for (const [path, acks] of written) for (const { id, reason } of acks) expect(reason, `${path} ${id}`).toMatch(/\w.{30,}/);
  });

  it('sets in its task definitions only variables the configuration reads, and every one the scale-out backends need', () => {
    const read = variablesConfigReads();
    const containers = resources('AWS::ECS::TaskDefinition').flatMap((task) => task.Properties.ContainerDefinitions);
    expect(containers).toHaveLength(3);
    for (const container of containers) {
      const environment = Object.fromEntries(container.Environment.map(({ Name, Value }: { Name: string; Value: unknown }) => [Name, Value]));
      const secrets = container.Secrets.map(({ Name }: { Name: string }) => Name);
      const set = [...Object.keys(environment), ...secrets];
      expect(lakeVariables(set).filter((name) => !read.has(name))).toEqual([]);
      expect(secrets).toEqual(['MEDIALAKE_CHAIN_KEY']);
      expect(environment).toMatchObject({
        MEDIALAKE_LOG_BACKEND: 'kinesis',
        MEDIALAKE_KINESIS_STREAM: expect.anything(),
        MEDIALAKE_REDIS_URL: expect.anything(),
        MEDIALAKE_REDIS_CLUSTER: 'true',
        MEDIALAKE_AWS_REGION: 'us-east-1',
        MEDIALAKE_STORAGE_BACKEND: 's3',
        MEDIALAKE_S3_BUCKET: expect.anything(),
        MEDIALAKE_S3_SOURCES: expect.anything(),
        MEDIALAKE_SQS_QUEUE_URL: expect.anything(),
        MEDIALAKE_RECORDS_BACKEND: 'dynamodb',
        MEDIALAKE_DYNAMODB_TABLE: expect.anything(),
        MEDIALAKE_DYNAMODB_CREATE_TABLE: 'false',
        MEDIALAKE_SEARCH_BACKEND: 'opensearch',
        MEDIALAKE_OPENSEARCH_NODE: expect.anything(),
        MEDIALAKE_OPENSEARCH_SIGV4: 'true',
        MEDIALAKE_HOST: '0.0.0.0',
      });
    }
  });

  it('lets MediaConvert read the originals and write renditions of the media bucket, and nothing more', () => {
    const roles = synthesized.template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'mediaconvert.amazonaws.com' } })] } } });
    const [role] = Object.keys(roles);
    expect(Object.keys(roles)).toHaveLength(1);
    const policies = resources('AWS::IAM::Policy').filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role));
    const media = { 'Fn::GetAtt': [expect.stringMatching(/^StorageMedia/), 'Arn'] };
    expect(policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [media, '/originals/*']] } },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [media, '/renditions/*']] } },
    ]);
    expect(resources('AWS::MediaConvert::Queue').map((queue) => queue.Properties.PricingPlan)).toEqual(['ON_DEMAND']);
  });

  it('sends the settled jobs of the lake\'s MediaConvert queue to the queue the services poll, which lets EventBridge in', () => {
    const [rule] = resources('AWS::Events::Rule');
    const [mediaConvertQueue] = Object.keys(synthesized.template.findResources('AWS::MediaConvert::Queue'));
    expect(rule!.Properties.EventPattern).toEqual({
      source: ['aws.mediaconvert'],
      'detail-type': ['MediaConvert Job State Change'],
      detail: { status: ['COMPLETE', 'ERROR', 'CANCELED'], queue: [{ 'Fn::GetAtt': [mediaConvertQueue, 'Arn'] }] },
    });
    const notifications = Object.keys(synthesized.template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }));
    expect(rule!.Properties.Targets.map((target: { Arn: unknown }) => target.Arn)).toEqual([{ 'Fn::GetAtt': [notifications[0], 'Arn'] }]);
    const [ruleId] = Object.keys(synthesized.template.findResources('AWS::Events::Rule'));
    const queuePolicy = resources('AWS::SQS::QueuePolicy').find((policy) => policy.Properties.Queues.some((ref: { Ref: string }) => ref.Ref === notifications[0]))!;
    expect(queuePolicy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: expect.arrayContaining(['sqs:SendMessage']), Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } } }),
    );
  });

  it('lets the lake\'s tasks submit, ask about and cancel MediaConvert jobs, and pass MediaConvert\'s role alone', () => {
    const [role] = Object.keys(synthesized.template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'mediaconvert.amazonaws.com' } })] } } }));
    const [queue] = Object.keys(synthesized.template.findResources('AWS::MediaConvert::Queue'));
    const statements = iamStatements(synthesized.template).filter((s) => [s.Action].flat().some((action) => /^(mediaconvert|iam):/.test(action)));
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'mediaconvert:CreateJob', Resource: { 'Fn::GetAtt': [queue, 'Arn'] } },
      { Effect: 'Allow', Action: ['mediaconvert:GetJob', 'mediaconvert:CancelJob'], Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':mediaconvert:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':jobs/*']] } },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': [role, 'Arn'] } },
    ]);
    for (const task of resources('AWS::ECS::TaskDefinition')) {
      const environment = Object.fromEntries(task.Properties.ContainerDefinitions[0].Environment.map(({ Name, Value }: { Name: string; Value: unknown }) => [Name, Value]));
      expect(environment).toMatchObject({ MEDIALAKE_VIDEO_BACKEND: 'mediaconvert', MEDIALAKE_MEDIACONVERT_ROLE: { 'Fn::GetAtt': [role, 'Arn'] }, MEDIALAKE_MEDIACONVERT_QUEUE: { 'Fn::GetAtt': [queue, 'Arn'] } });
    }
  });

  it('signs people in with a Cognito user pool: no self sign-up, MFA, and groups named after the lake\'s roles', () => {
    const [pool] = resources('AWS::Cognito::UserPool');
    expect(pool!.Properties).toMatchObject({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }, MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    const [poolId] = Object.keys(synthesized.template.findResources('AWS::Cognito::UserPool'));
    const groups = resources('AWS::Cognito::UserPoolGroup');
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual(['admin', 'editor', 'viewer']);
    for (const group of groups) expect(group.Properties.UserPoolId).toEqual({ Ref: poolId });
  });

  it('gives the web UI a public app client: authorization code (PKCE), no secret, returning to the lake\'s CloudFront address', () => {
    const [client] = resources('AWS::Cognito::UserPoolClient');
    const [distribution] = Object.keys(synthesized.template.findResources('AWS::CloudFront::Distribution'));
    expect(client!.Properties).toMatchObject({ GenerateSecret: false, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: expect.arrayContaining(['openid']) });
    expect(client!.Properties.AllowedOAuthFlows).not.toContain('implicit');
    expect(client!.Properties.CallbackURLs).toEqual([{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/sign-in/callback']] }]);
    expect(client!.Properties.LogoutURLs).toEqual([{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/sign-in']] }]);
  });

  it('tells the lake to accept the pool\'s tokens for that client, with roles from cognito:groups', () => {
    const [poolId] = Object.keys(synthesized.template.findResources('AWS::Cognito::UserPool'));
    const [clientId] = Object.keys(synthesized.template.findResources('AWS::Cognito::UserPoolClient'));
    for (const task of resources('AWS::ECS::TaskDefinition')) {
      const environment = Object.fromEntries(task.Properties.ContainerDefinitions[0].Environment.map(({ Name, Value }: { Name: string; Value: unknown }) => [Name, Value]));
      expect(environment).toMatchObject({
        MEDIALAKE_OIDC_ISSUER: { 'Fn::Join': ['', ['https://cognito-idp.us-east-1.amazonaws.com/', { Ref: poolId }]] },
        MEDIALAKE_OIDC_AUDIENCES: { Ref: clientId },
        MEDIALAKE_OIDC_GROUPS_CLAIM: 'cognito:groups',
        MEDIALAKE_OIDC_NAME_CLAIM: 'username',
        MEDIALAKE_OIDC_LOGOUT_ENDPOINT: expect.objectContaining({ 'Fn::Join': expect.anything() }),
      });
    }
  });

  it('scales the API on CPU and the workers on the consumer-lag metric', () => {
    const policies = resources('AWS::ApplicationAutoScaling::ScalingPolicy');
    const cpu = policies.find((policy) => policy.Properties.PolicyType === 'TargetTrackingScaling')!;
    expect(cpu.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType).toBe('ECSServiceAverageCPUUtilization');
    const lagAlarms = resources('AWS::CloudWatch::Alarm').filter((alarm) => alarm.Properties.Namespace === 'MediaLake' && alarm.Properties.MetricName === CONSUMER_LAG_METRIC);
    // Step scaling makes an alarm for each direction; the operators' alarm is the third.
    expect(lagAlarms).toHaveLength(3);
    for (const alarm of lagAlarms) expect(alarm.Properties).toMatchObject({ Statistic: 'Maximum', Period: 60 });
    // The workers scale on the consumers they run (Role=processors, app/consumerLagEmf.ts), not on a projection another role folds;
    // the operators' alarm watches every consumer (the series with no dimension).
    expect(lagAlarms.map((alarm) => alarm.Properties.Dimensions ?? []).sort((a, b) => a.length - b.length)).toEqual([
      [],
      [{ Name: 'Role', Value: 'processors' }],
      [{ Name: 'Role', Value: 'processors' }],
    ]);
  });

  it('has every task publish its consumer lag under the namespace the scaling and the alarm read', () => {
    const containers = resources('AWS::ECS::TaskDefinition').flatMap((task) => task.Properties.ContainerDefinitions);
    for (const container of containers) {
      expect(container.Environment).toContainEqual({ Name: 'MEDIALAKE_CLOUDWATCH_NAMESPACE', Value: 'MediaLake' });
      expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    }
  });

  it('alarms on consumer lag, dead letters, queue age and API 5xx, all to one topic, and keeps every log group for a bounded time', () => {
    const [topic] = Object.keys(synthesized.template.findResources('AWS::SNS::Topic'));
    const alarmed = resources('AWS::CloudWatch::Alarm').filter((alarm) => alarm.Properties.AlarmActions.some((action: { Ref: string }) => action.Ref === topic));
    expect(alarmed.map((alarm) => alarm.Properties.MetricName).sort()).toEqual(['ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible', 'ConsumerLagEvents', 'HTTPCode_Target_5XX_Count']);
    const groups = resources('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });

  /** A task definition's containers by name, each with its plain environment as an object. */
  const containersOf = (task: 'Api' | 'Worker') => {
    const [definition] = Object.entries(synthesized.template.findResources('AWS::ECS::TaskDefinition')).filter(([id]) => id.startsWith(`Compute${task}Task`));
    return Object.fromEntries(
      definition![1].Properties.ContainerDefinitions.map((container: { Name: string; Environment: { Name: string; Value: unknown }[] }) => [
        container.Name,
        { ...container, environment: Object.fromEntries(container.Environment.map(({ Name, Value }) => [Name, Value])) },
      ]),
    );
  };

  it('runs no processor in the API tasks: the API (--role api) beside the projections it reads, on one data directory; the workers run the processors', () => {
    const api = containersOf('Api');
    expect(Object.keys(api)).toEqual(['lake', 'projections']);
    expect(api.lake.environment.MEDIALAKE_ROLE).toBe('api');
    expect(api.projections.environment.MEDIALAKE_ROLE).toBe('projections');
    // The load balancer reaches the API container; the projections container listens on a port of its own in the shared network namespace.
    const [service] = resources('AWS::ECS::Service').filter((service) => service.Properties.LoadBalancers);
    expect(service!.Properties.LoadBalancers).toEqual([expect.objectContaining({ ContainerName: 'lake', ContainerPort: 8080 })]);
    expect(api.projections.environment.MEDIALAKE_PORT).not.toBe(api.lake.environment.MEDIALAKE_PORT);
    expect(api.projections.HealthCheck.Command.at(-1)).toContain(`:${api.projections.environment.MEDIALAKE_PORT}/health`);
    // Both see the same data directory: the per-host SQLite projections the projections container folds are the ones the API reads.
    for (const container of Object.values(api) as { environment: Record<string, unknown>; MountPoints: unknown }[]) {
      expect(container.MountPoints).toEqual([{ SourceVolume: 'data', ContainerPath: container.environment.MEDIALAKE_DATA, ReadOnly: false }]);
    }
    // The image declares that directory a volume, so Fargate gives the task volume the image's owner (the unprivileged user), not root.
    expect(readFileSync(fileURLToPath(new URL('../../Dockerfile', import.meta.url)), 'utf8')).toMatch(new RegExp(`^VOLUME ${api.lake.environment.MEDIALAKE_DATA}$`, 'm'));
    const workers = containersOf('Worker');
    expect(Object.keys(workers)).toEqual(['lake']);
    expect(workers.lake.environment.MEDIALAKE_ROLE).toBe('processors');
  });

  it('sends an API task requests once its projections have folded the log (/ready), and gives it the time to', () => {
    const [group] = resources('AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(group!.Properties).toMatchObject({ HealthCheckPath: '/ready', Matcher: { HttpCode: '200' } });
    const [service] = resources('AWS::ECS::Service').filter((service) => service.Properties.LoadBalancers);
    expect(service!.Properties.HealthCheckGracePeriodSeconds).toBe(3600);
    expect(containersOf('Api').lake.HealthCheck.Command.at(-1)).toContain('/health');
  });

  it('trusts the load balancer\'s X-Forwarded-* headers in the API container, by the addresses of its subnets (no hop count: the configuration refuses one)', () => {
    const { lake, projections } = containersOf('Api');
    const [balancer] = resources('AWS::ElasticLoadBalancingV2::LoadBalancer');
    const subnets = synthesized.template.toJSON().Resources as Record<string, { Properties: { CidrBlock: string } }>;
    const balancerCidrs = balancer!.Properties.Subnets.map(({ Ref }: { Ref: string }) => subnets[Ref]!.Properties.CidrBlock);
    expect(balancerCidrs).toHaveLength(2);
    expect(lake.environment.MEDIALAKE_TRUST_PROXY).toBe(balancerCidrs.join(','));
    // What the API makes of it: those addresses, nothing else (api.trustProxy).
    expect(loadConfig({}, { MEDIALAKE_TRUST_PROXY: lake.environment.MEDIALAKE_TRUST_PROXY }).api.trustProxy).toEqual(balancerCidrs);
    expect(projections.environment.MEDIALAKE_TRUST_PROXY).toBeUndefined();
    expect(containersOf('Worker').lake.environment.MEDIALAKE_TRUST_PROXY).toBeUndefined();
  });

  it('gives every container 120 s to shut down (ECS\'s default of 30 s kills a worker finishing a video proxy)', () => {
    const containers = resources('AWS::ECS::TaskDefinition').flatMap((task) => task.Properties.ContainerDefinitions);
    expect(containers.map((container) => container.StopTimeout)).toEqual(containers.map(() => 120));
  });

  it('lets CloudWatch deliver alarms to the encrypted topic: the key lets it encrypt, the topic policy lets this account\'s alarms publish', () => {
    const [topicId] = Object.keys(synthesized.template.findResources('AWS::SNS::Topic'));
    const [topic] = resources('AWS::SNS::Topic');
    const keyId = topic!.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const keyStatements = synthesized.template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement;
    expect(keyStatements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }));
    const [policy] = resources('AWS::SNS::TopicPolicy').filter((p) => p.Properties.Topics.some((ref: { Ref: string }) => ref.Ref === topicId));
    expect(policy!.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
        },
      }),
    );
  });

  it('lets MediaConvert take its role only for jobs on the lake\'s own queue in this account (confused-deputy conditions)', () => {
    const [queue] = Object.keys(synthesized.template.findResources('AWS::MediaConvert::Queue'));
    const [role] = resources('AWS::IAM::Role').filter((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('mediaconvert.amazonaws.com'));
    expect(role!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'mediaconvert.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [queue, 'Arn'] } } },
      },
    ]);
  });
});
