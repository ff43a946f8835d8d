import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';

/**
 * better-sqlite3, loaded at the first open rather than with this module: the
 * S3 notifications function (app/s3Lambda.ts, bundled without native addons)
 * imports the log's backends, and runs a Kafka or Kinesis lake that never
 * opens a SQLite file.
 */
let loaded: typeof Database | undefined;
const betterSqlite3 = (): typeof Database => (loaded ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database);

/** A SQLite file opened to read only, never made: a file of another process to look into. */
export function openReadOnly(path: string): Database.Database {
  return new (betterSqlite3())(path, { readonly: true, fileMustExist: true });
}

/** How long a statement waits for another connection's lock before SQLITE_BUSY ("database is locked"). */
const BUSY_TIMEOUT_MS = 10_000;
const JOURNAL_RETRY_MS = 25;

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const isBusy = (error: unknown) => (error as { code?: string }).code?.startsWith('SQLITE_BUSY') ?? false;

/**
 * A database file that other processes may open at the same moment (workers
 * sharing a data directory). Changing the journal mode takes an exclusive
 * lock for which SQLite runs no busy handler, so concurrent first opens of a
 * file fail at once with "database is locked": the mode is read first (it is
 * a property of the file, set by the first open) and the change retried
 * within the busy timeout.
 */
export function openSqliteDatabase(path: string, journalMode: 'wal' | 'delete'): Database.Database {
  const db = new (betterSqlite3())(path, { timeout: BUSY_TIMEOUT_MS });
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== journalMode) db.pragma(`journal_mode = ${journalMode.toUpperCase()}`);
      return db;
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) {
        db.close();
        throw error;
      }
      pause(JOURNAL_RETRY_MS);
    }
  }
}
