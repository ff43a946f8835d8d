/**
 * Embeddings, two measures.
 *
 * 1. Images/s through the embeddings processor (worker thread, transformers.js
 *    preprocessing, batching, event payloads) vs onnxruntime-node called
 *    directly on the same model file and the same JPEG bytes (sharp decode,
 *    resize, crop and normalise by hand, same batch size, main thread).
 *    The model is test/fixtures/tiny-clip unless BENCH_MODEL names another
 *    local CLIP folder: with the tiny model the inference is nearly free, so
 *    the ratio shows the overhead of everything around it.
 * 2. k-NN latency (p50/p99) at 100,000 vectors of 512 dimensions: the
 *    embedded vector index (exact) and, when its engine is built, OpenSearch
 *    (HNSW, lucene engine, on a local single node), vs the bare dot-product
 *    scan over the same Float32Array (the floor any exact search pays).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { modelSource } from '../processors/modelSource';
import { startEmbedder } from '../processors/embedder';
import { embeddingsProcessor } from '../processors/embeddings';
import { inputOf } from '../processors/sharedInputs';
import { OpenSearchVectorIndex } from '../projections/vectors/opensearch';
import { SqliteVectorIndex } from '../projections/vectors/sqlite';
import type { EmbeddingModel, VectorIndex } from '../projections/vectors/vectorIndex';
import type { StoredEvent } from '../schemas/envelope';
import { openSearchPresent, startOpenSearch } from '../test/engines/opensearch';
import { EXIF_SAMPLES, TINY_CLIP, temporaryDirectory } from '../test/support/fixtures';
import { rate, report } from './report';
import { randomUnit } from '../test/support/vectors';

const MODEL = process.env.BENCH_MODEL ?? TINY_CLIP;
const IMAGES = Number(process.env.BENCH_IMAGES ?? 240);
const BATCH = 8;
const VECTORS = Number(process.env.BENCH_VECTORS ?? 100_000);
const DIMENSIONS = 512;
const QUERIES = 200;

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

/** The benchmark's vectors, as plain arrays for the events. */
const randomVector = (seed: number) => Array.from(randomUnit(seed, DIMENSIONS));

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)]!, p99: sorted[Math.floor(sorted.length * 0.99)]! };
}

async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The bench's events: VECTORS assets, each ingested and embedded, in batches of 1000. */
function* vectorBatches(model: EmbeddingModel): Generator<StoredEvent[]> {
  let offset = 0;
  const stored = (assetId: string, assetVersion: number, event: Pick<StoredEvent, 'type' | 'payload'>) =>
    ({ id: `${assetId}-${assetVersion}`, assetId, assetVersion, time: '2024-01-01T00:00:00Z', actor: 'bench', source: 'bench',
       correlationId: 'bench', causationId: null, schemaVersion: 1, partition: '0', offset: String(offset++), ...event }) as StoredEvent;
  for (let start = 0; start < VECTORS; start += 1000) {
    const batch: StoredEvent[] = [];
    for (let i = start; i < Math.min(VECTORS, start + 1000); i++) {
      const assetId = `asset-${i}`;
      batch.push(
        stored(assetId, 1, {
          type: 'AssetIngested',
          payload: { objectKey: `originals/${assetId}`, originalName: `${i}.jpg`, mediaType: 'image', mimeType: 'image/jpeg',
                     size: 1000 + (i % 5000), sha256: '0'.repeat(64), origin: { kind: 'upload' } },
        }),
        stored(assetId, 2, {
          type: 'EmbeddingComputed',
          payload: { model: model.id, revision: model.revision, dimensions: DIMENSIONS, normalization: 'l2', vector: randomVector(i + 1) },
        }),
      );
    }
    yield batch;
  }
}

