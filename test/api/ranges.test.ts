import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { attachment } from '../../api/contentDisposition';
import { fixture } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { expectApiError } from './http';

/** A response's body as bytes. */
const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe('media over HTTP with byte ranges', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  /** Signed in as the lake's admin. */
  let fetch: typeof globalThis.fetch;
  let base: string;
  let assetId: string;
  const original = readFileSync(fixture('jpg/Canon_40D.jpg'));

  const upload = async (bytes: Buffer, name: string): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const { assetId } = (await (await fetch(`${base}/assets`, { method: 'POST', body: form })).json()) as { assetId: string };
    await lake.waitForIdle({ timeoutMs: 60_000 });
    return assetId;
  };
  const proxy = (headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${base}/assets/${assetId}/renditions/proxy`, { method, headers });
  const originalOf = (id: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${base}/assets/${id}/original`, { method, headers });

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    ({ app, fetch } = await adminApi(lake));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    assetId = await upload(original, 'Rømø – kanzel (1) 100%.jpg');
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  it('answers a range of a rendition with 206 and exactly those bytes', async () => {
    const whole = await proxy();
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const full = await bytesOf(whole);

    const part = await proxy({ range: 'bytes=100-1099' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${full.length}`);
    expect(part.headers.get('content-length')).toBe('1000');
    expect(part.headers.get('content-type')).toBe(whole.headers.get('content-type'));
    expect((await bytesOf(part)).equals(full.subarray(100, 1100))).toBe(true);
  });

  it.each([
    ['a suffix', 'bytes=-500', (size: number) => [size - 500, size - 1]],
    ['an open range', 'bytes=1000-', (size: number) => [1000, size - 1]],
    ['a single byte', 'bytes=0-0', () => [0, 0]],
    ['a range past the end, cut at the end', 'bytes=10-99999999999', (size: number) => [10, size - 1]],
    ['a suffix longer than the object: all of it', 'bytes=-99999999999', (size: number) => [0, size - 1]],
  ])('answers %s (%s) with the bytes it names', async (_, range, expected) => {
    const full = await bytesOf(await proxy());
    const [start, end] = expected(full.length) as [number, number];
    const part = await proxy({ range });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${full.length}`);
    expect((await bytesOf(part)).equals(full.subarray(start, end + 1))).toBe(true);
  });

  it('answers a range that starts past the end with 416, the size in Content-Range and the error shape', async () => {
    const size = (await bytesOf(await proxy())).length;
    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
      const answer = await proxy({ range });
      expect(answer.status).toBe(416);
      expect(answer.headers.get('content-range')).toBe(`bytes */${size}`);
      expectApiError(await answer.json(), 'RANGE_NOT_SATISFIABLE');
    }
  });

  it.each(['bytes=abc', 'bytes=5-2', 'bytes=', 'bytes=--1', 'items=0-1', 'bytes 0-1', 'bytes=0-1,5-9'])(
    'ignores a malformed Range (or several ranges): %j gets the whole, 200',
    async (range) => {
      const full = await bytesOf(await proxy());
      const answer = await proxy({ range });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('accept-ranges')).toBe('bytes');
      expect(answer.headers.get('content-range')).toBeNull();
      expect((await bytesOf(answer)).equals(full)).toBe(true);
    },
  );

  it('answers HEAD with the headers of GET and no body', async () => {
    const size = (await bytesOf(await proxy())).length;
    const head = await proxy({}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(size));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('etag')).toMatch(/^"[!#-~]+"$/);
    expect(Date.parse(head.headers.get('last-modified')!)).not.toBeNaN();
    expect(head.headers.get('cache-control')).toBe('no-cache');
    expect((await bytesOf(head)).length).toBe(0);

    const part = await proxy({ range: 'bytes=0-9' }, 'HEAD');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-9/${size}`);
    expect(part.headers.get('content-length')).toBe('10');
    expect((await bytesOf(part)).length).toBe(0);
  });

  it('applies a range under If-Range only while the ETag or date is current; a stale one gets the whole', async () => {
    const whole = await proxy();
    const full = await bytesOf(whole);
    const etag = whole.headers.get('etag')!;
    const lastModified = whole.headers.get('last-modified')!;
    for (const current of [etag, lastModified]) expect((await proxy({ range: 'bytes=0-9', 'if-range': current })).status).toBe(206);
    for (const stale of ['"stale"', `W/${etag}`, 'Thu, 01 Jan 1970 00:00:00 GMT', 'not a date']) {
      const answer = await proxy({ range: 'bytes=0-9', 'if-range': stale });
      expect(answer.status).toBe(200);
      expect((await bytesOf(answer)).equals(full)).toBe(true);
    }
  });

  it('answers If-None-Match with the current ETag with 304 and no body', async () => {
    const etag = (await proxy()).headers.get('etag')!;
    const answer = await proxy({ 'if-none-match': etag });
    expect(answer.status).toBe(304);
    expect(answer.headers.get('etag')).toBe(etag);
    expect((await bytesOf(answer)).length).toBe(0);
    expect((await proxy({ 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('changes the ETag when a rendition is made again under its key, so a cached copy is not served', async () => {
    const record = await lake.records.get(assetId);
    const before = (await proxy()).headers.get('etag')!;
    const redone = Buffer.from('a rendition made again');
    await lake.store.put(record!.renditions.proxy!.objectKey, redone);
    const after = await proxy({ 'if-none-match': before, range: 'bytes=0-9', 'if-range': before });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
    expect((await bytesOf(after)).equals(redone)).toBe(true);
  });

  it('serves the original with its type, its name as a download, and ranges', async () => {
    const whole = await originalOf(assetId);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/jpeg');
    expect(whole.headers.get('content-disposition')).toBe(
      `attachment; filename="R_m_ _ kanzel (1) 100_.jpg"; filename*=UTF-8''R%C3%B8m%C3%B8%20%E2%80%93%20kanzel%20%281%29%20100%25.jpg`,
    );
    expect((await bytesOf(whole)).equals(original)).toBe(true);

    const part = await originalOf(assetId, { range: 'bytes=-1000' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${original.length - 1000}-${original.length - 1}/${original.length}`);
    expect((await bytesOf(part)).equals(original.subarray(-1000))).toBe(true);

    const head = await originalOf(assetId, {}, 'HEAD');
    expect(head.headers.get('content-length')).toBe(String(original.length));
    expect((await bytesOf(head)).length).toBe(0);
  });

  it('names a download whose name holds quotes, backslashes and lone surrogates without breaking the header', () => {
    // (A browser's FormData sends a quote in a file name as %22, so this is tested here, not through an upload.)
    expect(attachment('a "b"\\c.txt')).toBe(`attachment; filename="a _b__c.txt"; filename*=UTF-8''a%20%22b%22%5Cc.txt`);
    expect(attachment('x\ud800.jpg')).toBe(`attachment; filename="x_.jpg"; filename*=UTF-8''x%EF%BF%BD.jpg`);
    // Accents dropped from the stand-in, composed or not (a Mac's name); one "_" for an emoji, not one per UTF-16 unit.
    expect(attachment('Köln Cafe\u0301 🎉.jpg')).toBe(`attachment; filename="Koln Cafe _.jpg"; filename*=UTF-8''K%C3%B6ln%20Cafe%CC%81%20%F0%9F%8E%89.jpg`);
  });

  it("answers a deleted asset's original with 404", async () => {
    const deleted = await upload(readFileSync(fixture('jpg/Nikon_D70.jpg')), 'nikon.jpg');
    expect((await originalOf(deleted)).status).toBe(200);
    await fetch(`${base}/assets/${deleted}`, { method: 'DELETE' });
    await lake.waitForIdle({ timeoutMs: 60_000 });
    const answer = await originalOf(deleted);
    expect(answer.status).toBe(404);
    expectApiError(await answer.json(), 'ASSET_NOT_FOUND');
    expect((await originalOf(deleted, {}, 'HEAD')).status).toBe(404);
  });

  it('lists GET and HEAD of renditions and originals in the OpenAPI document', async () => {
    const { paths } = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, object> };
    for (const path of ['/assets/{id}/renditions/{name}', '/assets/{id}/original']) {
      expect(Object.keys(paths[path]!)).toEqual(expect.arrayContaining(['get', 'head']));
    }
  });
});
