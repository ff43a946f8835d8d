/**
 * The web UI's library grid at 100,000 assets against a static HTML page
 * that lists the same thumbnails (plain <img loading=lazy> in rows of the
 * same size), in the same run, in the same Chromium:
 * - time from navigation to the first row of thumbnails painted (decoded);
 * - frames dropped while scrolling 10,000 rows: a scripted scroll whose
 *   position is a function of time (a flick: a late frame jumps further, it
 *   does not slow the scroll), with requestAnimationFrame counting the frames
 *   painted; dropped = the frames the display rate (measured on an idle page)
 *   would paint in the scroll's time, less those painted. A side that cannot
 *   keep up with the script (the UI, until its next page of GET /assets has
 *   come) scrolls as far as it can, and takes longer.
 * The lake is real (the embedded asset records, served by the real API);
 * its records are synthetic histories (ingested, a thumbnail), written
 * through the projection's apply, every thumbnail the same 256 px WebP.
 * BENCH_ASSETS changes the size (develop at 20000).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { draft, type StoredEvent } from '../schemas/envelope';
import { openTestLake } from '../test/support/lake';
import { buildWebUi, launchChromium, servedToAdmin } from '../test/support/webUi';
import { report } from './report';

const ASSETS = Number(process.env.BENCH_ASSETS ?? 100_000);
const COLUMNS = 4;
/** Rows scrolled: 10,000, or what a smaller library has below its first screen. */
const ROWS = Math.min(10_000, ASSETS / COLUMNS - 10);
const CELL = 200;
const BATCH = 10_000;
const THUMBNAIL_KEY = 'bench/thumbnail.webp';
/** The script's speed: a fast flick, 120,000 px (600 rows) a second, so 10,000 rows take 16.7 s. */
const SCROLL_PX_PER_MS = 120;
/** A side that cannot keep up is stopped here: a static page of 100,000 images can take many minutes. */
const SCROLL_LIMIT_MS = 60_000;

