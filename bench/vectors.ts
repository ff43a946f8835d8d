/**
 * k-NN over image embeddings: the embedded vector index's HNSW graph against
 * its exact scan, on the same index in the same run.
 *
 * BENCH_VECTORS (default 100,000) vectors of 512 dimensions shaped like a
 * photo library's (bursts of similar shots, a power-law spectrum:
 * test/support/vectors.ts libraryVectors) go in as events, as a rebuild
 * applies them (SQLite rows and the graph, grown batch by batch). Then:
 * - build rate: vectors/s through the whole rebuild, SQLite and graph;
 * - load: the index opened again, to its first answer (the graph read from
 *   its file beside the database, the exact copy from the rows);
 * - latency p50/p99 of k = 20 queries (new vectors of the same library),
 *   unfiltered and filtered (about 1 in 5 assets pass), approximate and exact,
 *   and the ratio of their rates;
 * - recall@20: of the exact answer's 20, the share the approximate one finds;
 * - memory: the process's resident set with the index loaded.
 * With OpenSearch built (.ci/engines/opensearch.sh) and at most 100,000
 * vectors, its HNSW (lucene) is timed on the same queries too.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OpenSearchVectorIndex } from '../projections/vectors/opensearch';
import { SqliteVectorIndex } from '../projections/vectors/sqlite';
import type { EmbeddingModel, SearchFilter, VectorIndex } from '../projections/vectors/vectorIndex';
import { DEFAULT_APPROXIMATE } from '../projections/vectors/vectorSpace';
import type { StoredEvent } from '../schemas/envelope';
import { openSearchPresent, startOpenSearch } from '../test/engines/opensearch';
import { temporaryDirectory } from '../test/support/fixtures';
import { libraryVectors } from '../test/support/vectors';
import { report } from './report';

const VECTORS = Number(process.env.BENCH_VECTORS ?? 100_000);
const DIMENSIONS = 512;
const K = 20;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
/** Exact answers are the slow part at a million: recall is measured on the first of the queries. */
const RECALL_QUERIES = Number(process.env.BENCH_RECALL_QUERIES ?? 50);
const MODEL: EmbeddingModel = { id: 'bench-clip', revision: 'main' };
/** Sizes run 1000–5999: at most 2000 lets about one asset in five through. */
const FILTER: SearchFilter = { maxSize: 2000 };

const library = libraryVectors(VECTORS, DIMENSIONS);
/** Queries are further shots of the same library, not in the index. */
const queries = Array.from({ length: QUERIES }, (_, i) => library(VECTORS + i));

/** VECTORS assets, each ingested and embedded, in batches of 1000 events. */
function* vectorBatches(): Generator<StoredEvent[]> {
  let offset = 0;
  const stored = (assetId: string, assetVersion: number, event: Pick<StoredEvent, 'type' | 'payload'>) =>
    ({ id: `${assetId}-${assetVersion}`, assetId, assetVersion, time: '2024-01-01T00:00:00Z', actor: 'bench', source: 'bench',
       correlationId: 'bench', causationId: null, schemaVersion: 1, partition: '0', offset: String(offset++), ...event }) as StoredEvent;
  for (let start = 0; start < VECTORS; start += 500) {
    const batch: StoredEvent[] = [];
    for (let i = start; i < Math.min(VECTORS, start + 500); i++) {
      const assetId = `asset-${i}`;
      batch.push(
        stored(assetId, 1, {
          type: 'AssetIngested',
          payload: { objectKey: `originals/${assetId}`, originalName: `${i}.jpg`, mediaType: 'image', mimeType: 'image/jpeg',
                     size: 1000 + (i % 5000), sha256: '0'.repeat(64), origin: { kind: 'upload' } },
        }),
        stored(assetId, 2, {
          type: 'EmbeddingComputed',
          payload: { model: MODEL.id, revision: MODEL.revision, dimensions: DIMENSIONS, normalization: 'l2', vector: Array.from(library(i)) },
        }),
      );
    }
    yield batch;
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)]!, p99: sorted[Math.floor(sorted.length * 0.99)]! };
}

/** Each query once: its time, and the ids it found. */
async function run(index: VectorIndex, vectors: Float32Array[], options: { filter?: SearchFilter; exact?: boolean }) {
  const ms: number[] = [];
  const answers: string[][] = [];
  for (const vector of vectors) {
    const { ms: took, result } = await timed(() => index.knn({ model: MODEL, vector, k: K, ...options }));
    ms.push(took);
    answers.push(result.hits.map((hit) => hit.assetId));
  }
  return { ms, answers };
}

/** Of each exact answer, the share the approximate one holds. */
function recall(approximate: string[][], exact: string[][]): number {
  const found = exact.map((truth, q) => truth.filter((id) => approximate[q]!.includes(id)).length / Math.max(1, truth.length));
  return found.reduce((sum, x) => sum + x, 0) / found.length;
}

