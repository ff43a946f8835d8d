import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { loadConfig } from '../app/config';
import { openLake } from '../app/lake';
import { ingestDirectory } from '../producers/directory';
import { temporaryDirectory } from '../test/support/fixtures';
import { rate } from './report';

/**
 * What a bench wrote, removed when it ends (removeWritten), not between runs:
 * this machine's ext4 has no journal, and there an inode freed in the last
 * minute (five when its block is dirty) is stepped over, one by one, by every
 * file and directory made after it. A run made right after the previous run's
 * lake was deleted spent 6–7% of its CPU time there (perf: recently_deleted,
 * under mkdir and open), a cost that a lake in use, which deletes nothing,
 * does not pay.
 */
const written: { remove(): void }[] = [];

/** A fresh folder, kept until the bench ends. */
export function benchFolder(prefix: string): { path: string; remove(): void } {
  const folder = temporaryDirectory(prefix);
  written.push(folder);
  return folder;
}

export function removeWritten(): void {
  for (const folder of written.splice(0)) folder.remove();
}

/**
 * Before each timed run, the files of the runs before it go to disk (sync):
 * the kernel writes dirty pages back once they are 30 s old, so otherwise a
 * run pays for an earlier run's writes, and only the whole loop, whose log
 * fsyncs, waits for the disk (on the small set of bench/images.ts, 0.02–0.05
 * of the ratio).
 */
export const flushEarlierWrites = () => execFileSync('sync');

/** Assets/s through the whole loop: a fresh lake ingests the folder and waits until every processor and projection has caught up. */
export async function wholeLoop(source: string, count: number): Promise<number> {
  const data = benchFolder('medialake-bench-data-');
  const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
  lake.start();
  flushEarlierWrites();
  const perSecond = await rate(count, async () => {
    await ingestDirectory({ log: lake.log, store: lake.store, actor: 'bench', source: 'cli' }, source);
    await lake.waitForIdle();
  });
  await lake.close();
  return perSecond;
}

const CAMERA_LONG_SIDE = 4032; // 4032 × 3024: a 12-megapixel phone or camera photo

/** A photo at camera size, its EXIF (orientation included) kept. */
export async function cameraSize(bytes: Buffer): Promise<Buffer> {
  const { width = 1, height = 1 } = await sharp(bytes).metadata();
  const scale = CAMERA_LONG_SIDE / Math.max(width, height);
  return sharp(bytes)
    .resize(Math.round(width * scale), Math.round(height * scale))
    .keepExif()
    .jpeg({ quality: 90 })
    .toBuffer();
}