/** Fills an index with the bench's vectors, then times plain and filtered k-NN queries on it. */
async function knnLatency(index: VectorIndex, queries: Float32Array[]) {
  const model = { id: 'bench-clip', revision: 'main' };
  const build = await timed(async () => {
    for (const batch of vectorBatches(model)) await index.apply(batch);
  });
  const load = await timed(() => index.knn({ model, vector: queries[0]!, k: 20 }));
  const knn = [];
  const filtered = [];
  for (const vector of queries) {
    knn.push(await timed(() => index.knn({ model, vector, k: 20 })));
    filtered.push(await timed(() => index.knn({ model, vector, k: 20, filter: { maxSize: 2000 } })));
  }
  await index.close();
  return { build, load, knn, filtered };
}

const line = (label: string, samples: number[]) => {
  const { p50, p99 } = percentiles(samples);
  console.log(`  ${label.padEnd(50)} p50 ${p50.toFixed(1).padStart(7)} ms   p99 ${p99.toFixed(1).padStart(7)} ms`);
};

async function vectorSearch(): Promise<void> {
  const queries = Array.from({ length: QUERIES }, (_, i) => randomUnit(1_000_000 + i, DIMENSIONS));
  const directory = temporaryDirectory('medialake-bench-vectors-');
  const embedded = await knnLatency(new SqliteVectorIndex(join(directory.path, 'vectors.db')), queries);
  directory.remove();
  // OpenSearch (HNSW, lucene engine) on a local single node, when .ci/engines/opensearch.sh has built it.
  let opensearch: Awaited<ReturnType<typeof knnLatency>> | undefined;
  if (openSearchPresent()) {
    const engine = await startOpenSearch();
    try {
      opensearch = await knnLatency(await OpenSearchVectorIndex.open({ node: engine.node, prefix: 'bench-vectors' }), queries);
    } finally {
      await engine.stop();
    }
  }
  // The floor: the same dot products over one Float32Array, nothing else.
  const matrix = new Float32Array(VECTORS * DIMENSIONS);
  for (let i = 0; i < VECTORS; i++) matrix.set(randomUnit(i + 1, DIMENSIONS), i * DIMENSIONS);
  const scores = new Float32Array(VECTORS);
  const scan = queries.map((query) =>
    Number(
      (() => {
        const start = process.hrtime.bigint();
        for (let row = 0; row < VECTORS; row++) {
          let score = 0;
          for (let i = 0, base = row * DIMENSIONS; i < DIMENSIONS; i++) score += matrix[base + i]! * query[i]!;
          scores[row] = score;
        }
        return process.hrtime.bigint() - start;
      })(),
    ) / 1e6,
  );

  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`vector search: ${VECTORS} vectors × ${DIMENSIONS}, k = 20, ${QUERIES} queries`);
  console.log(`  embedded: built in ${seconds(embedded.build)}, first query loads them: ${embedded.load.toFixed(0)} ms`);
  line('embedded index knn (exact)', embedded.knn);
  line('embedded index knn, filtered (about 1/5 pass)', embedded.filtered);
  if (opensearch) {
    console.log(`  OpenSearch: built in ${seconds(opensearch.build)} (bulk, HNSW, a refresh per 1000), first query ${opensearch.load.toFixed(0)} ms`);
    line('OpenSearch knn (HNSW, lucene, 100 candidates)', opensearch.knn);
    line('OpenSearch knn, filtered inside the knn clause', opensearch.filtered);
  } else console.log('  OpenSearch: skipped, not built (run .ci/engines/opensearch.sh)');
  line('bare dot-product scan (baseline)', scan);
  console.log(`  ratio (baseline p50 / embedded knn p50) ${(percentiles(scan).p50 / percentiles(embedded.knn).p50).toFixed(3)}`);
  if (opensearch) console.log(`  ratio (baseline p50 / OpenSearch knn p50) ${(percentiles(scan).p50 / percentiles(opensearch.knn).p50).toFixed(3)}`);
}

const processor = await throughProcessor();
const direct = await directOnnx();
report(
  `embeddings: ${images.length} JPEGs (${photos.length} fixtures), batches of ${BATCH}, model ${MODEL}`,
  { label: 'embeddings processor (worker, transformers.js)', perSecond: processor },
  { label: 'onnxruntime-node direct, sharp preprocessing', perSecond: direct },
);
await vectorSearch();
