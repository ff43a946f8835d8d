/**
 * Images: assets/s through the whole loop (ingest → log → metadata,
 * renditions and perceptual-hash processors → projections, caught up) vs a
 * plain loop calling sharp for the same renditions of the same files, with
 * the same concurrency. The plain loop runs one sharp pipeline per rendition
 * and keeps the results in memory; the processors decode each original once
 * for both renditions and the hash (processors/decodedImage.ts), and write
 * everything to the store and the log.
 *
 * Two sets of the same 25 photographs (the GPS and orientation fixtures, EXIF
 * kept): at camera size, 12 megapixels (the fixtures are scaled-down copies;
 * sharp scales them back up, which gives smoother, cheaper-to-decode JPEGs
 * than a camera's), and as shipped, 0.3 megapixels. The goal is judged on
 * camera-size photos, what a media library holds; the small set shows what
 * the loop costs an asset beyond the pixels.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { loadConfig } from '../app/config';
import { RENDITION_QUALITY, renditionSpecs, type RenditionSpec } from '../processors/renditions';
import { EXIF_SAMPLES } from '../test/support/fixtures';
import { compare, rate } from './report';
import { benchFolder, cameraSize, flushEarlierWrites, removeWritten, wholeLoop } from './wholeLoop';

const GOAL = 0.85;

const originals = ['jpg/gps', 'jpg/orientation'].flatMap((dir) =>
  readdirSync(join(EXIF_SAMPLES, dir))
    .filter((name) => name.endsWith('.jpg'))
    .map((name) => readFileSync(join(EXIF_SAMPLES, dir, name))),
);

/** Writes `copies` of each photo, each with distinct bytes (a trailer after the image) so each copy is its own asset. */
function writeCopies(photos: Buffer[], copies: number): { path: string; files: string[] } {
  const folder = benchFolder('medialake-bench-images-');
  const files: string[] = [];
  photos.forEach((bytes, i) => {
    for (let copy = 0; copy < copies; copy++) {
      const path = join(folder.path, `image-${i}-${copy}.jpg`);
      writeFileSync(path, Buffer.concat([bytes, Buffer.from(`copy ${copy}`)]));
      files.push(path);
    }
  });
  return { path: folder.path, files };
}

/** What a plain loop does for each rendition: one sharp pipeline from the file's bytes (shrink-on-load included, sharp's default). */
const plainRendition = (bytes: Buffer, spec: RenditionSpec, maxInputPixels: number) =>
  sharp(bytes, { limitInputPixels: maxInputPixels, failOn: 'error' })
    .autoOrient()
    .resize({ width: spec.size, height: spec.size, fit: 'inside', withoutEnlargement: true })
    .toFormat(spec.format, { quality: RENDITION_QUALITY })
    .toBuffer();

async function plainSharp(files: string[]): Promise<number> {
  const { processors } = loadConfig({}, {});
  const limit = pLimit(processors.concurrency);
  const specs = renditionSpecs(processors);
  flushEarlierWrites();
  return rate(files.length, async () => {
    await Promise.all(
      files.map((path) =>
        limit(async () => {
          const bytes = readFileSync(path);
          for (const spec of specs) await plainRendition(bytes, spec, processors.maxInputPixels);
        }),
      ),
    );
  });
}

async function measure(name: string, photos: Buffer[], copies: number): Promise<void> {
  const set = writeCopies(photos, copies);
  await compare(
    `images, ${name}: ${set.files.length} JPEGs (${photos.length} photos × ${copies}), thumbnail + proxy each`,
    { label: 'whole loop: ingest → renditions → projections', run: () => wholeLoop(set.path, set.files.length) },
    { label: 'plain sharp loop, same renditions', run: () => plainSharp(set.files) },
    GOAL,
  );
}

await measure('camera size (12 MP)', await Promise.all(originals.map(cameraSize)), Number(process.env.BENCH_COPIES ?? 2));
await measure('as shipped (0.3 MP)', originals, Number(process.env.BENCH_COPIES ?? 4));
removeWritten();
