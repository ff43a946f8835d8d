import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { assetIdForS3Object } from '../../schemas/ids';
import { createS3Client } from '../../storage/s3';
import { createSqsClient } from '../../producers/sqsQueue';
import { pollConfiguredSqsQueue } from '../../app/sqsPolling';
import { startS3, type S3Engine } from '../engines/s3';
import { sqsPresent, startSqs, type SqsEngine } from '../engines/sqs';
import { startDynamoDb, type DynamoDbEngine } from '../engines/dynamodb';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from '../engines/opensearch';
import { engineAvailable } from '../engines/availability';
import { fixture } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';

const present =
  engineAvailable('ElasticMQ (SQS)', sqsPresent(), 'run .ci/engines/elasticmq.sh from the repo root') &&
  engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh from the repo root');

/**
 * What `serve` does on AWS: media in S3, records in DynamoDB, search in
 * OpenSearch (the log embedded), and with MEDIALAKE_SQS_QUEUE_URL set the
 * bucket's notifications come through a real SQS-compatible queue
 * (ElasticMQ), sent as S3 sends them, into processed, searchable assets.
 */
describe.skipIf(!present)('a lake on S3, DynamoDB and OpenSearch, fed by S3 notifications through SQS', () => {
  let s3Engine: S3Engine;
  let sqsEngine: SqsEngine;
  let dynamo: DynamoDbEngine;
  let opensearch: OpenSearchEngine;
  let sqs: ReturnType<typeof createSqsClient>;
  let queueUrl: string;
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let poller: ReturnType<typeof pollConfiguredSqsQueue>;
  const sending = new Set<Promise<unknown>>();

  beforeAll(async () => {
    [s3Engine, sqsEngine, dynamo, opensearch] = await Promise.all([startS3(), startSqs(), startDynamoDb(), startOpenSearch()]);
    await s3Engine.createBucket('media');
    queueUrl = await sqsEngine.createQueue('media-notifications', { visibilityTimeoutSeconds: 30 });
    sqs = createSqsClient(sqsEngine.client);
    // S3's side of the wiring: each object event becomes one message, its body the event JSON.
    s3Engine.onNotification((event) => {
      const sent = sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
      sending.add(sent);
      void sent.finally(() => sending.delete(sent));
    });
    // The SDK's default chain reads these, as it would on a server; ElasticMQ accepts any.
    vi.stubEnv('AWS_ACCESS_KEY_ID', s3Engine.client.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', s3Engine.client.credentials.secretAccessKey);
    lake = await openTestLake({
      'aws.region': 'us-east-1',
      'storage.backend': 's3',
      'storage.s3.endpoint': s3Engine.client.endpoint,
      'storage.s3.bucket': 'media',
      'records.backend': 'dynamodb',
      'records.dynamodb.endpoint': dynamo.client.endpoint,
      'records.dynamodb.table': 'medialake-assets',
      'search.backend': 'opensearch',
      'search.opensearch.node': opensearch.node,
      'search.opensearch.index': `lake-search-${randomUUID().slice(0, 8)}`,
      'sources.s3': [{ bucket: 'media', suffixes: ['.jpg'] }],
      'sources.sqsQueueUrl': queueUrl,
      'sources.sqsEndpoint': sqsEngine.endpoint,
    });
    lake.start();
    ({ app } = await adminApi(lake));
    poller = pollConfiguredSqsQueue(lake.config, lake, lake.logger);
  }, 150_000);

  afterAll(async () => {
    await poller?.stop();
    await app?.close();
    await lake?.close();
    sqs?.destroy();
    await Promise.all([s3Engine?.stop(), sqsEngine?.stop(), dynamo?.stop(), opensearch?.stop()]);
    vi.unstubAllEnvs();
  });

  const messagesLeft = async () => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
  };
  const settled = async () => {
    await waitFor('every notification to be sent', () => sending.size === 0);
    await waitFor('the queue to drain', async () => (await messagesLeft()) === 0, 20_000);
    await lake.waitForIdle({ timeoutMs: 20_000 });
  };
  const getAsset = (id: string) => app.inject({ method: 'GET', url: `/assets/${id}` });
  const search = async (q: string) => (await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(q)}` })).json();

  it('polls the configured queue only when a queue URL is set', () => {
    expect(poller).toBeDefined();
    expect(pollConfiguredSqsQueue({ ...lake.config, sources: { s3: [] } }, lake, lake.logger)).toBeUndefined();
  });

  it('processes an object announced on the queue, serves and finds it, and forgets it when the object is deleted', async () => {
    const key = 'photos/Lighthouse at dusk.jpg';
    const assetId = assetIdForS3Object('media', key);
    const s3 = createS3Client(s3Engine.client);

    await s3.send(new PutObjectCommand({ Bucket: 'media', Key: key, Body: readFileSync(fixture('jpg/Canon_40D.jpg')) }));
    await settled();

    const response = await getAsset(assetId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      assetId,
      status: 'ready',
      origin: { kind: 's3', bucket: 'media', key },
      metadata: { make: 'Canon', model: 'Canon EOS 40D' },
    });
    expect((await search('lighthouse dusk')).hits.map((hit: { assetId: string }) => hit.assetId)).toEqual([assetId]);
    // The lake's own writes into the bucket came through the queue too, and made no assets of their own.
    expect((await lake.records.list({ limit: 10 })).assets.map((a) => a.assetId)).toEqual([assetId]);

    await s3.send(new DeleteObjectCommand({ Bucket: 'media', Key: key }));
    await settled();

    expect((await getAsset(assetId)).statusCode).toBe(404);
    expect((await search('lighthouse dusk')).hits).toEqual([]);
    const left = [];
    for await (const object of lake.store.list(`renditions/${assetId}/`)) left.push(object.key);
    for await (const object of lake.store.list(`originals/${assetId}/`)) left.push(object.key);
    expect(left).toEqual([]);
    s3.destroy();
  });
});
