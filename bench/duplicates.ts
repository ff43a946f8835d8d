/**
 * Duplicate groups at scale: what the projection costs per asset (its
 * AssetIngested and PerceptualHashComputed, fed straight into the projection
 * in batches of 256 events, the live consumers' largest; no image processing)
 * when it holds 1,000,000 assets vs when it holds 10,000. Hashes are random
 * 64-bit values, except one asset in ten, a near-copy (0–6 bits flipped) of
 * an earlier asset of the same projection, so that both sizes group as many
 * of their new assets. Both stores are filled first (not measured), with a
 * rebuild's settings; the measured batches run with the live settings. The
 * ratio is cost(10,000) / cost(1,000,000): 1 means the cost per asset does
 * not grow with the lake. A second comparison times the lookup of close
 * hashes alone (projections/duplicates/memoryHashes.ts) in indexes of both
 * sizes, to tell its growth from SQLite's. BENCH_ASSETS changes the large size.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { hashHalves } from '../projections/duplicates/duplicateGroups';
import { MemoryHashes } from '../projections/duplicates/memoryHashes';
import { SqliteDuplicateGroups } from '../projections/duplicates/sqlite';
import { currentVersions } from '../schemas/events';
import type { StoredEvent } from '../schemas/envelope';
import { temporaryDirectory } from '../test/support/fixtures';
import { randomStream } from '../test/support/randomStream';
import { compare, rate } from './report';

const LARGE = Number(process.env.BENCH_ASSETS ?? 1_000_000);
const SMALL = 10_000;
const MEASURED = 5_000;
const BATCH_ASSETS = 128;
const NEAR_COPY_SHARE = 0.1;
const LOOKUPS = 20_000;

const random32 = randomStream();

/** A new hash for a library of `issued` (every hash handed out to it so far, so that near-copies can copy one), added to it. */
function nextHash(issued: [number, number][]): string {
  let [high, low] = [random32(), random32()];
  if (issued.length > 0 && random32() / 2 ** 32 < NEAR_COPY_SHARE) {
    [high, low] = issued[random32() % issued.length]!;
    for (let flips = random32() % 7; flips > 0; flips--) {
      const bit = random32() % 64;
      if (bit < 32) high ^= 1 << bit;
      else low ^= 1 << (bit - 32);
    }
  }
  issued.push([high >>> 0, low >>> 0]);
  const hex = (half: number) => (half >>> 0).toString(16).padStart(8, '0');
  return hex(high) + hex(low);
}

let offset = 0;
let assets = 0;

/** An asset's two events as the log would hand them over; ids are content hashes, as ingest makes them. */
function assetEvents(issued: [number, number][]): StoredEvent[] {
  const n = assets++;
  const assetId = `a${createHash('sha256').update(String(n)).digest('hex').slice(0, 32)}`;
  const envelope = (assetVersion: number, source: string) => ({
    id: randomUUID(),
    assetId,
    assetVersion,
    time: '2026-01-01T00:00:00.000Z',
    actor: 'medialake',
    source,
    correlationId: `c${n}`,
    causationId: null,
    partition: '0',
    offset: String(offset++),
  });
  return [
    {
      ...envelope(1, 'cli'),
      type: 'AssetIngested',
      schemaVersion: currentVersions.AssetIngested,
      payload: {
        objectKey: `originals/${assetId}/original.jpg`,
        originalName: `photos/IMG_${n}.jpg`,
        mediaType: 'image',
        mimeType: 'image/jpeg',
        size: 1_000_000 + n,
        sha256: n.toString(16).padStart(64, '0'),
        origin: { kind: 'upload' },
      },
    },
    {
      ...envelope(2, 'processor:perceptual-hash@2'),
      type: 'PerceptualHashComputed',
      schemaVersion: currentVersions.PerceptualHashComputed,
      payload: { algorithm: 'dhash', hash: nextHash(issued) },
    },
  ] as StoredEvent[];
}

/** A projection and the hashes its assets were given. */
interface Library {
  store: SqliteDuplicateGroups;
  issued: [number, number][];
}

async function applyAssets({ store, issued }: Library, count: number, batchAssets: number): Promise<void> {
  for (let done = 0; done < count; done += batchAssets) {
    const batch: StoredEvent[] = [];
    for (let i = done; i < Math.min(count, done + batchAssets); i++) batch.push(...assetEvents(issued));
    await store.apply(batch);
  }
}

async function filled(path: string, count: number): Promise<Library> {
  const library = { store: new SqliteDuplicateGroups(path), issued: [] };
  library.store.building(true);
  const perSecond = await rate(count, () => applyAssets(library, count, 2_000));
  library.store.building(false);
  console.log(`  filled ${count} assets at ${perSecond.toFixed(0)} assets/s`);
  return library;
}

const directory = temporaryDirectory('medialake-bench-');
const small = await filled(join(directory.path, 'small.db'), SMALL);
const large = await filled(join(directory.path, 'large.db'), LARGE);
const measured = (library: Library) => () => rate(MEASURED, () => applyAssets(library, MEASURED, BATCH_ASSETS));
await compare(
  `duplicate groups: apply cost per asset with ${LARGE} assets vs ${SMALL} (ingest + hash, ${NEAR_COPY_SHARE * 100}% near-copies)`,
  { label: `assets/s into a projection of ${LARGE}`, run: measured(large) },
  { label: `assets/s into a projection of ${SMALL}`, run: measured(small) },
  0.67,
);
await Promise.all([small.store.close(), large.store.close()]);
directory.remove();

/** An index of the large library's first `size` hashes, and lookups whose near-copies copy one of those. */
function lookupsAmong(size: number): () => Promise<number> {
  const hashes = large.issued.slice(0, size);
  const index = new MemoryHashes();
  hashes.forEach((hash, row) => index.set(`r${row}`, hash));
  return () => rate(LOOKUPS, () => {
    for (let i = 0; i < LOOKUPS; i++) index.close(hashHalves(nextHash(hashes)), '');
  });
}
await compare(
  `close-hash lookups in an index of ${LARGE} hashes vs ${SMALL}`,
  { label: `lookups/s among ${LARGE}`, run: lookupsAmong(LARGE) },
  { label: `lookups/s among ${SMALL}`, run: lookupsAmong(SMALL) },
);
