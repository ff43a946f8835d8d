import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { access } from '../../api/access/accessControl';
import { openTestLake } from '../support/lake';
import { expectApiError, rawExchange } from './http';

/** Small on purpose: the tests wait for them. */
const REQUEST_TIMEOUT_MS = 1500;
const BODY_TIMEOUT_MS = 400;

describe('a client that stalls', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  /** Signed in as the lake's admin. */
  let fetch: typeof globalThis.fetch;
  let apiKey: string;
  let base: string;

  beforeAll(async () => {
    lake = await openTestLake({ 'api.requestTimeoutMs': REQUEST_TIMEOUT_MS, 'api.bodyTimeoutMs': BODY_TIMEOUT_MS });
    ({ app, fetch, apiKey } = await adminApi(lake));
    // A route slower to answer than both timeouts, for this test only.
    app.post('/test/slow', { config: access('view') }, async (request) => {
      await sleep(REQUEST_TIMEOUT_MS * 1.5);
      return { received: request.body };
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  const upload = () => `POST /assets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000\r\n\r\n`;
  const part = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nthe first bytes of';

  it('after headers and part of a body: 408 once no byte came for api.bodyTimeoutMs, and the connection is closed', async () => {
    const answer = await rawExchange(base, upload() + part);
    expect(answer.status).toBe(408);
    expectApiError(answer.body, 'REQUEST_TIMEOUT');
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    expect(answer.elapsedMs).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it('sending a byte now and then: 408 once the whole request took api.requestTimeoutMs', async () => {
    const answer = await rawExchange(base, upload() + part, { trickleMs: BODY_TIMEOUT_MS / 4 });
    expect(answer.status).toBe(408);
    expectApiError(answer.body, 'REQUEST_TIMEOUT');
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(answer.elapsedMs).toBeLessThan(REQUEST_TIMEOUT_MS * 2);
  });

  it('in the middle of its headers: 408 within api.requestTimeoutMs', async () => {
    const answer = await rawExchange(base, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ');
    expect(answer.status).toBe(408);
    expectApiError(answer.body, 'REQUEST_TIMEOUT');
    expect(answer.elapsedMs).toBeLessThan(REQUEST_TIMEOUT_MS * 2);
  });

  it('does not cut off a client that waits between requests on one connection', async () => {
    const first = await fetch(`${base}/health`);
    await sleep(BODY_TIMEOUT_MS * 2);
    const second = await fetch(`${base}/health`);
    expect([first.status, second.status]).toEqual([200, 200]);
  });

  it('does not cut off a request that has fully arrived, however long its answer takes', async () => {
    const response = await fetch(`${base}/test/slow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: { a: 1 } });
  });
});
