import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteAssetRecords } from '../../projections/assets/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { assetRecordsContract } from './assetRecords.contract';
import { ingestedDraft, resultDraft, storedHistory } from '../support/events';

const directory = temporaryDirectory();
afterAll(() => directory.remove());
let n = 0;

assetRecordsContract('embedded SQLite', async () => new SqliteAssetRecords(join(directory.path, `assets-${n++}.db`)));

describe('SQLite asset records', () => {
  it('keep their records and their positions, together, across a reopen', async () => {
    const path = join(directory.path, 'reopened.db');
    const history = await storedHistory(join(directory.path, 'reopened-log.db'), [
      ingestedDraft('asset-a'),
      resultDraft('asset-a', 'UserMetadataUpdated', { title: 'kept' }),
    ]);
    const first = new SqliteAssetRecords(path);
    await first.apply(history);
    const before = { record: await first.get('asset-a'), positions: await first.positions() };
    await first.close();

    const reopened = new SqliteAssetRecords(path);
    try {
      expect(await reopened.get('asset-a')).toEqual(before.record);
      expect(before.record).toMatchObject({ version: 2, user: { title: 'kept' } });
      expect(await reopened.positions()).toEqual({ '0': history.at(-1)!.offset });
    } finally {
      await reopened.close();
    }
  });
});