const line = (label: string, samples: number[]) => {
  const { p50, p99 } = percentiles(samples);
  console.log(`  ${label.padEnd(54)} p50 ${p50.toFixed(2).padStart(8)} ms   p99 ${p99.toFixed(2).padStart(8)} ms`);
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/** Fills a new index file as a rebuild does (every space in memory, its graph grown batch by batch), then closes it. */
async function build(path: string): Promise<void> {
  const building = new SqliteVectorIndex(path);
  building.building(true);
  const built = await timed(async () => {
    for (const batch of vectorBatches()) await building.apply(batch);
    building.building(false);
    await building.settled();
  });
  const write = await timed(() => building.close()); // the graph was written as the rebuild went live; closing waits for it
  console.log(`  rebuilt from events (SQLite rows and HNSW graph) in ${seconds(built.ms)}: ${(VECTORS / (built.ms / 1000)).toFixed(0)} vectors/s; close ${seconds(write.ms)}`);
}

/** Opens the built file with a graph search of `efSearch` candidates and times its queries; the exact ones once. */
async function measure(path: string, efSearch: number, exact?: { plain: string[][]; filtered: string[][] }) {
  const index = new SqliteVectorIndex(path, { ...DEFAULT_APPROXIMATE, efSearch });
  const load = await timed(() => index.knn({ model: MODEL, vector: queries[0]!, k: K }));
  await index.settled();
  const approximate = await run(index, queries, {});
  const filtered = await run(index, queries, { filter: FILTER });
  const forRecall = queries.slice(0, RECALL_QUERIES);
  let exactMs: { plain: number[]; filtered: number[] } | undefined;
  if (!exact) {
    const [plain, filteredExact] = [await run(index, forRecall, { exact: true }), await run(index, forRecall, { filter: FILTER, exact: true })];
    exact = { plain: plain.answers, filtered: filteredExact.answers };
    exactMs = { plain: plain.ms, filtered: filteredExact.ms };
  }
  const memory = process.memoryUsage();
  await index.close();

  console.log(`  efSearch ${efSearch}: opened, to its first answer (graph file and exact copy read), in ${seconds(load.ms)}; ` +
    `resident memory ${gib(memory.rss)} (JS heap ${gib(memory.heapUsed)}, buffers ${gib(memory.arrayBuffers)})`);
  line(`embedded knn, HNSW (efSearch ${efSearch})`, approximate.ms);
  line(`embedded knn, HNSW, filtered (about 1/5 pass)`, filtered.ms);
  if (exactMs) {
    line('embedded knn, exact', exactMs.plain);
    line('embedded knn, exact, filtered', exactMs.filtered);
  }
  const slice = (answers: string[][]) => answers.slice(0, forRecall.length);
  console.log(`  recall@${K} against exact: ${recall(slice(approximate.answers), exact.plain).toFixed(3)} unfiltered, ` +
    `${recall(slice(filtered.answers), exact.filtered).toFixed(3)} filtered`);
  return { exact, exactMs, approximate };
}

/**
 * BENCH_DIRECTORY keeps the built index there, and a later run with the
 * same directory measures it again without building it (a million takes
 * long); BENCH_EF_SEARCH lists graph search depths to measure, in one run.
 */
async function embedded(): Promise<void> {
  const kept = process.env.BENCH_DIRECTORY;
  const directory = kept ? { path: kept, remove: () => undefined } : temporaryDirectory('medialake-bench-vectors-');
  mkdirSync(directory.path, { recursive: true });
  const path = join(directory.path, `vectors-${VECTORS}.db`);
  console.log(`vector search: ${VECTORS} vectors × ${DIMENSIONS} (a photo library's shape), k = ${K}, ${QUERIES} queries, recall on ${Math.min(QUERIES, RECALL_QUERIES)}`);
  if (!existsSync(path)) await build(path);
  else console.log(`  built before: ${path}`);
  const depths = (process.env.BENCH_EF_SEARCH ?? String(DEFAULT_APPROXIMATE.efSearch)).split(',').map(Number);
  let first: Awaited<ReturnType<typeof measure>> | undefined;
  for (const efSearch of depths) {
    const measured = await measure(path, efSearch, first?.exact);
    first ??= measured;
    const rate = (samples: number[]) => 1000 / percentiles(samples).p50;
    report(
      `k-NN queries/s at p50, ${VECTORS} × ${DIMENSIONS}, efSearch ${efSearch}`,
      { label: 'embedded index, HNSW', perSecond: rate(measured.approximate.ms) },
      { label: 'embedded index, exact scan', perSecond: rate(first.exactMs!.plain) },
    );
  }
  directory.remove();
}

/** OpenSearch's HNSW (lucene) on the same vectors and queries, where the engine is built and the set small enough to load. */
async function openSearch(): Promise<void> {
  if (!openSearchPresent() || VECTORS > 100_000) {
    console.log('  OpenSearch: skipped (not built: run .ci/engines/opensearch.sh; or more than 100,000 vectors)');
    return;
  }
  const engine = await startOpenSearch();
  try {
    const index = await OpenSearchVectorIndex.open({ node: engine.node, prefix: 'bench-vectors' });
    const build = await timed(async () => {
      for (const batch of vectorBatches()) await index.apply(batch);
    });
    const knn = await run(index, queries, {});
    const filtered = await run(index, queries, { filter: FILTER });
    await index.close();
    console.log(`  OpenSearch: built in ${seconds(build.ms)} (bulk, HNSW, a refresh per batch)`);
    line('OpenSearch knn (HNSW, lucene, 100 candidates)', knn.ms);
    line('OpenSearch knn, filtered inside the knn clause', filtered.ms);
  } finally {
    await engine.stop();
  }
}

const started = Date.now();
await embedded();
await openSearch();
console.log(`  (bench ran ${seconds(Date.now() - started)})`);
