import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { deleteAsset } from '../../producers/commands';
import { reciprocalRankFusion } from '../../projections/search/rankFusion';
import { temporaryDirectory } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { forEachSearchBackend, photosWithCopies, tinyClipLake, type SearchBackend } from '../support/tinyClipLake';

type Lake = Awaited<ReturnType<typeof openTestLake>>;
type App = Awaited<ReturnType<typeof buildServer>>;

const PHOTOS = {
  'canon.jpg': 'jpg/Canon_40D.jpg',
  'nikon.jpg': 'jpg/Nikon_D70.jpg',
  'fuji.jpg': 'jpg/Fujifilm_FinePix_E500.jpg',
  'pentax.jpg': 'jpg/Pentax_K10D.jpg',
  'sony.jpg': 'jpg/Sony_HDR-HC3.jpg',
  'kodak.jpg': 'jpg/Kodak_CX7530.jpg',
};
const IMAGES = [...Object.keys(PHOTOS), 'canon-small.jpg', 'canon.webp'];
const TEXT = 'a red car parked in front of a house';

/**
 * Semantic and hybrid search, similar assets and near-duplicates end to end:
 * openLake with the tiny CLIP model, ingest, wait, ask over HTTP. The tiny
 * model's rankings mean nothing, so the tests check the mechanics: which
 * vectors are used, determinism, filters, fusion, copies grouped.
 */
forEachSearchBackend('semantic', semanticSearchSuite);

