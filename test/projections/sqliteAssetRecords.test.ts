import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteAssetRecords } from '../../projections/assets/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { assetRecordsContract } from './assetRecords.contract';

const directory = temporaryDirectory();
afterAll(() => directory.remove());
let n = 0;

assetRecordsContract('embedded SQLite', async () => new SqliteAssetRecords(join(directory.path, `assets-${n++}.db`)));
