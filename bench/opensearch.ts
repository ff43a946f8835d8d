/**
 * OpenSearch bulk indexing: documents/s written through the search projection
 * (OpenSearchSearchIndex.apply on batches of events: alias lookup, one mget
 * where the records are not its own latest writes, the fold, a versioned bulk
 * with retry of partial failures, the checkpoint) in batches of the store's
 * batchSize, as a rebuild writes them and a live consumer drains a backlog,
 * vs the client's bulk helper (client.helpers.bulk, its defaults: 5 MB
 * requests, 5 in flight) writing the same documents, with the same external
 * versions, into an index made from the same template. One node, started
 * here (test/engines/opensearch.ts), for both sides.
 *
 *   node --import tsx bench/opensearch.ts     (BENCH_ASSETS=3000 by default)
 */
import { Client } from '@opensearch-project/opensearch';
import { foldAsset, type AssetRecord } from '../projections/assetRecord';
import { OpenSearchSearchIndex, indexDocument } from '../projections/search/opensearch';
import { draft, type StoredEvent } from '../schemas/envelope';
import type { EventType, PayloadOf } from '../schemas/events';
import { derivedEventId } from '../schemas/ids';
import { startOpenSearch } from '../test/engines/opensearch';
import { REBUILD_BATCH_SIZE } from '../projections/lifecycle/rebuild';
import { compare, rate } from './report';

const ASSETS = Number(process.env.BENCH_ASSETS ?? 3000);
/** A rebuild's batches (projections/lifecycle/rebuild.ts), and the most a live consumer of the store takes (ProjectionStore.batchSize). */
const BATCH = REBUILD_BATCH_SIZE;
const CAMERAS = [
  ['Canon', 'Canon EOS 40D'],
  ['NIKON CORPORATION', 'NIKON D70'],
  ['FUJIFILM', 'FinePix E500'],
  ['PENTAX Corporation', 'PENTAX K10D'],
  ['SONY', 'HDR-HC3'],
] as const;
const WORDS = ['harbour', 'dawn', 'boats', 'picnic', 'lighthouse', 'market', 'family', 'mountain', 'river', 'street'];

// The harness gives the node 1 GB; two cores shared with others take less.
process.env.MEDIALAKE_OPENSEARCH_JAVA_OPTS ??= '-Xms512m -Xmx768m';

/**
 * A log as an ingest produces it: each asset ingested, its metadata and two
 * renditions a little later, a user edit for one in five, interleaved with the
 * assets ingested meanwhile.
 */
function history(): StoredEvent[] {
  const timed: { at: number; event: Omit<StoredEvent, 'offset'> }[] = [];
  const versions = new Map<string, number>();
  const add = <T extends EventType>(at: number, type: T, assetId: string, payload: PayloadOf<T>) => {
    const assetVersion = (versions.get(assetId) ?? 0) + 1;
    versions.set(assetId, assetVersion);
    const event = draft(type, {
      id: derivedEventId(assetId, assetVersion),
      assetId,
      actor: 'bench',
      source: 'cli',
      correlationId: assetId,
      causationId: null,
      payload,
      time: new Date(Date.UTC(2024, 0, 1) + at * 1000).toISOString(),
    } as never);
    timed.push({ at, event: { ...event, assetVersion, partition: '0' } as Omit<StoredEvent, 'offset'> });
  };
  for (let i = 0; i < ASSETS; i++) {
    const assetId = `asset-${i}`;
    const sha256 = derivedEventId(assetId).replaceAll('-', '').padEnd(64, '0');
    const [make, model] = CAMERAS[i % CAMERAS.length]!;
    const size = 1_000_000 + i * 37;
    add(i, 'AssetIngested', assetId, {
      objectKey: `originals/${assetId}/original.jpg`,
      originalName: `DCIM/IMG_${String(i).padStart(5, '0')} ${WORDS[i % WORDS.length]}.jpg`,
      mediaType: 'image',
      mimeType: 'image/jpeg',
      size,
      sha256,
      origin: { kind: 'directory', path: `/media/${assetId}.jpg` },
    });
    const capturedAt = `20${String(10 + (i % 14)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}T12:00:00`;
    add(i + 40, 'TechnicalMetadataExtracted', assetId, { format: 'jpeg', width: 4000, height: 3000, make, model, capturedAt, sha256, size, warnings: [] });
    for (const [name, width, delay] of [['thumbnail', 256, 90], ['proxy', 1280, 110]] as const) {
      add(i + delay, 'RenditionCreated', assetId, { name, objectKey: `renditions/${assetId}/${name}.webp`, mimeType: 'image/webp', width, height: width * 0.75, size: width * 40, watermarked: false });
    }
    if (i % 5 === 0) add(i + 600, 'UserMetadataUpdated', assetId, { title: `${WORDS[(i / 5) % WORDS.length]} at dawn`, tags: [WORDS[i % 7]!] });
  }
  return timed.sort((a, b) => a.at - b.at).map(({ event }, offset) => ({ ...event, offset: String(offset) }) as StoredEvent);
}

