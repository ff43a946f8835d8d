import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server';
import type { Lake } from '../../app/lake';
import { temporaryDirectory } from './fixtures';

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

/** Where a browser test saves a screenshot of a view it visits (.scratch/web-screenshots/NAME.png). */
export function screenshotPath(name: string): string {
  const folder = join(process.cwd(), '.scratch', 'web-screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, `${name}.png`);
}

/** Closes what a browser test opened, in order: the browser before the server, the server before the lake. */
export async function closeInOrder(...opened: ({ close(): Promise<unknown> | void } | undefined)[]): Promise<void> {
  for (const thing of opened) await thing?.close();
}
