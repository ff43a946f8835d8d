import { randomUUID } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe } from 'vitest';
import { ingestDirectory } from '../../producers/directory';
import { openSearchPresent, startOpenSearch } from '../engines/opensearch';
import { engineAvailable } from '../engines/availability';
import { TINY_CLIP, fixture } from './fixtures';
import { ingestContext, openTestLake } from './lake';

/** Where search and vectors live: the lake settings for one backend, and how to stop its engine. */
export type SearchBackend = () => Promise<{ settings: Record<string, unknown>; stop(): Promise<void> }>;

const embedded: SearchBackend = async () => ({ settings: {}, stop: async () => {} });

const onOpenSearch =
  (indexPrefix: string): SearchBackend =>
  async () => {
    const engine = await startOpenSearch();
    const index = `${indexPrefix}-${randomUUID().slice(0, 8)}`;
    return {
      settings: { 'search.backend': 'opensearch', 'search.opensearch.node': engine.node, 'search.opensearch.index': index },
      stop: () => engine.stop(),
    };
  };

/** Defines a suite once per search backend: embedded, and on OpenSearch (its indices named from `indexPrefix`). */
export function forEachSearchBackend(indexPrefix: string, suite: (name: string, backend: SearchBackend) => void): void {
  suite('embedded', embedded);
  describe.skipIf(!engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh'))('on OpenSearch', () => {
    suite('OpenSearch', onOpenSearch(indexPrefix));
  });
}

/**
 * Real photos (file name → fixture path, one of them canon.jpg) in a folder,
 * with two copies of canon.jpg (smaller, and as WebP) for near-duplicates,
 * and notes.txt holding `notes`.
 */
export async function photosWithCopies(folder: string, photos: Record<string, string>, notes: string): Promise<void> {
  for (const [name, source] of Object.entries(photos)) copyFileSync(fixture(source), join(folder, name));
  const canon = readFileSync(fixture(photos['canon.jpg']!));
  await sharp(canon).resize({ width: 200 }).jpeg({ quality: 60 }).toFile(join(folder, 'canon-small.jpg'));
  await sharp(canon).webp({ quality: 50 }).toFile(join(folder, 'canon.webp'));
  writeFileSync(join(folder, 'notes.txt'), `${notes}\n`);
}

/** A started lake with the tiny CLIP model on `settings`' backends, that has ingested a folder and caught up; its asset ids by file name. */
export async function tinyClipLake(folder: string, settings: Record<string, unknown>) {
  const lake = await openTestLake({ 'embeddings.model': TINY_CLIP, 'embeddings.offline': true, 'embeddings.batchSize': 4, ...settings });
  lake.start();
  await ingestDirectory(ingestContext(lake), folder);
  await lake.waitForIdle({ timeoutMs: 60_000 });
  const ids = new Map((await lake.records.list({ limit: 50 })).assets.map((asset) => [asset.originalName, asset.assetId]));
  return { lake, ids };
}
