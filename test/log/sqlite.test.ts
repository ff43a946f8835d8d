import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { eventLogContract } from './eventLog.contract';

const directory = temporaryDirectory();
afterAll(() => directory.remove());

eventLogContract('embedded SQLite', {
  open: async (name) => new SqliteEventLog({ path: join(directory.path, `${name}.db`) }),
});
