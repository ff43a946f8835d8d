import { readdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetIdForS3Object, sha256Hex } from '../../schemas/ids';
import { notificationsIn } from '../../producers/s3EventRecords';
import { handleNotifications } from '../../producers/s3Notifications';
import { fixture } from '../support/fixtures';
import { openS3NotificationBench, type S3NotificationBench } from '../support/s3Notifications';

const CANON = readFileSync(fixture('jpg/Canon_40D.jpg'));
const NIKON = readFileSync(fixture('jpg/Nikon_D70.jpg'));

describe('S3 notifications become asset events', () => {
  let bench: S3NotificationBench;
  const handle = (...messages: unknown[][]) => handleNotifications(bench.context, messages.flat().flatMap(notificationsIn));
  const history = (bucket: string, key: string) => bench.log.readAsset(assetIdForS3Object(bucket, key));

  beforeAll(async () => {
    bench = await openS3NotificationBench({
      buckets: ['camera-uploads', 'other-bucket', 'shared-media'],
      connected: [
        { bucket: 'camera-uploads', prefix: 'incoming/', suffixes: ['.JPG', '.png'] },
        { bucket: 'shared-media' },
      ],
      lake: { bucket: 'camera-uploads', prefix: 'lake' },
    });
  });
  afterAll(() => bench?.close());

  it('ingests an object put into a connected bucket, copying the original into the lake', async () => {
    const key = 'incoming/Harbour at dawn – Rømø.jpg';
    const [outcome] = await handle(await bench.put('camera-uploads', key, CANON));

    expect(outcome).toMatchObject({ result: 'ingested', assetId: assetIdForS3Object('camera-uploads', key) });
    const [ingested] = await history('camera-uploads', key);
    expect(ingested).toMatchObject({
      type: 'AssetIngested',
      source: 's3',
      actor: expect.stringMatching(/^AWS:/),
      payload: {
        originalName: key,
        mimeType: 'image/jpeg',
        mediaType: 'image',
        size: CANON.length,
        sha256: sha256Hex(CANON),
        origin: { kind: 's3', bucket: 'camera-uploads', key },
      },
    });
    const objectKey = (ingested!.payload as { objectKey: string }).objectKey;
    expect((await bench.context.store.getBuffer(objectKey)).equals(CANON)).toBe(true);
    // The copy went through the lake's temporary folder, whose leftovers a lake sweeps when it opens, and is gone.
    expect(readdirSync(bench.context.temporaryDirectory)).toEqual([]);
  });

  it('appends nothing when the same notification is delivered again', async () => {
    const messages = await bench.put('camera-uploads', 'incoming/twice.jpg', CANON);
    await handle(messages);
    expect(await handle(messages)).toMatchObject([{ result: 'unchanged' }]);
    expect(await history('camera-uploads', 'incoming/twice.jpg')).toHaveLength(1);
  });

  it('ingests new bytes under the same key as a new version of the same asset', async () => {
    await handle(await bench.put('camera-uploads', 'incoming/edited.jpg', CANON));
    await handle(await bench.put('camera-uploads', 'incoming/edited.jpg', NIKON));

    const events = await history('camera-uploads', 'incoming/edited.jpg');
    expect(events.map((e) => [e.type, e.assetVersion, (e.payload as { sha256: string }).sha256])).toEqual([
      ['AssetIngested', 1, sha256Hex(CANON)],
      ['AssetIngested', 2, sha256Hex(NIKON)],
    ]);
  });

  it('deletes the asset when its object is deleted, and a late upload notification does not bring it back', async () => {
    const key = 'incoming/gone.png';
    const upload = await bench.put('camera-uploads', key, CANON);
    await handle(upload);

    expect(await handle(await bench.remove('camera-uploads', key))).toMatchObject([{ result: 'deleted' }]);
    expect(await handle(upload)).toMatchObject([{ result: 'unchanged' }]);

    const events = await history('camera-uploads', key);
    expect(events.map((e) => e.type)).toEqual(['AssetIngested', 'AssetDeleted']);
    expect(events[1]).toMatchObject({ source: 's3', payload: { reason: `s3://camera-uploads/${key} was deleted` } });
  });

  it('acts once per key on the latest of a batch, and a stale delete after a re-upload changes nothing', async () => {
    const key = 'incoming/retaken.jpg';
    const first = await bench.put('camera-uploads', key, CANON);
    const removal = await bench.remove('camera-uploads', key);
    const second = await bench.put('camera-uploads', key, NIKON);

    const outcomes = await handle(second, first);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ result: 'ingested' });
    expect(outcomes[0]!.covers).toHaveLength(2);
    expect(await handle(removal)).toMatchObject([{ result: 'unchanged' }]);

    const events = await history('camera-uploads', key);
    expect(events.map((e) => [e.type, (e.payload as { sha256?: string }).sha256])).toEqual([['AssetIngested', sha256Hex(NIKON)]]);
  });

  it.each([
    ['camera-uploads', 'incoming/notes.txt', "outside the bucket's connected prefixes and file types"],
    ['camera-uploads', 'archive/old.jpg', "outside the bucket's connected prefixes and file types"],
    ['other-bucket', 'incoming/photo.jpg', 'bucket other-bucket is not connected'],
    ['shared-media', 'empty folder/', 'a folder placeholder, not a file'],
  ])('ignores %s/%s: %s', async (bucket, key, reason) => {
    expect(await handle(await bench.put(bucket, key, key.endsWith('/') ? '' : 'bytes'))).toMatchObject([
      { bucket, key, result: 'ignored', reason },
    ]);
    expect(await history(bucket, key)).toEqual([]);
  });

  it("ignores the lake's own writes of originals and renditions in a connected bucket, so nothing loops", async () => {
    const context = { ...bench.context, buckets: [{ bucket: 'camera-uploads' }] };
    const messages = await bench.put('camera-uploads', 'anywhere/photo.jpg', CANON);
    const caused: unknown[] = [];
    const stop = bench.engine.onNotification((event) => caused.push(event));
    await handleNotifications(context, messages.flatMap(notificationsIn));
    stop();

    const own = await handleNotifications(context, caused.flatMap(notificationsIn));
    expect(own.map((o) => o.key)).toEqual([expect.stringMatching(/^lake\/originals\/s[0-9a-f]{32}\/original\.jpg$/)]);
    expect(own).toMatchObject([{ result: 'ignored', reason: "the lake's own write" }]);
  });
});