/** One asset's history: ingested, then its thumbnail made. */
function assetEvents(n: number, thumbnailSize: number): StoredEvent[] {
  const assetId = `0198c0de-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
  const envelope = (source: string) => ({ id: `${assetId}-${source}`, assetId, actor: 'bench', source, correlationId: `c${n}`, causationId: null });
  const time = new Date(Date.UTC(2020, 0, 1) + n * 1000).toISOString();
  return [
    draft('AssetIngested', {
      ...envelope('cli'),
      time,
      payload: {
        objectKey: `originals/${assetId}`,
        originalName: `IMG_${n}.jpg`,
        mediaType: 'image',
        mimeType: 'image/jpeg',
        size: 1_000_000 + n,
        sha256: n.toString(16).padStart(64, '0'),
        origin: { kind: 'directory', path: `/library/IMG_${n}.jpg` },
      },
    }),
    draft('RenditionCreated', {
      ...envelope('processor:renditions@1'),
      time,
      payload: { name: 'thumbnail', objectKey: THUMBNAIL_KEY, mimeType: 'image/webp', width: 256, height: 192, size: thumbnailSize, watermarked: false },
    }),
  ].map((event, i) => ({ ...event, assetVersion: i + 1, partition: '0', offset: String(n * 2 + i) }) as StoredEvent);
}

/** The baseline: every thumbnail in one static page, newest first as the grid shows them, in rows of the same size. */
function staticPage(ids: string[]): string {
  const cells = ids.map((id) => `<a class="cell" href="#"><img src="/assets/${id}/renditions/thumbnail?v=2" loading="lazy" alt=""></a>`).join('');
  return `<!doctype html><meta charset="utf-8"><style>body{margin:0}#grid{width:${COLUMNS * CELL}px;display:flex;flex-wrap:wrap}
.cell{width:${CELL}px;height:${CELL}px;padding:6px;box-sizing:border-box}.cell img{width:100%;height:150px;object-fit:contain}</style><div id="grid">${cells}</div>`;
}

/*
 * The code that runs in the page is text: a function would be compiled by the
 * runner (tsx adds helpers to it), and this program is typed without the DOM.
 */

/** Milliseconds from navigation until the first row's thumbnails are decoded. */
async function firstRowPainted(page: Page, url: string): Promise<number> {
  // Not waiting for "load": a page of 100,000 images takes long to get there, and the clock runs from navigation anyway.
  await page.goto(url, { waitUntil: 'commit' });
  const painted = `(() => {
    const images = Array.from(document.querySelectorAll('img')).slice(0, ${COLUMNS});
    return images.length === ${COLUMNS} && images.every((image) => image.complete && image.naturalWidth > 0) ? performance.now() : undefined;
  })()`;
  const handle = await page.waitForFunction(painted, undefined, { polling: 'raf', timeout: 300_000 });
  return (await handle.jsonValue()) as number;
}

/** Animation frames a second on an idle page: the rate the browser paints at when nothing holds it back. */
async function displayRate(page: Page): Promise<number> {
  await page.goto('about:blank');
  return page.evaluate(`new Promise((resolve) => {
    let frames = 0, started;
    function step(now) {
      if (started === undefined) started = now;
      else frames++;
      if (now - started >= 2000) resolve(frames * 1000 / (now - started));
      else requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  })`);
}

interface Scrolled {
  /** Frames painted (animation frames run) during the scroll. */
  painted: number;
  ms: number;
  rows: number;
}

/** Scrolls ROWS rows as the script says (see the top), counting the frames painted; it stops after SCROLL_LIMIT_MS. */
async function scrollRows(page: Page, scroller: string | null): Promise<Scrolled> {
  return page.evaluate(`new Promise((resolve) => {
    const element = ${scroller ? `document.querySelector('${scroller}')` : 'document.scrollingElement'};
    const target = ${ROWS * CELL};
    let painted = 0, started;
    function step(now) {
      if (started === undefined) started = now;
      else painted++;
      element.scrollTop = Math.min(target, (now - started) * ${SCROLL_PX_PER_MS});
      if (element.scrollTop >= target - 1 || now - started > ${SCROLL_LIMIT_MS}) resolve({ painted, ms: now - started, rows: Math.round(element.scrollTop / ${CELL}) });
      else requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  })`);
}

// Past the API's rate limit (1,200 requests a minute by default) the static page's thousands of thumbnails would get 429s, and so
// would the UI's next page: the bench measures painting, not the limiter.
const lake = await openTestLake({ 'auth.rateLimitPerMinute': 10_000_000 });
const web = await buildWebUi();
const thumbnail = await sharp({ create: { width: 256, height: 192, channels: 3, background: { r: 40, g: 90, b: 160 } } }).webp().toBuffer();
await lake.store.put(THUMBNAIL_KEY, thumbnail, { contentType: 'image/webp' });
const writing = performance.now();
for (let from = 0; from < ASSETS; from += BATCH) {
  const batch: StoredEvent[] = [];
  for (let n = from; n < Math.min(ASSETS, from + BATCH); n++) batch.push(...assetEvents(n, thumbnail.length));
  await lake.records.apply(batch);
}
const ids = (await lake.records.list({ limit: 500 })).assets.map((asset) => asset.assetId);
const newestFirst = Array.from({ length: ASSETS }, (_, i) => assetEvents(ASSETS - 1 - i, 1)[0]!.assetId);
if (ids[0] !== newestFirst[0]) throw new Error(`the grid's first asset is ${ids[0]}, the static page's ${newestFirst[0]}`);
writeFileSync(join(web.path, 'static', 'baseline.html'), staticPage(newestFirst));
console.log(`${ASSETS} synthetic asset records written in ${((performance.now() - writing) / 1000).toFixed(1)} s`);

const { app, base, apiKey } = await servedToAdmin(lake, web.path);
const browser = await launchChromium();
// The page's CSP allows no eval, which the driver's string functions need; it changes nothing the page itself does.
const context = await browser.newContext({ viewport: { width: COLUMNS * CELL + 64, height: 900 }, bypassCSP: true });
// Signed in as the sign-in view leaves a tab: the key in sessionStorage, and the media cookie (which the static page needs too).
await context.addInitScript(`sessionStorage.setItem('medialake.credential', ${JSON.stringify(apiKey)})`);
await context.request.post(`${base}/media-credential`, { headers: { authorization: `Bearer ${apiKey}` } });
const hz = await displayRate(await context.newPage());
const best = { ui: { first: Infinity, scrolled: { painted: 0, ms: 0, rows: 0 } }, page: { first: Infinity, scrolled: { painted: 0, ms: 0, rows: 0 } } };
// Two rounds, each side keeping its best first row; the long scroll only in the second.
for (let round = 0; round < 2; round++) {
  for (const side of ['page', 'ui'] as const) {
    const page = await context.newPage();
    const kept = best[side];
    kept.first = Math.min(kept.first, await firstRowPainted(page, side === 'ui' ? `${base}/` : `${base}/static/baseline.html`));
    if (round === 1) kept.scrolled = await scrollRows(page, side === 'ui' ? '.grid-scroller' : null);
    await page.close();
  }
}
report(
  `web: navigation to the first row of thumbnails painted, ${ASSETS} assets (${best.ui.first.toFixed(0)} ms against ${best.page.first.toFixed(0)} ms)`,
  { label: 'the UI (first rows painted/s)', perSecond: 1000 / best.ui.first },
  { label: 'a static page of the same thumbnails', perSecond: 1000 / best.page.first },
);
const expected = ({ ms }: Scrolled) => Math.round((ms * hz) / 1000);
const scrolled = (side: Scrolled) =>
  `${Math.max(0, expected(side) - side.painted)} of ${expected(side)} frames dropped, ${side.rows} rows in ${(side.ms / 1000).toFixed(1)} s${side.rows < ROWS ? ' (stopped at the time limit)' : ''}`;
report(
  `web: frames painted while scrolling ${ROWS} rows at ${SCROLL_PX_PER_MS * 1000} px/s (scripted: ${((ROWS * CELL) / SCROLL_PX_PER_MS / 1000).toFixed(1)} s), display rate ${hz.toFixed(1)} Hz
  the UI                                       ${scrolled(best.ui.scrolled)}
  a static page of the same thumbnails         ${scrolled(best.page.scrolled)}`,
  { label: 'the UI (frames painted/s)', perSecond: (best.ui.scrolled.painted * 1000) / best.ui.scrolled.ms },
  { label: 'a static page of the same thumbnails', perSecond: (best.page.scrolled.painted * 1000) / best.page.scrolled.ms },
);
await browser.close();
await app.close();
await lake.close();
web.remove();
