import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Upload } from 'tus-js-client';
import { FileStore } from '@tus/file-store';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../api/server';
import { openTestLake } from '../support/lake';
import { addTestUser, adminApi, bearer } from '../support/principals';
import { expectApiError } from './http';

const TUS = { 'tus-resumable': '1.0.0' };
const metadata = (name: string) => `filename ${Buffer.from(name).toString('base64')}`;

/** Resumable uploads (tus) over a real socket, as a browser's tus client makes them. */
describe('resumable uploads at /uploads', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let base: string;
  let key: string;
  let other: string;
  const bytes = randomBytes(4 * 1024 * 1024);

  beforeAll(async () => {
    lake = await openTestLake({ 'auth.uploadBytesPerHour': 10 * 1024 * 1024 });
    lake.start();
    [key, other] = [await addTestUser(lake, 'uma', 'editor'), await addTestUser(lake, 'otto', 'editor')];
    app = await buildServer(lake);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  const create = (apiKey: string, length: number, name = 'big.bin') =>
    fetch(`${base}/uploads`, { method: 'POST', headers: { ...TUS, ...bearer(apiKey), 'upload-length': String(length), 'upload-metadata': metadata(name) } });
  const offsetOf = async (location: string, apiKey = key) => {
    const response = await fetch(`${base}${location}`, { method: 'HEAD', headers: { ...TUS, ...bearer(apiKey) } });
    return { status: response.status, offset: Number(response.headers.get('upload-offset')) };
  };

  /** Sends the first half of the body of a PATCH that announced all of it, then drops the connection. */
  function sendHalfAndDrop(location: string): Promise<void> {
    return new Promise((resolve) => {
      const patch = httpRequest(`${base}${location}`, {
        method: 'PATCH',
        headers: { ...TUS, ...bearer(key), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': bytes.length },
      });
      patch.on('error', () => resolve());
      patch.write(bytes.subarray(0, bytes.length / 2), () => setImmediate(() => (patch.destroy(), resolve())));
    });
  }

  it('resumes from the offset the server kept after a dropped connection, and ingests the file once with its hash', async () => {
    const created = await create(key, bytes.length);
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    await sendHalfAndDrop(location);
    await expect.poll(async () => (await offsetOf(location)).offset).toBeGreaterThan(0);
    const kept = (await offsetOf(location)).offset;
    expect(kept).toBeLessThanOrEqual(bytes.length / 2);

    const patchedFrom: number[] = [];
    const answer = await new Promise<string>((resolve, reject) => {
      new Upload(bytes, {
        uploadUrl: `${base}${location}`,
        headers: bearer(key),
        retryDelays: null,
        onBeforeRequest: (request) => void (request.getMethod() === 'PATCH' && patchedFrom.push(Number(request.getHeader('Upload-Offset')))),
        onSuccess: ({ lastResponse }) => resolve(lastResponse.getBody()),
        onError: reject,
      }).start();
    });
    expect(patchedFrom).toEqual([kept]);
    const { assetId, status, name } = JSON.parse(answer) as { assetId: string; status: string; name: string };
    expect([status, name]).toEqual(['ingested', 'big.bin']);
    const ingested = (await lake.log.readAsset(assetId)).filter((event) => event.type === 'AssetIngested');
    expect(ingested).toHaveLength(1);
    expect(ingested[0]!.payload).toMatchObject({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, originalName: 'big.bin' });
    expect(ingested[0]!.actor).toBe('uma');
    // Removed from staging once the answer is sent.
    await expect.poll(() => readdirSync(join(lake.dataDir, 'uploads'))).toEqual([]);
    expect((await offsetOf(location)).status).toBe(404);
  });

  it('reports the same bytes uploaded again as a duplicate of the same asset', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      new Upload(bytes, { endpoint: `${base}/uploads`, headers: bearer(key), metadata: { filename: 'again.bin' }, retryDelays: null, onSuccess: ({ lastResponse }) => resolve(lastResponse.getBody()), onError: reject }).start();
    });
    expect(JSON.parse(answer)).toMatchObject({ status: 'duplicate', name: 'again.bin' });
  });

  it('names the file as POST /assets would: its last path part, no control or direction-overriding characters, the extension kept', async () => {
    const upload = (filename: string, body: Buffer) =>
      new Promise<string>((resolve, reject) => {
        new Upload(body, { endpoint: `${base}/uploads`, headers: bearer(key), metadata: { filename }, retryDelays: null, onSuccess: ({ lastResponse }) => resolve(lastResponse.getBody()), onError: reject }).start();
      });
    expect(JSON.parse(await upload('../../etc/passwd', Buffer.from('not a password file')))).toMatchObject({ name: 'passwd' });
    expect(JSON.parse(await upload('a\tb\u202egpj.exe', Buffer.from('not a program')))).toMatchObject({ name: 'abgpj.exe' });
    const long = JSON.parse(await upload(`${'x'.repeat(300)}.jpg`, Buffer.from('a long name'))).name as string;
    expect([long.length, long.endsWith('.jpg')]).toEqual([255, true]);
  });

  it("names a file from a folder by its path there (relativePath, as the web UI and Uppy send it), so two cards' IMG_0001.JPG stay apart", async () => {
    const upload = (metadata: Record<string, string>, body: Buffer) =>
      new Promise<string>((resolve, reject) => {
        new Upload(body, { endpoint: `${base}/uploads`, headers: bearer(key), metadata, retryDelays: null, onSuccess: ({ lastResponse }) => resolve(lastResponse.getBody()), onError: reject }).start();
      });
    const first = JSON.parse(await upload({ filename: 'IMG_0001.JPG', relativePath: 'CARD1/DCIM/100CANON/IMG_0001.JPG' }, Buffer.from('card one')));
    const second = JSON.parse(await upload({ filename: 'IMG_0001.JPG', relativePath: 'CARD2/DCIM/100CANON/IMG_0001.JPG' }, Buffer.from('card two')));
    expect([first.name, second.name]).toEqual(['CARD1/DCIM/100CANON/IMG_0001.JPG', 'CARD2/DCIM/100CANON/IMG_0001.JPG']);
    await lake.waitForIdle();
    expect((await lake.records.get(second.assetId))?.originalName).toBe('CARD2/DCIM/100CANON/IMG_0001.JPG');
    // Climbing parts and empty ones are left out; a path of nothing gives the file's name.
    expect(JSON.parse(await upload({ filename: 'x.jpg', relativePath: '../../etc//./cron.d\\\\job' }, Buffer.from('no climbing'))).name).toBe('etc/cron.d/job');
    expect(JSON.parse(await upload({ filename: 'x.jpg', relativePath: '/./' }, Buffer.from('no path'))).name).toBe('x.jpg');
    // A part that is ".." once cleaned is left out too; a path of a folder alone is the file's folder.
    expect(JSON.parse(await upload({ filename: 'b.jpg', relativePath: 'a/ .. /..\u0007/b.jpg' }, Buffer.from('cleaned climbing'))).name).toBe('a/b.jpg');
    expect(JSON.parse(await upload({ filename: 'c.jpg', relativePath: 'trip/day1/' }, Buffer.from('a folder only'))).name).toBe('trip/day1/c.jpg');
  });

  it('answers a PATCH that finds the disk full 507 STORAGE_FULL, as the rest of the API does, and takes the bytes once space is back', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const write = vi.spyOn(FileStore.prototype, 'write').mockRejectedValueOnce(full);
    try {
      const location = (await create(key, 11, 'full.bin')).headers.get('location')!;
      const patch = () =>
        fetch(`${base}${location}`, { method: 'PATCH', headers: { ...TUS, ...bearer(key), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: 'eleven byte' });
      const refused = await patch();
      expect(refused.status).toBe(507);
      expectApiError(await refused.json(), 'STORAGE_FULL');
      expect((await patch()).status).toBe(200);
    } finally {
      write.mockRestore();
    }
  });

  it('ingests an upload finished by its creating POST (creation-with-upload, or empty), and says so', async () => {
    const body = Buffer.from('a whole note in the creating request');
    const created = await fetch(`${base}/uploads`, {
      method: 'POST',
      headers: { ...TUS, ...bearer(key), 'upload-length': String(body.length), 'upload-metadata': metadata('note.txt'), 'content-type': 'application/offset+octet-stream' },
      body,
    });
    expect(created.status).toBeLessThan(300);
    expect(await created.json()).toMatchObject({ status: 'ingested', name: 'note.txt' });
    const empty = await fetch(`${base}/uploads`, { method: 'POST', headers: { ...TUS, ...bearer(key), 'upload-length': '0', 'upload-metadata': metadata('empty.txt') } });
    expect(empty.status).toBeLessThan(300);
    expect(await empty.json()).toMatchObject({ name: 'empty.txt' });
  });

  it("keeps an upload its creator's: another caller is told there is none", async () => {
    const location = (await create(key, 10)).headers.get('location')!;
    expect((await offsetOf(location)).status).toBe(200);
    const response = await fetch(`${base}${location}`, { method: 'HEAD', headers: { ...TUS, ...bearer(other) } });
    expect(response.status).toBe(404);
  });

  it('says how to send the bytes of a PATCH sent without its content type, JSON included (its bytes are not parsed as JSON)', async () => {
    const location = (await create(key, 10, 'small.bin')).headers.get('location')!;
    for (const [type, body] of [['text/plain', '0123456789'], ['application/json', 'x'], ['application/json', '{}']]) {
      const patch = await fetch(`${base}${location}`, { method: 'PATCH', headers: { ...TUS, ...bearer(key), 'upload-offset': '0', 'content-type': type! }, body });
      expect([type, body, patch.status]).toEqual([type, body, 415]);
      expect(((await patch.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/application\/offset\+octet-stream/) });
    }
    expect(await offsetOf(location)).toEqual({ status: 200, offset: 0 });
  });

  it('sends X-Request-Id on every answer, as the rest of the API does', async () => {
    const created = await create(key, 10);
    const location = created.headers.get('location')!;
    const patch = await fetch(`${base}${location}`, { method: 'PATCH', headers: { ...TUS, ...bearer(key), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: '01234' });
    const head = await fetch(`${base}${location}`, { method: 'HEAD', headers: { ...TUS, ...bearer(key), 'x-request-id': 'mine-1' } });
    const missing = await fetch(`${base}/uploads/nothing-here`, { method: 'HEAD', headers: { ...TUS, ...bearer(key) } });
    expect([created.status, patch.status, head.status, missing.status]).toEqual([201, 204, 200, 404]);
    for (const answer of [created, patch, missing]) expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(head.headers.get('x-request-id')).toBe('mine-1');
  });

  it("answers tus's refusals as the API's JSON error, said to be JSON", async () => {
    const location = (await create(key, 10)).headers.get('location')!;
    const refusals = [
      // The upload stands at 0.
      await fetch(`${base}${location}`, { method: 'PATCH', headers: { ...TUS, ...bearer(key), 'upload-offset': '5', 'content-type': 'application/offset+octet-stream' }, body: '01234' }),
      await fetch(`${base}/uploads/nothing-here`, { method: 'PATCH', headers: { ...TUS, ...bearer(key), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: '01234' }),
      // A header tus cannot read: it refuses it before any hook.
      await fetch(`${base}${location}`, { method: 'PATCH', headers: { ...TUS, ...bearer(key), 'upload-offset': 'zero', 'content-type': 'application/offset+octet-stream' }, body: '01234' }),
      await create(key, 20 * 1024 * 1024),
      await fetch(`${base}${location}`, { method: 'PATCH', headers: { ...TUS, ...bearer(key), 'content-type': 'application/offset+octet-stream' }, body: '01234' }),
    ];
    expect(refusals.map((answer) => answer.status)).toEqual([409, 404, 400, 429, 400]);
    for (const answer of refusals) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expectApiError(await answer.json(), /^(INVALID_UPLOAD|UPLOAD_NOT_FOUND|UPLOAD_QUOTA)$/);
    }
  });

  it.each([
    ['no Tus-Resumable header', {}],
    ['another version of tus', { 'tus-resumable': '0.2.2' }],
  ])('refuses a request with %s: 412 in the API error shape, with the version it speaks', async (_, tus) => {
    const answers = [
      await fetch(`${base}/uploads`, { method: 'POST', headers: { ...tus, ...bearer(key), 'upload-length': '5' } }),
      await fetch(`${base}/uploads/nothing-here`, { method: 'HEAD', headers: { ...tus, ...bearer(key) } }),
    ];
    for (const answer of answers) {
      expect([answer.status, answer.headers.get('tus-version'), answer.headers.get('content-type')]).toEqual([412, '1.0.0', expect.stringMatching(/^application\/json/)]);
      expect(answer.headers.get('x-request-id')).toBeTruthy();
    }
    expectApiError(await answers[0]!.json(), 'UNSUPPORTED_TUS_VERSION');
  });

  it('answers OPTIONS without Tus-Resumable, as tus allows', async () => {
    const answer = await fetch(`${base}/uploads`, { method: 'OPTIONS', headers: bearer(key) });
    expect([answer.status, answer.headers.get('tus-version'), answer.headers.get('tus-extension')]).toEqual([204, '1.0.0', expect.stringContaining('creation')]);
  });

  it('takes each method where tus serves it, and answers 405 with Allow elsewhere', async () => {
    const location = (await create(key, 10)).headers.get('location')!;
    const posted = await fetch(`${base}${location}`, { method: 'POST', headers: { ...TUS, ...bearer(key), 'upload-length': '5' } });
    expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'HEAD, PATCH, DELETE']);
    const patched = await fetch(`${base}/uploads`, { method: 'PATCH', headers: { ...TUS, ...bearer(key), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: 'x' });
    expect([patched.status, patched.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await fetch(`${base}${location}`, { method: 'DELETE', headers: { ...TUS, ...bearer(key) } })).status).toBe(204);
    expect((await offsetOf(location)).status).toBe(404);
  });

  it('refuses without a credential (401), past the quota (429) and past the size limit (413), with the API error shape', async () => {
    const anonymous = await fetch(`${base}/uploads`, { method: 'POST', headers: { ...TUS, 'upload-length': '10' } });
    expect(anonymous.status).toBe(401);
    const overQuota = await create(key, 20 * 1024 * 1024);
    expect(overQuota.status).toBe(429);
    expect(((await overQuota.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_QUOTA');
    const tooLarge = await create(other, lake.config.api.maxUploadBytes + 1);
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'TOO_LARGE' });
  });
});

