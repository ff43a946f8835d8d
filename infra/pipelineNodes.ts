import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';

/** Where pipeline nodes' secrets live in Secrets Manager: a definition's secret NAME is PREFIXNAME (docs/pipelines.md). */
export const PIPELINE_SECRETS_PREFIX = 'medialake/pipelines/';

/**
 * What pipeline nodes reach on AWS: the HTTP and webhook nodes' secrets,
 * those under the lake's prefix and no others, and the EventBridge buses of
 * this account and region that publish-eventbridge nodes name.
 */
export function grantPipelineNodes(role: IRole): void {
  const secrets = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${PIPELINE_SECRETS_PREFIX}*`;
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets] }));
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['events:PutEvents'], resources: [`arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:event-bus/*`] }));
}
