import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { fixture } from '../support/fixtures';
import { openTestLake } from '../support/lake';

/** A response body as JSON, typed loosely: the assertions say what it must hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe('the HTTP API', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  /** Signed in as the lake's admin. */
  let fetch: typeof globalThis.fetch;
  let base: string;

  const upload = (bytes: Buffer, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    return fetch(`${base}/assets`, { method: 'POST', body: form, headers: { 'x-medialake-actor': 'alice' } });
  };

  const ready = async (assetId: string) => {
    await lake.waitForIdle({ timeoutMs: 60_000 });
    return json(fetch(`${base}/assets/${assetId}`));
  };

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    ({ app, fetch } = await adminApi(lake));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  it('ingests an upload, processes it, and serves its record, events and renditions', async () => {
    const response = await upload(readFileSync(fixture('jpg/Canon_40D.jpg')), 'Canon_40D.jpg');
    expect(response.status).toBe(201);
    const { assetId, status } = await json(response);
    expect(status).toBe('ingested');
    const record = await ready(assetId);
    expect(record).toMatchObject({ assetId, status: 'ready', originalName: 'Canon_40D.jpg', origin: { kind: 'upload' } });
    expect(record.metadata).toMatchObject({ make: 'Canon', model: 'Canon EOS 40D' });

    const events = await json(fetch(`${base}/assets/${assetId}/events`));
    // The actor is who signed in; the X-Medialake-Actor header the upload sent is ignored.
    expect(events.events[0]).toMatchObject({ type: 'AssetIngested', actor: 'admin', source: 'api', assetVersion: 1 });

    const thumbnail = await fetch(`${base}/assets/${assetId}/renditions/thumbnail`);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const size = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(256);
  });

  it('answers a second upload of the same bytes as a duplicate', async () => {
    const bytes = readFileSync(fixture('jpg/Nikon_D70.jpg'));
    const first = await json(upload(bytes, 'a.jpg'));
    const second = await upload(bytes, 'b.jpg');
    expect(second.status).toBe(201);
    expect(await json(second)).toEqual({ assetId: first.assetId, status: 'duplicate', assets: [{ assetId: first.assetId, status: 'duplicate', name: 'b.jpg' }] });
  });

  it('edits user metadata with If-Match, and refuses a stale version with 409, changing nothing', async () => {
    const { assetId } = await json(upload(readFileSync(fixture('jpg/Pentax_K10D.jpg')), 'pentax.jpg'));
    const record = await ready(assetId);
    const patch = (version: number, body: object) =>
      fetch(`${base}/assets/${assetId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': `"${version}"` },
        body: JSON.stringify(body),
      });
    // A tag typed twice is one tag.
    const edited = await patch(record.version, { title: 'Red-headed rock agama', tags: ['lizard', 'kenya', ' lizard'] });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe(`"${record.version + 1}"`);

    const stale = await patch(record.version, { title: 'overwritten by a stale client' });
    expect(stale.status).toBe(409);
    expect((await json(stale)).error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: record.version + 1 });

    const after = await ready(assetId);
    expect(after.user).toEqual({ title: 'Red-headed rock agama', tags: ['lizard', 'kenya'] });
    // The edit's correlation id is its request's id: unique across restarts, not Fastify's counter (req-1, req-2…).
    const history = await json(fetch(`${base}/assets/${assetId}/events`));
    expect(history.events.find((event: { type: string }) => event.type === 'UserMetadataUpdated')).toMatchObject({ correlationId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f-]{27}$/) });
    expect(after.version).toBe(record.version + 1);
    const found = await json(fetch(`${base}/search?q=agama`));
    expect(found.hits.map((h: { assetId: string }) => h.assetId)).toEqual([assetId]);
  });

  it('finds nothing for a text without a word in it, where no text lists the library', async () => {
    expect((await json(fetch(`${base}/search`))).total).toBeGreaterThan(0);
    const wordless = await json(fetch(`${base}/search?q=${encodeURIComponent('?! 🦎')}`));
    expect(wordless).toMatchObject({ total: 0, hits: [], facets: { type: [], make: [] } });
  });

  it('deletes an asset: gone from records and search, its media removed, its history kept', async () => {
    const { assetId } = await json(upload(readFileSync(fixture('jpg/Sony_HDR-HC3.jpg')), 'sony.jpg'));
    const record = await ready(assetId);
    expect((await fetch(`${base}/assets/${assetId}`, { method: 'DELETE' })).status).toBe(202);
    await lake.waitForIdle({ timeoutMs: 60_000 });
    expect((await fetch(`${base}/assets/${assetId}`)).status).toBe(404);
    expect((await fetch(`${base}/assets/${assetId}/renditions/thumbnail`)).status).toBe(404);
    expect((await json(fetch(`${base}/search?q=sony`))).total).toBe(0);
    expect(await lake.store.head(record.objectKey)).toBeUndefined();
    const history = await json(fetch(`${base}/assets/${assetId}/events`));
    expect(history.events.at(-1).type).toBe('AssetDeleted');
    expect((await fetch(`${base}/assets/${assetId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it.each([
    ['GET', '/assets/NOT..AN..ID', undefined, 400],
    ['GET', '/assets/a0000000000000000000000000000000', undefined, 404],
    ['GET', '/search?type=hologram', undefined, 400],
    ['GET', '/search?limit=100000', undefined, 400],
    ['GET', '/search?from=yesterday', undefined, 400],
    ['PATCH', '/assets/a0000000000000000000000000000000', { title: 'x' }, 404],
    ['PATCH', '/assets/a0000000000000000000000000000000', { tags: 'not-a-list' }, 400],
    ['PATCH', '/assets/a0000000000000000000000000000000', {}, 400],
    ['POST', '/assets', { not: 'multipart' }, 415],
  ])('answers %s %s with a clear %i-class error', async (method, path, body, status) => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    expect(response.status).toBe(status);
    const { error } = await json(response);
    expect(error.code).toMatch(/^[A-Z_]+$/);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('refuses an upload over the size limit with 413 and keeps nothing', async () => {
    const small = await openTestLake({ 'api.maxUploadBytes': 1000 });
    const { app: server, fetch: fetchAsAdmin } = await adminApi(small);
    const url = await server.listen({ port: 0, host: '127.0.0.1' });
    const eventsBefore = await small.log.lag({});
    try {
      const form = new FormData();
      form.append('file', new Blob([readFileSync(fixture('jpg/Canon_40D.jpg'))]), 'big.jpg');
      const response = await fetchAsAdmin(`${url}/assets`, { method: 'POST', body: form });
      expect(response.status).toBe(413);
      expect(await small.log.lag({})).toBe(eventsBefore);
    } finally {
      await server.close();
      await small.close();
    }
  });

  it('serves an OpenAPI document that names every route', async () => {
    const document = await json(fetch(`${base}/openapi.json`));
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/assets', '/assets/{id}', '/assets/{id}/events', '/assets/{id}/renditions/{name}', '/search', '/status']),
    );
    expect(document.paths['/search'].get.parameters.map((p: { name: string }) => p.name)).toContain('q');
    // How to authenticate, and the success codes routes answer that are not 200.
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/health'].get.security).toEqual([]);
    const successes = (operation: { responses: object }) => Object.keys(operation.responses).filter((status) => status.startsWith('2'));
    expect(successes(document.paths['/assets/{id}'].delete)).toEqual(['202']);
    expect(successes(document.paths['/projections/{name}/rebuild'].post)).toEqual(['202']);
    expect(successes(document.paths['/pipelines/{name}/runs'].post)).toEqual(['202']);
  });
});
