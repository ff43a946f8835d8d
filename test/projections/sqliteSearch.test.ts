import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSearchIndex } from '../../projections/search/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { applyInBatches, HOLIDAY, mediaHistory, parse, searchHistory, searchIndexContract, unscored, WORK } from './search.contract';
import { readers, rebuilderContract } from './rebuilder.contract';
import { RebuildableSqliteSearchIndex } from '../../projections/lifecycle/rebuildableSqliteStores';
import { SEARCH_INDEX } from '../../projections/registry';
import { SearchQuery, type SearchIndexOptions } from '../../projections/search/searchIndex';
import { ingestedDraft, resultDraft, storedHistory } from '../support/events';

const directory = temporaryDirectory();
afterAll(() => directory.remove());
let n = 0;

searchIndexContract('embedded SQLite FTS5', async (options) => new SqliteSearchIndex(join(directory.path, `search-${n++}.db`), options));

rebuilderContract('embedded SQLite (search index)', {
  async open() {
    const data = mkdtempSync(join(directory.path, 'data-'));
    const store = new RebuildableSqliteSearchIndex({ directory: data, definition: SEARCH_INDEX, open: (path) => new SqliteSearchIndex(path) });
    // search.db is the initial generation, search.GENERATION.db every later one.
    const generations = async () =>
      readdirSync(data).flatMap((file) => file.match(/^search(?:\.(.+))?\.db$/)?.slice(1).map((g) => g ?? 'initial') ?? []).sort();
    return { store, generations };
  },
  read: readers.searchIndex,
});

describe('an embedded index of an earlier version', () => {
  /** The index as version 2 left it: five text columns, no video and audio columns, records without document text. */
  function downgrade(path: string) {
    const db = new Database(path);
    db.exec(`DROP INDEX search_assets_listing; DROP INDEX search_assets_listing_by_type;
      DROP INDEX search_assets_listing_by_make; DROP INDEX search_assets_listing_by_model;
      ALTER TABLE search_assets DROP COLUMN duration; ALTER TABLE search_assets DROP COLUMN duration_bucket;
      ALTER TABLE search_assets DROP COLUMN resolution; ALTER TABLE search_assets DROP COLUMN video_codec;
      ALTER TABLE search_assets DROP COLUMN audio_codec;
      DROP TABLE search_text;
      CREATE VIRTUAL TABLE search_text USING fts5(name, title, tags, description, camera);
      UPDATE search_assets SET record = json_remove(record, '$.documentText');
      INSERT INTO search_text (rowid, name, title, tags, description, camera) SELECT rowid, name, title, '', '', '' FROM search_assets WHERE live = 1;`);
    db.close();
  }

  it('opens with this version\'s columns, filled from the records it holds, and answers as a fresh one does', async () => {
    const history = await mediaHistory();
    const [path, freshPath] = [join(directory.path, 'v2.db'), join(directory.path, 'v3.db')];
    const old = new SqliteSearchIndex(path);
    await applyInBatches(old, history);
    await old.close();
    downgrade(path);
    const fresh = new SqliteSearchIndex(freshPath);
    await applyInBatches(fresh, history);

    const upgraded = new SqliteSearchIndex(path);
    try {
      for (const query of [{ limit: 100 }, { q: 'alice' }, { codec: 'aac' }, { resolution: 'uhd' as const }, { q: 'mp4', minDuration: 2 }]) {
        // Scores aside: bm25 weighs each document's length against the average, which the document text changes.
        expect(unscored(await upgraded.search(parse(query))), JSON.stringify(query)).toEqual(unscored(await fresh.search(parse(query))));
      }
      // The record held no document text before this version: it comes with a rebuild from the log.
      expect((await upgraded.search(parse({ q: 'cormorants' }))).total).toBe(0);
      expect(await upgraded.positions()).toEqual(await fresh.positions());
    } finally {
      await Promise.all([upgraded.close(), fresh.close()]);
    }
  }, 60_000);
});

/** Two files of the same history: one for a test to make older by hand, and a fresh one to compare it with. */
async function indexedTwice(name: string): Promise<[string, string]> {
  const paths: [string, string] = [join(directory.path, `${name}-before.db`), join(directory.path, `${name}-fresh.db`)];
  for (const file of paths) {
    const index = new SqliteSearchIndex(file);
    await applyInBatches(index, searchHistory());
    await index.close();
  }
  return paths;
}

