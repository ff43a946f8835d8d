import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { openTestLake } from '../support/lake';
import { expectApiError, rawExchange } from './http';

/** Over a real socket: some of these answers come from Node's HTTP server, before Fastify sees a request. */
describe('every answer that is not a success has the one error shape', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  /** Signed in as the lake's admin. */
  let fetch: typeof globalThis.fetch;
  let base: string;

  beforeAll(async () => {
    lake = await openTestLake();
    ({ app, fetch } = await adminApi(lake));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  it.each([
    ['an unknown route', '/no/such/route', {}, 404, 'ROUTE_NOT_FOUND'],
    ['a method the path does not take', '/assets', { method: 'PUT' }, 405, 'METHOD_NOT_ALLOWED'],
    ['a path segment over the length limit', `/assets/${'a'.repeat(500)}`, {}, 414, 'URI_TOO_LONG'],
    ['a path that is not valid percent-encoding', '/assets/%E0%A4%A', {}, 400, 'BAD_URL'],
    [
      'a JSON body over the body limit',
      '/assets/a0000000000000000000000000000000',
      { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x'.repeat(2 << 20) }) },
      413,
      'TOO_LARGE',
    ],
    [
      'a JSON body with a __proto__ key',
      '/assets/a0000000000000000000000000000000',
      { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"title":"x","__proto__":{"admin":true}}' },
      400,
      'INVALID_JSON',
    ],
    ['an empty body said to be JSON', '/collections/c0000000000000000000000000000000', { method: 'DELETE', headers: { 'content-type': 'application/json' } }, 400, 'INVALID_JSON'],
    [
      'JSON sent as text',
      '/assets/a0000000000000000000000000000000',
      { method: 'PATCH', headers: { 'content-type': 'text/plain' }, body: '{"title":"x"}' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'files sent as JSON (one code for a body of the wrong type, on every route)',
      '/assets',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"file":"x"}' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body of a type no route reads',
      '/assets/a0000000000000000000000000000000',
      { method: 'PATCH', headers: { 'content-type': 'text/xml' }, body: '<title/>' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ])('%s', async (_, path, init: RequestInit, status, code) => {
    const response = await fetch(`${base}${path}`, init);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expectApiError(await response.json(), code);
  });

  it.each([
    ['the file system', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })],
    ['SQLite', Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })],
    ['a store that wraps it', new Error('could not write the original', { cause: Object.assign(new Error('EDQUOT: disk quota exceeded'), { code: 'EDQUOT' }) })],
    ['ffmpeg, in its own words', Object.assign(new Error('ffmpeg exited with 1: could not write'), { stderr: 'proxy.mp4: No space left on device' })],
  ])('a full disk said by %s is 507 STORAGE_FULL, not an internal error', async (_, full) => {
    expect(await answerWhenAppendFails(full)).toEqual([507, 'STORAGE_FULL']);
  });

  it('no file descriptor left is 503 TOO_MANY_OPEN_FILES, to try again, not an internal error', async () => {
    expect(await answerWhenAppendFails(Object.assign(new Error('EMFILE: too many open files, open'), { code: 'EMFILE' }))).toEqual([503, 'TOO_MANY_OPEN_FILES']);
  });

  /** The status and error code of a write whose append fails with `error`. */
  async function answerWhenAppendFails(error: Error): Promise<[number, string]> {
    const append = lake.log.append;
    lake.log.append = () => Promise.reject(error);
    try {
      const response = await fetch(`${base}/collections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'press' }) });
      return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    } finally {
      lake.log.append = append;
    }
  }

  it.each([
    ['headers over the size limit', `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
    ['bytes that are not HTTP', 'HELLO THERE\r\n\r\n', 400, 'BAD_HTTP'],
  ])('%s (answered by the HTTP server itself)', async (_, bytes, status, code) => {
    const answer = await rawExchange(base, bytes);
    expect(answer.status).toBe(status);
    expect(answer.headers).toMatch(/content-type: application\/json/i);
    expectApiError(answer.body, code);
  });
});
