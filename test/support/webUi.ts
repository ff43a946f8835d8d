import { build } from 'vite';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server';
import type { Lake } from '../../app/lake';
import { temporaryDirectory } from './fixtures';
import { addTestUser, fetchAs } from './principals';

const WEB_SOURCES = new URL('../../web/', import.meta.url).pathname;

/**
 * The web UI built as `npx vite build web` builds it, into a directory of the
 * calling test's own (test files run side by side; web/dist is the user's).
 */
export async function buildWebUi(): Promise<{ path: string; remove(): void }> {
  const directory = temporaryDirectory('medialake-web-');
  await build({ root: WEB_SOURCES, logLevel: 'error', build: { outDir: directory.path, emptyOutDir: true } });
  return directory;
}

/** `medialake serve`'s HTTP server on the lake, listening on a free port, with the UI from `webBuild`. */
export async function serveLake(lake: Lake, webBuild: string): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildServer(lake, { webBuild });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: address };
}

/** Debian's Chromium, headless: Playwright cannot download its own browsers here. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
}

/** The UI on the lake as `medialake serve` gives it, and an admin's API key to sign in with (and `fetch` that sends it). */
export async function servedToAdmin(lake: Lake, webBuild: string): Promise<{ app: FastifyInstance; base: string; apiKey: string; fetch: typeof fetch }> {
  const apiKey = await addTestUser(lake, 'admin', 'admin');
  return { ...(await serveLake(lake, webBuild)), apiKey, fetch: fetchAs(apiKey) };
}

/** What pages did wrong: errors thrown, console errors, what the Content-Security-Policy blocked, and requests the API refused for want of a credential. */
export interface PageProblems {
  pageErrors: string[];
  consoleErrors: string[];
  cspViolations: string[];
  unauthorized: string[];
}

/** A tab at `path`, signed in with the API key through the sign-in view (the UI keeps the key per tab); its problems go into `problems`. */
export async function signedInTab(context: BrowserContext, base: string, apiKey: string, path: string, problems: PageProblems): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.cspViolations.push(message.text());
    // The UI has no icon: Chromium's own request for one is no error of the page.
    else if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.consoleErrors.push(message.text());
  });
  page.on('response', (response) => response.status() === 401 && problems.unauthorized.push(`${response.request().method()} ${response.url()}`));
  await page.goto(`${base}${path}`);
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return page;
}

/** Closes what a browser test opened, in order: the browser before the server, the server before the lake. */
export async function closeInOrder(...opened: ({ close(): Promise<unknown> | void } | undefined)[]): Promise<void> {
  for (const thing of opened) await thing?.close();
}

/**
 * Holds back the API's answers to requests whose URL matches `pattern` (and
 * that `holds` picks, every one by default) until the function it returns is
 * called: each is asked of the API at once, and the page has it late.
 */
export async function holdAnswers(page: Page, pattern: RegExp, holds: (request: Request) => boolean = () => true): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    if (!holds(route.request())) return route.continue();
    const response = await route.fetch();
    await released;
    await route.fulfill({ response });
  });
  return release;
}

/**
 * Goes within the app (as a link or the history does: the view stays) to
 * `path`, whose answer from the API (`held`) is held back, then goes back.
 * Once the view has had a new answer to what it went back to (`reasked`), the
 * held answer goes through, late; it returns when that has been rendered, if
 * the view takes it. A view that takes it shows what it left, or nothing.
 */
export async function backBeforeLateAnswer(page: Page, path: string, held: RegExp, reasked: RegExp): Promise<void> {
  const release = await holdAnswers(page, held);
  const asked = page.waitForRequest(held);
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'))`);
  await asked;
  const answeredAgain = page.waitForEvent('requestfinished', (request) => reasked.test(request.url()));
  await page.goBack();
  await answeredAgain;
  const lateAnswer = page.waitForEvent('requestfinished', (request) => held.test(request.url()));
  release();
  await lateAnswer;
  await page.waitForTimeout(500);
}
