import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteSearchIndex } from '../../projections/search/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { searchIndexContract } from './search.contract';

const directory = temporaryDirectory();
afterAll(() => directory.remove());
let n = 0;

searchIndexContract('embedded SQLite FTS5', async () => new SqliteSearchIndex(join(directory.path, `search-${n++}.db`)));
