import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { WalSync } from '../../log/walSync';
import { temporaryDirectory } from '../support/fixtures';

/** The fsync of the embedded log's WAL, off the event loop (log/walSync.ts), on a real file. */
describe('WalSync', () => {
  const directory = temporaryDirectory('medialake-walsync-');
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => directory.remove());

  /** Counts fsyncs of any file handle from here on. */
  async function countSyncs(): Promise<() => number> {
    const probe = await open(join(directory.path, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    const spy = vi.spyOn(prototype, 'sync');
    return () => spy.mock.calls.length;
  }

  it('answers calls that come while an fsync runs with one more fsync, shared by all of them', async () => {
    const wal = join(directory.path, 'log.db-wal');
    writeFileSync(wal, 'frames');
    const syncs = new WalSync(wal);
    await syncs.sync(); // opens the file and syncs its folder once
    const counted = await countSyncs();
    await Promise.all(Array.from({ length: 10 }, () => syncs.sync()));
    expect(counted()).toBe(2); // the first call's, and one for the nine that waited
    await syncs.close();
  });

  it('fails while the file is missing and syncs once it is there', async () => {
    const wal = join(directory.path, 'later.db-wal');
    const syncs = new WalSync(wal);
    await expect(syncs.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(wal, 'frames');
    await expect(syncs.sync()).resolves.toBeUndefined();
    await syncs.close();
  });
});
