import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { AssetRecord } from '../../projections/assetRecord';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { lakeOverFolder } from '../support/lake';
import { addTestUser } from '../support/principals';
import { buildWebUi, holdAnswers, launchChromium, servedToAdmin, signedInTab, type PageProblems } from '../support/webUi';

const PICTURES = ['Canon_40D.jpg', 'Nikon_D70.jpg', 'Pentax_K10D.jpg', 'Fujifilm_FinePix_E500.jpg', 'Sony_HDR-HC3.jpg'];

/** What has the keyboard's focus, as a person would name it: its accessible label, else its text, after its tag. */
const FOCUSED = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return 'BODY';
  return element.tagName + ' ' + (element.getAttribute('aria-label') || element.textContent || '').trim();
})()`;

/**
 * The web UI from the keyboard, and as a screen reader hears it: controls
 * that keep the focus while their request is out, a conflict dialog that
 * takes it and gives it back, views that say where the user is, and the
 * focus kept when the control used, or the tile it sits in, goes. Real
 * `serve`, Debian's Chromium.
 */
describe('the web UI from the keyboard', () => {
  const folder = temporaryDirectory('medialake-web-keyboard-');
  let lake: Awaited<ReturnType<typeof lakeOverFolder>>['lake'];
  let byName: Map<string, AssetRecord>;
  let app: FastifyInstance;
  let base: string;
  let apiKey: string;
  let fetch: typeof globalThis.fetch;
  let browser: Browser;
  let context: BrowserContext;
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  const problems: PageProblems = { pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] };

  beforeAll(async () => {
    for (const name of PICTURES) copyFileSync(fixture(`jpg/${name}`), join(folder.path, name));
    [{ lake, byName }, web, browser] = await Promise.all([lakeOverFolder(folder.path), buildWebUi(), launchChromium()]);
    await addTestUser(lake, 'bob', 'editor');
    ({ app, base, apiKey, fetch } = await servedToAdmin(lake, web.path));
    context = await browser.newContext({ viewport: { width: 1000, height: 750 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await lake?.close();
    for (const directory of [folder, web]) directory?.remove();
  });

  const signedIn = (path: string) => signedInTab(context, base, apiKey, path, problems);
  const focused = (page: Page) => page.evaluate<string>(FOCUSED);

  it('a role is chosen in its menu and applied by its button: arrowing through the menu changes nobody', async () => {
    const page = await signedIn('/admin');
    const patches: string[] = [];
    page.on('request', (request) => request.method() === 'PATCH' && patches.push(request.url()));
    const menu = page.getByLabel('Role of bob');
    await menu.focus();
    await page.keyboard.press('ArrowUp');
    expect(await menu.inputValue()).toBe('admin');
    await page.waitForTimeout(500);
    expect(patches).toEqual([]);
    expect((await lake.principals.userNamed('bob'))?.role).toBe('editor');

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe("BUTTON Apply bob's role");
    // Playwright may tell of a request after the server has handled it: its answer comes after both.
    const answered = page.waitForResponse((response) => response.request().method() === 'PATCH');
    await page.keyboard.press('Enter');
    await answered;
    await expect.poll(async () => (await lake.principals.userNamed('bob'))?.role).toBe('admin');
    expect(patches).toHaveLength(1);
    // The button stayed, and kept the focus, while its request was out and after.
    expect(await focused(page)).toBe("BUTTON Apply bob's role");
    await page.close();
  });

  it('Save pressed from the keyboard keeps the focus while its request is out, marked unavailable rather than disabled', async () => {
    const canon = byName.get('Canon_40D.jpg')!;
    const page = await signedIn(`/asset/${canon.assetId}`);
    await page.getByLabel('Title', { exact: true }).fill('Held');
    const release = await holdAnswers(page, new RegExp(`/assets/${canon.assetId}$`), (request) => request.method() === 'PATCH');
    const save = page.getByRole('button', { name: 'Save', exact: true });
    const asked = page.waitForRequest((request) => request.method() === 'PATCH');
    await save.focus();
    await page.keyboard.press('Enter');
    await asked;
    await expect.poll(() => save.getAttribute('aria-disabled')).toBe('true');
    expect(await focused(page)).toBe('BUTTON Save');
    // Pressed again while out: nothing more is sent.
    await page.keyboard.press('Enter');
    release();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await focused(page)).toBe('BUTTON Save');
    expect(await save.getAttribute('aria-disabled')).toBeNull();
    await page.close();
  });

  it('the conflict dialog takes the focus as it opens, is named by its heading, closes on Escape with the edit kept, and gives the focus back to Save', async () => {
    const nikon = byName.get('Nikon_D70.jpg')!;
    const page = await signedIn(`/asset/${nikon.assetId}`);
    await page.getByLabel('Title', { exact: true }).waitFor();
    const { version } = (await (await fetch(`${base}/assets/${nikon.assetId}`)).json()) as AssetRecord;
    const theirs = await fetch(`${base}/assets/${nikon.assetId}`, { method: 'PATCH', headers: { 'content-type': 'application/json', 'if-match': `"${version}"` }, body: JSON.stringify({ title: 'Their title' }) });
    expect(theirs.status).toBe(200);
    await page.getByLabel('Title', { exact: true }).fill('My title');
    await page.getByRole('button', { name: 'Save', exact: true }).focus();
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Someone else changed this asset while you edited it' });
    await dialog.waitFor();
    await expect.poll(() => focused(page)).toBe('H3 Someone else changed this asset while you edited it');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('BUTTON Save');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('My title');

    // Saved again, the merge opens again; discarding the user's edit gives the focus back to Save too.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Discard mine' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('BUTTON Save');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Their title');
    await page.close();
  });

  it('each view has its title and heading; a link followed from the keyboard moves the focus to the new view heading, the first load does not', async () => {
    const page = await signedIn('/');
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Library', level: 2 }).waitFor();
    expect(await page.title()).toBe('Library · medialake');
    expect(await focused(page)).toBe('BODY');

    for (const [link, title] of [
      ['Search', 'Search'],
      ['Upload', 'Upload'],
      ['Operations', 'Operations'],
      ['Collections', 'Collections'],
    ]) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: link! }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.title()).toBe(`${title} · medialake`);
      await expect.poll(() => focused(page)).toBe(`H2 ${title}`);
    }
    // Operations' sections sit under its heading: no level skipped.
    await page.goBack();
    await expect.poll(() => focused(page)).toBe('H2 Operations');
    await expect.poll(() => page.evaluate<string[]>(`[...document.querySelectorAll('h1, h2, h3')].map((heading) => heading.tagName)`)).toEqual(['H1', 'H2', 'H3', 'H3', 'H3', 'H3']);
    await page.close();
  });

  it('the file pickers show the keyboard focus on their buttons, and what the uploads came to is said', async () => {
    const page = await signedIn('/upload');
    const label = page.locator('label.button', { hasText: 'choose files' });
    await label.waitFor();
    const outline = () => page.evaluate<string>(`getComputedStyle([...document.querySelectorAll('label.button')].find((label) => label.textContent.includes('choose files'))).outlineStyle`);
    expect(await outline()).toBe('none');
    await page.getByRole('heading', { name: 'Upload' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^INPUT/);
    expect(await outline()).toBe('solid');

    await label.locator('input').setInputFiles(fixture('jpg/Canon_40D.jpg'));
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'file' }).textContent()).toBe('1 file: 0 ingested, 1 already in the lake, 0 failed.');
    await page.close();
  });

  it('a tile keeps the focus when an upload arrives over /live and moves it to the next row', async () => {
    const page = await signedIn('/');
    await expect.poll(() => page.locator('.cell').count()).toBe(PICTURES.length);
    // The last box of the first row: the new asset, first, pushes its tile to the second row.
    const name = await page.evaluate<string>(`(() => {
      const cells = [...document.querySelectorAll('.cell')];
      const top = cells[0].getBoundingClientRect().top;
      const box = cells.filter((cell) => cell.getBoundingClientRect().top === top).at(-1).querySelector('input');
      box.focus();
      box.dataset.kept = 'yes';
      return box.getAttribute('aria-label');
    })()`);
    const sharp = (await import('sharp')).default;
    const fresh = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 20, g: 160, b: 90 } } }).jpeg().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fresh)]), 'arrival.jpg');
    const uploaded = await fetch(`${base}/assets`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    const { assetId } = (await uploaded.json()) as { assetId: string };
    await page.locator(`[data-asset="${assetId}"]`).waitFor();
    await page.locator(`[data-asset="${assetId}"] img`).waitFor();
    const moved = await page.evaluate<boolean>(`document.activeElement.closest('.cell').getBoundingClientRect().top > document.querySelector('.cell').getBoundingClientRect().top`);
    expect(moved).toBe(true);
    expect(await page.evaluate<string | undefined>('document.activeElement.dataset.kept')).toBe('yes');
    expect(await focused(page)).toBe(`INPUT ${name}`);
    await page.close();
  });

  it('the focus goes to a neighbour when the control used goes: a facet chosen and taken off, the selection cleared, a share taken off', async () => {
    const page = await signedIn('/find');
    const camera = page.getByRole('group', { name: 'Camera' });
    await camera.locator('button[data-facet]').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/make=/);
    await expect.poll(() => focused(page)).toMatch(/^BUTTON .* ✕$/);
    expect(await page.getByTestId('total').getAttribute('role')).toBe('status');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => !url.searchParams.has('make'));
    await expect.poll(() => page.evaluate<boolean>(`document.activeElement === document.querySelector('[data-facet-group="make"] button[data-facet]')`)).toBe(true);

    await page.goto(`${base}/`);
    await page.locator('.cell input').first().focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Clear selection' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('H2 Library');

    const created = await fetch(`${base}/collections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Press', parentId: null }) });
    const { collectionId } = (await created.json()) as { collectionId: string };
    for (const group of ['desk', 'metrics']) {
      const shared = await fetch(`${base}/collections/${collectionId}/shares`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: { kind: 'group', id: group }, role: 'viewer' }) });
      expect(shared.ok).toBe(true);
    }
    await page.goto(`${base}/albums/${collectionId}`);
    await page.getByRole('button', { name: 'Unshare desk' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Unshare desk' }).waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toBe('BUTTON Unshare metrics');

    // (Console errors are expected here: the conflict's 409s, a new asset's thumbnail asked for before it is made.)
    expect({ ...problems, consoleErrors: [] }).toEqual({ pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] });
    await page.close();
  });
});
