import { Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Where pipeline nodes' secrets live in Secrets Manager: a definition's secret
 * NAME is PREFIXNAME (docs/pipelines.md). The prefix begins with the stack's
 * name, lower-cased (`medialake/pipelines/` for the stack MediaLake), so that
 * a staging's tasks read none of production's secrets.
 */
export function pipelineSecretsPrefix(scope: IConstruct): string {
  return `${Stack.of(scope).stackName.toLowerCase()}/pipelines/`;
}

/**
 * What pipeline nodes reach on AWS: the HTTP and webhook nodes' secrets,
 * those under the lake's prefix and no others, and the EventBridge buses of
 * this account and region that publish-eventbridge nodes name.
 */
export function grantPipelineNodes(role: IRole): void {
  const secrets = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${pipelineSecretsPrefix(role)}*`;
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets] }));
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['events:PutEvents'], resources: [`arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:event-bus/*`] }));
}
