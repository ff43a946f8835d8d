import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { pipelineCommands } from '../../app/pipelineCommands';
import { ingestFile } from '../../producers/ingest';
import { deployPipeline, requestPipelineRuns } from '../../producers/pipelines';
import { runExecution } from '../../processors/pipelines/execution';
import type { NodeType } from '../../processors/pipelines/node';
import { publishEventBridgeNode } from '../../processors/pipelines/nodes/publishEventBridge';
import type { StoredEvent } from '../../schemas/envelope';
import { SecretNotFoundError } from '../../storage/secretStore';
import { SecretsManagerSecrets } from '../../storage/secretsManager';
import { engineAvailable } from '../engines/availability';
import { motoPresent, startMoto, type MotoEngine } from '../engines/moto';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext } from '../support/lake';
import { adminApi } from '../support/principals';
import { expectSecretNowhere } from '../support/secretHygiene';

const SECRET = 'sm-partner-1d9e44b07c';
const PREFIX = 'medialake/pipelines/';

/** A partner's service on this machine: answers a caption, and keeps the headers it got. */
function partnerService(headers: IncomingHttpHeaders[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    headers.push(request.headers);
    request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ caption: 'Quay at noon' })));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

/**
 * EventBridge answering PutEvents with a failed entry, which moto never does
 * for a well-formed one (it has no throttling or entry limits): a stand-in
 * endpoint that checks the SDK's request (the JSON protocol's target, the
 * entry the node built) and answers as the API reference describes.
 */
function throttlingEventBridge(requests: { target: string; entries: Record<string, string>[] }[]): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      requests.push({ target: String(request.headers['x-amz-target']), entries: JSON.parse(text).Entries });
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

