import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * Pages the WAL may hold before the committing connection checkpoints it
 * itself, on its own thread: the fallback for when the checkpointing thread
 * falls behind or is gone.
 */
const FALLBACK_PAGES = 10_000;
const SQLITE_DEFAULT_PAGES = 1_000;
/**
 * How long after a commit the thread checkpoints: commits meanwhile share the
 * checkpoint. Each checkpoint fsyncs twice, and a busy file commits many times
 * a second (the log, every append).
 */
const CHECKPOINT_DELAY_MS = 250;
/** How long a close waits for the thread to let go of the file. */
const CLOSE_WAIT_MS = 10_000;

let thread: Worker | undefined;

/** The process's checkpointing thread (log/walCheckpointWorker.mjs), started at the first use; one that stops is replaced at the next. */
function checkpointThread(): Worker {
  if (!thread) {
    const started = new Worker(new URL('./walCheckpointWorker.mjs', import.meta.url));
    started.unref();
    started.on('error', () => undefined); // its exit follows
    started.on('exit', () => {
      if (thread === started) thread = undefined;
    });
    thread = started;
  }
  return thread;
}

/**
 * Checkpoints a WAL database off the event loop. SQLite's automatic
 * checkpoint runs inside the COMMIT that crosses its threshold and fsyncs the
 * WAL and the database file there: the committing thread, the lake's event
 * loop, waits for the disk: with the pages of a large file's indexes scattered
 * (ids that are content hashes, at a million assets) a third of what each
 * batch of the duplicates projection cost. Here a thread of the process
 * checkpoints the file after commits (PASSIVE: it never blocks the writer),
 * and the connection's own threshold is raised to FALLBACK_PAGES, so that it
 * checkpoints itself only when the thread falls behind. What a crash or a
 * power cut can lose is unchanged: the thread's connection checkpoints as
 * SQLite does, syncing the WAL before and the database file after.
 */
export class WalCheckpoints {
  private threaded = false;
  private due?: NodeJS.Timeout;
  /** Whether the thread was ever asked to checkpoint this file (and so may hold a connection to it). */
  private asked = false;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    this.useThread(true);
  }

  /**
   * Whether the thread checkpoints. Not while the connection syncs nothing
   * (synchronous = OFF, a rebuild's file): its own checkpoints then do not
   * wait for the disk, and SQLite's threshold is restored.
   */
  useThread(on: boolean): void {
    this.threaded = on;
    this.db.pragma(`wal_autocheckpoint = ${on ? FALLBACK_PAGES : SQLITE_DEFAULT_PAGES}`);
  }

  /** After each commit: the thread checkpoints CHECKPOINT_DELAY_MS later, once for all the commits until then. */
  committed(): void {
    if (!this.threaded) return;
    this.due ??= setTimeout(() => {
      this.due = undefined;
      this.asked = true;
      checkpointThread().postMessage({ kind: 'checkpoint', path: this.path });
    }, CHECKPOINT_DELAY_MS).unref();
  }

  /**
   * Before the owner closes its connection: the thread closes its own first,
   * so that the owner's is the last, which checkpoints the rest and removes
   * the WAL, as a lone connection's close does.
   */
  close(): void {
    clearTimeout(this.due);
    if (!this.asked || !thread) return;
    const closed = new Int32Array(new SharedArrayBuffer(4));
    thread.postMessage({ kind: 'close', path: this.path, closed });
    Atomics.wait(closed, 0, 0, CLOSE_WAIT_MS);
  }
}
