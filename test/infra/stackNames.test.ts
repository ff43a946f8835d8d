import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_LAG_METRIC } from '../../app/consumerLagEmf';
import { readSettings } from '../../infra/settings';
import { newGeneration } from '../../projections/lifecycle/generations';
import { ASSET_RECORDS } from '../../projections/registry';
import { synthesize, type Synthesized } from './synthesize';

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/**
 * Properties that name something which need not be unique in an account and
 * region, the same in every stack: names inside another resource (a role's
 * inline policy, a scalable target's policy, a user pool's group), names of
 * what AWS provides (MemoryDB's ACL open-access, an endpoint's service, a
 * metric) and labels.
 */
const SAME_IN_EVERY_STACK = new Set([
  'AWS::IAM::Policy PolicyName',
  'AWS::ApplicationAutoScaling::ScalingPolicy PolicyName',
  'AWS::Cognito::UserPoolGroup GroupName',
  'AWS::MemoryDB::Cluster ACLName',
  'AWS::EC2::VPCEndpoint ServiceName',
  'AWS::EC2::EIP Domain',
  'AWS::CloudWatch::Alarm MetricName',
  'AWS::SNS::Topic DisplayName',
]);

/** The names a template gives its resources (properties named *Name, a Cognito domain, a task family), as `TYPE PROPERTY` and the name; a reference to another resource's name is not one. */
function physicalNames(resources: Resources): { what: string; name: string }[] {
  return Object.values(resources).flatMap(({ Type, Properties = {} }) =>
    Object.entries(Properties)
      .filter(([key, value]) => /Name$|^Domain$|^Family$/.test(key) && !SAME_IN_EVERY_STACK.has(`${Type} ${key}`) && !(value?.Ref || value?.['Fn::GetAtt']))
      .map(([key, value]) => ({ what: `${Type} ${key}`, name: JSON.stringify(value) })),
  );
}

const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com' };
const tableArn = (name: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;

/** A policy's resource as the ARN (or ARN pattern) CloudFormation makes of it, tables by their names. */
function resolve(value: any, resources: Resources): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return PSEUDO[value.Ref] ?? resources[value.Ref]?.Properties?.TableName ?? `<${value.Ref}>`;
  if (value['Fn::GetAtt']) {
    const [id, attribute] = value['Fn::GetAtt'];
    const table = resources[id]?.Type === 'AWS::DynamoDB::GlobalTable' && attribute === 'Arn' && resources[id].Properties!.TableName;
    return table ? tableArn(table) : `<${id}.${attribute}>`;
  }
  if (value['Fn::Join']) return value['Fn::Join'][1].map((part: unknown) => resolve(part, resources)).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

/** Whether the tasks' role may do `action` on `arn`, as IAM matches the * and ? of a policy. */
function taskRoleAllows(synthesized: Synthesized, action: string, arn: string): boolean {
  const resources = synthesized.template.toJSON().Resources as Resources;
  const matches = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);
  const [task] = Object.values(synthesized.template.findResources('AWS::ECS::TaskDefinition'));
  const role = task!.Properties.TaskRoleArn['Fn::GetAtt'][0];
  const policies = Object.values(synthesized.template.findResources('AWS::IAM::Policy')).filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role));
  const statements: { Effect: string; Action: string | string[]; Resource: unknown }[] = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  return statements.some(
    (statement) => statement.Effect === 'Allow' && [statement.Action].flat().some((pattern) => matches(pattern, action)) && [statement.Resource].flat().some((resource) => matches(resolve(resource, resources), arn)),
  );
}

/** The asset table the tasks are told of (MEDIALAKE_DYNAMODB_TABLE), by its name. */
function assetTable(synthesized: Synthesized): string {
  const [task] = Object.values(synthesized.template.findResources('AWS::ECS::TaskDefinition'));
  const variable = task!.Properties.ContainerDefinitions[0].Environment.find(({ Name }: { Name: string }) => Name === 'MEDIALAKE_DYNAMODB_TABLE');
  return resolve(variable.Value, synthesized.template.toJSON().Resources);
}