/** The documents the projection writes for batches of `batch` events, in order: each changed record once per batch. */
function documentsOf(events: StoredEvent[], batch: number): AssetRecord[] {
  const records = new Map<string, AssetRecord>();
  const written: AssetRecord[] = [];
  for (let i = 0; i < events.length; i += batch) {
    const changed = new Map<string, AssetRecord>();
    for (const event of events.slice(i, i + batch)) {
      const record = foldAsset(records.get(event.assetId), event);
      if (!record) continue;
      records.set(event.assetId, record);
      changed.set(event.assetId, record);
    }
    written.push(...changed.values());
  }
  return written;
}

const engine = await startOpenSearch();
const client = new Client({ node: engine.node, requestTimeout: 60_000, maxRetries: 2 });
const events = history();
let run = 0;
const open = () => OpenSearchSearchIndex.open({ node: engine.node, index: `bench-${run++}`, vectorDimensions: 512, refresh: false });

async function throughProjection(batch: number): Promise<number> {
  const search = await open();
  const perSecond = await rate(documentsOf(events, batch).length, async () => {
    for (let i = 0; i < events.length; i += batch) await search.apply(events.slice(i, i + batch));
  });
  await search.close();
  return perSecond;
}

async function bulkHelper(documents: AssetRecord[]): Promise<number> {
  const search = await open(); // an index made from the same template
  const index = `bench-${run - 1}-initial`;
  const failed: string[] = [];
  const perSecond = await rate(documents.length, async () => {
    await client.helpers.bulk({
      datasource: documents.map(indexDocument),
      onDocument: (doc) => ({ index: { _index: index, _id: doc.assetId, version: doc.record.version, version_type: 'external' } }),
      // Requests in flight together may land an asset's newer version first: the older one is refused (409), as it should.
      onDrop: ({ status, error }) => status !== 409 && failed.push(`${status} ${error.type}`),
    });
  });
  if (failed.length) throw new Error(`the bulk helper dropped ${failed.length} documents: ${failed[0]}`);
  await search.close();
  return perSecond;
}

try {
  const documents = documentsOf(events, BATCH);
  console.log(`${events.length} events of ${ASSETS} assets: ${documents.length} documents in batches of ${BATCH}`);
  // The node's JIT warms up on both paths before anything is measured.
  await bulkHelper(documents);
  await throughProjection(BATCH);
  await compare(
    `OpenSearch indexing, documents/s, batches of ${BATCH} as a rebuild and a live consumer with a backlog write them (searchable within the 1 s refresh interval)`,
    { label: 'OpenSearchSearchIndex.apply', run: () => throughProjection(BATCH) },
    { label: 'client.helpers.bulk, same documents', run: () => bulkHelper(documents) },
    0.8,
  );
} finally {
  await client.close();
  await engine.stop();
}
