import { Peer, type IPeer } from 'aws-cdk-lib/aws-ec2';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The AWS-managed prefix list of the addresses CloudFront reaches origins from. */
const LIST_NAME = 'com.amazonaws.global.cloudfront.origin-facing';

/**
 * CloudFront's origin-facing addresses in this region, as a security group
 * peer: the API's load balancer takes traffic from CloudFront only, so no
 * request reaches it around the WAF. The list's id differs per region and
 * CloudFormation cannot look it up: one read-only call at deploy time does.
 */
export class CloudFrontOrigins extends Construct {
  readonly peer: IPeer;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const lookup = new AwsCustomResource(this, 'Lookup', {
      onUpdate: {
        service: 'EC2',
        action: 'describeManagedPrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: [LIST_NAME] }] },
        physicalResourceId: PhysicalResourceId.of(LIST_NAME),
        outputPaths: ['PrefixLists.0.PrefixListId'],
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    this.peer = Peer.prefixList(lookup.getResponseField('PrefixLists.0.PrefixListId'));
  }
}
