import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseSubjects } from '../../log/sealedLog';
import { redactText, updateUserMetadata, type CommandContext } from '../../producers/commands';
import { ingestDirectory } from '../../producers/directory';
import { SearchQuery } from '../../projections/search/searchIndex';
import { engineAvailable } from '../engines/availability';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from '../engines/opensearch';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { openTestLake } from '../support/lake';

const present = engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh');

/**
 * Erasure and redaction as a user sees them in search, through a whole lake
 * on each search backend: the personal fields sealed on the log, `erase`'s
 * key destruction and rebuild, and the redaction event.
 */
function erasureReachesSearch(backend: string, settings: () => Record<string, unknown>) {
  describe(`erasure and redaction reach search: ${backend}`, () => {
    it('finds no asset through an erased creator or person, keeps the rest, and forgets redacted titles', async () => {
      const source = temporaryDirectory();
      for (const name of ['Canon_40D.jpg', 'Nikon_D70.jpg']) copyFileSync(fixture(`jpg/${name}`), join(source.path, name));
      const lake = await openTestLake(settings());
      const context: CommandContext = { log: lake.log, actor: 'editor', source: 'api' };
      const search = async (q: string) => (await lake.search.search(SearchQuery.parse({ q }))).hits.map((hit) => hit.originalName).sort();
      try {
        lake.start();
        await ingestDirectory({ log: lake.log, store: lake.store, actor: 'editor', source: 'cli' }, source.path);
        await lake.waitForIdle({ timeoutMs: 90_000 });
        const { assets } = await lake.records.list({ limit: 10 });
        const idOf = (name: string) => assets.find((asset) => asset.originalName === name)!.assetId;
        await updateUserMetadata(context, idOf('Canon_40D.jpg'), { creator: 'Alice Example', people: ['Alice Example', 'Bob Builder'] });
        await updateUserMetadata(context, idOf('Nikon_D70.jpg'), { title: "Alice's boat" });
        await lake.waitForIdle({ timeoutMs: 30_000 });
        expect(await search('alice')).toEqual(['Canon_40D.jpg', 'Nikon_D70.jpg']);

        // What `medialake erase` does: destroy the key, rebuild from the log, where her name now reads "[erased]".
        expect(await eraseSubjects(lake.log, lake.subjectKeys, ['Alice Example'])).toEqual([true]);
        await lake.projections.rebuildAll(['search']);

        expect(await search('alice')).toEqual(['Nikon_D70.jpg']); // her name in the title is free text: it stays
        expect(await search('example')).toEqual([]);
        expect(await search('erased')).toEqual([]);
        expect(await search('bob builder')).toEqual(['Canon_40D.jpg']);

        await redactText(context, idOf('Nikon_D70.jpg'), ['title']);
        await lake.waitForIdle({ timeoutMs: 30_000 });
        expect(await search('alice')).toEqual([]);
        expect((await lake.records.get(idOf('Nikon_D70.jpg')))!.user).toEqual({ tags: [] });
      } finally {
        await lake.close();
        source.remove();
      }
    }, 180_000);
  });
}

erasureReachesSearch('embedded SQLite FTS5', () => ({}));

describe.skipIf(!present)('on OpenSearch', () => {
  let engine: OpenSearchEngine;
  beforeAll(async () => {
    engine = await startOpenSearch();
  }, 180_000);
  afterAll(() => engine?.stop());

  erasureReachesSearch('OpenSearch 2.19', () => ({
    'search.backend': 'opensearch',
    'search.opensearch.node': engine.node,
    'search.opensearch.index': `erasure-${randomUUID().slice(0, 8)}`,
  }));
});
