import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { AssetRecord } from '../../projections/assetRecord';
import { EXIF_SAMPLES, fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, lakeOverFolder } from '../support/lake';
import { ingestDirectory } from '../../producers/directory';
import type { Lake } from '../../app/lake';
import { makeTestMedia, TEST_MEDIA } from '../support/media';
import { backBeforeLateAnswer, buildWebUi, holdAnswers, launchChromium, servedToAdmin, signedInTab } from '../support/webUi';
import { screenshot } from '../support/browserChecks';
import { addTestUser } from '../support/principals';

/** The grid's page (web/src/api/assets.ts). */
const PAGE_SIZE = 200;
/** More assets than two of the grid's pages, so that scrolling to the end needs the third. */
const NOTES = 420;

/** The parts of the page's elements these tests read (the test program is typed without the DOM's library). */
interface Picture {
  complete: boolean;
  naturalWidth: number;
}
interface Video {
  readyState: number;
  duration: number;
  currentTime: number;
  muted: boolean;
  play(): Promise<void>;
  addEventListener(type: string, listener: (value: unknown) => void, options: { once: boolean }): void;
}

/** Whether the picture has loaded and decoded to something. */
const shown = (image: Locator) => image.evaluate((element: Picture) => element.complete && element.naturalWidth > 0);

/** Every record, newest first, as the grid lists them. */
async function allRecords(lake: Lake): Promise<AssetRecord[]> {
  const all: AssetRecord[] = [];
  for (let after: string | undefined, first = true; first || after; first = false) {
    const page = await lake.records.list({ limit: 500, after });
    all.push(...page.assets);
    after = page.next;
  }
  return all;
}

