import { describe, expect, it } from 'vitest';
import { addTestUser, bearer } from '../support/principals';
import { expectApiError, servedLakes } from './http';

/** How the API answers a request as such: its method on a path, its id, and who sent it through which proxies. */
describe('requests', () => {
  const served = servedLakes();
  async function serve(overrides: Record<string, unknown> = {}) {
    const opened = await served(overrides);
    return { ...opened, key: await addTestUser(opened.lake, 'ada', 'admin') };
  }

  describe('a method the path does not take', () => {
    it.each([
      ['PUT', '/assets', 'GET, HEAD, POST'],
      ['DELETE', '/search?q=canon', 'GET, HEAD'],
      ['POST', '/health', 'GET, HEAD'],
      ['POST', '/assets/a0000000000000000000000000000000/events', 'GET, HEAD'],
    ])('%s %s is 405 with an Allow header naming the methods it takes', async (method, url, allowed) => {
      const { app, key } = await serve();
      const answer = await app.inject({ method: method as 'PUT', url, headers: bearer(key) });
      expect(answer.statusCode).toBe(405);
      expect(answer.headers.allow).toBe(allowed);
      expectApiError(answer.json(), 'METHOD_NOT_ALLOWED');
      expect(answer.json().error.message).toBe(`${url.split('?')[0]} does not take ${method}: it takes ${allowed}`);
    });

    it('leaves a path the API does not have a 404, without Allow', async () => {
      const { app, key } = await serve();
      const answer = await app.inject({ method: 'PUT', url: '/no/such/route', headers: bearer(key) });
      expect(answer.statusCode).toBe(404);
      expect(answer.headers.allow).toBeUndefined();
      expectApiError(answer.json(), 'ROUTE_NOT_FOUND');
    });

    it('leaves CORS preflights to CORS where origins are configured', async () => {
      const { app } = await serve({ 'api.corsOrigins': ['https://app.example'] });
      const preflight = await app.inject({ method: 'OPTIONS', url: '/assets', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    });
  });

  describe('X-Request-Id', () => {
    it('lets a page on an origin CORS allows read it', async () => {
      const { app, key } = await serve({ 'api.corsOrigins': ['https://app.example'] });
      const answer = await app.inject({ url: '/assets', headers: { ...bearer(key), origin: 'https://app.example' } });
      expect(String(answer.headers['access-control-expose-headers']).split(/, */)).toContain('x-request-id');
    });

    it('echoes a well-formed id the client sent, on successes and errors, and correlates the events the request appends with it', async () => {
      const { lake, app, key } = await serve();
      const ok = await app.inject({ url: '/health', headers: { 'x-request-id': 'req-42.abc' } });
      expect(ok.headers['x-request-id']).toBe('req-42.abc');
      for (const [url, status] of [['/assets', 401], ['/no/such/route', 404], ['/assets/%E0%A4%A', 400]] as const) {
        const refused = await app.inject({ url, headers: { 'x-request-id': `for-${status}` } });
        expect(refused.statusCode, url).toBe(status);
        expect(refused.headers['x-request-id'], url).toBe(`for-${status}`);
      }
      lake.start(); // a collection is answered once the collections projection has it
      const created = await app.inject({ method: 'POST', url: '/collections', headers: { ...bearer(key), 'x-request-id': 'make-collection-1' }, payload: { name: 'Harbour' } });
      expect(created.statusCode).toBe(201);
      const [event] = await lake.log.readAsset(created.json().collectionId);
      expect(event?.correlationId).toBe('make-collection-1');
    });

    it.each([
      ['too long', 'x'.repeat(129)],
      ['with a space', 'two words'],
      ['with a character outside the safe ones', 'id"<script>'],
    ])('answers with an id of its own for one %s, as for none', async (_, given) => {
      const { app } = await serve();
      const answer = await app.inject({ url: '/health', headers: { 'x-request-id': given } });
      expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const unnamed = await app.inject({ url: '/health' });
      expect(unnamed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(unnamed.headers['x-request-id']).not.toBe(answer.headers['x-request-id']);
    });
  });

  describe('behind proxies (api.trustProxy)', () => {
    /** Refused credentials from two clients that reach the API through a CDN edge (198.51.100.1) and a load balancer (10.0.0.5); then from one that reaches it directly, claiming other addresses. */
    async function refusals(overrides: Record<string, unknown>) {
      const { app } = await serve({ 'auth.rateLimitPerMinute': 2, ...overrides });
      const guess = (remoteAddress: string, forwardedFor: string, i: number) =>
        app.inject({ url: '/assets', remoteAddress, headers: { ...bearer(`mlk_guess${i}`), 'x-forwarded-for': forwardedFor } });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await guess('10.0.0.5', '203.0.113.7, 198.51.100.1', i)).statusCode);
      statuses.push((await guess('10.0.0.5', '203.0.113.8, 198.51.100.1', 3)).statusCode);
      for (let i = 0; i < 3; i++) statuses.push((await guess('192.0.2.9', `203.0.113.${20 + i}`, 4 + i)).statusCode);
      return statuses;
    }

    it("counts refused credentials per client when the proxies' addresses are trusted, and never believes one that is not a proxy", async () => {
      expect(await refusals({ 'api.trustProxy': ['10.0.0.0/8', '198.51.100.0/24'] })).toEqual([401, 401, 429, 401, 401, 401, 429]);
    });

    it('checks the Host the request came with, whatever X-Forwarded-Host a trusted proxy passes on', async () => {
      const { app, key } = await serve({ 'api.trustProxy': ['10.0.0.0/8'], 'api.allowedHosts': ['media.example'] });
      const ask = (host: string, forwarded?: string) =>
        app.inject({ url: '/assets', remoteAddress: '10.0.0.5', headers: { ...bearer(key), host, ...(forwarded && { 'x-forwarded-host': forwarded }) } });
      expect((await ask('media.example')).statusCode).toBe(200);
      expect((await ask('media.example:443')).statusCode).toBe(200);
      // A page whose name now points here (DNS rebinding) may set any header it likes on its own origin's requests.
      const rebound = await ask('rebound.example', 'media.example');
      expect(rebound.statusCode).toBe(421);
      expect(rebound.json().error.code).toBe('HOST_NOT_ALLOWED');
    });

    it('by default believes no X-Forwarded-For: every client behind the load balancer counts as one', async () => {
      expect(await refusals({})).toEqual([401, 401, 429, 429, 401, 401, 429]);
    });
  });
});
