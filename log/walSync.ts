import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * fsyncs a SQLite database's write-ahead log off the event loop. SQLite's
 * `synchronous = FULL` fsyncs the WAL inside COMMIT, on the calling thread:
 * the lake's event loop, which then waits for the disk at every append. The
 * log commits with `synchronous = NORMAL` (the frames are written, not yet
 * synced) and calls `sync()` before it acknowledges a durable write: the same
 * fsync of the same file, on libuv's threads. Calls that come while one runs
 * share the next one, which covers all of them (a group fsync).
 */
export class WalSync {
  private handle?: Promise<FileHandle>;
  private running?: Promise<void>;
  private next?: Promise<void>;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the WAL before the call is on disk. */
  sync(): Promise<void> {
    if (!this.running) return (this.running = this.fsync().finally(() => (this.running = undefined)));
    return (this.next ??= this.running.then(() => {
      this.next = undefined;
      return this.sync();
    }));
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.next]);
    await (await this.handle?.catch(() => undefined))?.close();
  }

  private async fsync(): Promise<void> {
    const handle = await (this.handle ??= this.openWal().catch((error: unknown) => {
      this.handle = undefined; // tried again at the next sync
      throw error;
    }));
    await handle.sync();
  }

  /** The WAL file, and its directory synced once, so that the file's own entry survives a power cut too. */
  private async openWal(): Promise<FileHandle> {
    const handle = await open(this.walPath, 'r');
    const directory = await open(dirname(this.walPath), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return handle;
  }
}
