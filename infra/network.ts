import { RemovalPolicy } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, GatewayVpcEndpointAwsService, InterfaceVpcEndpointAwsService, IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The lake's network: public subnets for the load balancer and NAT, private
 * subnets for tasks, functions and engines. S3 and DynamoDB are reached
 * through gateway endpoints (no NAT charge for media bytes), Kinesis through
 * an interface endpoint; rejected flows are logged.
 */
export class Network extends Construct {
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, retention: RetentionDays) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.40.0.0/16'),
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      gatewayEndpoints: {
        S3: { service: GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    this.vpc.addInterfaceEndpoint('Kinesis', { service: InterfaceVpcEndpointAwsService.KINESIS_STREAMS });
    const flowLogs = new LogGroup(this, 'FlowLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    this.vpc.addFlowLog('Rejected', { destination: FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: FlowLogTrafficType.REJECT });
  }
}
