import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { ingestDirectory } from '../../producers/directory';
import { buildWebUi, closeInOrder, launchChromium, serveLake } from '../support/webUi';
import { screenshot } from '../support/browserChecks';
import { OIDC_TEST_USER, startOidcIssuer } from '../support/oidcIssuer';

const CLIENT_ID = 'web-client';

/**
 * Sign-in with PKCE against a local issuer shaped like Amazon Cognito
 * (test/support/oidcIssuer.ts): the issuer checks the code's verifier, so a
 * UI that sent none or a wrong one would never get a token.
 */
describe('signing in to the web UI with OIDC (authorization code with PKCE)', () => {
  let issuer: Awaited<ReturnType<typeof startOidcIssuer>>;
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;
  const media = temporaryDirectory('medialake-oidc-media-');
  const problems: string[] = [];

  beforeAll(async () => {
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(media.path, 'Canon_40D.jpg'));
    issuer = await startOidcIssuer(CLIENT_ID);
    [lake, web, browser] = await Promise.all([
      openTestLake({ 'auth.oidc.issuer': issuer.issuer, 'auth.oidc.audiences': [CLIENT_ID] }),
      buildWebUi(),
      launchChromium(),
    ]);
    lake.start();
    await ingestDirectory(ingestContext(lake), media.path);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    ({ app, base } = await serveLake(lake, web.path));
  });
  afterAll(async () => {
    await closeInOrder(browser, app, lake, issuer);
    for (const directory of [media, web]) directory?.remove();
  });

  async function newPage(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => /Content Security Policy/i.test(message.text()) && problems.push(message.text()));
    return page;
  }

  it('signs in through the issuer, shows the library with its thumbnails, follows the lake live, and signs out at the issuer', async () => {
    const page = await newPage();
    const live = page.waitForResponse((response) => new URL(response.url()).pathname === '/live');
    await page.goto(`${base}/`);
    await page.waitForURL(/\/sign-in\?next=/);
    const signIn = page.getByRole('button', { name: 'Sign in with your organisation' });
    await signIn.waitFor();
    await screenshot(page, 'sign-in-oidc');
    await signIn.click();
    await page.waitForURL(`${base}/`);
    // The thumbnail comes by the media cookie, which the OIDC token bought.
    const thumbnail = page.locator('.cell img').first();
    await thumbnail.waitFor();
    await expect.poll(() => thumbnail.evaluate((image: { complete: boolean; naturalWidth: number }) => image.complete && image.naturalWidth > 0)).toBe(true);
    expect((await live).status()).toBe(200);
    await screenshot(page, 'library-oidc');
    expect(issuer.record).toMatchObject({ tokensIssued: 1, refused: [] });

    // The token the tab holds is the issuer's access token: what it uploads is signed with the person's name, and the open grid shows it live.
    const token = (await page.evaluate<string>("sessionStorage.getItem('medialake.credential')"));
    const form = new FormData();
    form.append('file', new Blob([readFileSync(fixture('jpg/Nikon_D70.jpg'))]), 'Nikon_D70.jpg');
    const uploaded = await fetch(`${base}/assets`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    expect(uploaded.status).toBe(201);
    const { assetId } = (await uploaded.json()) as { assetId: string };
    await page.locator(`[data-asset="${assetId}"]`).waitFor();
    const events = (await (await fetch(`${base}/assets/${assetId}/events`, { headers: { authorization: `Bearer ${token}` } })).json()) as { events: { actor: string }[] };
    expect(events.events[0]!.actor).toBe(OIDC_TEST_USER.username);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/sign-in`);
    expect(issuer.record.logouts).toBe(1);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    expect(problems).toEqual([]);
  });

  it('gets no token when the code is exchanged with another verifier: the issuer checks it', async () => {
    const page = await newPage();
    // Stands for a page that lost or altered its verifier between the two legs of the flow.
    await page.route(`${issuer.issuer}/oauth2/token`, (route) =>
      route.continue({ postData: route.request().postData()!.replace(/code_verifier=[^&]+/, `code_verifier=${'x'.repeat(43)}`) }),
    );
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/refused the code.*code_verifier/);
    expect(issuer.record.refused).toContain('the code_verifier does not match the code_challenge');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('medialake.credential')")).toBeNull();
  });

  it('refuses an answer to a sign-in this tab did not start (state), without asking the issuer', async () => {
    const page = await newPage();
    const issued = issuer.record.tokensIssued + issuer.record.refused.length;
    await page.goto(`${base}/sign-in/callback?code=stolen&state=forged`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/state does not match/);
    expect(issuer.record.tokensIssued + issuer.record.refused.length).toBe(issued);
  });
});
