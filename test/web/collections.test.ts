import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { AssetRecord } from '../../projections/assetRecord';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { lakeOverFolder } from '../support/lake';
import { buildWebUi, holdAnswers, launchChromium, serveLake } from '../support/webUi';
import { addTestUser, fetchAs } from '../support/principals';
import { screenshot, seriousViolations } from '../support/browserChecks';

const PICTURES = ['Canon_40D.jpg', 'Nikon_D70.jpg', 'Pentax_K10D.jpg', 'Fujifilm_FinePix_E500.jpg', 'Sony_HDR-HC3.jpg', 'corrupted.jpg'];

/**
 * Organizing the library in a browser: collections (nested, renamed,
 * shared, deleted), multi-select in the grid, favourites; a failed asset's
 * reason and its reprocess from the operations view. Real `serve`, real
 * keys (an admin and a viewer), Debian's Chromium; every view it visits is
 * checked with axe-core and photographed.
 */
describe('collections, favourites and reprocessing in the web UI', () => {
  const folder = temporaryDirectory('medialake-web-organize-');
  let lake: Awaited<ReturnType<typeof lakeOverFolder>>['lake'];
  let byName: Map<string, AssetRecord>;
  const named = (name: string) => byName.get(name)!;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  const keys = { admin: '', viewer: '' };
  let viewerId: string;
  let fetch: typeof globalThis.fetch;
  const pageErrors: string[] = [];
  const refused: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    for (const name of PICTURES) copyFileSync(fixture(`jpg/${name}`), join(folder.path, name));
    [{ lake, byName }, web, browser] = await Promise.all([lakeOverFolder(folder.path), buildWebUi(), launchChromium()]);
    keys.admin = await addTestUser(lake, 'admin', 'admin');
    keys.viewer = await addTestUser(lake, 'vera', 'viewer');
    // A share names the principal as requests carry it: user:<userId>.
    viewerId = `user:${(await lake.principals.userNamed('vera'))!.userId}`;
    fetch = fetchAs(keys.admin);
    ({ app, base } = await serveLake(lake, web.path));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await lake?.close();
    for (const directory of [folder, web]) directory?.remove();
  });

  /** A tab of a fresh browser context (its own cookies), signed in with `who`'s key, at `path`. */
  async function signedIn(who: keyof typeof keys, path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 750 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => response.status() === 401 && refused.push(`${response.request().method()} ${response.url()}`));
    await page.goto(`${base}${path}`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('API key').fill(keys[who]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  const cellIds = (page: Page) => page.locator('.cell').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-asset')).sort());
  const box = (page: Page, name: string) => page.locator(`[data-asset="${named(name).assetId}"] input[type=checkbox]`);
  const collectionsNamed = async (name: string) =>
    ((await (await fetch(`${base}/collections`)).json()) as { collections: { id: string; name: string; parentId: string | null; shares: unknown[] }[] }).collections.filter(
      (collection) => collection.name === name,
    );

  it('creates a collection, adds two assets picked in the grid, shares it with a viewer, who then sees only those two', async () => {
    const page = await signedIn('admin', '/albums');
    await page.getByLabel('Name', { exact: true }).fill('Holiday');
    await page.getByRole('button', { name: 'Create collection' }).click();
    await page.getByRole('link', { name: 'Holiday' }).waitFor();
    await screenshot(page, 'organize-collections');

    await page.getByRole('link', { name: 'Library' }).click();
    await page.locator('.cell').nth(PICTURES.length - 1).waitFor();
    const order = await page.locator('.cell').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-asset')!));
    const [first, , third] = order;
    const nameOf = (assetId: string) => [...byName.values()].find((record) => record.assetId === assetId)!.originalName;
    // A click, then a shift-click three tiles on: the range; then space on the middle one takes it out again.
    await box(page, nameOf(first!)).click();
    await box(page, nameOf(third!)).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('3 selected');
    await box(page, nameOf(order[1]!)).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('2 selected');
    await page.getByLabel('Collection', { exact: true }).selectOption({ label: 'Holiday' });
    await screenshot(page, 'organize-selected');
    await page.getByRole('button', { name: 'Add to collection' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 2 to Holiday.' }).waitFor();

    const [holiday] = await collectionsNamed('Holiday');
    await page.goto(`${base}/albums/${holiday!.id}`);
    await expect.poll(() => page.getByTestId('count').textContent()).toBe('2 assets');
    expect(await cellIds(page)).toEqual([first, third].sort());
    // A local user by name: the share names their principal id, and shows their name.
    await page.getByLabel('Share with').fill('vera');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect.poll(() => page.getByTestId('shares').textContent()).toContain('vera (viewer)');
    await screenshot(page, 'organize-collection');
    const [shared] = await collectionsNamed('Holiday');
    expect(shared!.shares).toEqual([{ subject: { kind: 'principal', id: viewerId }, role: 'viewer', name: 'vera' }]);

    const viewer = await signedIn('viewer', '/');
    await expect.poll(() => cellIds(viewer)).toEqual([first, third].sort());
    await screenshot(viewer, 'organize-viewer-library');
    // A viewer may select, but is offered nothing to do to a collection: no collection to add to, no renaming, no sharing.
    await box(viewer, nameOf(first!)).click();
    await expect.poll(() => viewer.getByRole('status').first().textContent()).toBe('1 selected');
    await viewer.getByRole('button', { name: 'Clear selection' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Add to collection' }).count()).toBe(0);
    await viewer.goto(`${base}/albums/${holiday!.id}`);
    await expect.poll(() => viewer.getByTestId('count').textContent()).toBe('2 assets');
    expect(await viewer.getByRole('form', { name: 'Rename' }).count()).toBe(0);
    expect(await viewer.getByRole('form', { name: 'Share' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /^Unshare/ }).count()).toBe(0);
    // Nor anything of the library's a viewer would be refused: no upload, no new collection, no pipeline to draw.
    expect(await viewer.getByRole('link', { name: 'Upload' }).count()).toBe(0);
    await viewer.goto(`${base}/albums`);
    await viewer.getByRole('link', { name: 'Holiday' }).waitFor();
    expect(await viewer.getByRole('form', { name: 'New collection' }).count()).toBe(0);
    await viewer.goto(`${base}/pipeline`);
    await viewer.getByRole('heading', { name: 'Pipelines' }).waitFor();
    expect(await viewer.getByRole('link', { name: 'New pipeline' }).count()).toBe(0);
    await viewer.goto(`${base}/upload`);
    await viewer.getByText('Your role does not upload to this library').waitFor();
    await viewer.goto(`${base}/`);
    await expect.poll(() => cellIds(viewer)).toEqual([first, third].sort());

    // Unshared, the viewer's library is empty on the next load.
    await page.getByRole('button', { name: 'Unshare vera' }).click();
    await expect.poll(() => page.getByTestId('shares').textContent()).toContain('Nobody else.');
    await viewer.reload();
    await viewer.getByText('Nothing here yet.').waitFor();
    expect(await viewer.locator('.cell').count()).toBe(0);
  });

  it('nests a collection, renames it, removes an asset from the collection shown, and deletes one', async () => {
    const [holiday] = await collectionsNamed('Holiday');
    const page = await signedIn('admin', '/albums');
    await page.getByRole('link', { name: 'Holiday' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Beach');
    await page.getByLabel('Inside').selectOption({ label: 'Holiday' });
    await page.getByRole('button', { name: 'Create collection' }).click();
    // Nested: Beach's item is inside Holiday's.
    await page.locator('.collections-tree li li').getByRole('link', { name: 'Beach' }).waitFor();

    await page.goto(`${base}/albums/${holiday!.id}`);
    await page.getByRole('navigation', { name: 'Inside this collection' }).getByRole('link', { name: 'Beach' }).click();
    await page.getByRole('heading', { name: 'Beach' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Dunes');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('heading', { name: 'Dunes' }).waitFor();
    expect(await collectionsNamed('Dunes')).toHaveLength(1);
    // Deleting asks first.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('button', { name: 'Delete collection' }).click();
    expect(await collectionsNamed('Dunes')).toHaveLength(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete collection' }).click();
    await page.waitForURL(/\/albums$/);
    await expect.poll(() => collectionsNamed('Dunes')).toEqual([]);

    await page.goto(`${base}/albums/${holiday!.id}`);
    await expect.poll(() => page.getByTestId('count').textContent()).toBe('2 assets');
    const [kept, removed] = await cellIds(page);
    await page.locator(`[data-asset="${removed}"] input[type=checkbox]`).check();
    await page.getByRole('button', { name: 'Remove from Holiday' }).click();
    await expect.poll(() => page.getByTestId('count').textContent()).toBe('1 asset');
    expect(await cellIds(page)).toEqual([kept]);
    await screenshot(page, 'organize-removed');
  });

  it('stars an asset on its tile and in the asset view; the Favourites view lists it until it is unstarred', async () => {
    const canon = named('Canon_40D.jpg');
    const page = await signedIn('admin', '/');
    const star = page.locator(`[data-asset="${canon.assetId}"] .star`);
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');
    // The star shows at once; the lake has it once the page's request is answered.
    await expect.poll(async () => ((await (await fetch(`${base}/favourites`)).json()) as { assetIds: string[] }).assetIds).toEqual([canon.assetId]);

    await page.goto(`${base}/albums`);
    await page.getByRole('link', { name: '★ Favourites' }).click();
    await expect.poll(() => cellIds(page)).toEqual([canon.assetId]);
    await screenshot(page, 'organize-favourites');

    await page.goto(`${base}/asset/${canon.assetId}`);
    const inView = page.locator('.asset header .star');
    await expect.poll(() => inView.getAttribute('aria-pressed')).toBe('true');
    await inView.click();
    await expect.poll(() => inView.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(async () => ((await (await fetch(`${base}/favourites`)).json()) as { assetIds: string[] }).assetIds).toEqual([]);
  });

  it('a failed asset shows why, and the operations view asks for it to be processed again', async () => {
    const corrupted = named('corrupted.jpg');
    expect(corrupted.failures.length).toBeGreaterThan(0);
    const reason = corrupted.failures[0]!.message;
    const page = await signedIn('admin', '/');
    const badge = page.locator(`[data-asset="${corrupted.assetId}"] [data-status]`);
    expect(await badge.getAttribute('title')).toContain(reason);
    await page.goto(`${base}/asset/${corrupted.assetId}`);
    await expect.poll(() => page.getByTestId('failures').textContent()).toContain(reason);
    await screenshot(page, 'organize-failed-asset');

    await page.goto(`${base}/operations`);
    const row = page.getByTestId('dead-letters').locator(`tr[data-asset="${corrupted.assetId}"]`).first();
    const processor = await row.locator('td:nth-child(2)').textContent();
    await row.getByRole('button', { name: /^Reprocess/ }).click();
    await row.getByRole('status').filter({ hasText: /^requested/ }).waitFor();
    await screenshot(page, 'organize-reprocessed');
    const requested = (await lake.log.readAsset(corrupted.assetId)).filter((event) => event.type === 'ReprocessRequested');
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ actor: 'admin', source: 'api', payload: { processors: [processor] } });
    // The asset's history, read from the log, shows the request; and the asset view asks again for every processor that failed.
    await page.goto(`${base}/asset/${corrupted.assetId}`);
    await expect.poll(() => page.getByTestId('history').textContent()).toContain('ReprocessRequested');
    await page.getByTestId('failures').getByRole('button', { name: 'Reprocess' }).click();
    await page.getByTestId('failures').getByRole('status').filter({ hasText: /^Reprocessing requested/ }).waitFor();
    const again = (await lake.log.readAsset(corrupted.assetId)).filter((event) => event.type === 'ReprocessRequested');
    expect(again).toHaveLength(2);
    expect(again[1]).toMatchObject({ actor: 'admin', source: 'api', payload: { reason: 'from the asset view' } });
  });

  it('a keyword search marks where its words matched, as text: markup in a title stays text', async () => {
    const nikon = named('Nikon_D70.jpg');
    const { version } = (await (await fetch(`${base}/assets/${nikon.assetId}`)).json()) as AssetRecord;
    const edited = await fetch(`${base}/assets/${nikon.assetId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'if-match': `"${version}"` },
      body: JSON.stringify({ title: '<b onmouseover="alert(1)">Lighthouse</b> at dusk' }),
    });
    expect(edited.status).toBe(200);
    const page = await signedIn('admin', '/find?q=lighth');
    const snippet = page.locator(`[data-asset="${nikon.assetId}"] .snippet`);
    await expect.poll(() => snippet.locator('mark').allTextContents()).toEqual(['Lighthouse']);
    expect(await snippet.textContent()).toBe('title: <b onmouseover="alert(1)">Lighthouse</b> at dusk');
    expect(await snippet.locator('b').count()).toBe(0);
    await page.goto(`${base}/find?q=canon`);
    await expect.poll(() => page.locator('.cell mark').count()).toBeGreaterThanOrEqual(1);
    expect(new Set((await page.locator('.cell mark').allTextContents()).map((word) => word.toLowerCase()))).toEqual(new Set(['canon']));
    await screenshot(page, 'search-highlights');
  });

  it('every view has no serious or critical accessibility violation (axe-core)', async () => {
    const canon = named('Canon_40D.jpg');
    const [holiday] = await collectionsNamed('Holiday');
    const context = await browser.newContext({ viewport: { width: 1000, height: 750 } });
    contexts.push(context);
    const signIn = await context.newPage();
    await signIn.goto(`${base}/sign-in`);
    await signIn.getByLabel('API key').waitFor();
    const found: Record<string, unknown> = { 'sign-in': await seriousViolations(signIn) };
    await screenshot(signIn, 'a11y-sign-in');
    const views = {
      library: ['/', '.cell img'],
      search: ['/find?q=canon', '.cell'],
      asset: [`/asset/${canon.assetId}`, 'img.proxy'],
      upload: ['/upload', 'input[type=file]'],
      collections: ['/albums', '.collections-tree a'],
      collection: [`/albums/${holiday!.id}`, '.cell'],
      favourites: ['/albums/favourites', 'h2'],
      operations: ['/operations', '[data-testid=audit] tbody tr'],
    } as const;
    const page = await signedIn('admin', '/');
    for (const [view, [path, ready]] of Object.entries(views)) {
      await page.goto(`${base}${path}`);
      await page.locator(ready).first().waitFor();
      found[view] = await seriousViolations(page);
      await screenshot(page, `a11y-${view}`);
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((view) => [view, []])));
  });

  it('at phone width, the collections views fit the screen: nothing scrolls sideways', async () => {
    const [holiday] = await collectionsNamed('Holiday');
    const page = await signedIn('admin', '/albums');
    await page.setViewportSize({ width: 390, height: 800 });
    for (const [view, path] of [['collections', '/albums'], ['collection', `/albums/${holiday!.id}`], ['library', '/']] as const) {
      await page.goto(`${base}${path}`);
      await page.locator('h2, .cell').first().waitFor();
      await screenshot(page, `phone-${view}`);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), view).toBe(true);
    }
  });

  it('keeps a collection made while the list first loads, when that first list answers after the next', async () => {
    const page = await signedIn('admin', '/');
    const listing = (request: Request) => request.method() === 'GET' && new URL(request.url()).pathname === '/collections';
    let created = false;
    const release = await holdAnswers(page, /\/collections$/, (request) => listing(request) && !created);
    const listed = page.waitForRequest(listing);
    await page.getByRole('link', { name: 'Collections', exact: true }).click();
    await listed;
    await page.getByLabel('Name', { exact: true }).fill('Made early');
    created = true;
    await page.getByRole('button', { name: 'Create collection' }).click();
    const made = page.getByRole('link', { name: 'Made early' });
    await made.waitFor();
    const lateList = page.waitForEvent('requestfinished', listing);
    release();
    await lateList;
    await page.waitForTimeout(500);
    expect(await made.count()).toBe(1);
    await page.close();
  });

  it('a double click makes one collection; a child collection opens with none of its parent\'s assets or selection; favourites list the latest first', async () => {
    const page = await signedIn('admin', '/albums');
    await page.getByLabel('Name', { exact: true }).fill('Twice');
    await page.getByRole('button', { name: 'Create collection' }).dblclick();
    await page.getByRole('link', { name: 'Twice' }).waitFor();
    await page.waitForTimeout(500);
    const twice = await collectionsNamed('Twice');
    expect(twice).toHaveLength(1);
    const inner = await fetch(`${base}/collections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Inner', parentId: twice[0]!.id }) });
    expect(inner.status).toBe(201);
    expect((await fetch(`${base}/collections/${twice[0]!.id}/assets/${named('Canon_40D.jpg').assetId}`, { method: 'PUT' })).ok).toBe(true);

    await page.getByRole('link', { name: 'Twice' }).click();
    await expect.poll(() => page.getByTestId('count').textContent()).toBe('1 asset');
    await box(page, 'Canon_40D.jpg').check();
    await page.getByRole('status').filter({ hasText: '1 selected' }).waitFor();
    await page.getByRole('navigation', { name: 'Inside this collection' }).getByRole('link', { name: 'Inner' }).click();
    await page.getByRole('heading', { name: 'Inner' }).waitFor();
    await expect.poll(() => page.getByTestId('count').textContent()).toBe('0 assets');
    expect(await page.locator('.cell').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Selected assets' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Library' }).click();
    for (const name of ['Nikon_D70.jpg', 'Pentax_K10D.jpg']) {
      const star = page.locator(`[data-asset="${named(name).assetId}"] .star`);
      await star.click();
      await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');
    }
    await page.getByRole('link', { name: 'Collections' }).click();
    await page.getByRole('link', { name: '★ Favourites' }).click();
    const order = () => page.locator('.cell').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-asset')));
    await expect.poll(order).toEqual(['Pentax_K10D.jpg', 'Nikon_D70.jpg'].map((name) => named(name).assetId));
    await page.close();
  });

  it('threw no error and met no 401 in any page', async () => {
    await Promise.all(contexts.map((context) => context.close()));
    expect(pageErrors).toEqual([]);
    expect(refused).toEqual([]);
  });
});
