import { RemovalPolicy } from 'aws-cdk-lib';
import { Peer, Port, SecurityGroup, type IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnCluster } from 'aws-cdk-lib/aws-msk';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { LakeResources } from './lakeEnvironment';
import { physicalName } from './physicalName';
import type { Settings } from './settings';

/** The lake's topic, inside a cluster of its own. */
const TOPIC = 'medialake-events';
const KAFKA_PORT = 9092;

/**
 * The asset-event log: a Kinesis data stream on demand (shards follow the
 * traffic), or an MSK cluster. The lake's Kafka client speaks plaintext, so
 * MSK takes plaintext from inside the VPC only (its security group) and
 * encrypts at rest and between brokers.
 */
export class EventLogStore extends Construct {
  readonly log: LakeResources['log'];
  readonly stream?: Stream;
  readonly kafkaClients?: SecurityGroup;
  readonly grantReadWrite: (grantee: IGrantable) => void;

  constructor(scope: Construct, id: string, props: { vpc: IVpc; settings: Settings; retention: RetentionDays }) {
    super(scope, id);
    const { vpc, settings } = props;
    const removalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    if (settings.log === 'kinesis') {
      const stream = new Stream(this, 'Stream', { streamName: physicalName(this, 'events'), streamMode: StreamMode.ON_DEMAND, encryption: StreamEncryption.MANAGED, removalPolicy });
      this.stream = stream;
      this.log = { backend: 'kinesis', stream: stream.streamName };
      // The lake lists shards and follows splits itself (log/kinesis.ts).
      this.grantReadWrite = (grantee) => {
        stream.grantReadWrite(grantee);
        stream.grant(grantee, 'kinesis:ListShards', 'kinesis:DescribeStreamSummary');
      };
      return;
    }
    const brokers = new SecurityGroup(this, 'Brokers', { vpc, description: 'MSK brokers: plaintext Kafka from the lake only' });
    this.kafkaClients = new SecurityGroup(this, 'Clients', { vpc, description: 'The lake, as a client of the MSK brokers' });
    brokers.addIngressRule(Peer.securityGroupId(this.kafkaClients.securityGroupId), Port.tcp(KAFKA_PORT), 'Kafka clients');
    const subnets = vpc.selectSubnets({ subnets: vpc.privateSubnets });
    const cluster = new CfnCluster(this, 'Cluster', {
      clusterName: physicalName(this),
      kafkaVersion: '3.8.x',
      numberOfBrokerNodes: subnets.subnetIds.length,
      brokerNodeGroupInfo: { instanceType: settings.mskInstanceType, clientSubnets: subnets.subnetIds, securityGroups: [brokers.securityGroupId] },
      encryptionInfo: { encryptionInTransit: { clientBroker: 'TLS_PLAINTEXT', inCluster: true } },
      clientAuthentication: { unauthenticated: { enabled: true } },
      enhancedMonitoring: 'PER_TOPIC_PER_PARTITION',
      loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: new LogGroup(this, 'BrokerLogs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY }).logGroupName } } },
    });
    cluster.applyRemovalPolicy(removalPolicy);
    // CloudFormation has no attribute for the bootstrap brokers: one read-only call fetches them.
    const bootstrap = new AwsCustomResource(this, 'BootstrapBrokers', {
      onUpdate: {
        service: 'Kafka',
        action: 'getBootstrapBrokers',
        parameters: { ClusterArn: cluster.attrArn },
        physicalResourceId: PhysicalResourceId.of(cluster.attrArn),
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [cluster.attrArn] }),
      installLatestAwsSdk: false,
    });
    this.log = { backend: 'kafka', brokers: bootstrap.getResponseField('BootstrapBrokerString'), topic: TOPIC, partitions: settings.kafkaPartitions };
    // Plaintext clients inside the VPC need no IAM actions on the cluster.
    this.grantReadWrite = () => undefined;
  }
}
