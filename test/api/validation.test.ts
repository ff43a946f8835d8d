import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { openTestLake } from '../support/lake';
import { expectApiError, multipartBody } from './http';

describe('what the API accepts', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let assetId: string;

  const upload = async (name: string, content: string): Promise<string> => {
    const response = await app.inject({
      method: 'POST',
      url: '/assets',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      payload: multipartBody('b', [[name, content]]),
    });
    return response.json().assetId;
  };
  const version = async () => (await lake.log.readAsset(assetId)).length;
  const patch = (body: string, ifMatch?: string) =>
    app.inject({
      method: 'PATCH',
      url: `/assets/${assetId}`,
      headers: { 'content-type': 'application/json', ...(ifMatch !== undefined && { 'if-match': ifMatch }) },
      payload: body,
    });

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    ({ app } = await adminApi(lake));
    assetId = await upload('notes.txt', 'a plain text asset');
    await upload('more.txt', 'another plain text asset');
    await lake.waitForIdle({ timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  describe('renditions', () => {
    it.each(['constructor', 'thumbnail'])('an asset without a rendition %s answers 404', async (name) => {
      const response = await app.inject(`/assets/${assetId}/renditions/${name}`);
      expect(response.statusCode).toBe(404);
      expectApiError(response.json(), 'RENDITION_NOT_FOUND');
    });

    it("answers for a deleted asset's rendition as for the asset: not found, not a missing rendition", async () => {
      const deleted = await upload('gone.txt', 'an asset deleted before its rendition is asked for');
      await lake.waitForIdle({ timeoutMs: 60_000 });
      expect((await app.inject({ method: 'DELETE', url: `/assets/${deleted}` })).statusCode).toBe(202);
      await lake.waitForIdle({ timeoutMs: 60_000 });
      const response = await app.inject(`/assets/${deleted}/renditions/thumbnail`);
      expect(response.statusCode).toBe(404);
      expectApiError(response.json(), 'ASSET_NOT_FOUND');
    });
  });

  describe('cursors', () => {
    it('pages through assets with the cursor a page returned', async () => {
      const first = (await app.inject('/assets?limit=1')).json();
      const second = (await app.inject(`/assets?limit=1&after=${first.next}`)).json();
      expect([...first.assets, ...second.assets].map((a: { assetId: string }) => a.assetId)).toHaveLength(2);
      expect(second.assets[0].assetId).not.toBe(first.assets[0].assetId);
    });

    it('pages by capture date, oldest first, with the cursor of that listing; a capture date without an offset is a cursor too', async () => {
      const first = (await app.inject('/assets?limit=1&sort=captured&order=asc')).json();
      const second = (await app.inject(`/assets?limit=1&sort=captured&order=asc&after=${first.next}`)).json();
      const all = (await app.inject('/assets?limit=10')).json();
      // Plain text has no capture date: each lists by its ingest date, so oldest first is the newest-first listing reversed.
      expect([...first.assets, ...second.assets].map((a: { assetId: string }) => a.assetId)).toEqual(all.assets.map((a: { assetId: string }) => a.assetId).reverse());
      const local = Buffer.from(`2004-08-27T13:52:55\n${assetId}`).toString('base64url');
      expect((await app.inject(`/assets?sort=captured&after=${local}`)).statusCode).toBe(200);
    });

    it.each(['/assets?sort=name', '/assets?order=up'])('refuses an order it does not have: %s', async (url) => {
      const response = await app.inject(url);
      expect(response.statusCode).toBe(400);
      expectApiError(response.json(), 'INVALID_REQUEST');
    });

    it.each(['garbage', 'Z2FyYmFnZQ', Buffer.from('2024-01-01T00:00:00.000Z\nNOT..AN..ID').toString('base64url')])(
      'refuses the cursor %s with 400 INVALID_CURSOR, as /audit does',
      async (after) => {
        for (const listing of ['/assets', '/search']) {
          const response = await app.inject(`${listing}?after=${after}`);
          expect(response.statusCode, listing).toBe(400);
          expectApiError(response.json(), 'INVALID_CURSOR');
        }
      },
    );

    it('pages on from an asset whose capture date is a day alone (IPTC-IIM DateCreated with no time)', async () => {
      const after = Buffer.from(`1971-03-05\n${assetId}`).toString('base64url');
      for (const listing of ['/assets?sort=captured', '/search?']) expect((await app.inject(`${listing}&after=${after}`)).statusCode, listing).toBe(200);
      const zz = Buffer.from('2026-12-07T10:59:34.720Z\nzz').toString('base64url');
      expect((await app.inject(`/search?after=${zz}`)).statusCode).toBe(400);
    });
  });

  it('takes a blank query parameter (a form\'s empty field) as not given, not as 0 or a name no asset has', async () => {
    const everything = (await app.inject('/search')).json().total;
    expect(everything).toBeGreaterThan(0);
    for (const blank of ['maxSize', 'minDuration', 'make', 'codec', 'type', 'from']) {
      const response = await app.inject(`/search?${blank}=`);
      expect([blank, response.statusCode, response.json().total]).toEqual([blank, 200, everything]);
    }
  });

  describe('query parameters', () => {
    it.each([
      ['/search?tpye=video', 'tpye'],
      ['/assets?bogus=1', 'bogus'],
      ['/audit?bogus=1', 'bogus'],
      ['/search?q=notes&within=c00000000000000000000000000000000', 'within'],
    ])('refuses a parameter the route does not take, naming it: %s', async (url, name) => {
      const response = await app.inject(url);
      expect(response.statusCode).toBe(400);
      expectApiError(response.json(), 'INVALID_REQUEST');
      expect(response.json().error.message).toContain(`"${name}"`);
    });

    it.each([
      '/search?q=notes&type=document&mode=keyword&limit=5&offset=0&from=2000-01-01',
      '/assets?limit=1&sort=captured&order=asc',
      '/audit?actor=admin&type=AssetIngested&order=desc&limit=5&format=json',
    ])('takes every parameter it documents: %s', async (url) => {
      expect((await app.inject(url)).statusCode).toBe(200);
    });

    it('refuses, naming it, a query parameter on every GET route of the document, those that take none included', async () => {
      const { paths } = (await app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
      const sample = (path: string) =>
        path
          .replace('/assets/{id}', `/assets/${assetId}`)
          .replace('/collections/{id}', `/collections/c${'0'.repeat(32)}`)
          .replace('/renditions/{name}', '/renditions/thumbnail')
          .replace('/projections/{name}', '/projections/assets')
          .replace('{executionId}', randomUUID())
          .replace('/pipelines/{name}', '/pipelines/a-pipeline');
      const getting = Object.keys(paths).filter((path) => paths[path]!.get);
      expect(getting).toEqual(expect.arrayContaining(['/assets/{id}', '/me', '/status', '/live', '/favourites', '/dead-letters', '/audit/verify', '/assets/{id}/original']));
      for (const path of getting) {
        const url = `${sample(path)}?bogus=1`;
        expect(url).not.toContain('{');
        const response = await app.inject(url);
        expect([path, response.statusCode, response.json().error]).toEqual([path, 400, expect.objectContaining({ code: 'INVALID_REQUEST', message: expect.stringContaining('"bogus"') })]);
      }
    });

    it.each([
      ['a misspelt parameter of a route that takes none', '/assets/{id}?limt=5', 'limt'],
      ['a parameter a list does not take', '/collections?parentId=x', 'parentId'],
      ['a parameter of a write', `DELETE /assets/a${'0'.repeat(31)}?force=1`, 'force'],
      ['a parameter of a resumable upload', 'HEAD /uploads/nothing?bogus=1', 'bogus'],
    ])('refuses %s: %s', async (_, request, name) => {
      const [method, url] = request.includes(' ') ? request.split(' ') : ['GET', request];
      const response = await app.inject({ method: method as 'GET', url: url!.replace('{id}', assetId), headers: { 'tus-resumable': '1.0.0' } });
      expect(response.statusCode).toBe(400);
      if (method !== 'HEAD') expect(response.json().error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining(`"${name}"`) });
    });

    it("takes the cache key a client adds to a rendition's address (the web UI's ?v=)", async () => {
      const response = await app.inject(`/assets/${assetId}/renditions/thumbnail?v=3-thumbnail.webp`);
      expect(response.statusCode).toBe(404);
      expectApiError(response.json(), 'RENDITION_NOT_FOUND');
    });

    it.each(['/search?q=notes&exact=yes', '/search?q=notes&exact=1', `/assets/{id}/similar?exact=TRUE`])('takes exact=true or false, and nothing else: %s', async (url) => {
      const response = await app.inject(url.replace('{id}', assetId));
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain('exact');
      expect((await app.inject('/search?q=notes&exact=false')).statusCode).toBe(200);
    });

    it('reads a number in a query string only as decimal digits, on every route of the document, and says so', async () => {
      const { paths } = (await app.inject('/openapi.json')).json() as {
        paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: { type?: string } }[] }>>;
      };
      const sample = (path: string) =>
        path
          .replace('/assets/{id}', `/assets/${assetId}`)
          .replace('/collections/{id}', `/collections/c${'0'.repeat(32)}`)
          .replace('{name}', 'a-pipeline');
      const numbers = Object.entries(paths).flatMap(([path, operations]) =>
        (operations.get?.parameters ?? []).filter((p) => p.in === 'query' && ['integer', 'number'].includes(p.schema.type ?? '')).map((p) => [path, p.name, p.schema.type] as const),
      );
      expect(numbers).toEqual(expect.arrayContaining([['/search', 'limit', 'integer'], ['/search', 'offset', 'integer'], ['/search', 'minDuration', 'number'], ['/audit', 'limit', 'integer'], ['/pipelines/executions', 'version', 'integer']]));
      for (const [path, name, type] of numbers) {
        // Each of these, Number() reads as a number: 16, 10, 16, 1, 16, 16.
        for (const text of ['0x10', '1e1', '%2B16', '0b1', '%2016', ...(type === 'integer' ? ['16.0'] : [])]) {
          const response = await app.inject(`${sample(path)}?${name}=${text}`);
          expect([path, name, text, response.statusCode, response.json().error]).toEqual([
            path, name, text, 400,
            expect.objectContaining({ code: 'INVALID_REQUEST', message: expect.stringMatching(new RegExp(`${name}: expected a (whole )?number in decimal digits`)) }),
          ]);
        }
      }
      expect((await app.inject('/search?limit=0x10')).json().error.message).toBe('querystring is invalid: limit: expected a whole number in decimal digits, like 20, received "0x10"');
      const digits = await app.inject('/search?limit=1&offset=01&minSize=0&maxDuration=1.5');
      expect([digits.statusCode, digits.json().hits.length]).toEqual([200, expect.any(Number)]);
      expect((await app.inject('/search?limit=1')).json().hits).toHaveLength(1);
    });

    it('holds every route that takes query parameters to the ones it documents', async () => {
      const { paths } = (await app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, { parameters?: { in: string }[] }>> };
      const sample = (path: string) =>
        path
          .replace('/assets/{id}', `/assets/${assetId}`)
          .replace('/collections/{id}', `/collections/c${'0'.repeat(32)}`)
          .replace('{name}', 'a-pipeline');
      const taking = Object.entries(paths).filter(([, operations]) => operations.get?.parameters?.some((parameter) => parameter.in === 'query'));
      expect(taking.map(([path]) => path)).toEqual(expect.arrayContaining(['/search', '/assets', '/audit', '/assets/{id}/similar', '/collections/{id}/assets']));
      for (const [path] of taking) {
        const response = await app.inject(`${sample(path)}?bogus=1`);
        expect([path, response.statusCode, response.json().error.message]).toEqual([path, 400, expect.stringContaining('"bogus"')]);
      }
    });
  });

  describe('dates', () => {
    it.each([
      '/search?from=2008-13-45',
      '/search?to=2008-02-30',
      '/search?from=2023-02-29',
      '/search?from=2008-01-01T25:00',
      '/search?to=2008-01-01junk',
      '/search?from=2024-03-31T00:10:00Z',
      '/search?to=2030-01-01T10:00:00%2B02:00',
      '/assets/a0000000000000000000000000000000/similar?from=2008-13-45',
      '/audit?from=2008-13-45',
    ])('refuses a date that is not on the calendar: %s', async (url) => {
      const response = await app.inject(url);
      expect(response.statusCode).toBe(400);
      expectApiError(response.json(), 'INVALID_REQUEST');
    });

    it('says what an audit date should look like', async () => {
      const response = await app.inject('/audit?from=2026-02-30');
      expect(response.json().error.message).toBe('querystring is invalid: from: expects a date like 2024-01-31, or a time like 2024-01-31T09:30:00Z (UTC or with an offset)');
    });

    it('says why a search bound with Z or an offset is refused: capture times are the camera\'s own clock', async () => {
      const response = await app.inject('/search?from=2024-01-01T09:00:00%2B09:00');
      expect(response.json().error.message).toBe(
        'querystring is invalid: from: a date or a time as cameras record them, with no Z or offset, like 2024-01-31 or 2024-01-31T10:00:00',
      );
    });

    it.each(['/search?from=2024-02-29', '/search?from=2008-01-01&to=2008-12-31T23:59:59', '/search?to=2030-01-01T10:00'])(
      'accepts a real date or time: %s',
      async (url) => {
        expect((await app.inject(url)).statusCode).toBe(200);
      },
    );
  });

  describe('If-Match (RFC 9110: one strong entity tag, or *)', () => {
    it('applies an edit whose tag is the current version', async () => {
      const response = await patch('{"title":"current"}', `"${await version()}"`);
      expect(response.statusCode).toBe(200);
    });

    it('applies an edit with If-Match: * whatever the version', async () => {
      const before = await version();
      const response = await patch('{"title":"any version"}', '*');
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe(`"${before + 1}"`);
    });

    it('refuses a weak tag with 412: weak tags never match under strong comparison, which If-Match uses', async () => {
      const before = await version();
      const response = await patch('{"title":"weak"}', `W/"${before}"`);
      expect(response.statusCode).toBe(412);
      expectApiError(response.json(), 'PRECONDITION_FAILED');
      expect(await version()).toBe(before);
    });

    it.each(['"25', '25"', '25', `"${'9'.repeat(400)}"`, '"9007199254740993"', '"-1"', '"1.5"', '"07"', '"1", "2"', '', 'W/25'])(
      'refuses If-Match: %s with 400 INVALID_IF_MATCH, changing nothing',
      async (ifMatch) => {
        const before = await version();
        const response = await patch('{"title":"never"}', ifMatch);
        expect(response.statusCode).toBe(400);
        expectApiError(response.json(), 'INVALID_IF_MATCH');
        expect(await version()).toBe(before);
      },
    );

    it('answers a stale version with 409 and the current one', async () => {
      const response = await patch('{"title":"stale"}', '"1"');
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: await version() });
    });

    it('refuses a malformed If-Match on DELETE too', async () => {
      const response = await app.inject({ method: 'DELETE', url: `/assets/${assetId}`, headers: { 'if-match': '"1' } });
      expect(response.statusCode).toBe(400);
      expectApiError(response.json(), 'INVALID_IF_MATCH');
    });
  });

  describe('text', () => {
    it.each([
      ['creator', '{"creator":"Ada \\ud800 Lovelace"}'],
      ['title', '{"title":"half a pair \\udc00"}'],
      ['description', '{"description":"ends in a high half \\ud83d"}'],
      ['tags', '{"tags":["fine","\\ud83d"]}'],
      ['people', '{"people":["\\udfff\\ud800"]}'],
    ])('refuses an unpaired surrogate in %s with 400, instead of changing it', async (field, body) => {
      const before = await version();
      const response = await patch(body);
      expect(response.statusCode).toBe(400);
      expectApiError(response.json(), 'UNPAIRED_SURROGATE');
      expect(response.json().error.message).toContain(field);
      expect(await version()).toBe(before);
    });

    it('keeps text with paired surrogates (emoji) as sent', async () => {
      const response = await patch('{"creator":"Ada \\ud83d\\ude00","tags":["\\ud83e\\udd8e"]}');
      expect(response.statusCode).toBe(200);
      await lake.waitForIdle({ timeoutMs: 60_000 });
      const record = (await app.inject(`/assets/${assetId}`)).json();
      expect(record.user).toMatchObject({ creator: 'Ada 😀', tags: ['🦎'] });
    });
  });
});
