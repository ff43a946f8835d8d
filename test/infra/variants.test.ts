import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewedFindings } from '../../infra/nagSuppressions';
import { lakeVariables, variablesConfigReads } from '../support/configVariables';
import { acknowledgements, synthesize, type Synthesized } from './synthesize';

const PUSHED = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/media/lake:v1.2';

/** The other choices, synthesized once: the log on MSK, S3 notifications handled by the Lambda function (bundled by esbuild here), nothing retained, an image pushed to ECR. */
describe('the deployed lake with -c log=msk -c notifications=lambda -c retainData=false -c image=ECR_URI', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize({ log: 'msk', notifications: 'lambda', retainData: 'false', image: PUSHED });
  }, 180_000);
  afterAll(() => synthesized?.remove());
  const resources = (type: string) => Object.values(synthesized.template.findResources(type));
  const handlerOf = () => resources('AWS::Lambda::Function').find((fn) => fn.Properties.Handler === 'index.handler' && fn.Properties.Environment?.Variables?.MEDIALAKE_LOG_BACKEND)!;

  it('runs the image pushed to ECR, which the tasks may pull', () => {
    const images = resources('AWS::ECS::TaskDefinition').flatMap((task) => task.Properties.ContainerDefinitions.map((container: { Image: unknown }) => container.Image));
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toEqual({ 'Fn::Join': ['', ['123456789012.dkr.ecr.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/media/lake:v1.2']] });
    const pulls = resources('AWS::IAM::Policy').flatMap((policy) => policy.Properties.PolicyDocument.Statement).filter((statement: { Action: unknown }) => JSON.stringify(statement.Action).includes('ecr:BatchGetImage'));
    expect(JSON.stringify(pulls)).toContain('repository/media/lake');
  });

  it('makes an MSK cluster, encrypted between brokers, and hands the lake its bootstrap brokers', () => {
    const [cluster] = resources('AWS::MSK::Cluster');
    expect(cluster!.Properties.EncryptionInfo.EncryptionInTransit.InCluster).toBe(true);
    expect(resources('AWS::Kinesis::Stream')).toEqual([]);
    const [task] = resources('AWS::ECS::TaskDefinition');
    const environment = Object.fromEntries(task!.Properties.ContainerDefinitions[0].Environment.map(({ Name, Value }: { Name: string; Value: unknown }) => [Name, Value]));
    expect(environment.MEDIALAKE_LOG_BACKEND).toBe('kafka');
    expect(JSON.stringify(environment.MEDIALAKE_KAFKA_BROKERS)).toContain('BootstrapBrokerString');
  });

  it('gives MediaConvert\'s state changes a queue of their own, polled by the services, since the function takes the notifications', () => {
    const [jobEvents] = Object.keys(synthesized.template.findResources('AWS::SQS::Queue')).filter((id) => id.startsWith('VideoJobEvents'));
    const [rule] = resources('AWS::Events::Rule');
    expect(rule!.Properties.Targets.map((target: { Arn: unknown }) => target.Arn)).toEqual([{ 'Fn::GetAtt': [jobEvents, 'Arn'] }]);
    for (const task of resources('AWS::ECS::TaskDefinition')) {
      const environment = Object.fromEntries(task.Properties.ContainerDefinitions[0].Environment.map(({ Name, Value }: { Name: string; Value: unknown }) => [Name, Value]));
      expect(environment).toMatchObject({ MEDIALAKE_SQS_QUEUE_URL: { Ref: jobEvents }, MEDIALAKE_VIDEO_BACKEND: 'mediaconvert' });
    }
    // The function only records notifications: no queue to poll, no MediaConvert settings the configuration would then require.
    const { MEDIALAKE_SQS_QUEUE_URL, MEDIALAKE_VIDEO_BACKEND } = handlerOf().Properties.Environment.Variables;
    expect({ MEDIALAKE_SQS_QUEUE_URL, MEDIALAKE_VIDEO_BACKEND }).toEqual({ MEDIALAKE_SQS_QUEUE_URL: undefined, MEDIALAKE_VIDEO_BACKEND: 'ffmpeg' });
  });

  it('feeds the notification queue to the function with partial batch failures', () => {
    const [mapping] = resources('AWS::Lambda::EventSourceMapping');
    expect(mapping!.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const environment = handlerOf().Properties.Environment.Variables;
    const read = variablesConfigReads();
    expect(lakeVariables(Object.keys(environment)).filter((name) => !read.has(name))).toEqual([]);
  });

  it('gives the function room for one large object at a time: 10 GiB of /tmp, one notification an invocation, a timeout under the queue\'s visibility', () => {
    const fn = handlerOf();
    expect(fn.Properties.EphemeralStorage).toEqual({ Size: 10_240 });
    const [mapping] = resources('AWS::Lambda::EventSourceMapping');
    expect(mapping!.Properties.BatchSize).toBe(1);
    const queueId = mapping!.Properties.EventSourceArn['Fn::GetAtt'][0];
    const visibility = synthesized.template.toJSON().Resources[queueId].Properties.VisibilityTimeout;
    // Longer than the 60 s that failed objects of a few hundred MB, and shorter than the visibility timeout, as SQS event sources require.
    expect(fn.Properties.Timeout).toBeGreaterThanOrEqual(180);
    expect(fn.Properties.Timeout).toBeLessThan(visibility);
  });

  it('names the chain key\'s secret to the function, which reads it through the Parameters and Secrets extension, never its value', () => {
    const fn = handlerOf();
    const [secret] = Object.keys(synthesized.template.findResources('AWS::SecretsManager::Secret'));
    expect(fn.Properties.Environment.Variables.MEDIALAKE_CHAIN_KEY_SECRET).toEqual({ Ref: secret });
    expect(fn.Properties.Environment.Variables.MEDIALAKE_CHAIN_KEY).toBeUndefined();
    expect(JSON.stringify(fn.Properties.Layers)).toContain('AWS-Parameters-and-Secrets-Lambda-Extension');
    const role = fn.Properties.Role['Fn::GetAtt'][0];
    const granted = resources('AWS::IAM::Policy')
      .filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: { Resource: unknown }) => JSON.stringify(statement.Resource) === JSON.stringify({ Ref: secret }));
    expect(granted.flatMap((statement: { Action: string | string[] }) => [statement.Action].flat())).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
  });

  it('deletes buckets (emptying them first), tables, the domain and keys with the stack', () => {
    const kept = Object.entries(synthesized.template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>)
      .filter(([, resource]) => /S3::Bucket$|DynamoDB|OpenSearchService::Domain|MSK::Cluster|SecretsManager::Secret$|Cognito::UserPool$|KMS::Key$/.test(resource.Type) && resource.DeletionPolicy !== 'Delete')
      .map(([id]) => id);
    expect(kept).toEqual([]);
    expect(resources('Custom::S3AutoDeleteObjects')).toHaveLength(3);
  });

  it('passes cdk-nag with the acknowledgements of these choices', () => {
    expect(synthesized.nagViolations).toEqual([]);
    const written = acknowledgements(synthesized.template);
    const missing = reviewedFindings(synthesized.stack).filter(({ path }) => /^(Notifications|EventLog)\//.test(path)).flatMap(({ path, ids }) =>
      ids.filter((id) => !written.get(path)?.some((ack) => ack.id === id)).map((id) => `${path} ${id}`),
    );
    expect(missing).toEqual([]);
  });

  it('bundles the lake\'s own handler (app/s3Lambda.ts) with esbuild, and the bundle handles an SQS batch', () => {
    const code = handlerOf().Properties.Code.S3Key as string;
    const directory = join(synthesized.outdir, `asset.${code.replace(/\.zip$/, '')}`);
    expect(readdirSync(directory)).toEqual(['index.mjs']);
    expect(readFileSync(join(directory, 'index.mjs'), 'utf8')).toContain('function createS3LambdaHandler(');
    // Loaded as Lambda loads it: alone, with no node_modules to find the native addons left out of it in.
    const alone = mkdtempSync(join(tmpdir(), 'medialake-lambda-alone-'));
    try {
      copyFileSync(join(directory, 'index.mjs'), join(alone, 'index.mjs'));
      const load = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(alone, 'index.mjs')).href)}); console.log(typeof handler);`;
      expect(execFileSync(process.execPath, ['--input-type=module', '-e', load], { cwd: alone, encoding: 'utf8' }).trim()).toBe('function');
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
    // In a Node.js process of its own, as Lambda runs it: the embedded log in a temporary folder, since the handler's parsing and answers are what is under test.
    const data = mkdtempSync(join(tmpdir(), 'medialake-lambda-'));
    const event = {
      Records: [
        { messageId: 'test-event', eventSource: 'aws:sqs', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'raw' }) },
        { messageId: 'not-json', eventSource: 'aws:sqs', body: 'not json' },
      ],
    };
    const invoke = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(directory, 'index.mjs')).href)}); console.log(JSON.stringify(await handler(${JSON.stringify(event)})));`;
    try {
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', invoke], { env: { ...process.env, MEDIALAKE_DATA: data }, encoding: 'utf8' });
      // Its logs (pino, on stdout, written asynchronously) have a level; the handler's answer has none.
      const lines = output.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.filter((line) => !('level' in line))).toEqual([{ batchItemFailures: [{ itemIdentifier: 'not-json' }] }]);
      expect(lines.find((line) => line.messageId === 'not-json')?.reason).toMatch(/not an S3 object notification/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
