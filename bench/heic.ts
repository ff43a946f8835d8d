/**
 * HEIC: assets/s through the whole loop (ingest → log → metadata, renditions
 * and perceptual-hash processors → projections, caught up) vs a plain loop
 * that decodes each file with heic-decode and makes the same thumbnail and
 * proxy with sharp from the decoded pixels, with the same concurrency. Both
 * decode a file once: the loop shares one decode among its image processors
 * (processors/decodedImage.ts, processors/heif.ts).
 *
 * The files are copies of test/fixtures/images/heic/samplefilehub.heif (640 ×
 * 426, the only HEIC here: sharp's libvips cannot encode HEVC to make more),
 * each with distinct trailing bytes so that each is its own asset. The plain
 * loop runs libheif (WASM) on the main thread, as a script calling heic-decode
 * would; the loop runs it on decoding threads (processors/heifWorker.mjs).
 *
 * 40 copies by default (BENCH_COPIES): a run of under a second, in which
 * filling and draining the loop weigh; longer runs come closer to its steady
 * rate (docs/benchmarks.md). Every copy has the same pixels, so all join one
 * near-duplicate group; an asset's cost does not grow with that group (four
 * runs of 200 copies into one lake: 43, 50, 50.5 and 49.6 assets/s).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import decodeHeif from 'heic-decode';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { loadConfig } from '../app/config';
import { RENDITION_QUALITY, renditionSpecs } from '../processors/renditions';
import { fixture } from '../test/support/fixtures';
import { compare, rate } from './report';
import { benchFolder, flushEarlierWrites, removeWritten, wholeLoop } from './wholeLoop';

const GOAL = 0.85;
const COPIES = Number(process.env.BENCH_COPIES ?? 40);

function writeCopies(bytes: Buffer, copies: number): { path: string; files: string[] } {
  const folder = benchFolder('medialake-bench-heic-');
  const files = Array.from({ length: copies }, (_, copy) => join(folder.path, `photo-${copy}.heic`));
  files.forEach((path, copy) => writeFileSync(path, Buffer.concat([bytes, Buffer.from(`copy ${copy}`)])));
  return { path: folder.path, files };
}

/** What a plain loop does for a file: heic-decode once, then one sharp pipeline per rendition from the pixels. */
async function plainRenditions(bytes: Buffer): Promise<void> {
  const { data, width, height } = await decodeHeif({ buffer: bytes });
  const pixels = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (const spec of renditionSpecs(loadConfig({}, {}).processors)) {
    await sharp(pixels, { raw: { width, height, channels: 4 } })
      .resize({ width: spec.size, height: spec.size, fit: 'inside', withoutEnlargement: true })
      .toFormat(spec.format, { quality: RENDITION_QUALITY })
      .toBuffer();
  }
}

async function plainLoop(files: string[]): Promise<number> {
  const limit = pLimit(loadConfig({}, {}).processors.concurrency);
  flushEarlierWrites();
  return rate(files.length, async () => {
    await Promise.all(files.map((path) => limit(() => plainRenditions(readFileSync(path)))));
  });
}

const set = writeCopies(readFileSync(fixture('heic/samplefilehub.heif')), COPIES);
await compare(
  `HEIC: ${set.files.length} copies of a 640 × 426 HEIF, thumbnail + proxy each`,
  { label: 'whole loop: ingest → renditions → projections', run: () => wholeLoop(set.path, set.files.length) },
  { label: 'heic-decode + sharp, same renditions', run: () => plainLoop(set.files) },
  GOAL,
);
removeWritten();
