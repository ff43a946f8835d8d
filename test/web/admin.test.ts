import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { openTestLake } from '../support/lake';
import { addTestUser, bearer } from '../support/principals';
import { buildWebUi, closeInOrder, launchChromium, serveLake } from '../support/webUi';
import { screenshot } from '../support/browserChecks';

describe('the admin view: users, roles and API keys', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;
  let adminKey: string;
  let editorKey: string;
  const problems: string[] = [];

  beforeAll(async () => {
    [lake, web, browser] = await Promise.all([openTestLake(), buildWebUi(), launchChromium()]);
    lake.start();
    adminKey = await addTestUser(lake, 'ada', 'admin');
    editorKey = await addTestUser(lake, 'eddie', 'editor');
    ({ app, base } = await serveLake(lake, web.path));
  });
  afterAll(async () => {
    await closeInOrder(browser, app, lake);
    web?.remove();
  });

  async function signedIn(apiKey: string, viewport = { width: 900, height: 700 }): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    // Chromium asks for /favicon.ico by itself; the UI has none (the API's JSON 404 answers).
    page.on('console', (message) => message.type() === 'error' && !message.location().url.endsWith('/favicon.ico') && problems.push(message.text()));
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
    return page;
  }

  const me = (apiKey: string) => fetch(`${base}/me`, { headers: bearer(apiKey) });

  it('adds a user, shows their key once, and revokes it: the key works, then is refused', async () => {
    const page = await signedIn(adminKey);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(`${base}/admin`);
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByRole('textbox', { name: 'Name' }).fill('dora');
    await form.getByRole('combobox').selectOption('editor');
    await form.getByRole('button', { name: 'Add user' }).click();
    const shown = page.getByTestId('new-key');
    await expect.poll(() => shown.textContent()).toMatch(/^mlk_[0-9a-f]{12}_/);
    const doraKey = (await shown.textContent())!;
    expect(((await (await me(doraKey)).json()) as { roles: string[] }).roles).toEqual(['editor']);
    const row = page.locator('[data-user="dora"]');
    await row.waitFor();
    await screenshot(page, 'admin');

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(doraKey.slice('mlk_'.length + 13));
    page.on('dialog', (dialog) => void dialog.accept());
    const keyId = doraKey.slice('mlk_'.length, 'mlk_'.length + 12);
    await row.getByRole('button', { name: `Revoke key ${keyId}` }).click();
    await expect.poll(() => row.locator(`[data-key="${keyId}"]`).textContent()).toContain('revoked');
    expect((await me(doraKey)).status).toBe(401);

    // The menu chooses; its button applies (test/web/keyboard.test.ts: arrowing through the menu changes nobody).
    await row.getByLabel('Role of dora').selectOption('viewer');
    await row.getByRole('button', { name: "Apply dora's role" }).click();
    await expect.poll(async () => (await lake.principals.userNamed('dora'))?.role).toBe('viewer');
    expect(problems).toEqual([]);
  });

  it('a double click adds one user, and one key: none is made that is not shown', async () => {
    const page = await signedIn(adminKey);
    await page.goto(`${base}/admin`);
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByRole('textbox', { name: 'Name' }).fill('dana');
    await form.getByRole('button', { name: 'Add user' }).dblclick();
    const row = page.locator('[data-user="dana"]');
    await row.waitFor();
    await row.getByRole('button', { name: 'New key' }).dblclick();
    await expect.poll(() => row.locator('[data-key]').count()).toBe(2);
    await page.waitForTimeout(500);
    const { users } = (await (await fetch(`${base}/users`, { headers: bearer(adminKey) })).json()) as { users: { name: string; keys: unknown[] }[] };
    expect(users.filter((user) => user.name === 'dana').map((user) => user.keys.length)).toEqual([2]);
    expect(problems).toEqual([]);
  });

  it('is offered to admins only: an editor sees no Admin link, the view says whose it is, and the API refuses them the users', async () => {
    const page = await signedIn(editorKey, { width: 390, height: 800 });
    await page.getByRole('link', { name: 'Operations' }).waitFor();
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(((await (await me(editorKey)).json()) as { may: string[] }).may).toEqual(['upload', 'manageCollections']);
    await page.goto(`${base}/admin`);
    await page.getByText('Users and API keys are managed by admins.').waitFor();
    expect(await page.getByRole('form').count()).toBe(0);
    expect((await fetch(`${base}/users`, { headers: bearer(editorKey) })).status).toBe(403);
  });

  it("shows the role a user has after a change is refused: the last admin's stays admin in the menu", async () => {
    const page = await signedIn(adminKey);
    await page.getByRole('link', { name: 'Admin' }).click();
    const role = page.getByLabel("Role of ada");
    await role.selectOption('viewer');
    await page.getByRole('button', { name: "Apply ada's role" }).click();
    await page.getByRole('alert').filter({ hasText: 'last admin' }).waitFor();
    await expect.poll(() => role.inputValue()).toBe('admin');
  });
});
