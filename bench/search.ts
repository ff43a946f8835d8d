/**
 * Keyword search on the embedded index at 1,000,000 assets against the same
 * queries at 10,000, measured in the same run: a word every asset has
 * (`jpg`, in every file name), a word ten assets have at either size
 * (`lighthouse`), and the listing without words. The two indices alternate
 * query by query, so a busy neighbour slows both alike. Goals (docs/search.md):
 * at the large size p99 ≤ 50 ms for the common word and ≤ 10 ms for the rare
 * one, each ≤ 2× its p99 at 10,000 (the ratio printed is small p99 / large
 * p99: ≥ 0.5).
 *
 * The libraries are synthetic asset histories (ingest, metadata, a title and
 * tags) written through the projection's own apply in batches of 10,000
 * assets with a rebuild's settings (building()), not through image
 * processing; how long that takes is printed too.
 * BENCH_ASSETS changes the large size (develop at 100000).
 */
import { join } from 'node:path';
import { draft, type StoredEvent } from '../schemas/envelope';
import { SqliteSearchIndex } from '../projections/search/sqlite';
import { SearchQuery, type SearchResult } from '../projections/search/searchIndex';
import { temporaryDirectory } from '../test/support/fixtures';
import { rate, report } from './report';
import { syntheticPhoto } from './syntheticPhotos';

const LARGE = Number(process.env.BENCH_ASSETS ?? 1_000_000);
const SMALL = 10_000;
const BATCH = 10_000;
const RARE = 10;
const SAMPLES = 300;
const WARM_UP = 20;

/** One asset's history as the log would hand it over: ingested, its metadata extracted, titled and tagged by a person. */
function assetEvents(n: number, assets: number): StoredEvent[] {
  const assetId = `a${n.toString(16).padStart(12, '0')}`;
  const envelope = (source: string) => ({ id: `${assetId}-${source}`, assetId, actor: 'bench', source, correlationId: `c${n}`, causationId: null });
  const tags = ['sea', `roll${n % 50}`, ...(n % (assets / RARE) === 7 ? ['lighthouse'] : [])];
  return [
    ...syntheticPhoto(n, envelope, {
      objectKey: `originals/${assetId}/original`,
      originalName: `IMG_${n}.jpg`,
      path: `/library/IMG_${n}.jpg`,
      mediaType: n % 20 === 0 ? 'video' : 'image',
    }),
    draft('UserMetadataUpdated', { ...envelope('api'), payload: { title: `Holiday ${n}`, tags } }),
  ].map((event, i) => ({ ...event, assetVersion: i + 1, partition: '0', offset: String(n * 3 + i) }) as StoredEvent);
}

/** A library of `assets` synthetic assets, written as a rebuild writes; returns the index and how many assets/s went in. */
async function library(path: string, assets: number): Promise<{ index: SqliteSearchIndex; perSecond: number }> {
  const index = new SqliteSearchIndex(path);
  index.building(true);
  const perSecond = await rate(assets, async () => {
    for (let from = 0; from < assets; from += BATCH) {
      const batch: StoredEvent[] = [];
      for (let n = from; n < Math.min(assets, from + BATCH); n++) batch.push(...assetEvents(n, assets));
      await index.apply(batch);
    }
  });
  // As a rebuild ends: the query indexes, dropped while building, are made once the file is filled.
  index.filled();
  index.building(false);
  return { index, perSecond };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** p50 and p99 of each index's latency (ms) for one query, the indices taking turns. */
async function latencies(indices: SqliteSearchIndex[], query: SearchQuery): Promise<{ p50: number; p99: number; result: SearchResult }[]> {
  const times = indices.map(() => [] as number[]);
  const results: SearchResult[] = [];
  for (let run = 0; run < WARM_UP + SAMPLES; run++) {
    for (const [i, index] of indices.entries()) {
      const start = process.hrtime.bigint();
      results[i] = await index.search(query);
      if (run >= WARM_UP) times[i]!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return times.map((ms, i) => {
    ms.sort((a, b) => a - b);
    return { p50: percentile(ms, 50), p99: percentile(ms, 99), result: results[i]! };
  });
}

const count = (result: SearchResult) => `${result.total.toLocaleString('en-US')}${result.totalRelation === 'gte' ? '+' : ''}`;

const directory = temporaryDirectory('medialake-bench-');
const small = await library(join(directory.path, 'small.db'), SMALL);
const large = await library(join(directory.path, 'large.db'), LARGE);
console.log(`built through SqliteSearchIndex.apply: ${SMALL} assets at ${small.perSecond.toFixed(0)}/s, ${LARGE} at ${large.perSecond.toFixed(0)}/s (${(LARGE / large.perSecond).toFixed(0)} s)`);

const QUERIES: [name: string, query: Partial<SearchQuery>, goalMs: number][] = [
  ['a word every asset has (jpg)', { q: 'jpg' }, 50],
  [`a word ${RARE} assets have (lighthouse)`, { q: 'lighthouse' }, 10],
  ['the listing, no words', {}, 50],
];
for (const [name, query, goalMs] of QUERIES) {
  const [atSmall, atLarge] = await latencies([small.index, large.index], SearchQuery.parse(query));
  const verdict = atLarge!.p99 <= goalMs ? 'met' : 'NOT met';
  report(
    `search p99: ${name}; ${count(atSmall!.result)} found at ${SMALL}, ${count(atLarge!.result)} at ${LARGE} (p50 ${atSmall!.p50.toFixed(2)} / ${atLarge!.p50.toFixed(2)} ms; p99 ${atLarge!.p99.toFixed(2)} ms at ${LARGE}, goal ≤ ${goalMs} ms: ${verdict})`,
    { label: `${LARGE} assets (searches/s at p99)`, perSecond: 1000 / atLarge!.p99 },
    { label: `${SMALL} assets (searches/s at p99)`, perSecond: 1000 / atSmall!.p99 },
    0.5,
  );
}
await Promise.all([small.index.close(), large.index.close()]);
directory.remove();
