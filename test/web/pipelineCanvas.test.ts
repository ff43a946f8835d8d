import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { checkDefinition } from '../../processors/pipelines/definitionCheck';
import { ingestDirectory } from '../../producers/directory';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { backBeforeLateAnswer, buildWebUi, launchChromium, servedToAdmin, signedInTab, type PageProblems } from '../support/webUi';
import { screenshot, seriousViolations } from '../support/browserChecks';

const PRESS = readFileSync(join(import.meta.dirname, '../fixtures/pipelines/press.yaml'), 'utf8');

/** Issue 21's canvas: the press pipeline drawn by dragging from the palette, deployed, and one of its runs, in Chromium on `serve`. */
describe('the pipeline canvas in a browser, on a real lake', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let apiKey: string;
  let fetch: typeof globalThis.fetch;
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  const media = temporaryDirectory('medialake-canvas-media-');
  const problems: PageProblems = { pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] };

  beforeAll(async () => {
    [lake, web, browser] = await Promise.all([openTestLake(), buildWebUi(), launchChromium()]);
    lake.start();
    ({ app, base, apiKey, fetch } = await servedToAdmin(lake, web.path));
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await lake?.close();
    for (const directory of [media, web]) directory?.remove();
  });

  const signedIn = (path: string) => signedInTab(context, base, apiKey, path, problems);
  const card = (page: Page, id: string) => page.locator(`.react-flow__node:has([data-step="${id}"])`);

  it('builds the press pipeline by dragging its nodes from the palette, refuses a bad size on its node, and deploys what the fixture says', async () => {
    const page = await signedIn('/pipeline');
    // The lake's default pipelines are there from its first open.
    await page.locator('[data-pipeline="default-images"]').waitFor();
    await page.getByRole('link', { name: 'New pipeline' }).click();
    await page.waitForURL(/\/canvas$/);
    const pane = page.locator('.react-flow__pane');
    await page.locator('[data-palette="watermark"]').dragTo(pane, { targetPosition: { x: 120, y: 120 } });
    await page.locator('[data-palette="rendition"]').dragTo(pane, { targetPosition: { x: 420, y: 160 } });
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);

    const form = page.locator('.node-form');
    await page.getByRole('button', { name: 'watermark', exact: true }).click();
    await form.getByLabel('id', { exact: true }).fill('logo');
    await form.getByLabel('image').fill('test/fixtures/pipelines/agency-logo.png');
    await form.getByLabel('gravity').selectOption({ label: 'southeast' });
    await form.getByLabel('opacity').fill('0.6');

    await page.getByRole('button', { name: 'rendition', exact: true }).click();
    await form.getByLabel('id', { exact: true }).fill('variant');
    await form.getByLabel('name').fill('press');
    await form.getByLabel('size').fill('0');
    await form.getByLabel('format').selectOption({ label: 'jpeg' });
    await form.getByLabel('attempts').fill('2');
    await form.getByLabel('backoffMs').fill('100');

    // An edge drawn from the logo's output handle to the variant's input handle.
    await card(page, 'logo').locator('.react-flow__handle.source').dragTo(card(page, 'variant').locator('.react-flow__handle.target'));
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);

    const header = page.getByRole('group', { name: 'Pipeline', exact: true });
    await header.getByLabel('name').fill('press');
    await header.getByLabel('version').fill('1');
    await header.getByLabel('description').fill('a watermarked 2048 px JPEG of every image under press/');
    await page.locator('#trigger-event').selectOption({ label: 'ingested' });
    await page.locator('#trigger-filter-mediaType').getByLabel('image').check();
    await page.locator('#trigger-filter-prefix').fill('press/');
    await page.getByLabel('nodes.variant.objectKey').check();

    // The server's check names nodes[1].parameters.size: the variant's card shows it, and Deploy is refused.
    // (The check runs a moment after the last change: until then, the problems of the form half filled show.)
    await page.getByRole('region', { name: 'Problems' }).getByRole('heading', { name: '1 problem' }).waitFor();
    await card(page, 'variant').getByText(/^parameters\.size: Too small/).waitFor();
    expect(await card(page, 'logo').locator('.step-problems').count()).toBe(0);
    await screenshot(page, 'canvas-invalid-size');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByRole('status').getByText(/^Not deployed: the check found a problem/).waitFor();
    expect((await fetch(`${base}/pipelines/press`)).status).toBe(404);

    await form.getByLabel('size').fill('2048');
    await page.getByText('The check finds no problem.').waitFor();
    const sent = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/pipelines');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByRole('status').getByText('Deployed press version 1.').waitFor();
    await screenshot(page, 'canvas-deployed');

    // What the canvas sent is the fixture, field for field; what the lake stored is the fixture as the lake checks it.
    expect(JSON.parse((await sent).postData()!)).toEqual(parse(PRESS));
    const stored = (await (await fetch(`${base}/pipelines/press`)).json()) as { definition: unknown; version: number; enabled: boolean };
    expect(stored).toMatchObject({ version: 1, enabled: true });
    expect(stored.definition).toEqual(checkDefinition(parse(PRESS), lake.pipelines.catalogue));
  });

  it('shows runs in the execution view: over a matching image both nodes succeeded, with tries and times; a failure shows its message on its node', async () => {
    mkdirSync(join(media.path, 'press'));
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(media.path, 'press', 'harbour.jpg'));
    await ingestDirectory(ingestContext(lake), media.path);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'press' });
    expect(execution).toMatchObject({ status: 'completed', version: 1 });

    const page = await signedIn('/pipeline');
    const row = page.locator('[data-pipeline="press"]');
    await row.waitFor();
    expect(await row.locator('td').allInnerTexts()).toEqual(['press', '1', 'yes', '0', '1', '0', expect.stringContaining('Disable')]);
    await screenshot(page, 'pipelines');
    await row.getByRole('link', { name: 'press' }).click();
    await page.getByTestId('executions').waitFor();
    await screenshot(page, 'executions');
    await page.getByRole('link', { name: execution!.startedAt }).click();
    await page.waitForURL(new RegExp(`/execution/${execution!.executionId}$`));

    for (const node of ['logo', 'variant']) {
      await expect.poll(() => page.locator(`[data-step="${node}"]`).getAttribute('data-state')).toBe('succeeded');
      expect(await page.locator(`[data-node="${node}"] td`).allInnerTexts()).toEqual([node, node === 'logo' ? 'watermark' : 'rendition', 'succeeded', '1', expect.stringMatching(/^\d+ ms$/), '']);
    }
    expect(await page.getByTestId('execution-status').innerText()).toBe('completed');
    await screenshot(page, 'execution');

    // A run whose first node fails (its logo removed after the deploy checked it): its message on the node, and the node after it never run.
    const logo = join(media.path, 'gone-logo.png');
    copyFileSync(join(import.meta.dirname, '../fixtures/pipelines/agency-logo.png'), logo);
    const broken = { name: 'broken', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'logo', type: 'watermark', parameters: { image: logo }, retry: { attempts: 1 } }, { id: 'variant', type: 'rendition', parameters: { name: 'broken', size: 64 } }], edges: [{ from: 'logo', to: 'variant' }] };
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/pipelines', broken)).status).toBe(201);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    rmSync(logo);
    expect((await post('/pipelines/broken/runs', { assetIds: [execution!.assetId] })).status).toBe(202);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [failed] = await lake.pipelines.history.executions({ pipeline: 'broken' });
    expect(failed).toMatchObject({ status: 'failed', failedNode: 'logo' });
    await page.goto(`${base}/execution/${failed!.executionId}`);
    await expect.poll(() => page.locator('[data-step="logo"]').getAttribute('data-state')).toBe('failed');
    // Shown on the nodes (innerText: what is visible), whether or not React Flow has measured them yet, and in the table beside them.
    await expect.poll(() => page.locator('[data-step="logo"] .run-error').innerText()).toContain('gone-logo.png');
    await expect.poll(() => page.locator('[data-step="variant"]').innerText()).toContain('not run');
    expect(await page.locator('[data-node="logo"] td').allInnerTexts()).toEqual(['logo', 'watermark', 'failed', '1', expect.stringMatching(/^\d+ ms$/), expect.stringContaining('gone-logo.png')]);
    expect(await page.locator('[data-node="variant"] td').allInnerTexts()).toEqual(['variant', 'rendition', 'not run', '—', '—', '']);
    await screenshot(page, 'execution-failed');
    // Nodes the browser has not reported the sizes of yet (here it never does) show all the same.
    await page.addInitScript(() => {
      (globalThis as { ResizeObserver?: unknown }).ResizeObserver = class {
        observe() {}
        unobserve() {}
        disconnect() {}
      };
    });
    await page.reload();
    await expect.poll(() => page.locator('[data-step="logo"] .run-error').innerText()).toContain('gone-logo.png');
  });

  it('shows the execution gone back to, when the one left answers after it', async () => {
    const [press] = await lake.pipelines.history.executions({ pipeline: 'press' });
    const [broken] = await lake.pipelines.history.executions({ pipeline: 'broken' });
    const page = await signedIn(`/execution/${press!.executionId}`);
    const status = page.getByTestId('execution-status');
    await expect.poll(() => status.textContent()).toBe('completed');
    const record = (execution: { executionId: string }) => new RegExp(`/pipelines/executions/${execution.executionId}$`);
    await backBeforeLateAnswer(page, `/execution/${broken!.executionId}`, record(broken!), record(press!));
    expect(await status.count()).toBe(1);
    expect(await status.textContent()).toBe('completed');
    await page.close();
  });

  it('opens the deployed pipeline on the canvas, laid out left to right, ready for its next version, its edges taking conditions', async () => {
    const page = await signedIn('/pipeline');
    await page.locator('[data-pipeline="press"]').getByRole('link', { name: 'Edit on canvas' }).click();
    await card(page, 'variant').waitFor();
    const [logo, variant] = await Promise.all([card(page, 'logo').boundingBox(), card(page, 'variant').boundingBox()]);
    expect(variant!.x).toBeGreaterThan(logo!.x + logo!.width);
    expect(await page.getByRole('group', { name: 'Pipeline', exact: true }).getByLabel('version').inputValue()).toBe('2');
    await page.getByText('The check finds no problem.').waitFor();
    await screenshot(page, 'canvas-opened');

    // From the keyboard: a node, named by its id and type, is reached by Tab and selected by Enter; the side form edits that node, and the Nodes buttons select on the canvas.
    const legend = page.locator('.node-form > legend');
    for (const [id, type] of [
      ['variant', 'rendition'],
      ['logo', 'watermark'],
    ]) {
      await page.getByRole('group', { name: `Node ${id} (${type})`, exact: true }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => legend.textContent()).toBe(`Node ${id} (${type})`);
      expect(await page.getByRole('button', { name: id, exact: true }).getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('.react-flow__node.selected').count()).toBe(1);
    }
    await page.getByRole('button', { name: 'variant', exact: true }).click();
    await expect.poll(() => card(page, 'variant').getAttribute('class')).toContain('selected');
    expect(await card(page, 'logo').getAttribute('class')).not.toContain('selected');
    expect(await legend.textContent()).toBe('Node variant (rendition)');

    // A condition on the edge, from the definition's schema, checked like the rest: the watermark has no outputs.
    await page.getByText('always (add a condition)').click();
    await page.locator('#edge-0-when-path').fill('nodes.logo.width');
    await page.locator('#edge-0-when-exists').selectOption({ label: 'true' });
    await page.locator('.edges').getByText(/^edges\[0\]\.when\.path: node "logo" \(watermark\) has no output "width"/).waitFor();
    await page.locator('#edge-0-when-path').fill('asset.size');
    await page.getByText('The check finds no problem.').waitFor();
    expect(await page.locator('.react-flow__edge-text').textContent()).toBe('when asset.size');

    // Disabling from the list stops its triggers; the lake says so once it has folded the event.
    await page.goto(`${base}/pipeline`);
    await page.getByRole('button', { name: 'disable press' }).click();
    await page.getByRole('button', { name: 'enable press' }).waitFor();
    await expect.poll(async () => ((await (await fetch(`${base}/pipelines/press`)).json()) as { enabled: boolean }).enabled).toBe(false);
    const later = page.getByRole('status').filter({ hasText: 'counts from the next start' });
    expect(await later.count()).toBe(0);
    // A default pipeline runs as the processors: its change counts from their next start, and the list says so.
    await page.getByRole('button', { name: 'disable default-images' }).click();
    await later.waitFor();
    await page.getByRole('button', { name: 'enable default-images' }).click();

  });

  it('at phone width, a keyboard adds a node by its palette button, every control is labelled, and nothing runs off the side', async () => {
    await context.close();
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await signedIn('/canvas');
    await page.getByRole('button', { name: 'Add set-metadata' }).focus();
    await page.keyboard.press('Enter');
    await card(page, 'set-metadata').waitFor();
    await page.locator('.node-form').getByLabel('title').fill('Press');
    await page.getByText('The check finds no problem.').or(page.getByRole('region', { name: 'Problems' })).waitFor();
    // The test program is typed without the DOM's library: what runs in the page is given as text.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'canvas-phone');

    expect(problems).toEqual({ pageErrors: [], consoleErrors: [], cspViolations: [], unauthorized: [] });
  });
});