/** Production and a staging beside it, in one account and region, synthesized once each. */
describe('two stacks of the lake side by side (-c stackName=NAME)', () => {
  let production: Synthesized;
  let staging: Synthesized;
  beforeAll(() => {
    production = synthesize();
    staging = synthesize({ stackName: 'MediaLakeStaging', log: 'msk' });
  }, 360_000);
  afterAll(() => {
    production?.remove();
    staging?.remove();
  });

  it('asks for no physical name the other stack has: each is its own stack\'s name, lower-cased, and what the resource is', () => {
    const ours = physicalNames(production.template.toJSON().Resources);
    const theirs = physicalNames(staging.template.toJSON().Resources);
    expect(new Set(theirs.map(({ what }) => what))).toEqual(
      new Set([
        'AWS::MSK::Cluster ClusterName',
        'AWS::MemoryDB::SubnetGroup SubnetGroupName',
        'AWS::MemoryDB::Cluster ClusterName',
        'AWS::MemoryDB::Cluster SubnetGroupName',
        'AWS::MemoryDB::Cluster FinalSnapshotName',
        'AWS::DynamoDB::GlobalTable TableName',
        'AWS::ECS::TaskDefinition Family',
        'AWS::Cognito::UserPoolDomain Domain',
      ]),
    );
    expect(theirs.filter(({ name }) => ours.some((other) => other.name === name))).toEqual([]);
    for (const { name } of theirs) expect(name.toLowerCase()).toContain('medialakestaging');
    expect(production.stack.stackName).toBe('MediaLake');
    expect(staging.stack.stackName).toBe('MediaLakeStaging');
  });

  it('keeps the names the stack MediaLake has always had, so that an update replaces none of its data', () => {
    const names = physicalNames(production.template.toJSON().Resources).filter(({ what }) => !what.startsWith('AWS::ECS::'));
    expect(names.map(({ name }) => JSON.parse(name)).filter((name) => typeof name === 'string').sort()).toEqual([
      'medialake-assets',
      'medialake-assets-generations',
      'medialake-coordination',
      'medialake-coordination',
      'medialake-coordination',
      'medialake-coordination-final',
      'medialake-events',
    ]);
  });

  it('lets each stack\'s tasks make, use and drop the generation tables their lake names after the table it is told of, and not the other stack\'s', () => {
    const generation = newGeneration(ASSET_RECORDS.version);
    for (const [synthesized, other] of [
      [production, staging],
      [staging, production],
    ] as const) {
      const table = assetTable(synthesized);
      // projections/assets/dynamodb.ts: the pointer is TABLE-generations, a rebuild's table TABLE-GENERATION.
      for (const action of ['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteTable']) {
        expect(taskRoleAllows(synthesized, action, tableArn(`${table}-${generation}`)), `${action} ${table}-${generation}`).toBe(true);
      }
      expect(taskRoleAllows(synthesized, 'dynamodb:Query', `${tableArn(`${table}-${generation}`)}/index/byIngest`)).toBe(true);
      expect(taskRoleAllows(synthesized, 'dynamodb:UpdateItem', tableArn(`${table}-generations`))).toBe(true);
      expect(taskRoleAllows(synthesized, 'dynamodb:PutItem', tableArn(`${assetTable(other)}-${generation}`))).toBe(false);
    }
    expect(assetTable(staging)).toBe('medialakestaging-assets');
  });

  it("writes, scales and alarms on each stack's consumer lag under its own namespace, so neither reads the other's lag", () => {
    for (const synthesized of [production, staging]) {
      const namespace = synthesized.stack.stackName;
      const containers = Object.values(synthesized.template.findResources('AWS::ECS::TaskDefinition')).flatMap((task) => task.Properties.ContainerDefinitions);
      for (const container of containers) expect(container.Environment).toContainEqual({ Name: 'MEDIALAKE_CLOUDWATCH_NAMESPACE', Value: namespace });
      const lagAlarms = Object.values(synthesized.template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) => alarm.Properties.MetricName === CONSUMER_LAG_METRIC);
      // The workers' step scaling (two alarms) and the operators' alarm.
      expect(lagAlarms.map((alarm) => alarm.Properties.Namespace)).toEqual([namespace, namespace, namespace]);
    }
  });

  it("gives each stack's tasks pipeline secrets under a prefix of its own, and lets them read those and not the other stack's", () => {
    const secretArn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`;
    for (const [synthesized, prefix, other] of [
      [production, 'medialake/pipelines/', 'medialakestaging/pipelines/'],
      [staging, 'medialakestaging/pipelines/', 'medialake/pipelines/'],
    ] as const) {
      const containers = Object.values(synthesized.template.findResources('AWS::ECS::TaskDefinition')).flatMap((task) => task.Properties.ContainerDefinitions);
      for (const container of containers) expect(container.Environment).toContainEqual({ Name: 'MEDIALAKE_PIPELINE_SECRETS_PREFIX', Value: prefix });
      expect(taskRoleAllows(synthesized, 'secretsmanager:GetSecretValue', secretArn(`${prefix}partner-key-AbCdEf`))).toBe(true);
      expect(taskRoleAllows(synthesized, 'secretsmanager:GetSecretValue', secretArn(`${other}partner-key-AbCdEf`))).toBe(false);
    }
  });

  it('refuses a stack name that a derived name could not carry, in one line that names the option', () => {
    expect(() => readSettings({ stackName: 'MediaLakeProductionEurope' })).toThrow(/^invalid context value stackName: at most 21 characters.* \(docs\/deploy\.md lists the options\)$/);
    expect(() => readSettings({ stackName: 'media--lake' })).toThrow(/^invalid context value stackName: letters, digits and single hyphens/);
    expect(() => readSettings({ stackName: 'AwsLake' })).toThrow(/^invalid context value stackName: must not contain aws, amazon or cognito/);
    expect(readSettings({ stackName: 'MediaLake-Staging' }).stackName).toBe('MediaLake-Staging');
  });
});
