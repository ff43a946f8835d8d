import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { openTestLake } from '../support/lake';
import { expectApiError, multipartBody } from './http';

type Responses = Record<string, { description: string; content?: Record<string, { schema: { $ref?: string } }> }>;
type Document = { paths: Record<string, Record<string, { responses: Responses }>>; components: { schemas: Record<string, { properties: Record<string, { additionalProperties?: unknown }> }> } };

const API_ERROR = '#/components/schemas/ApiError';

describe('the error answers in the OpenAPI document', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let document: Document;
  let assetId: string;

  const responses = (method: string, path: string) => document.paths[path]![method]!.responses;
  /** The statuses an operation declares as an ApiError. */
  const errorsOf = (method: string, path: string) =>
    Object.entries(responses(method, path))
      .filter(([, response]) => response.content?.['application/json']?.schema.$ref === API_ERROR)
      .map(([status]) => status);

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    ({ app } = await adminApi(lake));
    document = (await app.inject('/openapi.json')).json();
    const upload = await app.inject({
      method: 'POST',
      url: '/assets',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      payload: multipartBody('b', [['notes.txt', 'a plain text asset']]),
    });
    assetId = upload.json().assetId;
    await lake.waitForIdle({ timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  it('names one error body, ApiError, open to the fields an answer adds', () => {
    const { error } = document.components.schemas.ApiError!.properties;
    expect(error).toMatchObject({ properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] });
    expect(error!.additionalProperties).toEqual({});
  });

  it('declares on every operation an invalid request (400), a missing route or thing (404), a request not in time (408), a path or headers too long (414, 431), too many requests (429) and a server failure (5XX)', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        expect([method, path, errorsOf(method, path)]).toEqual([method, path, expect.arrayContaining(['400', '404', '408', '414', '429', '431', '5XX'])]);
      }
    }
  });

  it('declares the statuses it answers: a path segment too long (414), a body on a DELETE too large or of the wrong type (413, 415)', async () => {
    const long = await app.inject(`/assets/a${'b'.repeat(128)}`);
    expect(long.statusCode).toBe(414);
    expect(errorsOf('get', '/assets/{id}')).toContain('414');
    const typed = await app.inject({ method: 'DELETE', url: `/assets/${assetId}`, headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(typed.statusCode).toBe(415);
    expect(errorsOf('delete', '/assets/{id}')).toEqual(expect.arrayContaining(['413', '415']));
  });

  it('marks a request body that may be left out as not required (reprocess without one runs every processor)', () => {
    const operation = document.paths['/assets/{id}/reprocess']!.post as unknown as { requestBody: { required: boolean } };
    expect(operation.requestBody.required).toBe(false);
    expect((document.paths['/collections']!.post as unknown as { requestBody: { required: boolean } }).requestBody.required).toBe(true);
  });

  it.each([
    ['get', '/assets', ['401', '403', '421']],
    ['get', '/search', ['401', '403', '409']],
    ['post', '/assets', ['401', '413', '415']],
    ['patch', '/assets/{id}', ['401', '409', '412']],
    ['delete', '/assets/{id}', ['409', '412']],
    ['get', '/assets/{id}/similar', ['401', '409']],
    ['post', '/projections/{name}/rebuild', ['409']],
    ['delete', '/collections/{id}', ['409']],
    ['post', '/users', ['409']],
    ['post', '/pipelines', ['409']],
    ['get', '/audit/verify', ['409']],
    ['post', '/pipelines/{name}/webhook', ['401', '409']],
  ])('declares what %s %s refuses with: %j', (method, path, statuses) => {
    expect(errorsOf(method, path)).toEqual(expect.arrayContaining(statuses));
  });

  it('asks no credential of a public route, so declares no 401 there', () => {
    expect(errorsOf('get', '/health')).not.toContain('401');
    expect(errorsOf('get', '/auth/config')).not.toContain('401');
  });

  it('keeps the success answers routes declare, and declares one where a route declares none', () => {
    expect(Object.keys(responses('delete', '/assets/{id}')).filter((status) => status.startsWith('2'))).toEqual(['202']);
    expect(Object.keys(responses('post', '/pipelines')).filter((status) => status.startsWith('2'))).toEqual(['200', '201']);
    expect(Object.keys(responses('get', '/status')).filter((status) => status.startsWith('2'))).toEqual(['200']);
  });

  it.each(['get', 'head'].flatMap((method) => ['/assets/{id}/renditions/{name}', '/assets/{id}/original'].map((path) => [method, path])))(
    'declares the whole object, a range of it, not modified and a range past the end on %s %s',
    (method, path) => {
      const declared = responses(method, path);
      expect(Object.keys(declared)).toEqual(expect.arrayContaining(['200', '206', '304', '416']));
      expect(declared['206']!.content).toEqual({ '*/*': { schema: { type: 'string', format: 'binary' } } });
      expect(declared['304']!.content).toBeUndefined();
      expect(errorsOf(method, path)).toContain('416');
    },
  );

  it('answers as declared: a conflict keeps the current version it adds to the error body', async () => {
    const response = await app.inject({ method: 'PATCH', url: `/assets/${assetId}`, headers: { 'if-match': '"0"' }, payload: { title: 'stale' } });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ error: { code: 'VERSION_CONFLICT', message: expect.any(String), currentVersion: expect.any(Number) } });
  });

  it('answers as declared: similar assets on a lake without embeddings is a 409', async () => {
    const response = await app.inject(`/assets/${assetId}/similar`);
    expect(response.statusCode).toBe(409);
    expectApiError(response.json(), 'EMBEDDINGS_DISABLED');
  });

  it.each(['semantic', 'hybrid'])('answers as declared: search in mode %s on a lake without embeddings is a 409', async (mode) => {
    const response = await app.inject(`/search?q=notes&mode=${mode}`);
    expect(response.statusCode).toBe(409);
    expectApiError(response.json(), 'EMBEDDINGS_DISABLED');
  });

  it('answers as declared: a range past the end is a 416 error body', async () => {
    const response = await app.inject({ url: `/assets/${assetId}/original`, headers: { range: 'bytes=9999-' } });
    expect(response.statusCode).toBe(416);
    expectApiError(response.json(), 'RANGE_NOT_SATISFIABLE');
  });
});
