import { Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { pipelineSecretsPrefix } from './pipelineNodes';

/** A cdk-nag finding the design accepts: where (a construct path below the stack), which, and why. */
interface ReviewedFinding {
  path: string;
  ids: string[];
  reason: string;
}

const LAKE_OBJECTS =
  'The lake reads and writes objects under keys it chooses (originals/ASSET/, renditions/ASSET/) in its own media bucket and reads any object of the raw bucket it is told about: object ARNs end in /*, and the actions are CDK grantRead/grantReadWrite sets (versions, multipart aborts) on these two buckets only.';

/** The task role's and the notification function's grants on the media and raw buckets. */
const lakeObjects = (path: string): ReviewedFinding[] => [
  { path, ids: ['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => `AwsSolutions-IAM5[Action::${action}]`), reason: LAKE_OBJECTS },
  { path, ids: ['<StorageMedia9333CB25.Arn>/*', '<StorageRaw7E344C76.Arn>/*'].map((resource) => `AwsSolutions-IAM5[Resource::${resource}]`), reason: LAKE_OBJECTS },
];

/** The findings reviewed in a stack (a few name resources after it). */
const reviewed = (stack: Stack): ReviewedFinding[] => [
  ...lakeObjects('LakeTaskRole/DefaultPolicy/Resource'),
  ...lakeObjects('Notifications/Handler/ServiceRole/DefaultPolicy/Resource'),
  {
    path: 'LakeTaskRole/DefaultPolicy/Resource',
    ids: [
      '<ReadModelsAssetsB10C838C.Arn>/index/*',
      'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/<ReadModelsAssetsB10C838C>-*',
      'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/<ReadModelsAssetsB10C838C>-*/index/*',
    ].map((resource) => `AwsSolutions-IAM5[Resource::${resource}]`),
    reason:
      'Queries go to the asset table\'s four indexes; a rebuild (projections rebuild assets) creates, fills and later deletes its own TABLE-GENERATION tables (TABLE: the asset table\'s name), whose names are made at run time (docs/scale.md).',
  },
  {
    path: 'LakeTaskRole/DefaultPolicy/Resource',
    ids: ['AwsSolutions-IAM5[Resource::<ReadModelsSearch954AFA1B.Arn>/*]'],
    reason: 'OpenSearch HTTP actions apply to paths under the domain (indices, aliases, templates the lake manages): only this domain, and only the es:ESHttp* verbs it uses.',
  },
  {
    path: 'LakeTaskRole/DefaultPolicy/Resource',
    ids: ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:mediaconvert:<AWS::Region>:<AWS::AccountId>:jobs/*]'],
    reason: 'A MediaConvert job ARN is known only once CreateJob answers: GetJob and CancelJob (the lake asks about a silent job and cancels it past its deadline) apply to the jobs of this account and region; CreateJob is allowed on the lake\'s queue alone.',
  },
  {
    path: 'LakeTaskRole/DefaultPolicy/Resource',
    ids: [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${pipelineSecretsPrefix(stack)}*]`],
    reason: 'Pipeline definitions name their nodes\' secrets at run time; the lake reads (GetSecretValue only) the secrets under its own prefix (STACK/pipelines/, the stack\'s name lower-cased), and no others.',
  },
  {
    path: 'LakeTaskRole/DefaultPolicy/Resource',
    ids: ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/*]'],
    reason: 'publish-eventbridge nodes name the bus a pipeline publishes to at run time; the lake may only PutEvents, on the buses of its own account and region.',
  },
  {
    path: 'Video/Role/DefaultPolicy/Resource',
    ids: ['originals/*', 'renditions/*'].map((prefix) => `AwsSolutions-IAM5[Resource::<StorageMedia9333CB25.Arn>/${prefix}]`),
    reason: 'MediaConvert reads the original of the asset it is given (originals/ASSET/) and writes its proxy under renditions/ASSET/; the keys are made per asset, so the role may read the one prefix and write the other, in the media bucket only.',
  },
  {
    path: 'Identity/Users/Resource',
    ids: ['AwsSolutions-COG8'],
    reason: 'The pool is on the Essentials plan: people are added by an admin only and must use MFA. Threat protection (the Plus plan) is billed per active user and is a per-deployment choice for pools open to many people.',
  },
  {
    path: 'Compute/ApiTask/ExecutionRole/DefaultPolicy/Resource',
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'ecr:GetAuthorizationToken has no resource-level permissions; it is the only action on *, added by ECS to pull the image.',
  },
  {
    path: 'Compute/WorkerTask/ExecutionRole/DefaultPolicy/Resource',
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'ecr:GetAuthorizationToken has no resource-level permissions; it is the only action on *, added by ECS to pull the image.',
  },
  {
    path: 'Compute/ApiTask/Resource',
    ids: ['AwsSolutions-ECS2'],
    reason: 'The plain environment holds resource names, endpoints and backend choices only; the one secret (MEDIALAKE_CHAIN_KEY) comes from Secrets Manager.',
  },
  {
    path: 'Compute/WorkerTask/Resource',
    ids: ['AwsSolutions-ECS2'],
    reason: 'The plain environment holds resource names, endpoints and backend choices only; the one secret (MEDIALAKE_CHAIN_KEY) comes from Secrets Manager.',
  },
  {
    path: 'Compute/ChainKey/Resource',
    ids: ['AwsSolutions-SMG4'],
    reason: 'The chain key is a keyring: a rotation appends a key and keeps the old ones, or history could no longer be verified (docs/audit.md). A rotation function that replaces the value would break that; rotate by hand as docs/deploy.md says.',
  },
  {
    path: 'Compute/CloudFront/Lookup/CustomResourcePolicy/Resource',
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'ec2:DescribeManagedPrefixLists, a read-only call that has no resource-level permissions, finds CloudFront\'s origin-facing prefix list for the load balancer\'s security group.',
  },
  {
    path: 'Network/Vpc/Kinesis/SecurityGroup/Resource',
    ids: ['AwsSolutions-EC23'],
    reason: 'The Kinesis interface endpoint accepts HTTPS from the VPC\'s own CIDR block (a token cdk-nag cannot read), not from the internet.',
  },
  {
    path: 'Delivery/Distribution/Resource',
    ids: ['AwsSolutions-CFR1'],
    reason: 'A media lake serves whoever its API lets in, wherever they are; a geo restriction is a per-deployment choice, not a default.',
  },
  {
    path: 'Delivery/Distribution/Resource',
    ids: ['AwsSolutions-CFR4'],
    reason: 'Without a custom domain CloudFront uses its default *.cloudfront.net certificate, whose viewer TLS policy cannot be set; a deployment with its own domain and certificate sets TLSv1.2_2021.',
  },
  {
    path: 'Delivery/Distribution/Resource',
    ids: ['AwsSolutions-CFR5'],
    reason: 'CloudFront reaches the API\'s load balancer over HTTP because it has no certificate of its own; it has no other origin. A deployment with a domain adds a certificate to the load balancer.',
  },
  {
    path: 'ReadModels/Search/Resource',
    ids: ['AwsSolutions-OS3', 'AwsSolutions-OS5'],
    reason: 'The domain is inside the VPC, reachable only from the lake\'s security group; every request is signed with SigV4 by an IAM principal granted es:ESHttp* (the lake\'s task role, its fine-grained master user). There is no IP allow-list or anonymous access to give.',
  },
  {
    path: 'ReadModels/Search/Resource',
    ids: ['AwsSolutions-OS4'],
    reason: 'Two data nodes across two zones carry the default scale (docs/deploy.md); dedicated master nodes would add three instances for a cluster this small.',
  },
  {
    path: 'ReadModels/Search/ESLogGroupPolicy*/CustomResourcePolicy/Resource',
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'CDK\'s resource that lets OpenSearch write its logs: logs:PutResourcePolicy and DeleteResourcePolicy have no resource-level permissions.',
  },
  {
    path: 'Notifications/Handler/ServiceRole/DefaultPolicy/Resource',
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'X-Ray tracing: xray:PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
  },
  {
    path: 'Notifications/Handler/ServiceRole/Resource',
    ids: ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole'].map((policy) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`),
    reason: 'The function writes its logs and, inside the VPC, makes and removes its network interfaces: exactly what these two AWS policies grant.',
  },
  {
    path: 'Notifications/Handler/Resource',
    ids: ['AwsSolutions-L1'],
    reason: 'The function runs the lake\'s own code, which is built and tested on Node.js 20 and 22 (package.json engines); it moves to a newer runtime when the lake does.',
  },
  {
    path: 'EventLog/Cluster',
    ids: ['AwsSolutions-MSK2'],
    reason: 'The lake\'s Kafka client (log/kafka.ts) has no TLS setting yet, so clients speak plaintext, only from the lake\'s security group inside the VPC; brokers encrypt between themselves and at rest.',
  },
  {
    path: 'AWS679f53fac002430cb0da5b7982bd2287/ServiceRole/Resource',
    ids: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'],
    reason: 'CDK\'s own custom-resource function (AwsCustomResource): its role writes its logs through the basic execution policy, which is all that policy grants.',
  },
  {
    path: 'AWS679f53fac002430cb0da5b7982bd2287/Resource',
    ids: ['AwsSolutions-L1'],
    reason: 'CDK\'s own custom-resource function, whose runtime is chosen by aws-cdk-lib and moves with it.',
  },
  {
    path: 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role/Resource',
    ids: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'],
    reason: 'CDK\'s own function that sets the raw bucket\'s notification configuration: its role writes its logs through the basic execution policy, which is all that policy grants.',
  },
];

/**
 * A construct below the stack by its path, or undefined where this deployment
 * has none (MSK instead of Kinesis, no Lambda function). A segment ending in *
 * is the child whose id begins with the rest: CDK ends some ids with a hash of
 * the construct's path, which changes with the stack's name.
 */
function findByPath(stack: Stack, path: string): IConstruct | undefined {
  return path
    .split('/')
    .reduce<IConstruct | undefined>((node, id) => (id.endsWith('*') ? node?.node.children.find((child) => child.node.id.startsWith(id.slice(0, -1))) : node?.node.tryFindChild(id)), stack);
}

/** Reviewed cdk-nag findings, each acknowledged on its construct with the reason it stands. */
export function acknowledgeReviewedFindings(stack: Stack): void {
  for (const { path, ids, reason } of reviewed(stack)) {
    const construct = findByPath(stack, path);
    if (!construct) continue;
    for (const id of ids) Validations.of(construct).acknowledge({ id, reason });
  }
}

/** The reviewed findings, each at the path of its construct in this stack where it has one. */
export function reviewedFindings(stack: Stack): ReviewedFinding[] {
  return reviewed(stack).map((finding) => {
    const construct = findByPath(stack, finding.path);
    return construct ? { ...finding, path: construct.node.path.slice(stack.node.path.length + 1) } : finding;
  });
}