function semanticSearchSuite(name: string, backend: SearchBackend): void {
describe(`semantic search, similar assets and duplicates, on the tiny CLIP model (${name})`, () => {
  const folder = temporaryDirectory();
  let engine: Awaited<ReturnType<SearchBackend>>;
  let lake: Lake;
  let app: App;
  const ids = new Map<string, string>();

  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() };
  };
  const names = (hits: { assetId: string }[]) => hits.map((hit) => nameOf(hit.assetId));
  const nameOf = (assetId: string) => [...ids].find(([, id]) => id === assetId)?.[0];

  /** The vector the log holds for an asset (the configured model's). */
  async function loggedVector(assetId: string): Promise<number[]> {
    const events = await lake.log.readAsset(assetId);
    const embedding = events.find((e) => e.type === 'EmbeddingComputed');
    if (embedding?.type !== 'EmbeddingComputed') throw new Error(`no embedding for ${assetId}`);
    return embedding.payload.vector;
  }

  beforeAll(async () => {
    await photosWithCopies(folder.path, PHOTOS, TEXT);
    engine = await backend();
    let found: Map<string, string>;
    ({ lake, ids: found } = await tinyClipLake(folder.path, engine.settings));
    for (const [name, id] of found) ids.set(name, id);
    ({ app } = await adminApi(lake));
  });
  afterAll(async () => {
    await app?.close();
    await lake?.close();
    await engine?.stop();
    folder.remove();
  });

  it('embeds every image once with the configured model, as a consumer of its own', async () => {
    expect(await lake.vectors.models()).toEqual([{ id: 'tiny-clip', revision: 'main', dimensions: 16, count: IMAGES.length }]);
    const status = await get('/status');
    expect(status.body.consumers.map((c: { group: string }) => c.group)).toContain('processor:embeddings:tiny-clip:main');
    const events = await lake.log.readAsset(ids.get('canon.jpg')!);
    expect(events.filter((e) => e.type === 'EmbeddingComputed')).toHaveLength(1);
    expect(events.find((e) => e.type === 'EmbeddingComputed')).toMatchObject({
      source: 'processor:embeddings:tiny-clip:main@2',
      payload: { model: 'tiny-clip', revision: 'main', dimensions: 16 },
    });
  });

  it('ranks every image by the cosine of its logged vector with the text embedding, the same way every time', async () => {
    const { status, body } = await get(`/search?mode=semantic&limit=50&q=${encodeURIComponent(TEXT)}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: 'semantic', model: { id: 'tiny-clip', revision: 'main' }, total: IMAGES.length });
    const text = await lake.embedder!.embedText(TEXT);
    const expected = await Promise.all(
      IMAGES.map(async (name) => {
        const vector = await loggedVector(ids.get(name)!);
        return { name, score: vector.reduce((sum, x, i) => sum + x * text[i]!, 0) };
      }),
    );
    expected.sort((a, b) => b.score - a.score);
    expect(names(body.hits)).toEqual(expected.map((e) => e.name));
    body.hits.forEach((hit: { score: number }, i: number) => expect(hit.score).toBeCloseTo(expected[i]!.score, 5));
    expect((await get(`/search?mode=semantic&limit=50&q=${encodeURIComponent(TEXT)}`)).body).toEqual(body);
    // Paging cuts the same ranking.
    const page = await get(`/search?mode=semantic&limit=3&offset=2&q=${encodeURIComponent(TEXT)}`);
    expect(page.body.hits).toEqual(body.hits.slice(2, 5));
  });

  it('applies the filters in semantic and hybrid mode as in keyword mode', async () => {
    for (const mode of ['keyword', 'semantic', 'hybrid']) {
      const canon = await get(`/search?mode=${mode}&q=canon&make=canon`);
      expect(names(canon.body.hits), mode).toEqual(['canon.jpg']);
      const videos = await get(`/search?mode=${mode}&q=canon&type=video`);
      expect(videos.body.hits, mode).toEqual([]);
    }
    const small = await get(`/search?mode=semantic&q=${encodeURIComponent(TEXT)}&maxSize=20000`);
    expect(small.body.hits.length).toBeGreaterThan(0);
    for (const hit of small.body.hits) expect(hit.size).toBeLessThanOrEqual(20_000);
    expect(small.body.total).toBe(small.body.hits.length);
  });

  it('fuses the keyword and the semantic ranking by reciprocal rank fusion in hybrid mode', async () => {
    const q = encodeURIComponent('canon');
    const keyword = (await get(`/search?mode=keyword&q=${q}&limit=100`)).body.hits.map((h: { assetId: string }) => h.assetId);
    const semantic = (await get(`/search?mode=semantic&q=${q}&limit=100`)).body.hits.map((h: { assetId: string }) => h.assetId);
    expect(keyword.length).toBeGreaterThan(0);
    const expected = reciprocalRankFusion([keyword, semantic]);
    const hybrid = await get(`/search?mode=hybrid&q=${q}&limit=5`);
    expect(hybrid.body).toMatchObject({ mode: 'hybrid', total: expected.length });
    expect(hybrid.body.hits.map((h: { assetId: string }) => h.assetId)).toEqual(expected.slice(0, 5).map((e) => e.id));
    hybrid.body.hits.forEach((hit: { score: number }, i: number) => expect(hit.score).toBeCloseTo(expected[i]!.score, 12));
  });

  it('keeps keyword search the default, and asks for a text in the semantic modes', async () => {
    const keyword = await get('/search?q=nikon');
    expect(keyword.body.mode).toBe('keyword');
    expect(names(keyword.body.hits)).toEqual(['nikon.jpg']);
    const empty = await get('/search?mode=semantic');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('INVALID_REQUEST');
  });

  it('finds the copies of a photo as its most similar assets', async () => {
    const { status, body } = await get(`/assets/${ids.get('canon.jpg')}/similar?limit=3`);
    expect(status).toBe(200);
    expect(body.model).toEqual({ id: 'tiny-clip', revision: 'main' });
    expect(names(body.hits.slice(0, 2)).sort()).toEqual(['canon-small.jpg', 'canon.webp']);
    expect(names(body.hits)).not.toContain('canon.jpg');
    const notes = await get(`/assets/${ids.get('notes.txt')}/similar`);
    expect(notes.status).toBe(404);
    expect(notes.body.error).toEqual({ code: 'NOT_EMBEDDED', message: `asset ${ids.get('notes.txt')} has no tiny-clip embedding: other assets are not embedded, images and videos are` });
  });

  it('groups a photo with its resized and re-encoded copies, and no unrelated photo', async () => {
    const { body } = await get(`/assets/${ids.get('canon-small.jpg')}/duplicates`);
    expect(body.groupId).toBe([ids.get('canon.jpg'), ids.get('canon-small.jpg'), ids.get('canon.webp')].sort()[0]);
    expect(body.duplicates.map((d: { originalName: string }) => d.originalName).sort()).toEqual(['canon.jpg', 'canon.webp']);
    const all = await get('/duplicates');
    expect(all.body.groups).toHaveLength(1);
    expect(all.body.groups[0].assets.map((a: { originalName: string }) => a.originalName).sort()).toEqual([
      'canon-small.jpg',
      'canon.jpg',
      'canon.webp',
    ]);
    expect((await get(`/assets/${ids.get('nikon.jpg')}/duplicates`)).body).toEqual({
      assetId: ids.get('nikon.jpg'),
      groupId: null,
      duplicates: [],
    });
  });

  it('drops a deleted asset from semantic results, similar assets and its group', async () => {
    await deleteAsset({ log: lake.log, actor: 'tester', source: 'cli' }, ids.get('canon-small.jpg')!);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const semantic = await get(`/search?mode=semantic&limit=50&q=${encodeURIComponent(TEXT)}`);
    expect(names(semantic.body.hits)).not.toContain('canon-small.jpg');
    expect(semantic.body.total).toBe(IMAGES.length - 1);
    const similar = await get(`/assets/${ids.get('canon.jpg')}/similar?limit=1`);
    expect(names(similar.body.hits)).toEqual(['canon.webp']);
    const group = await get(`/assets/${ids.get('canon.jpg')}/duplicates`);
    expect(group.body.duplicates.map((d: { originalName: string }) => d.originalName)).toEqual(['canon.webp']);
  });
});
}

describe('without an embedding model (the quick-start default)', () => {
  let lake: Lake;
  let app: App;

  beforeAll(async () => {
    lake = await openTestLake();
    ({ app } = await adminApi(lake));
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  it('runs no embeddings consumer, answers semantic search and similar assets with 409, keyword search as before', async () => {
    expect(lake.embedder).toBeUndefined();
    expect(lake.processors.map((p) => p.name)).not.toContainEqual(expect.stringMatching(/^embeddings/));
    for (const url of ['/search?mode=semantic&q=cat', '/search?mode=hybrid&q=cat']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({ code: 'EMBEDDINGS_DISABLED', message: expect.stringContaining('embeddings.model') });
    }
    expect((await app.inject({ method: 'GET', url: '/search?q=cat' })).json()).toMatchObject({ mode: 'keyword', total: 0 });
  });
});
