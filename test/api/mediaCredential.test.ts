import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChainKeys } from '../../app/backends';
import { MEDIA_COOKIE, MEDIA_TTL_SECONDS, MediaCredentials } from '../../api/access/mediaCredential';
import type { Principal } from '../../api/principal';
import { revokeApiKey, parseApiKey } from '../../producers/principals';
import { catchUp } from '../../projections/projection';
import { fixture } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { addTestUser, adminApi, bearer } from '../support/principals';
import { expectApiError } from './http';

type Lake = Awaited<ReturnType<typeof openTestLake>>;

/** The media cookie of a Set-Cookie header, as a browser would send it back. */
const cookieOf = (response: Response) => {
  const value = /^medialake_media=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (!value) throw new Error(`no media cookie in ${response.headers.get('set-cookie')}`);
  return value;
};
const withCookie = (value: string) => ({ cookie: `theme=dark; ${MEDIA_COOKIE}=${value}` });

/** A credential's signed principal, as the server wrote it. */
const principalIn = (credential: string) => (JSON.parse(Buffer.from(credential.split('.')[1]!, 'base64url').toString()) as { p: Principal }).p;

describe("the browser's media credential (an HttpOnly SameSite=Strict cookie)", () => {
  let lake: Lake;
  let base: string;
  let close: () => Promise<unknown>;
  let adminFetch: typeof fetch;
  let viewerKey: string;
  /** Shared with the viewer's group (in a collection), and not. */
  let shared: string;
  let hidden: string;
  let adminCookie: string;
  let viewerCookie: string;

  const upload = async (name: string, bytes: Buffer): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const answer = await adminFetch(`${base}/assets`, { method: 'POST', body: form });
    return ((await answer.json()) as { assetId: string }).assetId;
  };
  const mediaCookie = async (apiKey: string) => cookieOf(await fetch(`${base}/media-credential`, { method: 'POST', headers: bearer(apiKey) }));
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${base}${path}`, { method, headers });

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    const api = await adminApi(lake);
    adminFetch = api.fetch;
    close = () => api.app.close();
    base = await api.app.listen({ port: 0, host: '127.0.0.1' });
    viewerKey = await addTestUser(lake, 'bob', 'viewer', ['press']);
    shared = await upload('Canon_40D.jpg', readFileSync(fixture('jpg/Canon_40D.jpg')));
    hidden = await upload('Nikon_D70.jpg', readFileSync(fixture('jpg/Nikon_D70.jpg')));
    await lake.waitForIdle({ timeoutMs: 60_000 });
    const created = await adminFetch(`${base}/collections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Press' }) });
    const { collectionId } = (await created.json()) as { collectionId: string };
    expect((await adminFetch(`${base}/collections/${collectionId}/assets/${shared}`, { method: 'PUT' })).status).toBe(200);
    const share = { subject: { kind: 'group', id: 'press' }, role: 'viewer' };
    expect((await adminFetch(`${base}/collections/${collectionId}/shares`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(share) })).status).toBe(200);
    [adminCookie, viewerCookie] = [await mediaCookie(api.apiKey), await mediaCookie(viewerKey)];
  }, 120_000);
  afterAll(async () => {
    await close?.();
    await lake?.close();
  });

  it('is handed out to a bearer as HttpOnly, SameSite=Strict, for /assets only, for an hour', async () => {
    const answer = await adminFetch(`${base}/media-credential`, { method: 'POST' });
    expect(answer.status).toBe(200);
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/; Path=\/assets; Max-Age=3600; HttpOnly; SameSite=Strict$/);
    const { expires } = (await answer.json()) as { expires: string };
    expect(Date.parse(expires) - Date.now()).toBeGreaterThan((MEDIA_TTL_SECONDS - 60) * 1000);
    const refused = await fetch(`${base}/media-credential`, { method: 'POST', headers: withCookie(adminCookie) });
    expect(refused.status).toBe(401);
  });

  it('is Secure when the front before the API says its viewer spoke HTTPS (CloudFront before a plain-HTTP balancer)', async () => {
    const answer = await adminFetch(`${base}/media-credential`, { method: 'POST', headers: { 'x-medialake-viewer-protocol': 'https' } });
    expect(answer.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('without any credential, media answers 401', async () => {
    for (const path of [`/assets/${shared}/renditions/proxy`, `/assets/${shared}/original`]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(401);
      expectApiError(await answer.json(), 'UNAUTHENTICATED');
    }
  });

  it('with the cookie, renditions and originals answer 200, a range 206, HEAD its headers; only to this origin (CORP)', async () => {
    const whole = await get(`/assets/${shared}/renditions/proxy`, withCookie(viewerCookie));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect((await whole.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const part = await get(`/assets/${shared}/renditions/proxy`, { ...withCookie(viewerCookie), range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const head = await get(`/assets/${shared}/renditions/proxy`, withCookie(viewerCookie), 'HEAD');
    expect(head.status).toBe(200);
    const original = await get(`/assets/${hidden}/original`, withCookie(adminCookie));
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(readFileSync(fixture('jpg/Nikon_D70.jpg')))).toBe(true);
  });

  it("still asks the authorizer for the principal behind it: a viewer's cookie does not download originals (403)", async () => {
    const answer = await get(`/assets/${shared}/original`, withCookie(viewerCookie));
    expect(answer.status).toBe(403);
    expectApiError(await answer.json(), 'FORBIDDEN');
  });

  it("a viewer's cookie cannot fetch an asset outside their collections (404, as one that is not there)", async () => {
    const answer = await get(`/assets/${hidden}/renditions/proxy`, withCookie(viewerCookie));
    expect(answer.status).toBe(404);
  });

  it('an expired or tampered cookie answers 401', async () => {
    const keys = openChainKeys(lake.config, lake.config.data);
    const yesterday = new MediaCredentials(keys, () => Date.now() - 24 * 3600_000);
    const expired = yesterday.issue(principalIn(viewerCookie)).credential;
    const [keyId, payload, signature] = viewerCookie.split('.') as [string, string, string];
    const asAdmin = Buffer.from(JSON.stringify({ p: { ...principalIn(viewerCookie), roles: ['admin'] }, e: Date.now() / 1000 + 60 })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    const forged = new MediaCredentials(openChainKeys({ chain: { ...lake.config.chain, key: Buffer.alloc(32, 7).toString('base64') } }, lake.config.data));
    for (const [what, credential] of [
      ['expired', expired],
      ['another payload', `${keyId}.${asAdmin}.${signature}`],
      ['another signature', `${keyId}.${payload}.${flipped}`],
      ['signed with another key', forged.issue(principalIn(viewerCookie)).credential],
      ['not a credential', 'mlk_x'],
    ]) {
      const answer = await get(`/assets/${shared}/renditions/proxy`, withCookie(credential!));
      expect(answer.status, what).toBe(401);
      expectApiError(await answer.json(), 'UNAUTHENTICATED');
    }
  });

  it('counts only on GET and HEAD of the media routes: not on records, listings or writes', async () => {
    expect((await get(`/assets/${shared}`, withCookie(adminCookie))).status).toBe(401);
    expect((await get('/assets', withCookie(adminCookie))).status).toBe(401);
    const edit = await fetch(`${base}/assets/${shared}`, { method: 'PATCH', headers: { ...withCookie(adminCookie), 'content-type': 'application/json' }, body: '{"title":"x"}' });
    expect(edit.status).toBe(401);
  });

  it("stops working as soon as the API key it was issued for is revoked", async () => {
    const otherKey = await addTestUser(lake, 'carol', 'admin');
    const cookie = await mediaCookie(otherKey);
    expect((await get(`/assets/${shared}/renditions/proxy`, withCookie(cookie))).status).toBe(200);
    await revokeApiKey({ log: lake.log, actor: 'tester', source: 'cli' }, lake.principals, parseApiKey(otherKey)!.keyId);
    await catchUp(lake.log, lake.principals, lake.logger);
    expect((await get(`/assets/${shared}/renditions/proxy`, withCookie(cookie))).status).toBe(401);
  });
});
