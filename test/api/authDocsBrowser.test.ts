import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { engineAvailable } from '../engines/availability';
import { openTestLake } from '../support/lake';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = engineAvailable('chromium', existsSync(CHROMIUM), 'apt-get install chromium');

/** The docs page in a real browser, under the API's Content-Security-Policy: it must draw the API, and the CSP must block nothing it needs. */
describe.skipIf(!hasChromium)('the API docs page under the CSP, in Chromium', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let base: string;

  beforeAll(async () => {
    lake = await openTestLake({ 'api.publicDocs': true });
    app = await buildServer(lake);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  it('renders the operations with no CSP violation', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${base}/docs`);
      await page.waitForSelector('.opblock-summary-path', { timeout: 30_000 });
      expect(await page.locator('.opblock-summary-path').allTextContents()).toContain('/search');
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
