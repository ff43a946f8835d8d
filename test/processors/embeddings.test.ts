import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelUnavailableError, modelSource } from '../../processors/modelSource';
import { startEmbedder, type Embedder } from '../../processors/embedder';
import { embeddingsProcessor } from '../../processors/embeddings';
import { InvalidMediaError, type Processor } from '../../processors/processor';
import { inputOf } from '../../processors/readOnce';
import type { StoredEvent } from '../../schemas/envelope';
import { EmbeddingComputed } from '../../schemas/events';
import { TINY_CLIP, fixture, temporaryDirectory } from '../support/fixtures';

const DIMENSIONS = 16; // test/fixtures/tiny-clip: projection_dim
const IMAGES = ['jpg/Canon_40D.jpg', 'jpg/Nikon_D70.jpg', 'jpg/Pentax_K10D.jpg', 'jpg/Sony_HDR-HC3.jpg', 'jpg/Kodak_CX7530.jpg'];
const ingested = { type: 'AssetIngested', payload: { mediaType: 'image' } } as StoredEvent;

describe('the embeddings processor, on the tiny CLIP model in a worker thread', () => {
  const cache = temporaryDirectory();
  const options = { offline: true, cacheDir: cache.path, dtype: 'fp32', maxInputPixels: 100_000_000 } as const;
  let embedder: Embedder;
  let processor: Processor;

  const embed = async (bytes: Buffer) => {
    const { events } = await processor.process(ingested, inputOf(bytes, { maxInputPixels: options.maxInputPixels, box: 1280 }));
    expect(events).toHaveLength(1);
    const [event] = events;
    if (event?.type !== 'EmbeddingComputed') throw new Error(`expected an embedding, got ${event?.type}`);
    return event.payload;
  };

  beforeAll(() => {
    embedder = startEmbedder({ ...options, source: modelSource(TINY_CLIP, 'r1'), batchSize: 4 });
    processor = embeddingsProcessor(embedder);
  });
  afterAll(async () => {
    await embedder.close();
    cache.remove();
  });

  it("names its consumer group after the model and revision, and takes images and videos' frames renditions", () => {
    expect(processor.name).toBe('embeddings:tiny-clip:r1');
    expect(processor.concurrency).toBe(8);
    expect(processor.accepts(ingested)).toBe(true);
    // A video's frames come out of its renditions' decode, not out of a decode of its own.
    expect(processor.accepts({ ...ingested, payload: { mediaType: 'video' } } as StoredEvent)).toBe(false);
    expect(processor.accepts({ type: 'RenditionCreated', payload: { name: 'frames' } } as StoredEvent)).toBe(true);
    expect(processor.accepts({ type: 'RenditionCreated', payload: { name: 'poster' } } as StoredEvent)).toBe(false);
    expect(processor.accepts({ type: 'AssetDeleted', payload: {} } as StoredEvent)).toBe(false);
  });

  it('makes a valid EmbeddingComputed: model id, revision, dimensions, a unit vector', async () => {
    const payload = await embed(readFileSync(fixture('jpg/Canon_40D.jpg')));
    expect(EmbeddingComputed.parse(payload)).toEqual(payload);
    expect(payload).toMatchObject({ model: 'tiny-clip', revision: 'r1', dimensions: DIMENSIONS, normalization: 'l2' });
    expect(payload.vector).toHaveLength(DIMENSIONS);
    expect(Math.hypot(...payload.vector)).toBeCloseTo(1, 5);
  });

  it('gives the same vectors in a batch as one at a time, and different images different vectors', async () => {
    const images = IMAGES.map((name) => readFileSync(fixture(name)));
    const alone: number[][] = [];
    for (const bytes of images) alone.push((await embed(bytes)).vector);
    // All at once: they queue while a batch runs and go to the model together.
    const together = await Promise.all(images.map(async (bytes) => (await embed(bytes)).vector));
    together.forEach((vector, i) => vector.forEach((x, j) => expect(x).toBeCloseTo(alone[i]![j]!, 5)));
    expect(new Set(alone.map((v) => v.join())).size).toBe(IMAGES.length);
  });

  it('fails only the undecodable image of a batch, as bad input', async () => {
    const good = readFileSync(fixture('jpg/Canon_40D.jpg'));
    const [first, broken, second] = await Promise.allSettled([
      embed(good),
      embed(Buffer.from('not an image at all')),
      embed(readFileSync(fixture('jpg/Nikon_D70.jpg'))),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('fulfilled');
    expect(broken.status).toBe('rejected');
    const error = (broken as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(InvalidMediaError);
    expect(error.code).toBe('UNREADABLE_IMAGE');
  });

  it('embeds text with the same model: a unit vector of the same dimensions', async () => {
    const text = await embedder.embedText('a red car parked in front of a house');
    expect(text).toHaveLength(DIMENSIONS);
    expect(Math.hypot(...text)).toBeCloseTo(1, 5);
    expect(Array.from(await embedder.embedText('a red car parked in front of a house'))).toEqual(Array.from(text));
  });

  it('offline, refuses a hub model that is not downloaded, without touching the network', async () => {
    const offline = startEmbedder({ ...options, source: modelSource('nobody/no-such-clip', 'main'), batchSize: 1 });
    try {
      await expect(offline.embedText('anything')).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    } finally {
      await offline.close();
    }
  });

  it('refuses a model that is neither a folder nor a hub id', () => {
    expect(() => modelSource('./no/such folder', 'main')).toThrow(ModelUnavailableError);
  });
});
