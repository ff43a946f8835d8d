import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetIdForS3Object } from '../../schemas/ids';
import { createS3LambdaHandler } from '../../app/s3Lambda';
import { fixture } from '../support/fixtures';
import { openS3NotificationBench, type S3NotificationBench } from '../support/s3Notifications';

const sample = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/s3-events/${name}`, import.meta.url), 'utf8'));
const PHOTO = readFileSync(fixture('jpg/Pentax_K10D.jpg'));

/** A Lambda SQS event (the documented shape) holding these message bodies. */
function sqsEvent(...bodies: [string, unknown][]) {
  const template = sample('lambda-sqs-batch.json').Records[0];
  return {
    Records: bodies.map(([messageId, body]) => ({ ...template, messageId, body: typeof body === 'string' ? body : JSON.stringify(body) })),
  };
}

/** The documented EventBridge event, pointed at an object of the test bucket. */
function eventBridge(name: string, key: string) {
  const event = sample(name);
  event.detail.bucket.name = 'uploads';
  event.detail.object.key = encodeURIComponent(key).replace(/%20/g, '+');
  return event;
}

describe('the S3 notification Lambda handler', () => {
  let bench: S3NotificationBench;
  let handler: ReturnType<typeof createS3LambdaHandler>;

  beforeAll(async () => {
    bench = await openS3NotificationBench({
      buckets: ['uploads', 'lake-bucket'],
      connected: [{ bucket: 'uploads' }, { bucket: 'deleted-bucket' }],
      lake: { bucket: 'lake-bucket' },
    });
    handler = createS3LambdaHandler(async () => ({ context: bench.context, logger: pino({ level: 'silent' }) }));
  });
  afterAll(() => bench?.close());

  it('sweeps, as it opens, the copies an instance that timed out left in its temporary folder', async () => {
    mkdirSync(bench.context.temporaryDirectory, { recursive: true });
    // Written by another process (another token), as a timed-out instance leaves it: Lambda keeps /tmp for the next.
    const left = join(bench.context.temporaryDirectory, `${process.pid}.deadbeef.${randomUUID()}`);
    writeFileSync(left, 'half an object');
    const fresh = createS3LambdaHandler(async () => ({ context: bench.context, logger: pino({ level: 'silent' }) }));
    await fresh({ Records: [] });
    expect(existsSync(left)).toBe(false);
  });

  it('reports only the SQS messages that failed, for SQS to deliver again', async () => {
    const [upload] = await bench.put('uploads', 'DCIM/IMG 0001.jpg', PHOTO);
    const missingBucket = structuredClone(upload) as { Records: { s3: { bucket: { name: string } } }[] };
    missingBucket.Records[0]!.s3.bucket.name = 'deleted-bucket';

    const result = await handler(
      sqsEvent(['m-upload', upload], ['m-test', sample('test-event.json')], ['m-missing-bucket', missingBucket], ['m-garbage', '<html>']),
    );

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-garbage' }, { itemIdentifier: 'm-missing-bucket' }] });
    expect(await bench.log.readAsset(assetIdForS3Object('uploads', 'DCIM/IMG 0001.jpg'))).toMatchObject([
      { type: 'AssetIngested', payload: { origin: { kind: 's3', bucket: 'uploads', key: 'DCIM/IMG 0001.jpg' } } },
    ]);
  });

  it('handles EventBridge "Object Created" and "Object Deleted" events', async () => {
    const key = 'Fotos/Rømø kanzel.jpg';
    const assetId = assetIdForS3Object('uploads', key);
    await bench.put('uploads', key, PHOTO);
    expect(await handler(eventBridge('eventbridge-object-created.json', key))).toEqual({
      outcomes: [{ bucket: 'uploads', key, result: 'ingested', assetId }],
    });

    await bench.remove('uploads', key);
    expect(await handler(eventBridge('eventbridge-object-deleted.json', key))).toEqual({
      outcomes: [{ bucket: 'uploads', key, result: 'deleted', assetId }],
    });
  });

  it('throws on a failure outside SQS, so Lambda retries the invocation', async () => {
    const event = eventBridge('eventbridge-object-created.json', 'x.jpg');
    event.detail.bucket.name = 'deleted-bucket';
    await expect(handler(event)).rejects.toThrow(/deleted-bucket\/x\.jpg: .*bucket does not exist/i);
  });
});
