import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
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
/** Past the 1,000 pages at which SQLite checkpoints, as the thread does. */
const ROWS = 1_100;

/** A WAL database with its checkpoints, its table made and checkpointed, so that the file holds nothing of the rows to come. */
function database(name: string): { db: Database.Database; path: string; checkpoints: WalCheckpoints } {
  const path = join(directory.path, name);
  const db = openSqliteDatabase(path, 'wal');
  db.exec('CREATE TABLE rows (body BLOB)');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { db, path, checkpoints: new WalCheckpoints(db, path) };
}

/** One commit of `rows` rows of a page each. */
function commitRows(db: Database.Database, rows = ROWS): void {
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  db.transaction(() => {
    for (let row = 0; row < rows; row++) insert.run(Buffer.alloc(PAGE, row));
  })();
}

async function untilFileHolds(path: string, bytes: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (statSync(path).size < bytes && Date.now() < deadline) await sleep(10);
  return statSync(path).size;
}

/** The WAL's frames (mxFrame in the wal-index header, https://sqlite.org/walformat.html). */
function walFrames(path: string): number {
  return readFileSync(`${path}-shm`).readUInt32LE(16);
}

describe('WAL checkpoints off the committing thread', () => {
  it('copies committed pages into the database file once the WAL holds 1,000, which the connection itself would not do yet', async () => {
    const { db, path, checkpoints } = database('committed.db');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
    commitRows(db, 200);
    checkpoints.committed();
    await sleep(300);
    expect(statSync(path).size).toBeLessThan(200 * PAGE); // below SQLite's threshold: left in the WAL, as SQLite leaves it
    commitRows(db);
    expect(statSync(path).size).toBeLessThan(ROWS * PAGE); // the rows are in the WAL alone
    checkpoints.committed();
    expect(await untilFileHolds(path, ROWS * PAGE)).toBeGreaterThanOrEqual(ROWS * PAGE);
    checkpoints.close();
    db.close();
  });

  it('has a writer that never paused wait for the thread once the WAL holds 10,000 pages, so that its next write starts the WAL over', async () => {
    const { db, path, checkpoints } = database('drained.db');
    commitRows(db, 10);
    expect(checkpoints.drained()).toBeUndefined(); // a short WAL: nothing to wait for
    while (walFrames(path) < 10_000) commitRows(db); // the thread not asked, as if it never caught up
    const frames = walFrames(path);
    const wait = checkpoints.drained();
    expect(wait).toBeDefined();
    expect(checkpoints.drained()).toBe(wait); // writers that wait together wait for one checkpoint
    await wait;
    expect(statSync(path).size).toBeGreaterThanOrEqual((frames - 100) * PAGE); // copied into the file
    commitRows(db, 10);
    expect(walFrames(path)).toBeLessThan(100); // started over
    expect(checkpoints.drained()).toBeUndefined();
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

  it('leaves a file that syncs nothing (a rebuild) to SQLite, which checkpoints inside the commit', async () => {
    const { db, path, checkpoints } = database('building.db');
    checkpoints.useThread(false);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    commitRows(db);
    expect(statSync(path).size).toBeGreaterThanOrEqual(ROWS * PAGE);
    checkpoints.committed();
    checkpoints.close();
    db.close();
  });

  it('leaves a file whose WAL index it cannot read to SQLite for good, rebuilt or not', () => {
    const { db, path, checkpoints } = database('unreadable.db');
    rmSync(`${path}-shm`); // the connection keeps its own mapping of it
    commitRows(db, 10);
    checkpoints.committed();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    checkpoints.useThread(false);
    checkpoints.useThread(true); // a rebuild's file going live
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
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
