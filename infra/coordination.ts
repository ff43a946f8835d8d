import { Peer, Port, SecurityGroup, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { CfnCluster, CfnSubnetGroup } from 'aws-cdk-lib/aws-memorydb';
import { Construct } from 'constructs';
import { physicalName } from './physicalName';
import type { Settings } from './settings';

const PORT = 6379;

/**
 * The Redis that coordinates a Kafka or Kinesis log (versions, event ids,
 * leases, dead letters). It must not lose an acknowledged write, which is
 * what MemoryDB promises: every write is in a multi-AZ transaction log before
 * it is acknowledged. One shard, TLS, reachable from the lake's security group only.
 */
export class Coordination extends Construct {
  readonly redisUrl: string;
  readonly clients: SecurityGroup;

  constructor(scope: Construct, id: string, props: { vpc: IVpc; settings: Settings }) {
    super(scope, id);
    const { vpc, settings } = props;
    const nodes = new SecurityGroup(this, 'Nodes', { vpc, description: 'MemoryDB: Redis over TLS from the lake only' });
    this.clients = new SecurityGroup(this, 'Clients', { vpc, description: 'The lake, as a client of MemoryDB' });
    nodes.addIngressRule(Peer.securityGroupId(this.clients.securityGroupId), Port.tcp(PORT), 'Redis clients');
    const name = physicalName(this, 'coordination');
    const subnets = new CfnSubnetGroup(this, 'Subnets', {
      subnetGroupName: name,
      subnetIds: vpc.selectSubnets({ subnets: vpc.privateSubnets }).subnetIds,
    });
    const cluster = new CfnCluster(this, 'Cluster', {
      clusterName: name,
      engine: 'valkey',
      nodeType: settings.memoryDbNodeType,
      numShards: 1,
      numReplicasPerShard: settings.memoryDbReplicas,
      aclName: 'open-access',
      tlsEnabled: true,
      port: PORT,
      subnetGroupName: subnets.subnetGroupName,
      securityGroupIds: [nodes.securityGroupId],
      snapshotRetentionLimit: 7,
      autoMinorVersionUpgrade: true,
      // Deleting the stack leaves a snapshot of the coordination state, from which a restored log can go on.
      finalSnapshotName: `${name}-final`,
    });
    cluster.addResourceDependency(subnets);
    this.redisUrl = `rediss://${cluster.attrClusterEndpointAddress}:${PORT}`;
  }
}
