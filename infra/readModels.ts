import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EbsDeviceVolumeType, Peer, Port, SecurityGroup, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { Effect, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Domain, EngineVersion, TLSSecurityPolicy } from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { physicalName } from './physicalName';
import type { Settings } from './settings';

const text = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The read models on AWS: the asset records in DynamoDB, as
 * projections/assets/dynamodbTable.ts defines them (key pk; indexes
 * bySha256, byS3Object, byIngest, byCapture, byStatus), with the generations pointer
 * table beside them; search and vectors in an OpenSearch domain inside the
 * VPC, reached with SigV4 by the lake's task role, its fine-grained master.
 */
export class ReadModels extends Construct {
  readonly assets: TableV2;
  readonly generations: TableV2;
  readonly domain: Domain;
  readonly searchClients: SecurityGroup;

  constructor(scope: Construct, id: string, props: { vpc: IVpc; settings: Settings; lakeRole: IRole; retention: RetentionDays }) {
    super(scope, id);
    const { vpc, settings, lakeRole } = props;
    const removalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const durable = { billing: Billing.onDemand(), pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, encryption: TableEncryptionV2.awsManagedKey(), removalPolicy, deletionProtection: settings.retainData };
    // The lake names the pointer table and a rebuild's tables after this one (projections/assets/dynamodb.ts).
    const table = physicalName(this, 'assets');
    this.assets = new TableV2(this, 'Assets', {
      ...durable,
      tableName: table,
      partitionKey: text('pk'),
      globalSecondaryIndexes: [
        { indexName: 'bySha256', partitionKey: text('sha256') },
        { indexName: 'byS3Object', partitionKey: text('s3Object') },
        { indexName: 'byIngest', partitionKey: text('listed'), sortKey: text('newest') },
        { indexName: 'byCapture', partitionKey: text('listed'), sortKey: text('captured') },
        { indexName: 'byStatus', partitionKey: text('status'), projectionType: ProjectionType.KEYS_ONLY },
      ],
    });
    this.generations = new TableV2(this, 'Generations', { ...durable, tableName: `${table}-generations`, partitionKey: text('pk') });

    this.searchClients = new SecurityGroup(this, 'SearchClients', { vpc, description: 'The lake, as a client of OpenSearch' });
    const nodes = new SecurityGroup(this, 'SearchNodes', { vpc, description: 'OpenSearch: HTTPS from the lake only' });
    nodes.addIngressRule(Peer.securityGroupId(this.searchClients.securityGroupId), Port.tcp(443), 'OpenSearch clients');
    const slowLogs = new LogGroup(this, 'SearchSlowLogs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    const appLogs = new LogGroup(this, 'SearchAppLogs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    this.domain = new Domain(this, 'Search', {
      version: EngineVersion.OPENSEARCH_2_19,
      vpc,
      vpcSubnets: [{ subnets: vpc.privateSubnets }],
      securityGroups: [nodes],
      zoneAwareness: { enabled: true, availabilityZoneCount: 2 },
      capacity: { dataNodes: settings.openSearchDataNodes, dataNodeInstanceType: settings.openSearchInstanceType, multiAzWithStandbyEnabled: false },
      ebs: { volumeSize: settings.openSearchVolumeGiB, volumeType: EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2,
      fineGrainedAccessControl: { masterUserArn: lakeRole.roleArn },
      logging: { slowSearchLogEnabled: true, slowSearchLogGroup: slowLogs, slowIndexLogEnabled: true, slowIndexLogGroup: slowLogs, appLogEnabled: true, appLogGroup: appLogs },
      removalPolicy,
    });
    lakeRole.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'], resources: [this.domain.domainArn, `${this.domain.domainArn}/*`] }),
    );
  }

  /** The lake writes the records and, for a rebuild, makes and drops its own TABLE-GENERATION tables. */
  grantRecords(role: IRole): void {
    this.assets.grantReadWriteData(role);
    this.generations.grantReadWriteData(role);
    const stack = this.assets.stack;
    const rebuilt = stack.formatArn({ service: 'dynamodb', region: Aws.REGION, account: Aws.ACCOUNT_ID, resource: 'table', resourceName: `${this.assets.tableName}-*` });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:CreateTable', 'dynamodb:DeleteTable', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem'],
        resources: [rebuilt, `${rebuilt}/index/*`],
      }),
    );
  }
}