describe('the web UI in a browser, on a real lake', () => {
  let lake: Awaited<ReturnType<typeof lakeOverFolder>>['lake'];
  let records: AssetRecord[];
  const named = (name: string) => records.find((record) => record.originalName === name)!;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];
  /** What the Content-Security-Policy blocked, and what the API refused for want of a credential, in any page. */
  const cspViolations: string[] = [];
  const unauthorized: string[] = [];
  /** The admin's API key, typed into the sign-in view; and fetch with it, for what the tests check beside the page. */
  let apiKey: string;
  let fetch: typeof globalThis.fetch;
  const notes = temporaryDirectory('medialake-web-notes-');
  const media = temporaryDirectory('medialake-web-media-');
  const clips = temporaryDirectory('medialake-web-clips-');
  let web: Awaited<ReturnType<typeof buildWebUi>>;

  beforeAll(async () => {
    for (let index = 0; index < NOTES; index++) writeFileSync(join(notes.path, `note-${String(index).padStart(3, '0')}.txt`), `note ${index}\n`);
    for (const name of readdirSync(join(EXIF_SAMPLES, 'jpg')).filter((file) => file.endsWith('.jpg'))) {
      copyFileSync(fixture(`jpg/${name}`), join(media.path, name));
    }
    await makeTestMedia(clips.path);
    copyFileSync(join(clips.path, TEST_MEDIA.clip), join(media.path, TEST_MEDIA.clip));
    // The notes first: the newest assets, on the grid's first page, are the pictures; the oldest is three pages down.
    [{ lake }, web, browser] = await Promise.all([lakeOverFolder(notes.path), buildWebUi(), launchChromium()]);
    await ingestDirectory(ingestContext(lake), media.path);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    records = await allRecords(lake);
    ({ app, base, apiKey, fetch } = await servedToAdmin(lake, web.path));
    context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await lake?.close();
    for (const directory of [notes, media, clips, web]) directory?.remove();
  });

  /** A tab signed in with the API key, at `path`. */
  function signedIn(path: string): Promise<Page> {
    return signedInTab(context, base, apiKey, path, { pageErrors, cspViolations, unauthorized, consoleErrors: [] });
  }

  it('signs in, and the library grid shows thumbnails and loads page after page as it scrolls, holding only the rows in view', async () => {
    const page = await signedIn('/');
    const sent: string[] = [];
    page.on('request', (request) => request.headers().authorization === `Bearer ${apiKey}` && sent.push(request.url()));
    const canon = named('Canon_40D.jpg');
    await page.locator('.cell img').first().waitFor();
    const loaded = await shown(page.locator('.cell img').first());
    expect(loaded).toBe(true);
    // A file the lake could only partly process shows so, with why.
    const corrupted = named('corrupted.jpg');
    expect(corrupted.failures.length).toBeGreaterThan(0);
    const badge = page.locator(`[data-asset="${corrupted.assetId}"] [data-status]`);
    expect(await badge.getAttribute('data-status')).toBe(corrupted.status);
    expect(await badge.textContent()).toContain(corrupted.failures[0]!.message);
    await screenshot(page, 'library');
    expect(records.length).toBeGreaterThan(400);
    const oldest = records.at(-1)!;
    const grid = page.getByTestId('grid');
    for (let tries = 0; tries < 60 && !(await page.locator(`[data-asset="${oldest.assetId}"]`).count()); tries++) {
      await grid.evaluate((element) => element.scrollTo(0, element.scrollHeight));
      await page.waitForTimeout(100);
    }
    await expect.poll(() => page.locator(`[data-asset="${oldest.assetId}"]`).count()).toBe(1);
    expect(await page.locator('.cell').count()).toBeLessThan(100);
    expect(sent.filter((url) => url.includes('/assets?') && url.includes('after=')).length).toBeGreaterThanOrEqual(2);
    expect(canon.status).toBe('ready');
    await page.close();
  });

  it('going back from an asset opened deep in the library shows the library where it was left, without loading its pages again', async () => {
    const page = await signedIn('/');
    const grid = page.getByTestId('grid');
    await page.locator('.cell img').first().waitFor();
    // Two pages down: the third page's first asset in view (jumps to the end, so few rows are drawn on the way).
    const deep = records[2 * PAGE_SIZE]!;
    for (let tries = 0; tries < 60 && !(await page.locator(`[data-asset="${deep.assetId}"]`).count()); tries++) {
      await grid.evaluate((element) => element.scrollTo(0, element.scrollHeight));
      await page.waitForTimeout(100);
    }
    const cell = page.locator(`[data-asset="${deep.assetId}"]`);
    await cell.scrollIntoViewIfNeeded();
    const left = await grid.evaluate((element) => element.scrollTop);
    expect(left).toBeGreaterThan(0);
    await cell.locator('a.open').click();
    await page.waitForURL(`**/asset/${deep.assetId}`);
    const pagesAsked: string[] = [];
    page.on('request', (request) => /\/assets\?/.test(request.url()) && pagesAsked.push(request.url()));

    await page.goBack();
    await expect.poll(() => page.locator(`[data-asset="${deep.assetId}"]`).count()).toBe(1);
    expect(await grid.evaluate((element) => element.scrollTop)).toBe(left);
    await page.waitForTimeout(500);
    // The first page only, read again for what arrived meanwhile (twice where React's StrictMode mounts the view twice, as in this build); none after it.
    expect(pagesAsked.length).toBeGreaterThan(0);
    expect(pagesAsked.filter((url) => new URL(url).searchParams.has('after'))).toEqual([]);
    await page.close();
  });

  it('a page of the library that fails to load says so, and Try again goes on from there', async () => {
    const page = await signedIn('/');
    // The connection drops under the request for the second page, once.
    let dropped = false;
    await page.route('**/assets?*after=*', (route) => {
      if (dropped) return route.continue();
      dropped = true;
      return route.abort('connectionreset');
    });
    await page.locator('.cell img').first().waitFor();
    const grid = page.getByTestId('grid');
    const toEnd = () => grid.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await toEnd();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(dropped).toBe(true);
    await alert.getByRole('button', { name: 'Try again' }).click();
    // Any asset of the second page in the grid (which renders only the cells near the scroll position); scrolled on until one is.
    const secondPage = records.slice(PAGE_SIZE, 2 * PAGE_SIZE).map((record) => record.assetId);
    const secondPageShown = async () => {
      const shown = await page.locator('[data-asset]').evaluateAll((cells, ids) => cells.some((cell) => ids.includes(cell.getAttribute('data-asset') ?? '')), secondPage);
      if (!shown) await toEnd();
      return shown;
    };
    await expect.poll(secondPageShown, { timeout: 20_000, interval: 100 }).toBe(true);
    expect(await alert.count()).toBe(0);
    await page.close();
  });

  it('sorting by capture date reorders the grid, and the URL keeps the order', async () => {
    const page = await signedIn('/');
    const firstCells = (tab = page) => () => tab.locator('.cell').evaluateAll((cells) => cells.slice(0, 4).map((cell) => cell.getAttribute('data-asset')));
    const listed = async (sort: 'ingested' | 'captured', order: 'asc' | 'desc') =>
      (await lake.records.list({ limit: 4, sort, order })).assets.map((record) => record.assetId);
    const [newestAdded, oldestTaken] = [await listed('ingested', 'desc'), await listed('captured', 'asc')];
    // The oldest capture dates are the sample photos' EXIF dates, years before any asset was ingested.
    expect((await lake.records.get(oldestTaken[0]!))!.metadata!.capturedAt! < records.at(-1)!.ingestedAt).toBe(true);
    expect(oldestTaken).not.toEqual(newestAdded);
    await expect.poll(firstCells()).toEqual(newestAdded);

    await page.getByLabel('Sort').selectOption('captured asc');
    await page.waitForURL(/\?sort=captured&order=asc$/);
    await expect.poll(firstCells()).toEqual(oldestTaken);
    await screenshot(page, 'library-oldest-taken');
    await page.getByLabel('Sort').selectOption('captured desc');
    await page.waitForURL(/\?sort=captured$/);
    await expect.poll(firstCells()).toEqual(await listed('captured', 'desc'));

    const again = await signedIn('/?sort=captured&order=asc');
    expect(await again.getByLabel('Sort').inputValue()).toBe('captured asc');
    await expect.poll(firstCells(again)).toEqual(oldestTaken);
    await Promise.all([page.close(), again.close()]);
  });

  it('a keyword search with a facet narrows the grid, and its URL restores it', async () => {
    const page = await signedIn('/find');
    await page.getByRole('searchbox').fill('canon');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=canon/);
    const total = page.getByTestId('total');
    await page.locator('.search-body[aria-busy="false"]').waitFor();
    const all = Number((await total.textContent())!.split(' ')[0]);
    expect(all).toBeGreaterThanOrEqual(3);
    const facet = page.locator('[data-facet="make"]').first();
    const [make, count] = [await facet.evaluate((button) => button.firstChild!.textContent!.trim()), Number(await facet.locator('.count').textContent())];
    await facet.click();
    await page.waitForURL(/make=/);
    await expect.poll(() => total.textContent()).toBe(`${count} found`);
    expect(count).toBeLessThan(all);
    await expect.poll(() => page.locator('.cell').count()).toBe(count);
    await screenshot(page, 'search');
    // Another tab: it signs in first, and comes back to the search.
    const url = new URL(page.url());
    const again = await signedIn(url.pathname + url.search);
    expect(again.url()).toBe(url.href);
    await expect.poll(() => again.getByTestId('total').textContent()).toBe(`${count} found`);
    expect(await again.getByRole('searchbox').inputValue()).toBe('canon');
    expect(await again.locator('.facet .chosen').textContent()).toContain(make);
    await Promise.all([page.close(), again.close()]);
  });

  it('a listing in the search view pages on by the cursor each page names as it scrolls, each asset once', async () => {
    const listed = (await fetch(`${base}/search?limit=1`).then((response) => response.json())) as { total: number };
    const page = await signedIn('/find');
    type Answered = { url: string; hits: { assetId: string }[]; next?: string };
    // In the order they came; each body is read later, so a page is counted only once every body before it is read.
    const answers: Promise<Answered>[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/search') answers.push(response.json().then((body) => ({ url: response.url(), ...body })));
    });
    await page.locator('.cell').first().waitFor();
    const grid = page.getByTestId('grid');
    let pages: Answered[] = [];
    // Jumps to the end, page after page, so few rows (and thumbnails) are drawn on the way.
    await expect
      .poll(
        async () => {
          await grid.evaluate((element) => element.scrollTo(0, element.scrollHeight));
          pages = await Promise.all(answers);
          return pages.length > 0 && !pages.at(-1)!.next;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    // Each page once (where React's StrictMode runs the first search twice, as in this build, the same answer twice).
    const distinct = [...new Map(pages.map((answered) => [answered.url, answered])).values()];
    const later = distinct.slice(1).map(({ url }) => new URL(url).searchParams);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((params) => params.has('after') && !params.has('offset'))).toBe(true);
    const ids = distinct.flatMap(({ hits }) => hits.map((hit) => hit.assetId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(listed.total);
    await page.close();
  });

  it('shows the answer to the last search asked for, when an earlier one answers after it', async () => {
    const expected = (await (await fetch(`${base}/search?q=note&limit=1`)).json()) as { total: number };
    const canon = (await (await fetch(`${base}/search?q=canon&limit=1`)).json()) as { total: number };
    expect(expected.total).not.toBe(canon.total);
    const page = await signedIn('/find');
    const release = await holdAnswers(page, /\/search\?.*q=canon/);
    const search = async (words: string) => {
      await page.getByRole('searchbox').fill(words);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      // The view puts the words in the URL with the history API: no load to wait for.
      await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(new RegExp(`q=${words}`));
    };
    await search('canon');
    await search('note');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`${expected.total} found`);
    const lateAnswer = page.waitForEvent('requestfinished', (request) => request.url().includes('q=canon'));
    release();
    await lateAnswer;
    await page.waitForTimeout(500);
    expect(await page.getByTestId('total').textContent()).toBe(`${expected.total} found`);
    expect(await page.locator('.search-body').getAttribute('aria-busy')).toBe('false');
    await page.close();
  });

  it('keeps what is typed into the search box right after a search, and follows the URL when going back', async () => {
    const page = await signedIn('/find');
    const box = page.getByRole('searchbox');
    await box.fill('canon');
    // The search, and the next words typed in the same moment, before the view has drawn the search's answer.
    await page.evaluate(`(() => {
      document.querySelector('.search-bar button[type=submit]').click();
      const input = document.querySelector('.search-bar input[type=search]');
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, 'nikon');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    })()`);
    await expect.poll(() => page.url()).toMatch(/q=canon/);
    await page.waitForTimeout(300);
    expect(await box.inputValue()).toBe('nikon');
    await page.goBack();
    await expect.poll(() => box.inputValue()).toBe('');
    await page.close();
  });

  it('the asset view shows the asset gone back to, when the one left answers after it', async () => {
    const [canon, nikon] = [named('Canon_40D.jpg'), named('Nikon_D70.jpg')];
    const page = await signedIn(`/asset/${canon.assetId}`);
    const metadata = page.getByTestId('metadata');
    await expect.poll(() => metadata.textContent()).toContain('Canon EOS 40D');
    const record = (asset: { assetId: string }) => new RegExp(`/assets/${asset.assetId}$`);
    await backBeforeLateAnswer(page, `/asset/${nikon.assetId}`, record(nikon), record(canon));
    expect(await metadata.count()).toBe(1);
    expect(await metadata.textContent()).toContain('Canon EOS 40D');
    await page.close();
  });

  it('an asset that cannot be shown leaves nothing behind: going back shows the asset again', async () => {
    const pentax = named('Pentax_K10D.jpg');
    const page = await signedIn(`/asset/${pentax.assetId}`);
    const metadata = page.getByTestId('metadata');
    await expect.poll(() => metadata.textContent()).toContain('PENTAX');
    await page.evaluate(`history.pushState(null, '', '/asset/nonexistent'); dispatchEvent(new PopStateEvent('popstate'))`);
    await page.getByRole('alert').filter({ hasText: 'nonexistent' }).waitFor();
    await page.goBack();
    await expect.poll(() => metadata.textContent()).toContain('PENTAX');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });

  it('a search that fails shows why, and not the results of the search before it', async () => {
    const page = await signedIn('/find?q=canon');
    await expect.poll(() => page.getByTestId('total').textContent()).toMatch(/^[1-9]\d* found$/);
    // This lake has no embedding model: no semantic mode is offered, and one asked for by its address is refused.
    expect(await page.getByRole('radio', { name: 'semantic' }).count()).toBe(0);
    await page.evaluate(`history.pushState(null, '', '/find?q=canon&mode=semantic'); dispatchEvent(new PopStateEvent('popstate'))`);
    await page.getByRole('alert').filter({ hasText: 'semantic search needs' }).waitFor();
    // The total stays mounted (a live region: a screen reader hears it change), empty.
    expect(await page.getByTestId('total').textContent()).toBe('');
    expect(await page.locator('.cell').count()).toBe(0);
    await page.close();
  });

  it('a double click on Save saves once, and is no conflict with itself', async () => {
    const pentax = named('Pentax_K10D.jpg');
    const page = await signedIn(`/asset/${pentax.assetId}`);
    await expect.poll(() => page.getByTestId('metadata').textContent()).toContain('PENTAX');
    await page.getByLabel('Title').fill('Quarry');
    await page.getByRole('button', { name: 'Save', exact: true }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('conflict').count()).toBe(0);
    expect(((await (await fetch(`${base}/assets/${pentax.assetId}`)).json()) as AssetRecord).user.title).toBe('Quarry');
    await page.close();
  });

  it('the collection facet counts the matches in each collection, by name, and filters by one', async () => {
    const created = await fetch(`${base}/collections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Camera tests', parentId: null }),
    });
    const { collectionId } = (await created.json()) as { collectionId: string };
    const members = ['Canon_40D.jpg', 'Nikon_D70.jpg'].map((name) => named(name).assetId);
    for (const assetId of members) expect((await fetch(`${base}/collections/${collectionId}/assets/${assetId}`, { method: 'PUT' })).ok).toBe(true);
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const page = await signedIn('/find');
    const facet = page.locator('[data-facet="collection"]');
    await expect.poll(() => facet.textContent()).toBe('Camera tests 2');
    await facet.click();
    await page.waitForURL(new RegExp(`collection=${collectionId}`));
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('2 found');
    await expect.poll(() => page.locator('.cell').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-asset')).sort())).toEqual([...members].sort());
    expect(await page.locator('.facet .chosen').textContent()).toBe('Camera tests ✕');
    await screenshot(page, 'search-collection');
    await page.close();
  });

  it('the duration facet narrows the grid to the video and audio of that length, as the duration filter does', async () => {
    const expected = (await (await fetch(`${base}/search?minDuration=0&maxDuration=59.999&limit=200`)).json()) as { total: number; hits: { assetId: string }[] };
    expect(expected.total).toBeGreaterThan(0); // the clips and recordings of makeTestMedia, each a few seconds
    const page = await signedIn('/find');
    const facet = page.locator('[data-facet="duration"]');
    await expect.poll(() => facet.textContent()).toBe(`0-1m ${expected.total}`);
    await facet.click();
    await page.waitForURL(/duration=0-1m/);
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`${expected.total} found`);
    await expect
      .poll(() => page.locator('.cell').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-asset')).sort()))
      .toEqual(expected.hits.map((hit) => hit.assetId).sort());
    await page.close();
  });

  it('shows the operations view to an editor without asking for what only admins may see', async () => {
    const editorKey = await addTestUser(lake, 'eddie', 'editor');
    const problems = { pageErrors: [], cspViolations: [], unauthorized: [], consoleErrors: [] as string[] };
    const page = await signedInTab(context, base, editorKey, '/operations', problems);
    await page.getByRole('heading', { name: 'Consumers' }).waitFor();
    expect(await page.getByRole('region', { name: 'Dead letters' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Audit trail' }).count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual({ pageErrors: [], cspViolations: [], unauthorized: [], consoleErrors: [] });
    await page.close();
  });

  it('the asset view shows its metadata, and an edit persists', async () => {
    const canon = named('Canon_40D.jpg');
    const page = await signedIn(`/asset/${canon.assetId}`);
    await expect.poll(() => page.getByTestId('metadata').textContent()).toContain('Canon EOS 40D');
    // The picture loads by itself, with the media cookie, once the view has drawn it.
    await expect.poll(() => shown(page.locator('img.proxy'))).toBe(true);
    await page.getByLabel('Title').fill('Harbour at dawn');
    // As an input method for Japanese or Arabic types the commas.
    await page.getByLabel('Tags (comma-separated)').fill('harbour, dawn、港，القاهرة، 朝');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expect.poll(() => page.getByTestId('history').textContent()).toContain('UserMetadataUpdated');
    await screenshot(page, 'asset');
    const saved = (await (await fetch(`${base}/assets/${canon.assetId}`)).json()) as AssetRecord;
    expect(saved.user).toMatchObject({ title: 'Harbour at dawn', tags: ['harbour', 'dawn', '港', 'القاهرة', '朝'] });
    await page.reload();
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('Harbour at dawn');
    await page.close();
  });

  it('an edit that crosses another shows both changes, and saves the merge the user chose', async () => {
    const nikon = named('Nikon_D70.jpg');
    const page = await signedIn(`/asset/${nikon.assetId}`);
    await page.getByLabel('Title').waitFor();
    const { version } = (await (await fetch(`${base}/assets/${nikon.assetId}`)).json()) as AssetRecord;
    const theirs = await fetch(`${base}/assets/${nikon.assetId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'if-match': `"${version}"` },
      body: JSON.stringify({ title: 'Their title', description: 'Their description' }),
    });
    expect(theirs.status).toBe(200);
    await page.getByLabel('Title').fill('My title');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Their title');
    expect(await conflict.textContent()).toContain('My title');
    await screenshot(page, 'conflict');
    await conflict.getByRole('button', { name: 'Save the merge' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const merged = (await (await fetch(`${base}/assets/${nikon.assetId}`)).json()) as AssetRecord;
    // The title both changed: the user's by default. The description only they changed: theirs.
    expect(merged.user).toMatchObject({ title: 'My title', description: 'Their description' });
    await page.close();
  });

  it('three files dropped on the page appear in an open library, live, with their thumbnails; a duplicate is reported as such; a dropped connection is resumed', async () => {
    const library = await signedIn('/');
    await library.locator('.cell').first().waitFor();
    const upload = await signedIn('/upload');
    const sharp = (await import('sharp')).default;
    const fresh = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 80, b: 30 } } }).jpeg().toBuffer();
    const other = await sharp({ create: { width: 240, height: 320, channels: 3, background: { r: 30, g: 90, b: 200 } } }).png().toBuffer();
    const files = [
      { name: 'fresh.jpg', type: 'image/jpeg', base64: fresh.toString('base64') },
      { name: 'other.png', type: 'image/png', base64: other.toString('base64') },
      { name: 'Canon_40D.jpg', type: 'image/jpeg', base64: readFileSync(fixture('jpg/Canon_40D.jpg')).toString('base64') },
    ];
    // The connection drops under the first request that carries bytes: the page asks the server where it stands (HEAD) and sends again from there.
    const sent: string[] = [];
    let dropped = false;
    await upload.route('**/uploads/*', (route) => {
      sent.push(route.request().method());
      if (route.request().method() !== 'PATCH' || dropped) return route.continue();
      dropped = true;
      return route.abort('connectionreset');
    });
    // A drop as the browser makes it from the desktop; built in the page (the test program has no DOM types).
    const dataTransfer = await upload.evaluateHandle(`(() => {
      const data = new DataTransfer();
      for (const { name, type, base64 } of ${JSON.stringify(files)}) {
        data.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
      }
      return data;
    })()`);
    await upload.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => upload.locator('[data-outcome]').count(), { timeout: 20_000 }).toBe(3);
    for (const name of ['fresh.jpg', 'other.png']) expect(await upload.locator(`[data-name="${name}"] [data-outcome]`).getAttribute('data-outcome')).toBe('ingested');
    expect(await upload.locator('[data-name="Canon_40D.jpg"] [data-outcome]').getAttribute('data-outcome')).toBe('duplicate');
    expect(dropped).toBe(true);
    expect(sent).toContain('HEAD');
    await screenshot(upload, 'upload');
    for (const name of ['fresh.jpg', 'other.png']) {
      const href = await upload.locator(`[data-name="${name}"] a`).getAttribute('href');
      const cell = library.locator(`[data-asset="${href!.split('/').at(-1)!}"]`);
      await cell.waitFor({ timeout: 20_000 });
      await expect
        .poll(() => shown(cell.locator('img')).catch(() => false), { timeout: 20_000 })
        .toBe(true);
    }
    await screenshot(library, 'library-live');
    await Promise.all([library.close(), upload.close()]);
  });

  it('a folder chosen with the folder picker uploads every file in it, each named by its path in the folder, and leaves out what a folder ingest leaves alone', async () => {
    const folder = temporaryDirectory('medialake-web-folder-');
    const sharp = (await import('sharp')).default;
    mkdirSync(join(folder.path, 'trip', 'day 2'), { recursive: true });
    mkdirSync(join(folder.path, 'trip', '.Trashes'), { recursive: true });
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 160, b: 60 } } }).png().toFile(join(folder.path, 'trip', 'green.png'));
    await sharp({ create: { width: 48, height: 64, channels: 3, background: { r: 160, g: 10, b: 160 } } }).png().toFile(join(folder.path, 'trip', 'day 2', 'purple.png'));
    // What macOS and Windows write beside photos on a card: not media.
    for (const junk of ['._green.png', '.DS_Store', 'Thumbs.db', '.Trashes/lost.png']) writeFileSync(join(folder.path, 'trip', junk), 'not a photo');
    const upload = await signedIn('/upload');
    try {
      await upload.getByLabel('choose a folder').setInputFiles(join(folder.path, 'trip'));
      await expect.poll(() => upload.locator('[data-outcome]').count(), { timeout: 20_000 }).toBe(2);
      for (const path of ['trip/green.png', 'trip/day 2/purple.png']) {
        expect(await upload.locator(`[data-name="${path}"] [data-outcome]`).getAttribute('data-outcome')).toBe('ingested');
        const href = await upload.locator(`[data-name="${path}"] a`).getAttribute('href');
        // The answer is the ingest's: the record follows it.
        await expect.poll(async () => (await lake.records.get(href!.split('/').at(-1)!))?.originalName, { timeout: 20_000 }).toBe(path);
      }
      expect(await upload.locator('[data-name]').count()).toBe(2);
    } finally {
      await upload.close();
      folder.remove();
    }
  });

  it('a dropped folder uploads its files by their paths in it, but what a folder ingest leaves alone (._ files, .DS_Store, hidden folders, Thumbs.db)', async () => {
    const upload = await signedIn('/upload');
    try {
      const sharp = (await import('sharp')).default;
      const png = (await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 120, b: 10 } } }).png().toBuffer()).toString('base64');
      // A folder as the browser's entries API gives it from a drop (a DataTransfer built in a test holds no folders): dispatched as the browser would, read by the page's own code.
      await upload.getByTestId('dropzone').evaluate((zone, base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const file = (fullPath: string) => {
          const name = fullPath.split('/').pop()!;
          return { isFile: true, isDirectory: false, name, fullPath, file: (give: (f: File) => void) => give(new File([bytes], name, { type: 'image/png' })) };
        };
        const folder = (fullPath: string, children: unknown[]) => ({
          isFile: false,
          isDirectory: true,
          name: fullPath.split('/').pop()!,
          fullPath,
          createReader: () => {
            let read = false;
            return { readEntries: (give: (entries: unknown[]) => void) => (give(read ? [] : children), (read = true)) };
          },
        });
        const card = folder('/CARD9', [
          folder('/CARD9/100CANON', [file('/CARD9/100CANON/orange.png'), file('/CARD9/100CANON/._orange.png'), file('/CARD9/100CANON/.DS_Store'), file('/CARD9/100CANON/Thumbs.db')]),
          folder('/CARD9/.Trashes', [file('/CARD9/.Trashes/lost.png')]),
        ]);
        const drop = new Event('drop', { bubbles: true, cancelable: true });
        Object.defineProperty(drop, 'dataTransfer', { value: { items: [{ kind: 'file', webkitGetAsEntry: () => card }], files: [] } });
        zone.dispatchEvent(drop);
      }, png);
      await expect.poll(() => upload.locator('[data-outcome]').count(), { timeout: 20_000 }).toBe(1);
      expect(await upload.locator('[data-name]').evaluateAll((items) => items.map((item) => item.getAttribute('data-name')))).toEqual(['CARD9/100CANON/orange.png']);
      const href = await upload.locator('[data-name="CARD9/100CANON/orange.png"] a').getAttribute('href');
      await expect.poll(async () => (await lake.records.get(href!.split('/').at(-1)!))?.originalName, { timeout: 20_000 }).toBe('CARD9/100CANON/orange.png');
    } finally {
      await upload.close();
    }
  });

  it('says an empty file is empty, and sends nothing', async () => {
    const folder = temporaryDirectory('medialake-web-empty-');
    writeFileSync(join(folder.path, 'empty.jpg'), '');
    const upload = await signedIn('/upload');
    const asked: string[] = [];
    upload.on('request', (request) => request.url().includes('/uploads') && asked.push(request.method()));
    try {
      await upload.getByLabel('choose files').setInputFiles(join(folder.path, 'empty.jpg'));
      await upload.locator('[data-name="empty.jpg"] [role="alert"]', { hasText: 'the file is empty' }).waitFor({ timeout: 10_000 });
      expect(asked).toEqual([]);
    } finally {
      await upload.close();
      folder.remove();
    }
  });

  it('a video plays, and seeking asks the server for a range of its proxy (206)', async () => {
    const clip = named(TEST_MEDIA.clip);
    const page = await signedIn(`/asset/${clip.assetId}`);
    const ranges: number[] = [];
    page.on('response', (response) => response.url().includes(`/assets/${clip.assetId}/renditions/proxy`) && ranges.push(response.status()));
    const video = page.locator('video');
    await video.waitFor();
    await video.evaluate((element: Video) => new Promise((resolve) => (element.readyState >= 1 ? resolve(null) : element.addEventListener('loadedmetadata', resolve, { once: true }))));
    const duration = await video.evaluate((element: Video) => element.duration);
    expect(duration).toBeGreaterThan(1.5);
    const at = await video.evaluate(async (element: Video) => {
      element.muted = true;
      await element.play();
      element.currentTime = element.duration / 2;
      await new Promise((resolve) => element.addEventListener('seeked', resolve, { once: true }));
      return element.currentTime;
    });
    expect(at).toBeCloseTo(duration / 2, 0);
    await expect.poll(() => video.evaluate((element: Video) => element.currentTime)).toBeGreaterThan(at);
    expect(ranges).toContain(206);
    await screenshot(page, 'video');
    await page.close();
  });

  it('the operations view shows the consumers and the audit trail, filters it, and exports it as CSV', async () => {
    const page = await signedIn('/operations');
    await expect.poll(() => page.getByTestId('consumers').locator('tbody tr').count()).toBeGreaterThan(3);
    await expect.poll(() => page.getByTestId('audit').locator('tbody tr').count()).toBe(200);
    await page.getByLabel('type').fill('UserMetadataUpdated');
    await page.getByRole('button', { name: 'Filter' }).click();
    // Until the filtered page replaces the one before it (200 rows of every type); then the edits of the tests before: the title, the other client's change and the merge.
    const typesShown = () => page.getByTestId('audit').locator('tbody tr td:nth-child(3)').allTextContents();
    await expect.poll(async () => new Set(await typesShown())).toEqual(new Set(['UserMetadataUpdated']));
    const types = await typesShown();
    expect(types.length).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'operations');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await download.createReadStream().then(async (stream) => (await stream.toArray()).join(''));
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toContain('type');
    expect(lines).toHaveLength(types.length);
    expect(lines.every((line) => line.includes('UserMetadataUpdated'))).toBe(true);

    // Filters asked for before the last ones, answering after them, do not replace their page.
    const release = await holdAnswers(page, /\/audit\?.*type=AssetIngested/);
    const filterBy = async (type: string) => {
      await page.getByLabel('type').fill(type);
      await page.getByRole('button', { name: 'Filter' }).click();
    };
    const lateAnswer = page.waitForEvent('requestfinished', (request) => request.url().includes('type=AssetIngested'));
    await filterBy('AssetIngested');
    const answered = page.waitForEvent('requestfinished', (request) => request.url().includes('type=UserMetadataUpdated'));
    await filterBy('UserMetadataUpdated');
    await answered;
    release();
    await lateAnswer;
    await page.waitForTimeout(500);
    expect(new Set(await page.getByTestId('audit').locator('tbody tr td:nth-child(3)').allTextContents())).toEqual(new Set(['UserMetadataUpdated']));
    await page.close();
  });

  it('a collection larger than a page asks for its next page once as it scrolls, and lists each member once', async () => {
    const created = await fetch(`${base}/collections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'All the notes', parentId: null }) });
    const { collectionId } = (await created.json()) as { collectionId: string };
    const members = records.filter((record) => record.originalName.startsWith('note-')).slice(0, PAGE_SIZE + 10);
    for (const { assetId } of members) expect((await fetch(`${base}/collections/${collectionId}/assets/${assetId}`, { method: 'PUT' })).ok).toBe(true);
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const page = await signedIn(`/albums/${collectionId}`);
    const secondPage = new RegExp(`/collections/${collectionId}/assets\\?.*after=`);
    const asked: string[] = [];
    page.on('request', (request) => secondPage.test(request.url()) && asked.push(request.url()));
    const release = await holdAnswers(page, secondPage);
    await page.locator('.cell').first().waitFor();
    const grid = page.getByTestId('grid');
    // Scrolled row by row to the end while the second page is out: each scroll brings the grid's next row in.
    for (let rowsUp = 5; rowsUp >= 0; rowsUp--) {
      await grid.evaluate((element, up) => element.scrollTo(0, element.scrollHeight - element.clientHeight - up * 200), rowsUp);
      await page.waitForTimeout(100);
    }
    expect(asked.length).toBe(1);
    release();
    // Down the whole grid (it renders only the rows near the scroll position): every member once, and no cell twice at the end.
    const shownIds = () => page.locator('[data-asset]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-asset') ?? ''));
    const seen = new Set<string>();
    await grid.evaluate((element) => element.scrollTo(0, 0));
    // Half a screen a try: on a loaded host each try is slow, so the tries get the time the whole grid needs.
    await expect
      .poll(
        async () => {
          (await shownIds()).forEach((id) => seen.add(id));
          await grid.evaluate((element) => element.scrollBy(0, element.clientHeight / 2));
          return seen.size;
        },
        { timeout: 30_000 },
      )
      .toBe(members.length);
    await grid.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    const atTheEnd = await shownIds();
    expect(new Set(atTheEnd).size).toBe(atTheEnd.length);
    expect(await page.getByTestId('count').textContent()).toBe(`${members.length} assets`);
    await page.close();
  });

  it('keeps the star and the status on the page beside a long title with no space in it', async () => {
    const nikon = named('Nikon_D70.jpg');
    const patched = await fetch(`${base}/assets/${nikon.assetId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x'.repeat(300) }) });
    expect(patched.status).toBe(200);
    const page = await signedIn(`/asset/${nikon.assetId}`);
    const star = page.locator('.asset header .star');
    await page.locator('.asset header h2', { hasText: 'xxxx' }).waitFor();
    const box = (await star.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await page.close();
  });

  it('says at once that an asset open in its view was deleted, without asking for it again and again', async () => {
    const doomed = named('Pentax_K10D.jpg');
    const page = await signedIn(`/asset/${doomed.assetId}`);
    await page.locator('img.proxy').waitFor();
    const asked: string[] = [];
    page.on('request', (request) => request.url().endsWith(`/assets/${doomed.assetId}`) && asked.push(request.method()));
    expect((await fetch(`${base}/assets/${doomed.assetId}`, { method: 'DELETE' })).status).toBe(202);
    await page.getByRole('alert').filter({ hasText: 'This asset was deleted.' }).waitFor({ timeout: 5_000 });
    await page.waitForTimeout(1_000);
    expect(asked.filter((method) => method === 'GET')).toEqual([]);
    await page.close();
  });

  it('signing out takes the media cookie away: the browser can fetch no more media', async () => {
    const canon = named('Canon_40D.jpg');
    const page = await signedIn(`/asset/${canon.assetId}`);
    await page.locator('img.proxy').waitFor();
    const proxy = `${base}/assets/${canon.assetId}/renditions/proxy`;
    // The page's own cookies: what an <img> would send.
    expect((await context.request.get(proxy)).status()).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    expect((await context.request.get(proxy)).status()).toBe(401);
    expect(await context.cookies()).toEqual([]);
    await page.close();
  });

  it('threw no error, met no CSP violation and no 401 in any page: media came with the cookie, API calls with the key', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(unauthorized).toEqual([]);
  });
});
