import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../storage/s3';
import { startS3, type S3Engine } from '../engines/s3';
import { objectStoreContract } from './objectStore.contract';

const MiB = 1024 * 1024;
let engine: S3Engine;
let n = 0;

beforeAll(async () => {
  engine = await startS3();
  await engine.createBucket('medialake-test');
});
afterAll(() => engine?.stop());

/** A fresh, empty store: its own prefix in the shared bucket. */
const openStore = (options: { partSize?: number } = {}) =>
  new S3ObjectStore({ ...engine.client, bucket: 'medialake-test', prefix: `store-${n++}`, ...options });

objectStoreContract('S3 (s3rver)', async () => openStore());

describe('S3 object store', () => {
  it('names a bucket that does not exist as it opens', async () => {
    await expect(S3ObjectStore.open({ ...engine.client, bucket: 'no-such-bucket' })).rejects.toThrow('bucket no-such-bucket does not exist: create it (the lake makes no bucket)');
    expect((await S3ObjectStore.open({ ...engine.client, bucket: 'medialake-test' })).bucket).toBe('medialake-test');
  });

  it('uploads a body over the part size in parts, and S3 shows it whole', async () => {
    const store = openStore({ partSize: 5 * MiB });
    const sent: string[] = [];
    store.client.middlewareStack.add((next, context) => (args) => (sent.push(context.commandName!), next(args)), {
      step: 'initialize',
    });
    const body = randomBytes(12 * MiB + 5);
    const chunks = Array.from({ length: 13 }, (_, i) => body.subarray(i * MiB, (i + 1) * MiB));

    expect(await store.put('originals/big/video.mp4', Readable.from(chunks), { contentType: 'video/mp4' })).toEqual({
      size: body.length,
    });

    // Three parts: 5 MiB, 5 MiB and the rest (s3rver does not give multipart ETags their "-3").
    expect(sent).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
    ]);
    expect((await store.getBuffer('originals/big/video.mp4')).equals(body)).toBe(true);
    expect(await store.head('originals/big/video.mp4')).toMatchObject({ key: 'originals/big/video.mp4', size: body.length, contentType: 'video/mp4' });
  });

  it('leaves objects as they were when the body fails halfway through a multipart upload', async () => {
    const store = openStore({ partSize: 5 * MiB });
    async function* failing() {
      yield randomBytes(6 * MiB);
      throw new Error('camera card removed');
    }
    await store.put('originals/kept/clip.mov', Buffer.from('the earlier take'));

    for (const key of ['originals/new/clip.mov', 'originals/kept/clip.mov']) {
      await expect(store.put(key, Readable.from(failing()))).rejects.toThrow('camera card removed');
    }

    expect(await store.head('originals/new/clip.mov')).toBeUndefined();
    expect((await store.getBuffer('originals/kept/clip.mov')).toString()).toBe('the earlier take');
  });

  it('keeps stores with different prefixes in one bucket apart', async () => {
    const [one, two] = [openStore(), openStore()];
    await one.put('renditions/a/proxy.jpg', Buffer.from('one'));
    const listed = [];
    for await (const object of two.list('renditions/')) listed.push(object.key);
    expect(listed).toEqual([]);
    expect(await two.head('renditions/a/proxy.jpg')).toBeUndefined();
  });

  it('gives a presigned URL that fetches the object without credentials', async () => {
    const store = openStore();
    await store.put('renditions/a/thumbnail.webp', Buffer.from('webp bytes'), { contentType: 'image/webp' });

    const response = await fetch(await store.presignedUrl('renditions/a/thumbnail.webp', 60));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(await response.text()).toBe('webp bytes');
  });

  it('refuses a part size S3 would reject', () => {
    expect(() => openStore({ partSize: MiB })).toThrow(/minimum part size/);
  });
});
