import type Database from 'better-sqlite3';
import type { ChainKeyring } from './chainKey';
import type { ChainAnchor, ChainReport } from './hashChain';
import { verifySqliteChain } from './sqlite';
import { openReadOnly } from './sqliteDatabase';

/** A file given to verify that holds no embedded log with a chain to check. */
export class NotALogFileError extends Error {
  readonly code = 'NOT_A_LOG_FILE';
}

/**
 * Verifies a copy of an embedded log without writing to it. It is opened
 * read-only rather than as a log: opening a log creates its tables, sets its
 * journal mode and hashes events written before hashes, and a check of
 * evidence must not alter it (nor turn any file into an "intact" empty log).
 */
export async function verifyLogFile(path: string, keys: ChainKeyring, anchor?: ChainAnchor): Promise<ChainReport[]> {
  const db = openReadOnly(path);
  try {
    requireChain(db, path);
    return await verifySqliteChain(db, anchor, keys);
  } finally {
    db.close();
  }
}

function requireChain(db: Database.Database, path: string): void {
  const columns = eventColumns(db, path);
  if (!columns.length) throw new NotALogFileError(`${path} is not a medialake log: it has no events table`);
  if (!columns.includes('hash')) throw new NotALogFileError(`${path} is a medialake log from before events carried hashes: it has no chain to check`);
}

/** SQLite finds a file is no database only when it first reads it: here. */
function eventColumns(db: Database.Database, path: string): string[] {
  try {
    return db.prepare<[], string>("SELECT name FROM pragma_table_info('events')").pluck().all();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new NotALogFileError(`${path} is not a medialake log: it is not a SQLite database`);
    throw error;
  }
}
