import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { ingestDirectory } from '../../producers/directory';
import { temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { makeTestMedia, TEST_MEDIA } from '../support/media';
import { adminApi } from '../support/principals';
import { expectApiError } from './http';

/** GET /search on video and audio, and POST /assets/:id/redactions, on a lake that processed real media. */
describe('media search and redaction over HTTP', () => {
  const media = temporaryDirectory();
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  const idOf = new Map<string, string>();

  beforeAll(async () => {
    await makeTestMedia(media.path);
    const folder = temporaryDirectory();
    for (const name of [TEST_MEDIA.clip, TEST_MEDIA.wav]) copyFileSync(join(media.path, name), join(folder.path, name));
    lake = await openTestLake();
    lake.start();
    await ingestDirectory(ingestContext(lake), folder.path);
    await lake.waitForIdle({ timeoutMs: 120_000 });
    for (const asset of (await lake.records.list({ limit: 10 })).assets) idOf.set(asset.originalName, asset.assetId);
    ({ app } = await adminApi(lake));
    folder.remove();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await lake?.close();
    media.remove();
  });

  const search = async (query: string) => (await app.inject(`/search?${query}`)).json();

  it('filters by duration, resolution and codec, and counts them as facets', async () => {
    expect((await search('codec=AAC')).hits.map((hit: { originalName: string }) => hit.originalName)).toEqual([TEST_MEDIA.clip]);
    expect((await search('resolution=sd&minDuration=1.5')).hits).toEqual([
      expect.objectContaining({ originalName: TEST_MEDIA.clip, duration: 2, resolution: 'sd', videoCodec: 'h264', audioCodec: 'aac' }),
    ]);
    expect((await search('maxDuration=1')).hits.map((hit: { originalName: string }) => hit.originalName)).toEqual([TEST_MEDIA.wav]);
    const { facets } = await search('');
    expect(facets).toMatchObject({
      resolution: [{ value: 'sd', count: 1 }],
      codec: [
        { value: 'aac', count: 1 },
        { value: 'h264', count: 1 },
        { value: 'pcm_s16le', count: 1 },
      ],
      duration: [{ value: '0-1m', count: 2 }],
    });
  });

  it('dates a video by its own creation time: date filters, the year facet and the capture listing', async () => {
    // The clip was made with creation_time 2024-05-01T10:20:30Z; the tone has no date of its own, and is dated by its ingest.
    const names = (body: { hits: { originalName: string }[] }) => body.hits.map((hit) => hit.originalName);
    expect(names(await search('from=2024-05-01&to=2024-05-01'))).toEqual([TEST_MEDIA.clip]);
    const { facets } = await search('');
    expect(facets.year).toEqual(expect.arrayContaining([{ value: '2024', count: 1 }]));
    const listed = (await app.inject('/assets?sort=captured&order=asc')).json();
    expect(listed.assets.map((asset: { originalName: string }) => asset.originalName)).toEqual([TEST_MEDIA.clip, TEST_MEDIA.wav]);
  });

  it('refuses a filter it cannot read with a clear 400', async () => {
    const response = await app.inject('/search?resolution=8k&minDuration=-1');
    expect(response.statusCode).toBe(400);
    expectApiError(response.json(), 'INVALID_REQUEST');
    expect(response.json().error.message).toMatch(/resolution/);
    // Semantic search ranks at most 10,000 matches (OpenSearch's k-NN limit), on every backend.
    const past = await app.inject('/search?mode=semantic&q=harbour&offset=9900&limit=200');
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toMatch(/offset \+ limit/);
  });

  it('documents the filters and the redaction route in OpenAPI', async () => {
    const { paths } = (await app.inject('/openapi.json')).json();
    const parameters = paths['/search'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(parameters).toEqual(expect.arrayContaining(['minDuration', 'maxDuration', 'resolution', 'codec']));
    const similar = paths['/assets/{id}/similar'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(similar).toEqual(expect.arrayContaining(['minDuration', 'maxDuration', 'resolution', 'codec', 'from', 'to']));
    expect(paths['/assets/{id}/redactions'].post.requestBody.content['application/json'].schema.properties.fields).toBeDefined();
  });

  it('redacts a title and a file name as an event that names the fields only; record and search forget them', async () => {
    const assetId = idOf.get(TEST_MEDIA.clip)!;
    await app.inject({ method: 'PATCH', url: `/assets/${assetId}`, payload: { title: 'Harbour with Jane Roe', description: 'kept' } });
    const redaction = await app.inject({ method: 'POST', url: `/assets/${assetId}/redactions`, payload: { fields: ['title', 'originalName'] } });
    expect(redaction.statusCode).toBe(202);
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const record = (await app.inject(`/assets/${assetId}`)).json();
    expect(record).toMatchObject({ originalName: '[redacted].mp4', origin: { kind: 'directory', path: '[redacted]' }, user: { description: 'kept', tags: [] } });
    expect(record.user.title).toBeUndefined();
    expect((await search('q=jane')).total).toBe(0);
    expect((await search('q=clip')).total).toBe(0);
    expect((await search('q=kept')).hits.map((hit: { assetId: string }) => hit.assetId)).toEqual([assetId]);
    const { events } = (await app.inject(`/assets/${assetId}/events`)).json();
    expect(events.at(-1)).toMatchObject({ type: 'AssetTextRedacted', payload: { fields: ['title', 'originalName'] } });
    expect(JSON.stringify(events.at(-1))).not.toMatch(/jane|clip\.mp4/i);
    // The events that carried the text show it redacted here (the audit trail keeps it as written).
    // The clip's own title tag ("Test clip") with the title.
    expect(JSON.stringify(events)).not.toMatch(/jane|clip\.mp4|test clip|fixtures/i);
    expect((await app.inject(`/assets/${assetId}`)).json().media.tags.title).toBeUndefined();
    expect(events[0].payload).toMatchObject({ originalName: '[redacted].mp4', origin: { path: '[redacted]' } });
    expect(events.find((event: { type: string }) => event.type === 'UserMetadataUpdated').payload).toMatchObject({ title: '[redacted]', description: 'kept' });
  });

  it('refuses a redaction that names nothing, or a field it cannot redact, and an unknown asset', async () => {
    const assetId = idOf.get(TEST_MEDIA.wav)!;
    for (const fields of [[], ['tags'], ['title', 'title']]) {
      const response = await app.inject({ method: 'POST', url: `/assets/${assetId}/redactions`, payload: { fields } });
      expect(response.statusCode, JSON.stringify(fields)).toBe(400);
      expectApiError(response.json(), 'INVALID_REQUEST');
    }
    const unknown = await app.inject({ method: 'POST', url: '/assets/a0000000000000000000000000000000/redactions', payload: { fields: ['title'] } });
    expect(unknown.statusCode).toBe(404);
    expectApiError(unknown.json(), 'ASSET_NOT_FOUND');
  });
});
