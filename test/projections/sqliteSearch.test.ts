import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSearchIndex } from '../../projections/search/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { searchIndexContract } from './search.contract';
import { SearchQuery, type SearchIndexOptions } from '../../projections/search/searchIndex';
import { ingestedDraft, resultDraft, storedHistory } from '../support/events';

const directory = temporaryDirectory();
afterAll(() => directory.remove());
let n = 0;

searchIndexContract('embedded SQLite FTS5', async (options) => new SqliteSearchIndex(join(directory.path, `search-${n++}.db`), options));

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
