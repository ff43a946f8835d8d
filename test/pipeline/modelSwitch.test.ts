import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { ingestFile } from '../../producers/ingest';
import { searchInMode } from '../../projections/vectors/semanticSearch';
import type { StoredEvent } from '../../schemas/envelope';
import { TINY_CLIP, fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext } from '../support/lake';

const FIRST = ['jpg/Canon_40D.jpg', 'jpg/Nikon_D70.jpg', 'jpg/Pentax_K10D.jpg'];
const TEXT = 'a photo of a cat';

/**
 * Switching the configured model: the new one re-embeds every image as new
 * events (a backfill by a new consumer group), both models' vectors coexist,
 * and search uses the configured one. The second model is a copy of the tiny
 * one under another name, run on its 8-bit weights, so its vectors differ.
 */
describe('switching the embedding model', () => {
  const data = temporaryDirectory();
  const models = temporaryDirectory();
  const second = join(models.path, 'tiny-clip-q8');
  let lake: Lake;

  const open = (model: string, dtype: 'fp32' | 'q8') =>
    openLake(
      loadConfig(
        { data: data.path, logLevel: 'silent', 'log.sync': 'normal', 'embeddings.model': model, 'embeddings.dtype': dtype, 'embeddings.offline': true },
        {},
      ),
    );
  const embeddingsOf = async (assetId: string) =>
    (await lake.log.readAsset(assetId)).filter((e): e is StoredEvent<'EmbeddingComputed'> => e.type === 'EmbeddingComputed');

  beforeAll(async () => {
    cpSync(TINY_CLIP, second, { recursive: true });
    lake = await open(TINY_CLIP, 'fp32');
    lake.start();
    for (const name of FIRST) await ingestFile(ingestContext(lake), fixture(name), { kind: 'upload' }, name);
    await lake.waitForIdle({ timeoutMs: 60_000 });
    await lake.close();
    lake = await open(second, 'q8');
  });
  afterAll(async () => {
    await lake.close();
    data.remove();
    models.remove();
  });

  it('re-embeds every existing image with the new model, beside the old vectors', async () => {
    expect(await lake.vectors.models()).toEqual([{ id: 'tiny-clip', revision: 'main', dimensions: 16, count: 3 }]);
    lake.start();
    await lake.waitForIdle({ timeoutMs: 60_000 });
    expect(await lake.vectors.models()).toEqual([
      { id: 'tiny-clip', revision: 'main', dimensions: 16, count: 3 },
      { id: 'tiny-clip-q8', revision: 'main', dimensions: 16, count: 3 },
    ]);
    const consumers = (await lake.consumers()).map((c) => c.group);
    expect(consumers).toContain('processor:embeddings:tiny-clip-q8:main');
    expect(consumers).not.toContain('processor:embeddings:tiny-clip:main');
    for (const asset of (await lake.records.list({ limit: 10 })).assets) {
      const embeddings = await embeddingsOf(asset.assetId);
      expect(embeddings.map((e) => e.payload.model)).toEqual(['tiny-clip', 'tiny-clip-q8']);
      expect(embeddings[1]!.causationId).toBe(embeddings[0]!.causationId); // both caused by the ingest
      expect(embeddings[1]!.id).not.toBe(embeddings[0]!.id);
      expect(embeddings[1]!.payload.vector).not.toEqual(embeddings[0]!.payload.vector);
    }
  });

  it('searches with the configured model: its text encoder, its image vectors', async () => {
    const result = await searchInMode(
      { search: lake.search, vectors: lake.vectors, encoder: lake.embedder },
      { mode: 'semantic', q: TEXT, limit: 10, offset: 0 },
    );
    expect(result.model).toEqual({ id: 'tiny-clip-q8', revision: 'main' });
    const text = await lake.embedder!.embedText(TEXT);
    for (const hit of result.hits) {
      const [oldVector, newVector] = (await embeddingsOf(hit.assetId)).map((e) => e.payload.vector);
      const cosine = (vector: number[]) => vector.reduce((sum, x, i) => sum + x * text[i]!, 0);
      expect(hit.score).toBeCloseTo(cosine(newVector!), 5);
      expect(Math.abs(hit.score - cosine(oldVector!))).toBeGreaterThan(1e-4);
    }
  });

  it('embeds new images with the new model only', async () => {
    const { assetId } = await ingestFile(ingestContext(lake), fixture('jpg/Sony_HDR-HC3.jpg'), { kind: 'upload' }, 'sony.jpg');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect((await embeddingsOf(assetId)).map((e) => e.payload.model)).toEqual(['tiny-clip-q8']);
    expect(await lake.vectors.models()).toEqual([
      { id: 'tiny-clip', revision: 'main', dimensions: 16, count: 3 },
      { id: 'tiny-clip-q8', revision: 'main', dimensions: 16, count: 4 },
    ]);
  });
});
