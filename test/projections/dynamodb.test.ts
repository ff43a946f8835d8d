import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { ProjectionLifecycle } from '../../projections/lifecycle/lifecycle';
import { runProjection } from '../../projections/projection';
import { DynamoDbAssetRecords } from '../../projections/assets/dynamodb';
import { DynamoDbTableMissingError } from '../../projections/assets/dynamodbTable';
import { SqliteAssetRecords } from '../../projections/assets/sqlite';
import type { AssetRecords } from '../../projections/assets/assetRecords';
import { startDynamoDb, type DynamoDbEngine } from '../engines/dynamodb';
import { editDraft, ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { waitFor } from '../support/waitFor';
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
    // The table that names the live generation first: it says which table holds the records.
    await expect(opening).rejects.toThrow(/no-such-table-generations does not exist: create it as .*dynamodbLivePointer.ts \(key pk, a string\) describes, or set records.dynamodb.createTable/);
  });

  it('rebuilds into a new table beside the live one, which keeps serving every host, then switches them all and deletes the old table', async () => {
    const table = `medialake-assets-${n++}`;
    const log = new SqliteEventLog({ path: join(directory.path, 'rebuild.db'), sync: 'normal' });
    for (let i = 0; i < 30; i++) await log.append([ingestedDraft(`asset-${i}`), editDraft(`asset-${i}`, `title ${i}`)]);
    await log.append([resultDraft('asset-3', 'AssetDeleted', {})]);
    const records = await DynamoDbAssetRecords.open({ ...engine.client, table });
    const otherHost = await DynamoDbAssetRecords.open({ ...engine.client, table, createTable: false });
    const live = runProjection(log, records, pino({ level: 'silent' }));
    const lifecycle = new ProjectionLifecycle(log, [records], directory.path);
    const caughtUp = () => waitFor('the live records to catch up', async () => (await log.lag(await records.positions())) === 0);
    await caughtUp();
    const all = async (store: AssetRecords) => (await store.list({ limit: 10_000, includeDeleted: true })).assets;
    const early = async (store: AssetRecords) => (await all(store)).filter((record) => record.assetId.startsWith('asset-'));
    const before = await early(otherHost);
    expect(before).toHaveLength(30);

    // Events keep coming while the rebuild reads the log, catches up and switches; both hosts keep answering.
    let rebuilding = true;
    let answered = 0;
    const serving = async () => {
      while (rebuilding) {
        expect(await early(otherHost)).toEqual(before);
        expect(await otherHost.get('asset-7')).toMatchObject({ user: { title: 'title 7' }, status: 'processing' });
        answered++;
        await sleep(20);
      }
    };
    const writing = (async () => {
      for (let k = 0; rebuilding && k < 150; k++) {
        await log.append([ingestedDraft(`late-${k}`), editDraft(`late-${k}`, `late ${k}`)]);
        await sleep(20);
      }
    })();
    const stop = () => (rebuilding = false);
    const [done] = await Promise.all([lifecycle.rebuild('assets', { batchSize: 7 }).finally(stop), serving().finally(stop), writing]);
    await caughtUp();

    expect(done).toMatchObject({ projection: 'assets', state: 'done' });
    expect(answered).toBeGreaterThan(0);
    expect(await lifecycle.list()).toMatchObject([{ name: 'assets', backend: 'dynamodb', rebuildable: true, live: { generation: done.generation, version: 1 } }]);
    const client = new DynamoDBClient(engine.client);
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    client.destroy();
    expect(TableNames.filter((name) => name.startsWith(`${table}`)).sort()).toEqual([`${table}-${done.generation}`, `${table}-generations`].sort());

    // The same records as the embedded projection folds from the same log, on both hosts.
    const embedded = new SqliteAssetRecords(join(directory.path, 'rebuild-assets.db'));
    for await (const batch of log.readAll({ batchSize: 50 })) await embedded.apply(batch);
    const expected = await all(embedded);
    expect(expected.length).toBeGreaterThan(31);
    expect(await all(records)).toEqual(expected);
    await sleep(1_000); // the other host's pointer expires
    expect(await all(otherHost)).toEqual(expected);
    expect(await otherHost.countByStatus()).toEqual(await embedded.countByStatus());

    // The live projection goes on, in the new table.
    await log.append([editDraft('asset-7', 'after the rebuild')]);
    await caughtUp();
    expect(await otherHost.get('asset-7')).toMatchObject({ user: { title: 'after the rebuild' } });

    await live.stop();
    await lifecycle.close();
    await Promise.all([log.close(), records.close(), otherHost.close(), embedded.close()]);
  }, 60_000);
});
