import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Pages the WAL may hold before the thread checkpoints it: SQLite's own threshold, kept. */
const CHECKPOINT_PAGES = 1_000;
/**
 * Pages it may hold before the connection's next write waits, off the event
 * loop, for the thread to copy them all, so that the write starts the WAL
 * over. Under a steady stream of writes the thread's checkpoints never catch
 * up with the last commit, and SQLite starts a WAL over only at a write that
 * finds every page of it copied.
 */
const DRAIN_PAGES = 10_000;
/**
 * Pages it may hold before the committing connection checkpoints it itself,
 * on its own thread: the fallback for when the thread is gone or the waits
 * above did not let the WAL start over (a reader held it back).
 */
const FALLBACK_PAGES = 20_000;
/** How long a checkpoint may take to copy what it was asked to before it is asked again (readers may have held it back). */
const ASK_AGAIN_MS = 1_000;
/** How long a write waits for the thread to copy the WAL before it goes on regardless. */
const DRAIN_WAIT_MS = 10_000;
/** How long a close waits for the thread to let go of the file. */
const CLOSE_WAIT_MS = 10_000;

let thread: Worker | undefined;
/** The checkpoints waited for, by the id sent with them; the thread answers each with its id when done. */
const awaited = new Map<number, () => void>();
let lastAwaited = 0;

/** The process's checkpointing thread (log/walCheckpointWorker.mjs), started at the first use; one that stops is replaced at the next. */
function checkpointThread(): Worker {
  if (!thread) {
    const started = new Worker(new URL('./walCheckpointWorker.mjs', import.meta.url));
    started.on('message', ({ id }: { id: number }) => awaited.get(id)?.());
    started.unref(); // after the listener, which refs the worker again
    started.on('error', () => undefined); // its exit follows
    started.on('exit', () => {
      if (thread === started) thread = undefined;
      for (const done of [...awaited.values()]) done();
    });
    thread = started;
  }
  return thread;
}

/** Asks the thread to checkpoint a file and resolves when it has (or DRAIN_WAIT_MS have passed); the process stays up meanwhile. */
function checkpointed(path: string): Promise<void> {
  const worker = checkpointThread();
  const id = ++lastAwaited;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(), DRAIN_WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      awaited.delete(id);
      if (awaited.size === 0) worker.unref();
      resolve();
    };
    awaited.set(id, done);
    worker.ref();
    worker.postMessage({ kind: 'checkpoint', path, id });
  });
}

/**
 * Checkpoints a WAL database off the event loop. SQLite's automatic
 * checkpoint runs inside the COMMIT that crosses its threshold and fsyncs the
 * WAL and the database file there, so the committing thread, the lake's
 * event loop, waits for the disk. Where a large file's index pages are
 * scattered (ids that are content hashes, at a million assets) that was a
 * third of what each batch of the duplicates projection cost. Here a thread
 * of the process checkpoints the file instead, at the same threshold
 * (PASSIVE: it never blocks the writer). A writer that never pauses would
 * keep the WAL from starting over, so once it holds DRAIN_PAGES pages the
 * writer awaits drained() before its next write. The connection's own
 * threshold is raised to FALLBACK_PAGES, so that it checkpoints itself only
 * when neither worked. What a crash or a power cut can lose is unchanged: the
 * thread's connection checkpoints as SQLite does, syncing the WAL before and
 * the database file after.
 */
export class WalCheckpoints {
  private threaded = false;
  /** The -shm file, where SQLite keeps the WAL's index; undefined before the first commit, null where it cannot be read. */
  private walIndexFile?: number | null;
  private readonly walIndexHeader = new Uint32Array(25);
  /** The last request to the thread: the WAL's frames then, and when. */
  private request?: { frames: number; at: number };
  /** Whether the thread was ever asked to checkpoint this file (and so may hold a connection to it). */
  private asked = false;
  /** The wait of drained() in progress. */
  private draining?: Promise<void>;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    this.useThread(true);
  }

  /**
   * Whether the thread checkpoints. Not while the connection syncs nothing
   * (synchronous = OFF, a rebuild's file): its own checkpoints then do not
   * wait for the disk, and SQLite's threshold is restored. Never where the
   * WAL's index cannot be read: nothing would tell when to ask.
   */
  useThread(on: boolean): void {
    this.threaded = on && this.walIndexFile !== null;
    this.db.pragma(`wal_autocheckpoint = ${this.threaded ? FALLBACK_PAGES : CHECKPOINT_PAGES}`);
  }

  /**
   * After each commit: once the WAL holds CHECKPOINT_PAGES pages not yet in
   * the database file, asks the thread to checkpoint, and not again until it
   * has (or ASK_AGAIN_MS have passed): as often as SQLite would, elsewhere.
   */
  committed(): void {
    if (!this.threaded) return;
    const wal = this.readWalIndex();
    if (!wal || wal.frames - wal.backfilled < CHECKPOINT_PAGES) {
      this.request = undefined;
      return;
    }
    const { request } = this;
    const now = performance.now();
    // Served: the pages asked about are copied, or the WAL has started over (frames count from its start).
    const served = !request || wal.backfilled >= request.frames || wal.frames < request.frames || now - request.at > ASK_AGAIN_MS;
    if (!served) return;
    this.request = { frames: wal.frames, at: now };
    this.asked = true;
    checkpointThread().postMessage({ kind: 'checkpoint', path: this.path });
  }

  /**
   * Before a write: once the WAL holds DRAIN_PAGES pages, the promise of the
   * thread's checkpoint of them all, for the writer to await before it writes
   * again (the event loop goes on with other work meanwhile); undefined, and
   * nothing to wait for, below that. Writes that wait together wait for one
   * checkpoint.
   */
  drained(): Promise<void> | undefined {
    if (this.draining || !this.threaded) return this.draining;
    const wal = this.readWalIndex();
    // Every page copied already: the write starts the WAL over, unless a reader still reads from it.
    if (!wal || wal.frames < DRAIN_PAGES || wal.backfilled === wal.frames) return undefined;
    this.asked = true;
    this.draining = checkpointed(this.path).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /**
   * The WAL's frames (mxFrame, at byte 16 of the -shm file) and how many of
   * them are copied into the database (nBackfill, at byte 96): the wal-index
   * header, https://sqlite.org/walformat.html, in the machine's byte order.
   */
  private readWalIndex(): { frames: number; backfilled: number } | undefined {
    if (this.walIndexFile === undefined) {
      try {
        this.walIndexFile = openSync(`${this.path}-shm`, 'r');
      } catch {
        this.walIndexFile = null;
        this.useThread(false); // for good: SQLite checkpoints at its own threshold, as without this
      }
    }
    if (this.walIndexFile === null) return undefined;
    readSync(this.walIndexFile, this.walIndexHeader, 0, this.walIndexHeader.byteLength, 0);
    return { frames: this.walIndexHeader[16 / 4]!, backfilled: this.walIndexHeader[96 / 4]! };
  }

  /**
   * Before the owner closes its connection: the thread closes its own first,
   * so that the owner's is the last, which checkpoints the rest and removes
   * the WAL, as a lone connection's close does.
   */
  close(): void {
    if (typeof this.walIndexFile === 'number') closeSync(this.walIndexFile);
    this.walIndexFile = undefined;
    if (!this.asked || !thread) return;
    const closed = new Int32Array(new SharedArrayBuffer(4));
    thread.postMessage({ kind: 'close', path: this.path, closed });
    Atomics.wait(closed, 0, 0, CLOSE_WAIT_MS);
  }
}
