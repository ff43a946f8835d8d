/**
 * What a viewer's search costs against the same search over the whole
 * library, on one embedded index, in the same run: the scope (the ids of the
 * collections shared with the viewer, api/visibility.ts) is a filter inside
 * the query. Synthetic assets, each in one of 100 collections (1% each); the
 * viewer sees one collection or ten. The ratio printed is p99 of the whole
 * library's query / p99 of the viewer's (goal ≥ 0.5: a viewer's search at
 * most twice the cost). BENCH_ASSETS sets the size (default 100,000).
 */
import { join } from 'node:path';
import { draft, type StoredEvent } from '../schemas/envelope';
import { SqliteSearchIndex } from '../projections/search/sqlite';
import { SearchQuery } from '../projections/search/searchIndex';
import { temporaryDirectory } from '../test/support/fixtures';
import { report } from './report';

const N = Number(process.env.BENCH_ASSETS ?? 100_000);
const collection = (k: number) => `c${k.toString(16).padStart(32, '0')}`;
function events(n: number): StoredEvent[] {
  const assetId = `a${n.toString(16).padStart(12, '0')}`;
  const envelope = (source: string) => ({ id: `${assetId}-${source}`, assetId, actor: 'bench', source, correlationId: `c${n}`, causationId: null });
  return [
    draft('AssetIngested', { ...envelope('cli'), payload: { objectKey: `o/${assetId}`, originalName: `IMG_${n}.jpg`, mediaType: 'image', mimeType: 'image/jpeg', size: 1000 + n, sha256: n.toString(16).padStart(64, '0'), origin: { kind: 'upload' } } }),
    draft('UserMetadataUpdated', { ...envelope('api'), payload: { title: `Holiday ${n}`, tags: n % 10_000 === 7 ? ['lighthouse'] : ['sea'] } }),
    draft('AssetAddedToCollection', { ...envelope('api2'), payload: { collectionId: collection(n % 100) } }),
  ].map((event, i) => ({ ...event, assetVersion: i + 1, partition: '0', offset: String(n * 3 + i) }) as StoredEvent);
}
const directory = temporaryDirectory('medialake-probe-');
const index = new SqliteSearchIndex(join(directory.path, 's.db'));
index.building(true);
for (let from = 0; from < N; from += 10_000) await index.apply(Array.from({ length: 10_000 }, (_, i) => events(from + i)).flat());
// As a rebuild ends: the query indexes, dropped while building, are made once the file is filled.
index.filled();
index.building(false);
const one = [collection(3)];
const ten = Array.from({ length: 10 }, (_, k) => collection(k));

/** p99 in ms and the total of one query, the viewer's and the whole library's taking turns so a busy neighbour slows both alike. */
async function p99s(queries: SearchQuery[]): Promise<{ p99: number; total: number }[]> {
  const times = queries.map(() => [] as number[]);
  const totals = queries.map(() => 0);
  for (let run = 0; run < 220; run++) {
    for (const [i, query] of queries.entries()) {
      const start = performance.now();
      totals[i] = (await index.search(query)).total;
      if (run >= 20) times[i]!.push(performance.now() - start);
    }
  }
  return times.map((ms, i) => ({ p99: ms.sort((a, b) => a - b)[Math.ceil(0.99 * ms.length) - 1]!, total: totals[i]! }));
}

for (const [name, q, within] of [
  ['the listing, 1 collection of 100', undefined, one],
  ['the listing, 10 collections of 100', undefined, ten],
  ['a word every asset has (jpg), 1 collection of 100', 'jpg', one],
  ['a rare word (lighthouse), 10 collections of 100', 'lighthouse', ten],
] as const) {
  const whole = SearchQuery.parse({ q });
  const [viewer, library] = await p99s([{ ...whole, within }, whole]);
  report(
    `a viewer's search p99 at ${N} assets: ${name} (${viewer!.total} found, p99 ${viewer!.p99.toFixed(1)} ms; whole library ${library!.total}, p99 ${library!.p99.toFixed(1)} ms)`,
    { label: "viewer's (searches/s at p99)", perSecond: 1000 / viewer!.p99 },
    { label: 'whole library (searches/s at p99)', perSecond: 1000 / library!.p99 },
    0.5,
  );
}
await index.close();
directory.remove();
