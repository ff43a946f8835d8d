import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetIdForS3Object } from '../../schemas/ids';
import { pollQueue } from '../../producers/sqsPoller';
import { handleQueueMessages } from '../../producers/s3Notifications';
import { MemoryQueue } from '../support/memoryQueue';
import { waitFor } from '../support/waitFor';
import { fixture } from '../support/fixtures';
import { openS3NotificationBench, type S3NotificationBench } from '../support/s3Notifications';

describe('the SQS poller', () => {
  let bench: S3NotificationBench;
  const quiet = { logger: pino({ level: 'silent' }) };

  beforeAll(async () => {
    bench = await openS3NotificationBench({
      buckets: ['uploads', 'lake-bucket'],
      connected: [{ bucket: 'uploads' }, { bucket: 'deleted-bucket' }],
      lake: { bucket: 'lake-bucket' },
    });
  });
  afterAll(() => bench?.close());

  it('handles queued notifications and deletes them from the queue', async () => {
    const queue = new MemoryQueue(60_000);
    for (const message of await bench.put('uploads', 'a.jpg', readFileSync(fixture('jpg/Canon_40D.jpg')))) queue.send(message);
    for (const message of await bench.put('uploads', 'b.jpg', readFileSync(fixture('jpg/Nikon_D70.jpg')))) queue.send(message);

    const poller = pollQueue(queue, (messages) => handleQueueMessages(bench.context, messages), quiet);
    await waitFor('the queue to drain', () => queue.size === 0);
    await poller.stop();

    for (const key of ['a.jpg', 'b.jpg']) {
      expect(await bench.log.readAsset(assetIdForS3Object('uploads', key))).toMatchObject([{ type: 'AssetIngested' }]);
    }
  });

  it('leaves a message that fails on the queue, which delivers it again, and goes on with the rest', async () => {
    const queue = new MemoryQueue(50);
    const [upload] = await bench.put('uploads', 'c.jpg', readFileSync(fixture('jpg/Pentax_K10D.jpg')));
    const broken = structuredClone(upload) as { Records: { s3: { bucket: { name: string } } }[] };
    broken.Records[0]!.s3.bucket.name = 'deleted-bucket';
    const failing = queue.send(broken);
    queue.send(upload);

    const poller = pollQueue(queue, (messages) => handleQueueMessages(bench.context, messages), quiet);
    await waitFor('three deliveries of the failing message', () => queue.receivesOf(failing) >= 3);
    await poller.stop();

    expect(queue.size).toBe(1);
    expect(await bench.log.readAsset(assetIdForS3Object('uploads', 'c.jpg'))).toHaveLength(1);
  });

  it('stops while it waits for messages', async () => {
    const poller = pollQueue(new MemoryQueue(50), (messages) => handleQueueMessages(bench.context, messages), quiet);
    await sleep(50);
    await expect(poller.stop()).resolves.toBeUndefined();
  });
});
