import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { fromDecoded } from '../../processors/decodedImage';
import { startEmbedder } from '../../processors/embedder';
import { embeddingsProcessor } from '../../processors/embeddings';
import { metadataProcessor } from '../../processors/metadata';
import { modelSource } from '../../processors/modelSource';
import { differenceHash, perceptualHashProcessor } from '../../processors/perceptualHash';
import { InvalidMediaError } from '../../processors/processor';
import { renditionsProcessor } from '../../processors/renditions';
import { inputOf } from '../../processors/readOnce';
import { hammingDistance, hashHalves } from '../../projections/duplicates/duplicateGroups';
import type { StoredEvent } from '../../schemas/envelope';
import { TINY_CLIP, fixture, temporaryDirectory } from '../support/fixtures';
import { turnedHeif } from '../support/turnedHeif';

const MAX_PIXELS = 100_000_000;
const ingested = {
  type: 'AssetIngested',
  assetId: 'heif-asset',
  payload: { mediaType: 'image', mimeType: 'image/heic' },
} as StoredEvent;
const input = (bytes: Buffer, maxInputPixels = MAX_PIXELS) => inputOf(bytes, { maxInputPixels, box: 1280 });
const heif = readFileSync(fixture('heic/samplefilehub.heif'));
const renditions = renditionsProcessor({
  thumbnailSize: 256,
  proxySize: 1280,
  maxInputPixels: MAX_PIXELS,
  watermark: { gravity: 'southeast', opacity: 0.8 },
});

async function renditionSizes(bytes: Buffer) {
  const { events, objects } = await renditions.process(ingested, input(bytes));
  const sizes = await Promise.all(objects!.map(async ({ body }) => sharp(body).metadata()));
  const named = events.map((event, i) => [(event.payload as { name: string }).name, { width: sizes[i]!.width, height: sizes[i]!.height }]);
  return Object.fromEntries(named);
}

const distance = (a: string, b: string) => hammingDistance(hashHalves(a), hashHalves(b));

describe('HEIC/HEIF originals, decoded by libheif (libheif-js) before sharp', () => {
  it('get a thumbnail and a proxy, landscape as the photo is', async () => {
    expect(await renditionSizes(heif)).toEqual({ thumbnail: { width: 256, height: 170 }, proxy: { width: 640, height: 426 } });
  });

  it('get a perceptual hash', async () => {
    const { events } = await perceptualHashProcessor().process(ingested, input(heif));
    const hash = expect.stringMatching(/^[0-9a-f]{16}$/);
    expect(events[0]).toMatchObject({ type: 'PerceptualHashComputed', payload: { algorithm: 'dhash', hash } });
    expect((events[0]!.payload as { hash: string }).hash).not.toMatch(/^0+$|^f+$/);
  });

  it('are turned upright once when the container turns them (irot) and the EXIF orientation repeats it', async () => {
    const turned = turnedHeif();
    expect(await renditionSizes(turned)).toEqual({ thumbnail: { width: 170, height: 256 }, proxy: { width: 426, height: 640 } });
    // The picture, not only the box: the upright pixels are the plain photo turned 90° clockwise.
    const plain = await input(heif).image();
    const { data, info } = await fromDecoded(plain).rotate(90).raw().toBuffer({ resolveWithObject: true });
    const turnedByHand = await differenceHash({ data, width: info.width, height: info.height, channels: plain.channels });
    const upright = await differenceHash(await input(turned).image());
    expect(distance(upright, turnedByHand)).toBeLessThanOrEqual(4);
  });

  it('record the dimensions the decoder gives, and no orientation left to apply', async () => {
    const { events } = await metadataProcessor().process(ingested, input(turnedHeif()));
    expect(events[0]!.payload).toMatchObject({ format: 'heif', width: 426, height: 640, hasAlpha: false, warnings: [] });
    expect(events[0]!.payload).not.toHaveProperty('orientation');
  });

  it('are refused past the pixel limit, on the container size, as bad input', async () => {
    const refused = renditions.process(ingested, input(heif, 640 * 426 - 1));
    await expect(refused).rejects.toBeInstanceOf(InvalidMediaError);
    await expect(refused).rejects.toMatchObject({ code: 'UNREADABLE_IMAGE', message: expect.stringMatching(/exceeds pixel limit/) });
  });

  it('that are cut short fail as bad input, and the next one decodes', async () => {
    const cut = renditions.process(ingested, input(heif.subarray(0, 2000)));
    await expect(cut).rejects.toMatchObject({ code: 'UNREADABLE_IMAGE' });
    expect(await renditionSizes(heif)).toHaveProperty('thumbnail', { width: 256, height: 170 });
  });

  describe('embeddings, on the tiny CLIP model', () => {
    const cache = temporaryDirectory();
    const source = modelSource(TINY_CLIP, 'r1');
    const embedder = startEmbedder({ offline: true, cacheDir: cache.path, dtype: 'fp32', maxInputPixels: MAX_PIXELS, source, batchSize: 4 });
    afterAll(async () => {
      await embedder.close();
      cache.remove();
    });

    it('get a unit vector', async () => {
      const { events } = await embeddingsProcessor(embedder).process(ingested, input(heif));
      const vector = (events[0]!.payload as { vector: number[] }).vector;
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    });
  });
});
