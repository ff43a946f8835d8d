/**
 * Embeddings: images/s through the embeddings processor (worker thread,
 * transformers.js preprocessing, batching, event payloads) vs onnxruntime-node
 * called directly on the same model file and the same JPEG bytes (sharp
 * decode, resize, crop and normalise by hand, same batch size, main thread).
 * The model is test/fixtures/tiny-clip unless BENCH_MODEL names another local
 * CLIP folder: with the tiny model the inference is nearly free, so the ratio
 * shows the overhead of everything around it. k-NN over the vectors is
 * bench/vectors.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { modelSource } from '../processors/modelSource';
import { startEmbedder } from '../processors/embedder';
import { embeddingsProcessor } from '../processors/embeddings';
import { inputOf } from '../processors/readOnce';
import type { StoredEvent } from '../schemas/envelope';
import { EXIF_SAMPLES, TINY_CLIP, temporaryDirectory } from '../test/support/fixtures';
import { rate, report } from './report';

const MODEL = process.env.BENCH_MODEL ?? TINY_CLIP;
const IMAGES = Number(process.env.BENCH_IMAGES ?? 240);
const BATCH = 8;

const photos = ['jpg', 'jpg/gps', 'jpg/orientation'].flatMap((dir) =>
  readdirSync(join(EXIF_SAMPLES, dir))
    .filter((name) => name.endsWith('.jpg') && name !== 'corrupted.jpg')
    .map((name) => readFileSync(join(EXIF_SAMPLES, dir, name))),
);
const images = Array.from({ length: IMAGES }, (_, i) => photos[i % photos.length]!);

async function throughProcessor(): Promise<number> {
  const embedder = startEmbedder({
    source: modelSource(MODEL, 'main'),
    offline: true,
    cacheDir: temporaryDirectory().path,
    dtype: 'fp32',
    maxInputPixels: 100_000_000,
    batchSize: BATCH,
  });
  const processor = embeddingsProcessor(embedder);
  const event = { type: 'AssetIngested', payload: { mediaType: 'image' } } as StoredEvent;
  const embed = (bytes: Buffer) => processor.process(event, inputOf(bytes, { maxInputPixels: 100_000_000, box: 1280 }));
  await embed(images[0]!); // starts the worker and loads the model
  const limit = pLimit(processor.concurrency!);
  const perSecond = await rate(images.length, async () => {
    await Promise.all(images.map((bytes) => limit(() => embed(bytes))));
  });
  await embedder.close();
  return perSecond;
}

async function directOnnx(): Promise<number> {
  const config = JSON.parse(readFileSync(join(MODEL, 'preprocessor_config.json'), 'utf8'));
  const edge: number = config.size.shortest_edge;
  const { height, width } = config.crop_size as { height: number; width: number };
  const mean: number[] = config.image_mean;
  const std: number[] = config.image_std;
  const session = await ort.InferenceSession.create(join(MODEL, 'onnx', 'vision_model.onnx'));

  if (edge !== width || edge !== height) throw new Error('the direct path assumes a square crop of the resize edge, as CLIP has');

  /** CLIP's preprocessing by hand: resize the shortest edge and crop the centre (one sharp cover), normalise. */
  async function pixels(bytes: Buffer): Promise<Float32Array> {
    const data = await sharp(bytes).autoOrient().resize(width, height, { fit: 'cover', kernel: 'cubic' }).removeAlpha().raw().toBuffer();
    const out = new Float32Array(3 * height * width);
    for (let i = 0; i < height * width; i++) {
      for (let c = 0; c < 3; c++) out[c * height * width + i] = (data[i * 3 + c]! / 255 - mean[c]!) / std[c]!;
    }
    return out;
  }

  async function embed(batch: Buffer[]): Promise<void> {
    const inputs = await Promise.all(batch.map(pixels));
    const tensor = new Float32Array(inputs.length * 3 * height * width);
    inputs.forEach((input, i) => tensor.set(input, i * input.length));
    const { image_embeds } = await session.run({ pixel_values: new ort.Tensor('float32', tensor, [inputs.length, 3, height, width]) });
    const [n, d] = image_embeds!.dims as number[];
    const values = image_embeds!.data as Float32Array;
    for (let row = 0; row < n!; row++) {
      const vector = values.subarray(row * d!, (row + 1) * d!);
      const norm = Math.hypot(...vector);
      vector.forEach((x, i) => (vector[i] = x / norm));
    }
  }

  await embed([images[0]!]);
  const perSecond = await rate(images.length, async () => {
    for (let i = 0; i < images.length; i += BATCH) await embed(images.slice(i, i + BATCH));
  });
  await session.release();
  return perSecond;
}

const processor = await throughProcessor();
const direct = await directOnnx();
report(
  `embeddings: ${images.length} JPEGs (${photos.length} fixtures), batches of ${BATCH}, model ${MODEL}`,
  { label: 'embeddings processor (worker, transformers.js)', perSecond: processor },
  { label: 'onnxruntime-node direct, sharp preprocessing', perSecond: direct },
);
