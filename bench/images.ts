/**
 * Images: assets/s through the whole loop (ingest → log → metadata,
 * renditions and perceptual-hash processors → projections, caught up) vs a
 * plain loop calling sharp for the same renditions of the same files, with
 * the same concurrency. The plain loop runs one sharp pipeline per rendition,
 * as the processor did before; the processors now decode each original once
 * for both renditions and the hash (processors/decodedImage.ts), which the
 * plain loop does not.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { loadConfig } from '../app/config';
import { openLake } from '../app/lake';
import { ingestDirectory } from '../producers/directory';
import { RENDITION_QUALITY, renditionSpecs, type RenditionSpec } from '../processors/renditions';
import { EXIF_SAMPLES, temporaryDirectory } from '../test/support/fixtures';
import { compare, rate } from './report';

const COPIES = Number(process.env.BENCH_COPIES ?? 4);
const source = temporaryDirectory('medialake-bench-images-');
const originals = ['jpg/gps', 'jpg/orientation'].flatMap((dir) =>
  readdirSync(join(EXIF_SAMPLES, dir))
    .filter((name) => name.endsWith('.jpg'))
    .map((name) => readFileSync(join(EXIF_SAMPLES, dir, name))),
);
// Distinct bytes per copy (a trailer after the image), so each copy is its own asset.
const files: string[] = [];
originals.forEach((bytes, i) => {
  for (let copy = 0; copy < COPIES; copy++) {
    const path = join(source.path, `image-${i}-${copy}.jpg`);
    writeFileSync(path, Buffer.concat([bytes, Buffer.from(`copy ${copy}`)]));
    files.push(path);
  }
});

async function wholeLoop(): Promise<number> {
  const data = temporaryDirectory('medialake-bench-data-');
  const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
  lake.start();
  const perSecond = await rate(files.length, async () => {
    await ingestDirectory({ log: lake.log, store: lake.store, actor: 'bench', source: 'cli' }, source.path);
    await lake.waitForIdle();
  });
  await lake.close();
  data.remove();
  return perSecond;
}

/** What a plain loop does for each rendition: one sharp pipeline from the file's bytes (shrink-on-load included, sharp's default). */
const plainRendition = (bytes: Buffer, spec: RenditionSpec, maxInputPixels: number) =>
  sharp(bytes, { limitInputPixels: maxInputPixels, failOn: 'error' })
    .autoOrient()
    .resize({ width: spec.size, height: spec.size, fit: 'inside', withoutEnlargement: true })
    .toFormat(spec.format, { quality: RENDITION_QUALITY })
    .toBuffer();

async function plainSharp(): Promise<number> {
  const { processors } = loadConfig({}, {});
  const limit = pLimit(processors.concurrency);
  const specs = renditionSpecs(processors);
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

await compare(
  `images: ${files.length} JPEGs (${originals.length} fixtures × ${COPIES}), thumbnail + proxy each`,
  { label: 'whole loop: ingest → renditions → projections', run: wholeLoop },
  { label: 'plain sharp loop, same renditions', run: plainSharp },
  0.85,
);
source.remove();
