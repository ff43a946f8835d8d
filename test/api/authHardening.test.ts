import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../support/fixtures';
import { addTestUser, bearer } from '../support/principals';
import { expectApiError, multipartBody, servedLakes } from './http';

describe('the hardened surface', () => {
  const serve = servedLakes();

  it.each([
    ['with authentication on', {}],
    ['with authentication off, on loopback', { 'auth.enabled': false }],
  ])('refuses a cross-origin form POST and a text/plain POST that carry no bearer token, %s', async (_, overrides) => {
    const { app } = await serve(overrides);
    const form = await app.inject({
      method: 'POST',
      url: '/assets',
      headers: { origin: 'https://evil.example', 'content-type': 'multipart/form-data; boundary=b' },
      payload: multipartBody('b', [['evil.txt', 'dropped by another site']]),
    });
    expect(form.statusCode).toBe(403);
    expectApiError(form.json(), 'CROSS_SITE_REQUEST');
    const urlencoded = await app.inject({ method: 'PATCH', url: '/assets/asset-x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'title=x' });
    expect(urlencoded.statusCode).toBe(403);
    const text = await app.inject({ method: 'POST', url: '/projections/search/rebuild', headers: { 'content-type': 'text/plain' }, payload: '{}' });
    expect(text.statusCode).toBe(403);
    expectApiError(text.json(), 'CROSS_SITE_REQUEST');
  });

  it('refuses a foreign Host (DNS rebinding) and answers the configured names', async () => {
    const { lake, app } = await serve({ 'api.allowedHosts': ['media.example.com'] });
    const key = await addTestUser(lake, 'ada', 'admin');
    const foreign = await app.inject({ url: '/assets', headers: { host: 'attacker.example:8080', ...bearer(key) } });
    expect(foreign.statusCode).toBe(421);
    expectApiError(foreign.json(), 'HOST_NOT_ALLOWED');
    for (const host of ['media.example.com', 'localhost:8080', '127.0.0.1:8080', '[::1]:8080']) {
      expect([host, (await app.inject({ url: '/assets', headers: { host, ...bearer(key) } })).statusCode]).toEqual([host, 200]);
    }
  });

  it('sends security headers, with a CSP that lets the docs page load its own scripts and styles', async () => {
    const { app } = await serve({ 'api.publicDocs': true });
    const docs = await app.inject({ url: '/docs' });
    expect(docs.statusCode).toBe(200);
    const csp = docs.headers['content-security-policy'] as string;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script the CSP would block
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
    expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('answers CORS only for the configured origins, preflights included', async () => {
    const closed = await serve();
    const key = await addTestUser(closed.lake, 'ada', 'admin');
    const plain = await closed.app.inject({ url: '/assets', headers: { origin: 'https://app.example', ...bearer(key) } });
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();

    const { app } = await serve({ 'api.corsOrigins': ['https://app.example'] });
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/assets',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await app.inject({ method: 'OPTIONS', url: '/assets', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('limits requests per principal (429), each principal on its own count', async () => {
    const { lake, app } = await serve({ 'auth.rateLimitPerMinute': 3 });
    const [busy, calm] = [await addTestUser(lake, 'busy', 'viewer'), await addTestUser(lake, 'calm', 'viewer')];
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ url: '/assets', headers: bearer(busy) })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await app.inject({ url: '/assets', headers: bearer(busy) });
    expectApiError(limited.json(), 'RATE_LIMITED');
    expect((await app.inject({ url: '/assets', headers: bearer(calm) })).statusCode).toBe(200);
  });

  it('counts media reads apart, ten times as many: a fast scroll through the grid neither loses pictures nor stops the API', async () => {
    const { lake, app } = await serve({ 'auth.rateLimitPerMinute': 3 });
    const key = await addTestUser(lake, 'scroller', 'editor');
    const thumbnail = () => app.inject({ url: `/assets/a${'0'.repeat(32)}/renditions/thumbnail`, headers: bearer(key) });
    const media = [];
    for (let i = 0; i < 31; i++) media.push((await thumbnail()).statusCode);
    expect(new Set(media.slice(0, 30))).toEqual(new Set([404]));
    expect(media[30]).toBe(429);
    const api = [];
    for (let i = 0; i < 4; i++) api.push((await app.inject({ url: '/assets', headers: bearer(key) })).statusCode);
    expect(api).toEqual([200, 200, 200, 429]);
  });

  it('limits refused credentials per address (429), as no principal is known to count them on', async () => {
    const { app } = await serve({ 'auth.rateLimitPerMinute': 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ url: '/assets', headers: bearer(`mlk_guess${i}`) })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('refuses uploads past the hourly quota of a principal with 429, keeping nothing', async () => {
    const { lake, app } = await serve({ 'auth.uploadBytesPerHour': 20_000 });
    const key = await addTestUser(lake, 'uploader', 'editor');
    const upload = (name: string, bytes: Buffer) => {
      const boundary = 'quota';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      const payload = Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      return app.inject({ method: 'POST', url: '/assets', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...bearer(key) }, payload });
    };
    expect((await upload('small.txt', Buffer.alloc(12_000, 1))).statusCode).toBe(201);
    const eventsBefore = await lake.log.lag({});
    const over = await upload('Canon_40D.jpg', readFileSync(fixture('jpg/Canon_40D.jpg')));
    expect(over.statusCode).toBe(429);
    expectApiError(over.json(), 'UPLOAD_QUOTA');
    expect(await lake.log.lag({})).toBe(eventsBefore);
  });
});
