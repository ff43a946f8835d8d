import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../log/sqliteDatabase';
import { WalCheckpoints } from '../../log/walCheckpoints';
import { temporaryDirectory } from '../support/fixtures';

const directory = temporaryDirectory();
afterAll(() => directory.remove());

const PAGE = 4096;
const ROWS = 200;

/** A WAL database with its checkpoints, its table made and checkpointed, so that the file holds nothing of the rows to come. */
function database(name: string): { db: Database.Database; path: string; checkpoints: WalCheckpoints } {
  const path = join(directory.path, name);
  const db = openSqliteDatabase(path, 'wal');
  db.exec('CREATE TABLE rows (body BLOB)');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { db, path, checkpoints: new WalCheckpoints(db, path) };
}

/** One commit of ROWS rows of a page each. */
function commitRows(db: Database.Database): void {
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  db.transaction(() => {
    for (let row = 0; row < ROWS; row++) insert.run(Buffer.alloc(PAGE, row));
  })();
}

async function untilFileHolds(path: string, bytes: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (statSync(path).size < bytes && Date.now() < deadline) await sleep(10);
  return statSync(path).size;
}

describe('WAL checkpoints off the committing thread', () => {
  it('copies committed pages into the database file, which the connection itself would not do yet', async () => {
    const { db, path, checkpoints } = database('committed.db');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    commitRows(db);
    expect(statSync(path).size).toBeLessThan(ROWS * PAGE); // the rows are in the WAL alone
    checkpoints.committed();
    expect(await untilFileHolds(path, ROWS * PAGE)).toBeGreaterThanOrEqual(ROWS * PAGE);
    checkpoints.close();
    db.close();
  });

  it('lets go of the file at close, so that the owner closes last and removes the WAL', async () => {
    const { db, path, checkpoints } = database('closed.db');
    commitRows(db);
    checkpoints.committed();
    await untilFileHolds(path, ROWS * PAGE);
    checkpoints.close();
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: ROWS });
    reopened.close();
  });

  it('is not asked while the connection syncs nothing (a rebuild): SQLite checkpoints at its own threshold', async () => {
    const { db, path, checkpoints } = database('building.db');
    checkpoints.useThread(false);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    commitRows(db);
    checkpoints.committed();
    await sleep(300);
    expect(statSync(path).size).toBeLessThan(ROWS * PAGE);
    checkpoints.useThread(true);
    checkpoints.committed();
    expect(await untilFileHolds(path, ROWS * PAGE)).toBeGreaterThanOrEqual(ROWS * PAGE);
    checkpoints.close();
    db.close();
  });

  it('goes on checkpointing other files after one is removed under it', async () => {
    const removed = database('removed.db');
    commitRows(removed.db);
    removed.checkpoints.committed();
    await untilFileHolds(removed.path, ROWS * PAGE);
    removed.db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${removed.path}${suffix}`, { force: true });
    removed.checkpoints.committed(); // the thread's connection to a file that is gone

    const { db, path, checkpoints } = database('after.db');
    commitRows(db);
    checkpoints.committed();
    expect(await untilFileHolds(path, ROWS * PAGE)).toBeGreaterThanOrEqual(ROWS * PAGE);
    removed.checkpoints.close();
    checkpoints.close();
    db.close();
  });
});