describe("an embedded index whose memberships have no dates (before collections were listed by them)", () => {
  it("gets its members' dates, drops deleted assets' memberships, and lists each collection as a fresh index does", async () => {
    const [path, freshPath] = await indexedTwice('memberships');
    const db = new Database(path);
    db.exec(`DROP INDEX search_memberships_listing;
      CREATE TABLE older (collection_id TEXT NOT NULL, asset_rowid INTEGER NOT NULL, PRIMARY KEY (collection_id, asset_rowid)) WITHOUT ROWID;
      INSERT INTO older SELECT collection_id, asset_rowid FROM search_memberships;
      -- Memberships were kept for deleted assets too.
      INSERT INTO older SELECT '${HOLIDAY}', rowid FROM search_assets WHERE asset_id = 'nikon-d70';
      DROP TABLE search_memberships;
      ALTER TABLE older RENAME TO search_memberships;
      CREATE INDEX search_memberships_by_asset ON search_memberships (asset_rowid);`);
    db.close();

    const [upgraded, fresh] = [new SqliteSearchIndex(path), new SqliteSearchIndex(freshPath)];
    try {
      for (const query of [{ collection: HOLIDAY }, { collection: WORK, limit: 1 }, { collection: HOLIDAY, type: 'image' as const }, { within: [HOLIDAY] }, { q: 'jpg', collection: HOLIDAY }]) {
        expect(unscored(await upgraded.search(parse(query))), JSON.stringify(query)).toEqual(unscored(await fresh.search(parse(query))));
      }
      expect((await upgraded.search(parse({ collection: HOLIDAY }))).total).toBe(2);
    } finally {
      await Promise.all([upgraded.close(), fresh.close()]);
    }
  });
});

describe('an embedded index without filter keys (before makes, models and codecs were compared case folded)', () => {
  it('gets the keys of every asset it holds, and its make and model listings by them, and filters as a fresh index does', async () => {
    const [path, freshPath] = await indexedTwice('keys');
    const db = new Database(path);
    db.exec(`DROP INDEX search_assets_listing_by_make; DROP INDEX search_assets_listing_by_model;
      ALTER TABLE search_assets DROP COLUMN make_key; ALTER TABLE search_assets DROP COLUMN model_key;
      ALTER TABLE search_assets DROP COLUMN video_codec_key; ALTER TABLE search_assets DROP COLUMN audio_codec_key;
      CREATE INDEX search_assets_listing_by_make ON search_assets (lower(make), date DESC, asset_id) WHERE live = 1;
      CREATE INDEX search_assets_listing_by_model ON search_assets (lower(model), date DESC, asset_id) WHERE live = 1;`);
    db.close();

    const [upgraded, fresh] = [new SqliteSearchIndex(path), new SqliteSearchIndex(freshPath)];
    try {
      for (const query of [{ make: 'CANON' }, { model: 'canon eos 40d' }, { q: 'jpg', make: 'fujifilm' }, { make: 'nikon', limit: 1 }]) {
        expect(unscored(await upgraded.search(parse(query))), JSON.stringify(query)).toEqual(unscored(await fresh.search(parse(query))));
      }
      expect((await upgraded.search(parse({ make: 'CANON' }))).total).toBe(3);
    } finally {
      await Promise.all([upgraded.close(), fresh.close()]);
    }
    const indexed = new Database(path, { readonly: true });
    expect(indexed.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_assets_listing_by_make'").pluck().get()).toContain('make_key');
    indexed.close();
  });
});

describe('SQLite FTS5 ranking', () => {
  /** The same word in a description, a title and tags, in that order of ingest, after `older` assets with it in their titles. */
  async function harbours(name: string, older: number, options?: SearchIndexOptions) {
    const index = new SqliteSearchIndex(join(directory.path, `${name}.db`), options);
    const olderTitles = Array.from({ length: older }, (_, n) => [
      ingestedDraft(`older-${n}`),
      resultDraft(`older-${n}`, 'UserMetadataUpdated', { title: 'Harbour' }),
    ]);
    await index.apply(
      await storedHistory(join(directory.path, `${name}-log.db`), [
        ...olderTitles.flat(),
        ingestedDraft('in-description'),
        resultDraft('in-description', 'UserMetadataUpdated', { description: 'boats in the harbour at dawn' }),
        ingestedDraft('in-title'),
        resultDraft('in-title', 'UserMetadataUpdated', { title: 'Harbour' }),
        ingestedDraft('in-tags'),
        resultDraft('in-tags', 'UserMetadataUpdated', { tags: ['harbour'] }),
      ]),
    );
    return index;
  }

  it('ranks a title match above a tag match, and a tag match above a description match', async () => {
    const index = await harbours('ranking', 0);
    try {
      const { hits } = await index.search(SearchQuery.parse({ q: 'harbour' }));
      expect(hits.map((hit) => hit.assetId)).toEqual(['in-title', 'in-tags', 'in-description']);
    } finally {
      await index.close();
    }
  });

  it('past the exact limit, ranks the newest matches alike, without bm25 and its count of every match', async () => {
    const index = await harbours('window', 2, { exactLimit: 3 });
    try {
      const result = await index.search(SearchQuery.parse({ q: 'harbour' }));
      expect(result.hits.map((hit) => hit.assetId)).toEqual(['in-title', 'in-tags', 'in-description']);
      expect(result).toMatchObject({ total: 3, totalRelation: 'gte' });
    } finally {
      await index.close();
    }
  });
});
