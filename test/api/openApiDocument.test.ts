import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi, bearer } from '../support/principals';
import { openTestLake } from '../support/lake';
import { multipartBody } from './http';

type Response = { description: string; content?: Record<string, { schema: Record<string, unknown> }>; headers?: Record<string, unknown> };
type Operation = { operationId?: string; parameters?: { name: string; in: string; schema: Record<string, unknown> }[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, Response> };
type Document = { paths: Record<string, Record<string, Operation>> };

/** What the OpenAPI document says of bodies, parameters and successes, and that the answers are what it says. */
describe('the OpenAPI document, against the answers', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let document: Document;

  const operation = (method: string, path: string) => document.paths[path]![method]!;

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    ({ app } = await adminApi(lake));
    document = (await app.inject('/openapi.json')).json();
    await app.inject({
      method: 'POST',
      url: '/assets',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      payload: multipartBody('b', [['notes.txt', 'a plain text asset']]),
    });
    await lake.waitForIdle({ timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  it('gives POST /assets a multipart/form-data body of file parts', () => {
    expect(operation('post', '/assets').requestBody?.content).toEqual({
      'multipart/form-data': {
        schema: expect.objectContaining({ type: 'object', properties: { file: expect.objectContaining({ type: 'array', items: { type: 'string', format: 'binary' } }) } }),
      },
    });
  });

  it('declares the headers clients send and read beside the schema: tus, byte ranges, ETags, Retry-After', async () => {
    const headerParameters = (method: string, path: string) =>
      Object.fromEntries((operation(method, path).parameters ?? []).filter((p) => p.in === 'header').map((p) => [p.name, (p as { required?: boolean }).required ?? false]));
    const responseHeaders = (method: string, path: string, status: string) => Object.keys(operation(method, path).responses[status]?.headers ?? {});
    expect(headerParameters('patch', '/uploads/{id}')).toEqual({ 'Tus-Resumable': true, 'Upload-Offset': true });
    expect(operation('patch', '/uploads/{id}').requestBody?.content).toEqual({ 'application/offset+octet-stream': { schema: { type: 'string', format: 'binary' } } });
    expect(headerParameters('post', '/uploads')).toMatchObject({ 'Tus-Resumable': true, 'Upload-Length': false, 'Upload-Metadata': false });
    expect(headerParameters('get', '/assets/{id}/renditions/{name}')).toEqual({ Range: false, 'If-Range': false, 'If-None-Match': false });
    expect(responseHeaders('get', '/assets/{id}/original', '206')).toEqual(expect.arrayContaining(['Content-Range', 'ETag']));
    expect(responseHeaders('get', '/assets/{id}/original', '416')).toEqual(['Content-Range']);
    for (const path of ['/assets/{id}', '/collections/{id}']) expect(responseHeaders('get', path, '200')).toEqual(['ETag']);
    expect(responseHeaders('post', '/media-credential', '200')).toEqual(['Set-Cookie']);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) expect([method, path, responseHeaders(method, path, '429')]).toEqual([method, path, ['Retry-After']]);
    }
    // And the answers carry them.
    const { assetId } = (await app.inject('/assets?limit=1')).json().assets[0];
    const record = await app.inject(`/assets/${assetId}`);
    expect(record.headers.etag).toBe(`"${record.json().version}"`);
    const part = await app.inject({ url: `/assets/${assetId}/original`, headers: { range: 'bytes=0-3' } });
    expect([part.statusCode, part.headers['content-range'], part.headers.etag]).toEqual([206, expect.stringMatching(/^bytes 0-3\/\d+$/), expect.any(String)]);
  });

  it('names every operation with an operationId of its own, for generated clients: a HEAD that shares a GET route says head', () => {
    const named = Object.entries(document.paths).flatMap(([path, operations]) => Object.entries(operations).map(([method, { operationId }]) => ({ method, path, operationId })));
    for (const { method, path, operationId } of named) expect([method, path, operationId]).toEqual([method, path, expect.stringMatching(/^[a-z]+(?:[A-Z][a-z]+)*$/)]);
    expect(new Set(named.map((operation) => operation.operationId)).size).toBe(named.length);
    expect([operation('get', '/assets/{id}/renditions/{name}').operationId, operation('head', '/assets/{id}/renditions/{name}').operationId]).toEqual(['getRendition', 'headRendition']);
    expect([operation('head', '/uploads/{id}').operationId, operation('options', '/uploads').operationId]).toEqual(['headUpload', 'optionsUploads']);
  });

  it('declares both answers of GET /audit, JSON and CSV, and answers each as declared', async () => {
    const declared = operation('get', '/audit').responses['200']!.content!;
    expect(Object.keys(declared).sort()).toEqual(['application/json', 'text/csv']);
    expect(declared['application/json']!.schema).toMatchObject({ type: 'object', properties: { entries: { type: 'array' }, next: { type: 'string' } } });
    const entry = (declared['application/json']!.schema as { properties: { entries: { items: { properties: object } } } }).properties.entries.items.properties;

    const json = await app.inject('/audit?limit=1');
    expect([json.statusCode, json.headers['content-type']]).toEqual([200, expect.stringMatching(/^application\/json/)]);
    const page = json.json();
    expect(page.next).toEqual(expect.any(String));
    expect(Object.keys(page.entries[0]).sort()).toEqual(Object.keys(entry).sort());
    for (const asked of [{ url: '/audit?limit=1&format=csv' }, { url: '/audit?limit=1', headers: { accept: 'text/csv' } }]) {
      const csv = await app.inject(asked);
      expect([csv.statusCode, csv.headers['content-type'], csv.headers['x-next-cursor']]).toEqual([200, 'text/csv; charset=utf-8', expect.any(String)]);
      expect(csv.body.split('\r\n')[0]).toContain('event_id');
    }
  });

  it.each([
    ['delete', '/keys/{keyId}'],
    ['delete', '/media-credential'],
    ['delete', '/uploads/{id}'],
    ['options', '/uploads'],
  ])('declares the 204 of %s %s with no body', (method, path) => {
    const { responses } = operation(method, path);
    expect(responses['204']).toEqual(expect.objectContaining({ description: expect.any(String) }));
    expect(responses['204']!.content).toBeUndefined();
  });

  it('answers those 204s with no body', async () => {
    const removed = await app.inject({ method: 'DELETE', url: '/media-credential' });
    expect([removed.statusCode, removed.body, removed.headers['set-cookie']]).toEqual([204, '', expect.stringContaining('Max-Age=0')]);
    const { keyId, apiKey: key } = (await app.inject({ method: 'POST', url: '/users', payload: { name: 'kim', role: 'viewer' } })).json();
    const revoked = await app.inject({ method: 'DELETE', url: `/keys/${keyId}` });
    expect([revoked.statusCode, revoked.body]).toEqual([204, '']);
    expect((await app.inject({ url: '/me', headers: bearer(key) })).statusCode).toBe(401);
  });

  it.each(['/search', '/assets/{id}/similar'])('lists the values exact takes on %s', (path) => {
    const exact = operation('get', path).parameters!.find((parameter) => parameter.name === 'exact');
    expect(exact).toMatchObject({ in: 'query', schema: { type: 'string', enum: ['true', 'false'] } });
  });

  it('lists the method and path pairs tus serves, and no others', () => {
    expect(Object.keys(document.paths['/uploads']!).sort()).toEqual(['options', 'post']);
    expect(Object.keys(document.paths['/uploads/{id}']!).sort()).toEqual(['delete', 'head', 'options', 'patch']);
  });

  it.each([
    ['post', '/uploads', ['200', '201', '412', '413'], '201'],
    ['head', '/uploads/{id}', ['200', '404', '410', '412'], '200'],
    ['patch', '/uploads/{id}', ['200', '204', '409', '410', '412'], '204'],
    ['delete', '/uploads/{id}', ['204', '404', '412'], '204'],
    ['options', '/uploads/{id}', ['204'], '204'],
  ])('declares what tus answers to %s %s: %j', (method, path, statuses, headed) => {
    const { responses } = operation(method, path);
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(statuses));
    expect(Object.keys(responses).filter((status) => status.startsWith('2')).sort()).toEqual(statuses.filter((status) => status.startsWith('2')).sort());
    if (method !== 'delete') expect(Object.keys(responses[headed]!.headers ?? {})).not.toEqual([]);
  });

  it('names the Location of a created upload, and the ingest that its last byte answers', () => {
    const { responses } = operation('post', '/uploads');
    expect(responses['201']!.headers).toHaveProperty('Location');
    expect(responses['201']!.content).toBeUndefined();
    expect(operation('patch', '/uploads/{id}').responses['200']!.content!['application/json']!.schema).toMatchObject({
      properties: { assetId: { type: 'string' }, status: { enum: ['ingested', 'duplicate'] }, name: { type: 'string' } },
    });
  });
});
