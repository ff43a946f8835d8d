import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));

/**
 * Switching the configured model: the new one re-embeds every image as new
 * events (a backfill by a new consumer group), both models' vectors coexist,
 * and search uses the configured one. The second model is a copy of the tiny
 * one under another name, run on its 8-bit weights, so its vectors differ.
 * As in a deployment, a switch is a restart with the new configuration: the
 * first model runs in a CLI process of its own, the second in this one.
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
    const photos = join(models.path, 'photos');
    mkdirSync(photos);
    for (const name of FIRST) copyFileSync(fixture(name), join(photos, basename(name)));
    await promisify(execFile)(process.execPath, [CLI, 'ingest', photos, '--wait', '--data', data.path], {
      env: {
        ...process.env,
        MEDIALAKE_LOG_LEVEL: 'silent',
        MEDIALAKE_EMBEDDING_MODEL: TINY_CLIP,
        MEDIALAKE_EMBEDDING_DTYPE: 'fp32',
        MEDIALAKE_EMBEDDING_OFFLINE: 'true',
      },
    });
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
    const fromOldVectors: number[] = [];
    for (const hit of result.hits) {
      const [oldVector, newVector] = (await embeddingsOf(hit.assetId)).map((e) => e.payload.vector);
      const cosine = (vector: number[]) => vector.reduce((sum, x, i) => sum + x * text[i]!, 0);
      expect(hit.score).toBeCloseTo(cosine(newVector!), 5);
      fromOldVectors.push(Math.abs(hit.score - cosine(oldVector!)));
    }
    // The two models' vectors are close (the same weights, 8-bit against 32-bit), but not the same.
    expect(Math.max(...fromOldVectors)).toBeGreaterThan(1e-4);
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