describe('the upload quota over resumable uploads', () => {
  const QUOTA = 3000;
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof adminApi>>['app'];
  let apiKey: string;
  let base: string;
  beforeAll(async () => {
    lake = await openTestLake({ 'auth.uploadBytesPerHour': QUOTA });
    ({ app, apiKey } = await adminApi(lake));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await lake?.close();
  });
  /** Each test is another principal's hour: the quota counts per principal. */
  beforeEach(async () => {
    apiKey = await addTestUser(lake, `uploader-${randomUUID().slice(0, 8)}`, 'editor');
  });
  const refusedForQuota = async (answer: Response) => {
    expect(answer.status).toBe(429);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_QUOTA');
  };

  it('counts each upload as it finishes: two made before either finished do not pass the quota together', async () => {
    const create = async () =>
      (await fetch(`${base}/uploads`, { method: 'POST', headers: { ...TUS, ...bearer(apiKey), 'upload-length': '2000', 'upload-metadata': metadata('part.bin') } })).headers.get('location')!;
    const [first, second] = [await create(), await create()];
    const finish = (location: string, fill: number) =>
      fetch(`${base}${location}`, { method: 'PATCH', headers: { ...TUS, ...bearer(apiKey), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: Buffer.alloc(2000, fill) });
    expect((await finish(first, 1)).status).toBe(200);
    await refusedForQuota(await finish(second, 2));
  });

  it('checks each PATCH of an upload of deferred length with the bytes it would then hold, and a length declared late', async () => {
    const created = await fetch(`${base}/uploads`, { method: 'POST', headers: { ...TUS, ...bearer(apiKey), 'upload-defer-length': '1', 'upload-metadata': metadata('stream.bin') } });
    const location = created.headers.get('location')!;
    const patch = (offset: number, bytes: number, length?: number) =>
      fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: { ...TUS, ...bearer(apiKey), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', ...(length !== undefined && { 'upload-length': String(length) }) },
        body: Buffer.alloc(bytes, 7),
      });
    expect((await patch(0, 2000)).status).toBe(204);
    await refusedForQuota(await patch(2000, 1500));
    await refusedForQuota(await patch(2000, 500, 4000));
    // Within the quota, the upload goes on from where it was and finishes.
    expect((await patch(2000, 500, 2500)).status).toBe(200);
  });
});

describe('partial uploads that are left', () => {
  it('are removed from staging once older than api.partialUploadExpiryMinutes', async () => {
    const lake = await openTestLake({ 'api.partialUploadExpiryMinutes': 0.001 });
    const key = await addTestUser(lake, 'uma', 'editor');
    const app = await buildServer(lake);
    try {
      const create = () => app.inject({ method: 'POST', url: '/uploads', headers: { ...TUS, ...bearer(key), 'upload-length': '100' } });
      const stale = (await create()).headers.location!.split('/').pop()!;
      expect(existsSync(join(lake.dataDir, 'uploads', stale))).toBe(true);
      // Each new upload sweeps the stale ones.
      await expect.poll(async () => (await create(), existsSync(join(lake.dataDir, 'uploads', stale)))).toBe(false);
    } finally {
      await app.close();
      await lake.close();
    }
  });
});
