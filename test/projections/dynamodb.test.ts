import { join } from 'node:path';
import { CreateTableCommand, ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { newGeneration } from '../../projections/lifecycle/generations';
import { ASSET_RECORDS } from '../../projections/registry';
import { DynamoDbAssetRecords } from '../../projections/assets/dynamodb';
import { DynamoDbTableMissingError, tableDefinition } from '../../projections/assets/dynamodbTable';
import { ListingIndexMissingError } from '../../projections/assets/assetRecords';
import { SqliteAssetRecords } from '../../projections/assets/sqlite';
import type { AssetRecords } from '../../projections/assets/assetRecords';
import { startDynamoDb, type DynamoDbEngine } from '../engines/dynamodb';
import { editDraft, ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { applyInBatches, assetHistory, assetRecordsContract } from './assetRecords.contract';
import { readers, rebuilderContract } from './rebuilder.contract';

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

/** The generations of a table: TABLE itself (the initial one) and TABLE-GENERATION, beside TABLE-generations (the pointer). */
async function generationsOf(table: string): Promise<string[]> {
  const client = new DynamoDBClient(engine.client);
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  client.destroy();
  return TableNames.flatMap((name) =>
    name === table ? ['initial'] : name.startsWith(`${table}-`) && name !== `${table}-generations` ? [name.slice(table.length + 1)] : [],
  ).sort();
}

rebuilderContract('DynamoDB (dynalite)', {
  async open() {
    const table = `medialake-assets-${n++}`;
    return { store: await DynamoDbAssetRecords.open({ ...engine.client, table }), generations: () => generationsOf(table) };
  },
  read: readers.assetRecords,
});

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

  it('says to rebuild when a table made before the listing by capture date is asked for it, and lists by ingest date as before', async () => {
    const table = `medialake-assets-${n++}`;
    const definition = tableDefinition(table);
    const client = new DynamoDBClient(engine.client);
    await client.send(new CreateTableCommand({ ...definition, GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes!.filter((index) => index.IndexName !== 'byCapture') }));
    client.destroy();
    const records = await DynamoDbAssetRecords.open({ ...engine.client, table });
    await applyInBatches(records, assetHistory());

    expect((await records.list({ limit: 10 })).assets.map((asset) => asset.assetId)).toEqual(['photo-2', 'scan-1', 'photo-1']);
    const listing = records.list({ limit: 10, sort: 'captured' });
    await expect(listing).rejects.toBeInstanceOf(ListingIndexMissingError);
    await expect(listing).rejects.toThrow(`DynamoDB table ${table} has no byCapture index (it was made by an older version): rebuild the asset records with \`medialake projections rebuild assets\``);
    await records.close();
  });

  it('says how to fix a missing table when it may not create one', async () => {
    const opening = DynamoDbAssetRecords.open({ ...engine.client, table: 'no-such-table', createTable: false });
    await expect(opening).rejects.toBeInstanceOf(DynamoDbTableMissingError);
    // The table that names the live generation first: it says which table holds the records.
    await expect(opening).rejects.toThrow(/no-such-table-generations does not exist: create it as .*dynamodbLivePointer.ts \(key pk, a string\) describes, or set records.dynamodb.createTable/);
  });

  // What a rebuild does is the Rebuilder contract's (above); here, what DynamoDB adds: hosts that find the live table by a pointer.
  it('keeps serving a host that does not rebuild, and moves it to the new table', async () => {
    const table = `medialake-assets-${n++}`;
    const log = new SqliteEventLog({ path: join(directory.path, 'hosts.db'), sync: 'normal' });
    for (let i = 0; i < 30; i++) await log.append([ingestedDraft(`asset-${i}`), editDraft(`asset-${i}`, `title ${i}`)]);
    const records = await DynamoDbAssetRecords.open({ ...engine.client, table });
    const otherHost = await DynamoDbAssetRecords.open({ ...engine.client, table, createTable: false });
    for await (const batch of log.readAll()) await records.apply(batch);
    const all = async (store: AssetRecords) => (await store.list({ limit: 100, includeDeleted: true })).assets;
    const before = await all(otherHost);
    const answers: Promise<unknown>[] = [];

    const done = await records.rebuild(log, {
      generation: newGeneration(ASSET_RECORDS.version),
      batchSize: 7,
      catchUpTimeoutMs: 30_000,
      onProgress: () => void answers.push(all(otherHost)),
    });

    for (const answer of await Promise.all(answers)) expect(answer).toEqual(before);
    await records.apply(await log.append([editDraft('asset-7', 'after the rebuild')]));
    expect(await otherHost.get('asset-7')).toMatchObject({ user: { title: 'after the rebuild' } });
    expect(await otherHost.live()).toEqual(done);
    await Promise.all([log.close(), records.close(), otherHost.close()]);
  });

  it('leaves the first table to the infrastructure that made it when it may not create tables', async () => {
    const table = `medialake-assets-${n++}`;
    await (await DynamoDbAssetRecords.open({ ...engine.client, table })).close(); // what the infrastructure provisions
    const log = new SqliteEventLog({ path: join(directory.path, 'owned.db'), sync: 'normal' });
    await log.append([ingestedDraft('asset-1')]);
    const records = await DynamoDbAssetRecords.open({ ...engine.client, table, createTable: false });

    const done = await records.rebuild(log, { generation: newGeneration(ASSET_RECORDS.version), batchSize: 7, catchUpTimeoutMs: 30_000, onProgress: () => undefined });

    expect(done.generation).not.toBe('initial');
    expect(await records.get('asset-1')).toMatchObject({ assetId: 'asset-1' });
    const client = new DynamoDBClient(engine.client);
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    client.destroy();
    expect(TableNames).toContain(table);
    await Promise.all([log.close(), records.close()]);
  });
});
