import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAssetRecords, DynamoDbTableMissingError } from '../../projections/assets/dynamodb';
import { SqliteAssetRecords } from '../../projections/assets/sqlite';
import type { AssetRecords } from '../../projections/assets/assetRecords';
import { startDynamoDb, type DynamoDbEngine } from '../engines/dynamodb';
import { temporaryDirectory } from '../support/fixtures';
import { applyInBatches, assetHistory, assetRecordsContract } from './assetRecords.contract';

let engine: DynamoDbEngine;
let n = 0;
const directory = temporaryDirectory();

beforeAll(async () => {
  engine = await startDynamoDb();
});
afterAll(async () => {
  await engine?.stop();
  directory.remove();
});

/** A fresh, empty store: a table of its own, created from config. */
const openTable = () => DynamoDbAssetRecords.open({ ...engine.client, table: `medialake-assets-${n++}` });

assetRecordsContract('DynamoDB (dynalite)', openTable);

describe('DynamoDB asset records', () => {
  /** Everything a reader can ask a store, for comparing two stores. */
  async function everything(records: AssetRecords) {
    const ids = ['photo-1', 'photo-2', 'scan-1', 'clip-1'];
    return {
      records: await Promise.all(ids.map((id) => records.get(id))),
      page: await records.list({ limit: 10, includeDeleted: true }),
      counts: await records.countByStatus(),
      duplicates: await records.findBySha256('a'.repeat(64)),
    };
  }

  it('holds the same records as the SQLite projection for the same events', async () => {
    const dynamo = await openTable();
    const sqlite = new SqliteAssetRecords(join(directory.path, 'same.db'));
    await applyInBatches(dynamo, assetHistory(), 4);
    await applyInBatches(sqlite, assetHistory(), 2);

    expect(await everything(dynamo)).toEqual(await everything(sqlite));
    await Promise.all([dynamo.close(), sqlite.close()]);
  });

  it('ends with the newest records when two members apply the same history at once (a lease handover)', async () => {
    const table = `medialake-assets-${n++}`;
    const [one, two] = await Promise.all([
      DynamoDbAssetRecords.open({ ...engine.client, table }),
      DynamoDbAssetRecords.open({ ...engine.client, table }),
    ]);
    const alone = await openTable();
    await applyInBatches(alone, assetHistory());

    await Promise.all([applyInBatches(one, assetHistory(), 2), applyInBatches(two, assetHistory(), 5)]);

    expect(await everything(one)).toEqual(await everything(alone));
    await Promise.all([one.close(), two.close(), alone.close()]);
  });

  it('opens an existing table as it is, keeping its records', async () => {
    const first = await openTable();
    await applyInBatches(first, assetHistory());
    const table = `medialake-assets-${n - 1}`;

    const again = await DynamoDbAssetRecords.open({ ...engine.client, table, createTable: false });

    expect(await again.get('photo-1')).toMatchObject({ status: 'ready', version: 5 });
    expect(await again.positions()).toEqual(await first.positions());
    await Promise.all([first.close(), again.close()]);
  });

  it('says how to fix a missing table when it may not create one', async () => {
    const opening = DynamoDbAssetRecords.open({ ...engine.client, table: 'no-such-table', createTable: false });
    await expect(opening).rejects.toBeInstanceOf(DynamoDbTableMissingError);
    await expect(opening).rejects.toThrow(/no-such-table does not exist: create it .* or set records.dynamodb.createTable/);
  });
});
