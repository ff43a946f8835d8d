/**
 * Growth: does an asset cost more to ingest as the lake grows? Ten slices of
 * distinct generated photos (640 × 480 JPEGs: a random gradient, shapes and a
 * number each) go through the whole loop, one after another, into one lake;
 * each slice's assets/s is measured from the start of its ingest until every
 * processor and projection has caught up. The baseline is the first slice,
 * into an empty lake, in the same run; the ratio is the last slice's rate
 * over it. CPU time per asset is printed beside each slice, since the wall
 * time of one slice moves with the shared host.
 *
 * BENCH_SLICE (default 2000) sets the images per slice, BENCH_SLICES (10)
 * the slices.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { loadConfig } from '../app/config';
import { openLake } from '../app/lake';
import { ingestDirectory } from '../producers/directory';
import { temporaryDirectory } from '../test/support/fixtures';
import { rate, report } from './report';

const SLICE = Number(process.env.BENCH_SLICE ?? 2000);
const SLICES = Number(process.env.BENCH_SLICES ?? 10);
const GOAL = 0.9;

/** A small deterministic generator, so every run makes the same photos. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const colour = (next: () => number) => `rgb(${Math.floor(next() * 256)},${Math.floor(next() * 256)},${Math.floor(next() * 256)})`;

/** Photo `n`: its own gradient, a few shapes and its number, so no two are alike. */
function photoSvg(n: number): string {
  const next = random(n * 7919 + 17);
  const shapes = Array.from({ length: 4 + Math.floor(next() * 4) }, () => {
    const [x, y, size] = [next() * 640, next() * 480, 20 + next() * 140];
    return next() < 0.5
      ? `<circle cx="${x}" cy="${y}" r="${size / 2}" fill="${colour(next)}"/>`
      : `<rect x="${x}" y="${y}" width="${size}" height="${size * (0.5 + next())}" fill="${colour(next)}" transform="rotate(${next() * 90} ${x} ${y})"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <defs><linearGradient id="g" x1="0" y1="0" x2="${next()}" y2="1"><stop offset="0" stop-color="${colour(next)}"/><stop offset="1" stop-color="${colour(next)}"/></linearGradient></defs>
    <rect width="640" height="480" fill="url(#g)"/>${shapes.join('')}
    <text x="40" y="440" font-size="72" font-family="sans-serif" fill="${colour(next)}">${n}</text></svg>`;
}

/** Writes slice `index`'s photos into their own folder. */
async function writeSlice(root: string, index: number): Promise<string> {
  const folder = join(root, `slice-${index}`);
  mkdirSync(folder);
  const limit = pLimit(2);
  await Promise.all(
    Array.from({ length: SLICE }, (_, i) =>
      limit(async () => {
        const n = index * SLICE + i;
        writeFileSync(join(folder, `photo-${n}.jpg`), await sharp(Buffer.from(photoSvg(n))).jpeg({ quality: 85 }).toBuffer());
      }),
    ),
  );
  return folder;
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const photos = temporaryDirectory('medialake-bench-growth-photos-');
const data = temporaryDirectory('medialake-bench-growth-data-');
const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
lake.start();
const rates: number[] = [];
for (let index = 0; index < SLICES; index++) {
  const folder = await writeSlice(photos.path, index);
  const cpuBefore = cpuSeconds();
  const perSecond = await rate(SLICE, async () => {
    await ingestDirectory({ log: lake.log, store: lake.store, actor: 'bench', source: 'cli' }, folder);
    await lake.waitForIdle();
  });
  rates.push(perSecond);
  const cpuPerAsset = ((cpuSeconds() - cpuBefore) / SLICE) * 1000;
  console.log(`slice ${index + 1}/${SLICES}: ${(index + 1) * SLICE} assets in the lake, ${perSecond.toFixed(1)} assets/s, ${cpuPerAsset.toFixed(1)} ms CPU an asset`);
}
await lake.close();
report(
  `growth: ${SLICES} slices of ${SLICE} distinct 640×480 JPEGs into one lake`,
  { label: `last slice (${SLICES * SLICE} assets in the lake)`, perSecond: rates.at(-1)! },
  { label: 'first slice (into an empty lake)', perSecond: rates[0]! },
  GOAL,
);
photos.remove();
data.remove();
