import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { temporaryDirectory } from '../support/fixtures';
import { photosWithCopies, tinyClipLake } from '../support/tinyClipLake';
import { buildWebUi, closeInOrder, launchChromium, servedToAdmin, signedInTab, type PageProblems } from '../support/webUi';
import { screenshot } from '../support/browserChecks';

const PHOTOS = { 'canon.jpg': 'jpg/Canon_40D.jpg', 'nikon.jpg': 'jpg/Nikon_D70.jpg', 'pentax.jpg': 'jpg/Pentax_K10D.jpg' };
/** The photos and the two copies photosWithCopies makes: every image has an embedding, the note has none. */
const IMAGES = 5;
const TEXT = 'a red car parked in front of a house';

/**
 * The search view's semantic mode on a lake that embeds with the tiny CLIP
 * model (test/fixtures/tiny-clip): its rankings mean nothing, so the test
 * checks that the page shows the API's semantic ranking, in its order.
 */
describe('semantic search in the web UI, on the tiny CLIP model', () => {
  const folder = temporaryDirectory('medialake-web-semantic-');
  let lake: Awaited<ReturnType<typeof tinyClipLake>>['lake'];
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;
  let apiKey: string;
  let fetch: typeof globalThis.fetch;
  const problems: PageProblems = { pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] };

  beforeAll(async () => {
    await photosWithCopies(folder.path, PHOTOS, TEXT);
    [{ lake }, web, browser] = await Promise.all([tinyClipLake(folder.path, {}), buildWebUi(), launchChromium()]);
    ({ app, base, apiKey, fetch } = await servedToAdmin(lake, web.path));
  });
  afterAll(async () => {
    await closeInOrder(browser, app, lake);
    for (const directory of [folder, web]) directory?.remove();
  });

  it('switching to semantic mode shows every embedded image, ranked as the API ranks them, and the URL keeps the mode', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const page: Page = await signedInTab(context, base, apiKey, `/find?q=${encodeURIComponent(TEXT)}`, problems);
    // The radio follows the URL, which the router updates in a transition: a click, then the URL and the radio (check() would want the state at once).
    const semantic = page.getByRole('radio', { name: 'semantic' });
    await semantic.click();
    await page.waitForURL(/mode=semantic/);
    await expect.poll(() => semantic.isChecked()).toBe(true);
    const ranked = (await (await fetch(`${base}/search?mode=semantic&limit=100&q=${encodeURIComponent(TEXT)}`)).json()) as { hits: { assetId: string }[] };
    expect(ranked.hits).toHaveLength(IMAGES);
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`${IMAGES} found`);
    await expect.poll(() => page.locator('.cell').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-asset')))).toEqual(ranked.hits.map((hit) => hit.assetId));
    await screenshot(page, 'search-semantic');

    const again = await signedInTab(context, base, apiKey, new URL(page.url()).pathname + new URL(page.url()).search, problems);
    expect(await again.getByRole('radio', { name: 'semantic' }).isChecked()).toBe(true);
    await expect.poll(() => again.getByTestId('total').textContent()).toBe(`${IMAGES} found`);
    await context.close();
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] });
  });
});