/** Secrets Manager as the secret store and EventBridge as a target, on moto (AWS's APIs emulated on this machine). */
describe.skipIf(!engineAvailable('moto', motoPresent(), 'run .ci/engines/moto.sh'))('pipeline nodes on AWS services (moto)', () => {
  const directory = temporaryDirectory('medialake-lake-');
  const headers: IncomingHttpHeaders[] = [];
  const logLines: string[] = [];
  let moto: MotoEngine;
  let partner: { server: Server; url: string };
  let lake: Lake;
  let api: Awaited<ReturnType<typeof buildServer>>;
  let assetId: string;
  let queueUrl: string;
  let sqs: SQSClient;

  const deploy = (definition: object) => deployPipeline(pipelineCommands(lake, 'tester', 'cli'), definition);
  const run = async (pipeline: string) => {
    await requestPipelineRuns(pipelineCommands(lake, 'tester', 'cli'), pipeline, [assetId], 'manual');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    return (await lake.pipelines.history.executions({ pipeline }))[0]!;
  };

  beforeAll(async () => {
    moto = await startMoto();
    vi.stubEnv('AWS_ACCESS_KEY_ID', moto.client.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', moto.client.credentials.secretAccessKey);
    const secrets = new SecretsManagerClient(moto.client);
    await secrets.send(new CreateSecretCommand({ Name: `${PREFIX}partner-key`, SecretString: 'an older key' }));
    await secrets.send(new PutSecretValueCommand({ SecretId: `${PREFIX}partner-key`, SecretString: SECRET }));
    secrets.destroy();

    const eventBridge = new EventBridgeClient(moto.client);
    sqs = new SQSClient(moto.client);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'lake-events' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await eventBridge.send(new CreateEventBusCommand({ Name: 'media' }));
    await eventBridge.send(new PutRuleCommand({ Name: 'tagged', EventBusName: 'media', EventPattern: JSON.stringify({ source: ['medialake.test'], 'detail-type': ['Asset Tagged'] }) }));
    await eventBridge.send(new PutTargetsCommand({ Rule: 'tagged', EventBusName: 'media', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn! }] }));
    eventBridge.destroy();

    partner = await partnerService(headers);
    const config = loadConfig(
      {
        data: directory.path,
        logLevel: 'debug',
        'log.sync': 'normal',
        'aws.region': moto.client.region,
        'pipelines.secrets': 'secrets-manager',
        'pipelines.secretsEndpoint': moto.endpoint,
        'pipelines.eventBridgeEndpoint': moto.endpoint,
      },
      {},
    );
    lake = await openLake(config, pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }));
    lake.start();
    ({ app: api } = await adminApi(lake));
    assetId = ((await ingestFile(ingestContext(lake), fixture('jpg/Canon_40D.jpg'), { kind: 'upload' }, 'quay.jpg')) as { assetId: string }).assetId;
    await lake.waitForIdle({ timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await api?.close();
    await lake?.close();
    sqs?.destroy();
    partner?.server.close();
    await moto?.stop();
    vi.unstubAllEnvs();
    directory.remove();
  });

  it("reads a secret's current value by the prefixed name, and says which secret is missing", async () => {
    const store = new SecretsManagerSecrets({ prefix: PREFIX, ...moto.client });
    expect(await store.get('partner-key')).toBe(SECRET);
    const missing = await store.get('no-such-key').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(SecretNotFoundError);
    expect((missing as Error).message).toBe(`there is no secret no-such-key in Secrets Manager (${PREFIX}no-such-key)`);
    store.close();
  });

  it("gives the HTTP node its credential from Secrets Manager, in the header the definition names", async () => {
    await deploy({
      name: 'tagger', version: 1,
      trigger: { on: 'manual' },
      nodes: [{ id: 'tag', type: 'http', parameters: { url: `${partner.url}/tag`, secret: 'partner-key', header: 'X-Api-Key', scheme: '', map: { title: 'caption' } } }],
    });
    expect(await run('tagger')).toMatchObject({ status: 'completed' });
    expect(headers.at(-1)!['x-api-key']).toBe(SECRET);
    expect((await lake.records.get(assetId))!.user.title).toBe('Quay at noon');
  });

  it('a secret Secrets Manager does not have fails the node at once, naming it', async () => {
    await deploy({ name: 'unkeyed', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'tag', type: 'http', parameters: { url: `${partner.url}/tag`, secret: 'gone' } }] });
    const execution = await run('unkeyed');
    expect(execution).toMatchObject({ status: 'failed', error: { code: 'SECRET_NOT_FOUND', message: `there is no secret gone in Secrets Manager (${PREFIX}gone)` } });
    expect((await lake.pipelines.history.execution(execution.executionId))!.nodes).toMatchObject([{ node: 'tag', status: 'failed', attempts: 1 }]);
  });

  it('puts an event on an EventBridge bus, where a rule routes it to an SQS queue', async () => {
    await deploy({
      name: 'announce', version: 1,
      trigger: { on: 'manual' },
      nodes: [{ id: 'put', type: 'publish-eventbridge', parameters: { eventBus: 'media', source: 'medialake.test', detailType: 'Asset Tagged' } }],
      emits: ['nodes.put.eventId'],
    });
    const execution = await run('announce');
    expect(execution.status).toBe('completed');
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2 }));
    const routed = JSON.parse(Messages![0]!.Body!);
    expect(routed).toMatchObject({ id: execution.outputs!['nodes.put.eventId'], source: 'medialake.test', 'detail-type': 'Asset Tagged' });
    expect(routed.detail).toEqual({
      assetId, originalName: 'quay.jpg', mediaType: 'image', mimeType: 'image/jpeg', size: expect.any(Number),
      execution: { id: execution.executionId, pipeline: 'announce', version: 1 },
    });
  });

  it('a bus that is not there fails the node at once with the service error', async () => {
    await deploy({ name: 'astray', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'put', type: 'publish-eventbridge', parameters: { eventBus: 'nowhere', detailType: 'Asset Tagged' }, retry: { attempts: 3, backoffMs: 10 } }] });
    const execution = await run('astray');
    expect(execution).toMatchObject({ status: 'failed', failedNode: 'put', error: { code: 'ResourceNotFoundException' } });
    expect((await lake.pipelines.history.execution(execution.executionId))!.nodes).toMatchObject([{ node: 'put', status: 'failed', attempts: 1 }]);
  });

  it('retries a throttled entry, then fails the node with its error code', async () => {
    const requests: { target: string; entries: Record<string, string>[] }[] = [];
    const standIn = await throttlingEventBridge(requests);
    try {
      await deploy({ name: 'throttled', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'put', type: 'publish-eventbridge', parameters: { detailType: 'Asset Tagged' }, retry: { attempts: 2, backoffMs: 10 } }] });
      await lake.waitForIdle({ timeoutMs: 30_000 });
      const definition = (await lake.pipelines.history.definition('throttled', 1))!;
      const cause = (await lake.log.readAsset(assetId)).find((e) => e.type === 'AssetIngested') as StoredEvent<'AssetIngested'>;
      const node = publishEventBridgeNode({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: moto.client.credentials });
      const { config } = lake;
      const finished = await runExecution(
        { definition: definition as never, cause, trigger: 'manual', ingested: cause.payload },
        {
          log: lake.log, store: lake.store, logger: lake.logger, ...lake.pipelines, collections: lake.collections,
          catalogue: new Map([...lake.pipelines.catalogue, [node.type, node as NodeType<never>]]),
          decode: { maxInputPixels: config.processors.maxInputPixels, box: 256 }, maxInputBytes: config.processors.maxInputBytes,
        },
      );
      expect(finished).toMatchObject({ status: 'failed', error: { code: 'ThrottlingException', message: 'EventBridge refused the event on default: Rate exceeded' } });
      expect(requests.map((r) => [r.target, r.entries[0]!.EventBusName, r.entries[0]!.Source, r.entries[0]!.DetailType])).toEqual([
        ['AWSEvents.PutEvents', 'default', 'medialake', 'Asset Tagged'],
        ['AWSEvents.PutEvents', 'default', 'medialake', 'Asset Tagged'],
      ]);
    } finally {
      standIn.server.close();
    }
  });

  it('the secret from Secrets Manager appears in no event, log line or API answer', async () => {
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'tagger' });
    const urls = ['/pipelines', '/pipelines/tagger', '/pipelines/executions', `/pipelines/executions/${execution!.executionId}`, '/status', `/assets/${assetId}`];
    await expectSecretNowhere(lake, api, SECRET, logLines, urls);
  });
});
