// The checkpointing thread of log/walCheckpoints.ts. A checkpoint copies the
// WAL's pages into the database file and fsyncs both: on the thread that
// commits (SQLite's own automatic checkpoint) the event loop waits for the
// disk every thousand pages; here only this thread does. Plain JavaScript,
// so the thread starts without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** A connection per database, opened at its first checkpoint. */
const databases = new Map();

/**
 * A PASSIVE checkpoint: it never waits for the writer (what it cannot copy
 * yet, it leaves to the next). One that fails loses nothing: the pages stay
 * in the WAL for the next, or for the writer's own checkpoint, which the
 * owner keeps at a larger threshold.
 */
function checkpoint(path) {
  try {
    if (!databases.has(path)) databases.set(path, new Database(path, { fileMustExist: true, timeout: 0 }));
    databases.get(path).pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // the file is gone, or busy: the next commit asks again
  }
}

parentPort.on('message', ({ kind, path, id, closed }) => {
  if (kind === 'checkpoint') {
    checkpoint(path);
    // A writer waits for this one (walCheckpoints.ts, drained).
    if (id !== undefined) parentPort.postMessage({ id });
    return;
  }
  try {
    databases.get(path)?.close();
  } finally {
    databases.delete(path);
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
  }
});
