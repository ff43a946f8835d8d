import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Download, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createCollection } from '../../producers/collections';
import { openTestLake } from '../support/lake';
import { editDraft } from '../support/events';
import type { EventDraft } from '../../schemas/envelope';
import { buildWebUi, closeInOrder, holdAnswers, launchChromium, servedToAdmin, signedInTab, type PageProblems } from '../support/webUi';

/** More entries by one actor than two of the route's largest pages (1000), so the export needs a third. */
const ERINS_EDITS = 2345;
/** A source that CSV must quote, over two lines (a payload would be JSON, its line breaks escaped): one entry, however many lines it takes. */
const AWKWARD_SOURCE = 'api\r\nvia "a proxy", two lines';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

const downloaded = async (download: Download) => (await (await download.createReadStream()).toArray()).join('');

describe('the operations view of a large lake: the audit trail exported past a page, dead letters a page at a time', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;
  let apiKey: string;
  const problems: PageProblems = { pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] };
  /** The event ids of erin's edits, which the export filtered by her must hold, and of frank's, which it must not. */
  const erins: string[] = [];
  const franks: string[] = [];

  /** Appends the edits in batches, as many clients' PATCHes would: the audit trail is a projection of the log. */
  async function appendEdits(actor: string, count: number, ids: string[]): Promise<void> {
    const assetId = randomUUID();
    const drafts: EventDraft[] = Array.from({ length: count }, (_, n) => ({ ...editDraft(assetId, `title ${n}`), actor, ...(n === 0 && { source: AWKWARD_SOURCE }) }));
    for (let start = 0; start < drafts.length; start += 500) ids.push(...(await lake.log.append(drafts.slice(start, start + 500))).map((event) => event.id));
  }

  beforeAll(async () => {
    [lake, web, browser] = await Promise.all([openTestLake(), buildWebUi(), launchChromium()]);
    lake.start();
    await appendEdits('erin', ERINS_EDITS, erins);
    await appendEdits('frank', 30, franks);
    await lake.waitForIdle({ timeoutMs: 60_000 });
    ({ app, base, apiKey } = await servedToAdmin(lake, web.path));
  }, 180_000);
  afterAll(async () => {
    await closeInOrder(browser, app, lake);
    web?.remove();
  });

  /** The operations view filtered to erin's entries. */
  async function erinsTrail(): Promise<Page> {
    const page = await signedInTab(await browser.newContext(), base, apiKey, '/operations', problems);
    await page.getByLabel('actor').fill('erin');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(async () => new Set(await page.getByTestId('audit').locator('tbody tr td:nth-child(4)').allTextContents())).toEqual(new Set(['erin']));
    return page;
  }

  it('saves every entry the filters match, each once, under one header, fetching the largest pages the route allows', async () => {
    const page = await erinsTrail();
    const asked: string[] = [];
    page.on('request', (request) => request.url().includes('format=csv') && asked.push(request.url()));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await downloaded(download);

    expect(csv.split('\r\n').filter((line) => line.startsWith('time,asset_id,')).length).toBe(1);
    const seen = new Map<string, number>();
    for (const [id] of csv.matchAll(UUID)) seen.set(id, (seen.get(id) ?? 0) + 1);
    expect(erins.filter((id) => seen.get(id) !== 1)).toEqual([]);
    expect(franks.filter((id) => seen.has(id))).toEqual([]);
    expect(csv).toContain('"api\r\nvia ""a proxy"", two lines"');
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`Exported ${ERINS_EDITS} entries.`);
    expect(asked.map((url) => new URL(url).searchParams.get('limit'))).toEqual(['1000', '1000', '1000']);
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] });
    await page.close();
  });

  it('shows its progress, and the button is disabled until it is done', async () => {
    const page = await erinsTrail();
    // The second page is held back, to see the export under way.
    let pagesAfter = 0;
    const release = await holdAnswers(page, /\/audit\?.*after=/, () => pagesAfter++ === 0);
    const download = page.waitForEvent('download');
    const button = page.getByRole('button', { name: 'Export CSV' });
    await button.click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Exporting: 1000 entries so far…');
    expect(await button.isDisabled()).toBe(true);
    release();
    await download;
    await expect.poll(() => button.isEnabled()).toBe(true);
    await page.close();
  });

  it('keeps its filters in the URL, which another tab opens as they were, and shows older entries page after page', async () => {
    const page = await erinsTrail();
    await page.waitForURL(/\/operations\?actor=erin$/);
    const again = await signedInTab(await browser.newContext(), base, apiKey, '/operations?actor=erin', problems);
    const rows = again.getByTestId('audit').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(200);
    expect(await again.getByLabel('actor').inputValue()).toBe('erin');
    await again.getByRole('button', { name: 'Older entries' }).click();
    await expect.poll(() => rows.count()).toBe(400);
    expect(new Set(await rows.locator('td:nth-child(4)').allTextContents())).toEqual(new Set(['erin']));
    const shown = await rows.locator('td:first-child').allTextContents();
    expect(shown).toEqual([...shown].sort().reverse());
    await Promise.all([page.close(), again.close()]);
  });

  it("lists the dead letters newest first, a hundred at a time, older ones on asking, and one consumer's from its count", async () => {
    const letters = Array.from({ length: 150 }, (_, n) => ({
      group: 'processor:metadata',
      eventId: randomUUID(),
      assetId: `asset-${String(n).padStart(3, '0')}`,
      attempts: 3,
      error: `failure ${n}`,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    }));
    for (const letter of letters) await lake.log.deadLetter(letter);
    const page = await signedInTab(await browser.newContext(), base, apiKey, '/operations', problems);
    const rows = page.getByTestId('dead-letters').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(100);
    await page.getByRole('button', { name: 'Older dead letters' }).click();
    await expect.poll(() => rows.count()).toBe(150);
    expect(await rows.locator('td:nth-child(4)').allTextContents()).toEqual(letters.map((letter) => letter.error).reverse());
    expect(await page.getByRole('button', { name: 'Older dead letters' }).count()).toBe(0);

    // One consumer's, from its count among the consumers: in the URL, which the link back to every consumer's leaves.
    const other = { ...letters[0]!, group: 'processor:renditions', eventId: randomUUID(), error: 'the other consumer', time: '2026-02-01T00:00:00.000Z' };
    await lake.log.deadLetter(other);
    await page.reload();
    await expect.poll(() => rows.count()).toBe(100);
    await page.getByRole('link', { name: '1 of processor:renditions: show them' }).click();
    await page.waitForURL(/\/operations\?deadLetters=processor%3Arenditions$/);
    await expect.poll(() => rows.locator('td:nth-child(4)').allTextContents()).toEqual(['the other consumer']);
    await page.getByRole('link', { name: "show every consumer's" }).click();
    await page.waitForURL(/\/operations$/);
    await expect.poll(async () => (await rows.locator('td:nth-child(4)').allTextContents())[0]).toBe('the other consumer');
    await expect.poll(() => rows.count()).toBe(100);
    await page.close();
  });

  it("shows no rows for a filter the API refuses, only why; and links an entry to its stream's view (a collection's, an asset's)", async () => {
    const own: PageProblems = { pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] };
    const created = await createCollection({ log: lake.log, actor: 'erin', source: 'cli', collections: lake.collections }, 'Press', null);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const page = await signedInTab(await browser.newContext(), base, apiKey, '/operations?actor=erin', own);
    const rows = page.getByTestId('audit').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(200);
    await page.getByLabel('type').fill('Bogus');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('alert').filter({ hasText: 'type' }).waitFor();
    await expect.poll(() => rows.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Older entries' }).count()).toBe(0);
    await page.getByLabel('type').fill('CollectionCreated,UserMetadataUpdated');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.first().locator('td:nth-child(3)').textContent()).toBe('CollectionCreated');
    expect(await rows.first().getByRole('link').getAttribute('href')).toBe(`/albums/${created.assetId}`);
    expect(await rows.nth(1).getByRole('link').getAttribute('href')).toMatch(/^\/asset\/[0-9a-f-]{36}$/);
    await page.close();
  });

  it('a page that fails stops the export with an error, and nothing is saved', async () => {
    const page = await erinsTrail();
    await page.route(/\/audit\?.*format=csv.*after=/, (route) => route.abort('connectionreset'));
    let saved = false;
    page.on('download', () => (saved = true));
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^The export stopped and saved nothing: /);
    await page.waitForTimeout(500);
    expect(saved).toBe(false);
    // The status stays mounted (a live region), with nothing to say.
    expect(await page.getByRole('status').textContent()).toBe('');
    expect(await page.getByRole('button', { name: 'Export CSV' }).isEnabled()).toBe(true);
    await page.close();
  });
});
