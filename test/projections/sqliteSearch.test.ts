import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSearchIndex } from '../../projections/search/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { searchIndexContract } from './search.contract';
import { SearchQuery } from '../../projections/search/searchIndex';
import { ingestedDraft, resultDraft, storedHistory } from '../support/events';

const directory = temporaryDirectory();
afterAll(() => directory.remove());
let n = 0;

searchIndexContract('embedded SQLite FTS5', async () => new SqliteSearchIndex(join(directory.path, `search-${n++}.db`)));

describe('SQLite FTS5 ranking', () => {
  it('ranks a title match above a tag match, and a tag match above a description match', async () => {
    const index = new SqliteSearchIndex(join(directory.path, 'ranking.db'));
    const history = await storedHistory(join(directory.path, 'ranking-log.db'), [
      ingestedDraft('in-description'),
      resultDraft('in-description', 'UserMetadataUpdated', { description: 'boats in the harbour at dawn' }),
      ingestedDraft('in-title'),
      resultDraft('in-title', 'UserMetadataUpdated', { title: 'Harbour' }),
      ingestedDraft('in-tags'),
      resultDraft('in-tags', 'UserMetadataUpdated', { tags: ['harbour'] }),
    ]);
    try {
      await index.apply(history);
      const { hits } = await index.search(SearchQuery.parse({ q: 'harbour' }));
      expect(hits.map((hit) => hit.assetId)).toEqual(['in-title', 'in-tags', 'in-description']);
    } finally {
      await index.close();
    }
  });
});
