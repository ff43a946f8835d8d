import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { AssetRecord } from '../../projections/assetRecord';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { lakeOverFolder } from '../support/lake';
import { addTestUser, fetchAs } from '../support/principals';
import { buildWebUi, closeInOrder, launchChromium, serveLake } from '../support/webUi';

/**
 * The asset view offers only what the caller may do with the asset, as GET
 * /assets/:id tells (`may`): the edit form (Save) to those who may edit it,
 * the original to those who may download it, Reprocess to admins. Vera is a
 * viewer with a viewer share on Holiday, Bob a viewer with an editor share
 * on it, Eve an editor; Holiday holds both pictures.
 */
describe('the asset view offers what the caller may do', () => {
  const folder = temporaryDirectory('medialake-web-actions-');
  let lake: Awaited<ReturnType<typeof lakeOverFolder>>['lake'];
  let byName: Map<string, AssetRecord>;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  const keys = { admin: '', eve: '', bob: '', vera: '' };
  const pageErrors: string[] = [];
  /** Requests the API refused (401, 403) in any page: the view offered nothing that is refused. */
  const refused: string[] = [];

  beforeAll(async () => {
    for (const name of ['Canon_40D.jpg', 'corrupted.jpg']) copyFileSync(fixture(`jpg/${name}`), join(folder.path, name));
    [{ lake, byName }, web, browser] = await Promise.all([lakeOverFolder(folder.path), buildWebUi(), launchChromium()]);
    keys.admin = await addTestUser(lake, 'admin', 'admin');
    keys.eve = await addTestUser(lake, 'eve', 'editor');
    keys.bob = await addTestUser(lake, 'bob', 'viewer');
    keys.vera = await addTestUser(lake, 'vera', 'viewer');
    ({ app, base } = await serveLake(lake, web.path));
    const fetch = fetchAs(keys.admin);
    const send = async (method: string, path: string, body?: object) => {
      const response = await fetch(`${base}${path}`, { method, ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
      return (await response.json()) as { collectionId: string };
    };
    const { collectionId } = await send('POST', '/collections', { name: 'Holiday' });
    for (const record of byName.values()) await send('PUT', `/collections/${collectionId}/assets/${record.assetId}`);
    for (const [name, role] of [['bob', 'editor'], ['vera', 'viewer']]) {
      const subject = { kind: 'principal', id: `user:${(await lake.principals.userNamed(name!))!.userId}` };
      await send('PUT', `/collections/${collectionId}/shares`, { subject, role });
    }
  });
  afterAll(async () => {
    await closeInOrder(browser, app, lake);
    for (const directory of [folder, web]) directory?.remove();
  });

  /** `who`'s tab on the asset named `name`, once its view has loaded. */
  async function assetPage(who: keyof typeof keys, name: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1000, height: 750 } })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => [401, 403].includes(response.status()) && refused.push(`${who}: ${response.request().method()} ${response.url()}`));
    await page.goto(`${base}/asset/${byName.get(name)!.assetId}`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('API key').fill(keys[who]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'Downloads' }).waitFor();
    return page;
  }
  const save = (page: Page) => page.getByRole('button', { name: 'Save', exact: true });
  const original = (page: Page) => page.getByRole('link', { name: /^Original/ });
  const reprocess = (page: Page) => page.getByTestId('failures').getByRole('button', { name: 'Reprocess' });

  it("a viewer's asset page has no Save button and no original to download: they may only view it", async () => {
    const page = await assetPage('vera', 'Canon_40D.jpg');
    expect(await save(page).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Edit' }).count()).toBe(0);
    expect(await original(page).count()).toBe(0);
    await page.close();
  });

  it("an editor's asset page has the Save button and the original, a viewer's with an editor share too, and Save saves", async () => {
    for (const who of ['eve', 'bob'] as const) {
      const page = await assetPage(who, 'Canon_40D.jpg');
      await save(page).waitFor();
      expect(await original(page).count()).toBe(1);
      await page.getByRole('textbox', { name: 'Title' }).fill(`titled by ${who}`);
      await save(page).click();
      await expect.poll(() => page.getByRole('form', { name: 'Edit' }).getByRole('status').textContent()).toBe('Saved.');
      await page.close();
    }
  });

  it('a failed asset shows why to all, and offers Reprocess to an admin only', async () => {
    const reason = byName.get('corrupted.jpg')!.failures[0]!.message;
    for (const [who, offered] of [['vera', 0], ['eve', 0], ['admin', 1]] as const) {
      const page = await assetPage(who, 'corrupted.jpg');
      await expect.poll(() => page.getByTestId('failures').textContent()).toContain(reason);
      expect(await reprocess(page).count(), who).toBe(offered);
      await page.close();
    }
    expect(pageErrors).toEqual([]);
    expect(refused).toEqual([]);
  });
});
