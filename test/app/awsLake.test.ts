import { readFileSync } from 'node:fs';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../api/server';
import { assetIdForS3Object } from '../../schemas/ids';
import { createS3Client } from '../../storage/s3';
import { s3NotificationContext } from '../../producers/s3Lambda';
import { pollS3Notifications } from '../../producers/sqsPoller';
import { startS3, type S3Engine } from '../engines/s3';
import { startDynamoDb, type DynamoDbEngine } from '../engines/dynamodb';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from '../engines/opensearch';
import { engineAvailable } from '../engines/availability';
import { fixture } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { MemoryQueue } from '../support/memoryQueue';
import { waitFor } from '../support/waitFor';

const present = engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh');

/**
 * The lake on S3, DynamoDB and OpenSearch (the log embedded): objects put
 * into the bucket reach it as S3 notifications through a queue (in memory:
 * SQS cannot run here) and come out in the API's records and search.
 */
describe.skipIf(!present)('a lake on S3, DynamoDB and OpenSearch', () => {
  let s3Engine: S3Engine;
  let dynamo: DynamoDbEngine;
  let opensearch: OpenSearchEngine;
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let poller: ReturnType<typeof pollS3Notifications>;
  const queue = new MemoryQueue(30_000);

  beforeAll(async () => {
    [s3Engine, dynamo, opensearch] = await Promise.all([startS3(), startDynamoDb(), startOpenSearch()]);
    await s3Engine.createBucket('media');
    // The SDK's default chain reads these, as it would on a server.
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
      'search.opensearch.index': 'lake-search',
      // The lake keeps its originals and renditions in the same bucket it ingests from.
      'sources.s3': [{ bucket: 'media', suffixes: ['.jpg', '.jpeg'] }],
    });
    lake.start();
    app = await buildServer(lake);
    s3Engine.onNotification((event) => queue.send(event));
    poller = pollS3Notifications(queue, s3NotificationContext(lake.config, lake), { logger: lake.logger });
  });

  afterAll(async () => {
    await poller?.stop();
    await app?.close();
    await lake?.close();
    await Promise.all([s3Engine?.stop(), dynamo?.stop(), opensearch?.stop()]);
    vi.unstubAllEnvs();
  });

  const settled = async () => {
    await waitFor('the queue to drain', () => queue.size === 0, 30_000);
    await lake.waitForIdle({ timeoutMs: 30_000 });
  };
  const getAsset = (id: string) => app.inject({ method: 'GET', url: `/assets/${id}` });
  const search = async (q: string) => (await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(q)}` })).json();

  it('processes an object put into the bucket, serves it and finds it, and forgets it when the object is deleted', async () => {
    const key = 'photos/2024/Harbour at dawn.jpg';
    const assetId = assetIdForS3Object('media', key);
    const s3 = createS3Client(s3Engine.client);

    await s3.send(new PutObjectCommand({ Bucket: 'media', Key: key, Body: readFileSync(fixture('jpg/Canon_40D.jpg')) }));
    await settled();

    const response = await getAsset(assetId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      assetId,
      status: 'ready',
      originalName: key,
      origin: { kind: 's3', bucket: 'media', key },
      metadata: { make: 'Canon', model: 'Canon EOS 40D' },
      renditions: { thumbnail: { mimeType: 'image/webp' }, proxy: { mimeType: 'image/jpeg' } },
    });
    expect((await search('harbour dawn')).hits.map((hit: { assetId: string }) => hit.assetId)).toEqual([assetId]);
    // The lake's own writes into the bucket made no assets of their own.
    expect((await lake.records.list({ limit: 10 })).assets.map((a) => a.assetId)).toEqual([assetId]);

    await s3.send(new DeleteObjectCommand({ Bucket: 'media', Key: key }));
    await settled();

    expect((await getAsset(assetId)).statusCode).toBe(404);
    expect((await search('harbour dawn')).hits).toEqual([]);
    const left = [];
    for await (const object of lake.store.list(`renditions/${assetId}/`)) left.push(object.key);
    for await (const object of lake.store.list(`originals/${assetId}/`)) left.push(object.key);
    expect(left).toEqual([]);
    s3.destroy();
  });
});
