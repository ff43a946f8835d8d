import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { access } from '../../api/access/accessControl';
import { catchUp } from '../../projections/projection';
import { disableUser, revokeApiKey } from '../../producers/principals';
import { ingestDirectory } from '../../producers/directory';
import { fixture } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { addTestUser, bearer } from '../support/principals';
import { expectApiError } from './http';

type App = Awaited<ReturnType<typeof buildServer>>;

/** Every route the server registered, as [METHOD, path], read from Fastify's own route tree. */
function registeredRoutes(app: App): [string, string][] {
  const routes: [string, string][] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    prefixes.length = depth;
    const path = `${prefixes.join('')}${match[2]}`;
    prefixes.push(match[2]!);
    for (const method of match[3]!.split(', ')) routes.push([method, path]);
  }
  return routes;
}

/** A path with its parameters filled in. */
const concrete = (path: string) => path.replace(/:id/g, 'asset-none').replace(/:name/g, 'thumbnail').replace('*', 'x');

describe('authentication and authorization on every route', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: App;
  const keys = { admin: '', editor: '', viewer: '' };
  let assetId: string;

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    await ingestDirectory(ingestContext(lake), fixture('jpg/gps'));
    keys.admin = await addTestUser(lake, 'Ada Admin', 'admin');
    keys.editor = await addTestUser(lake, 'Ed Editor', 'editor');
    keys.viewer = await addTestUser(lake, 'Vi Viewer', 'viewer', ['press']);
    await lake.waitForIdle({ timeoutMs: 60_000 });
    app = await buildServer(lake);
    assetId = (await lake.records.list({ limit: 1 })).assets[0]!.assetId;
    const { collectionId } = (await as('admin', { method: 'POST', url: '/collections', payload: { name: 'Press' } })).json();
    expect((await as('admin', { method: 'PUT', url: `/collections/${collectionId}/assets/${assetId}` })).statusCode).toBe(200);
    const share = { subject: { kind: 'group', id: 'press' }, role: 'viewer' };
    expect((await as('admin', { method: 'PUT', url: `/collections/${collectionId}/shares`, payload: share })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  const as = (role: keyof typeof keys, options: { method?: string; url: string; payload?: object; headers?: Record<string, string> }) =>
    app.inject({ ...options, method: (options.method ?? 'GET') as 'GET', headers: { ...bearer(keys[role]), ...options.headers } });

  it('answers 401 without credentials on every registered route but /health, /ready and the web UI (its sign-in page loads first)', async () => {
    const routes = registeredRoutes(app);
    expect(routes.length).toBeGreaterThan(30);
    // '/*' is the not-found handler: the API's JSON 404, or the UI's page to a browser.
    // A pipeline's webhook authenticates its caller by the pipeline's own HMAC signature (docs/pipelines.md).
    // The sign-in page reads how to sign in (/auth/config) before anyone has.
    // A load balancer asks /health and /ready with no credential.
    const open = new Set(['/health', '/ready', '/', '/static/*', '/*', '/pipelines/:name/webhook', '/auth/config']);
    for (const [method, path] of routes) {
      const response = await app.inject({ method: method as 'GET', url: concrete(path) });
      if (open.has(path)) expect([method, path, response.statusCode]).not.toEqual([method, path, 401]);
      // A file route given a file that is not there answers the not-found handler's 404: it tells nothing.
      else if (path.endsWith('*')) expect([method, path, [401, 404].includes(response.statusCode)]).toEqual([method, path, true]);
      else expect([method, path, response.statusCode]).toEqual([method, path, 401]);
    }
    const refused = await app.inject({ url: '/assets' });
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expectApiError(refused.json(), 'UNAUTHENTICATED');
  });

  it('refuses a key that is not one, a forged secret for a real key id, and a malformed header', async () => {
    const [, keyId] = keys.viewer.split('_');
    for (const authorization of ['Bearer nonsense', `Bearer mlk_${keyId}_${'A'.repeat(43)}`, `Basic ${keys.viewer}`, keys.viewer]) {
      const response = await app.inject({ url: '/assets', headers: { authorization } });
      expect([authorization, response.statusCode]).toEqual([authorization, 401]);
    }
  });

  it("refuses a viewer's upload, edit and delete of an asset shared with them with 403, and lets them read it", async () => {
    const form = { method: 'POST', url: '/assets', headers: { 'content-type': 'multipart/form-data; boundary=b' }, payload: undefined };
    const upload = await app.inject({ ...form, method: 'POST', headers: { ...form.headers, ...bearer(keys.viewer) }, payload: '--b--\r\n' });
    expect(upload.statusCode).toBe(403);
    expectApiError(upload.json(), 'FORBIDDEN');
    expect((await as('viewer', { method: 'PATCH', url: `/assets/${assetId}`, payload: { title: 'mine' } })).statusCode).toBe(403);
    expect((await as('viewer', { method: 'DELETE', url: `/assets/${assetId}` })).statusCode).toBe(403);
    expect((await as('viewer', { url: `/assets/${assetId}` })).statusCode).toBe(200);
    expect((await as('viewer', { url: '/search?q=DSCN' })).statusCode).toBe(200);
  });

  it('lets an editor edit but not rebuild projections or read the audit; an admin does both', async () => {
    expect((await as('editor', { method: 'PATCH', url: `/assets/${assetId}`, payload: { title: 'Harbour' } })).statusCode).toBe(200);
    expect((await as('editor', { method: 'POST', url: '/projections/cameras/rebuild' })).statusCode).toBe(403);
    expect((await as('editor', { url: '/audit' })).statusCode).toBe(403);
    expect((await as('editor', { url: '/audit/verify' })).statusCode).toBe(403);
    expect((await as('admin', { url: '/audit' })).statusCode).toBe(200);
    expect((await as('admin', { method: 'POST', url: '/projections/cameras/rebuild' })).statusCode).toBe(202);
  });

  it('ignores X-Medialake-Actor: the audit trail shows the verified principal, never a spoofed one or the system', async () => {
    for (const spoofed of ['medialake', '[erased]', 'Ada Admin']) {
      const response = await as('editor', { method: 'PATCH', url: `/assets/${assetId}`, payload: { description: spoofed }, headers: { 'x-medialake-actor': spoofed } });
      expect(response.statusCode).toBe(200);
    }
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const { entries } = (await as('admin', { url: `/audit?asset=${assetId}&type=UserMetadataUpdated` })).json();
    expect(entries.map((entry: { actor: string }) => entry.actor)).toEqual(['Ed Editor', 'Ed Editor', 'Ed Editor', 'Ed Editor']);
  });

  it('refuses a revoked key and a disabled user at once (after the event is folded)', async () => {
    const context = { log: lake.log, actor: 'tester', source: 'cli' };
    const second = await addTestUser(lake, 'Short Lived', 'viewer');
    expect((await app.inject({ url: '/assets', headers: bearer(second) })).statusCode).toBe(200);
    await revokeApiKey(context, lake.principals, second.split('_')[1]!);
    await catchUp(lake.log, lake.principals, lake.logger);
    expect((await app.inject({ url: '/assets', headers: bearer(second) })).json().error.message).toMatch(/revoked/);
    const third = await addTestUser(lake, 'Soon Gone', 'viewer');
    await disableUser(context, lake.principals, 'Soon Gone');
    await catchUp(lake.log, lake.principals, lake.logger);
    expect((await app.inject({ url: '/assets', headers: bearer(third) })).statusCode).toBe(401);
  });

  it("does not show a user's events as an asset's", async () => {
    const [user] = await lake.principals.users();
    expect((await as('admin', { url: `/assets/${user!.userId}/events` })).statusCode).toBe(404);
  });
});

describe('policies and start-up checks', () => {
  it('stops start-up on a bad policy file, naming the file and line', async () => {
    const lake = await openTestLake();
    const policies = join(lake.dataDir, 'policies.cedar');
    try {
      writeFileSync(policies, 'permit (principal, action, resource);\n\nforbid (principal, action == MediaLake::Action::"vew", resource);\n');
      await expect(buildServer(Object.assign(lake, { config: { ...lake.config, auth: { ...lake.config.auth, policyFile: policies } } }))).rejects.toThrow(
        /policies\.cedar.*line 3.*vew/,
      );
      writeFileSync(policies, 'permit (principal, action, resource) when { ;\n');
      await expect(buildServer(lake)).rejects.toThrow(/does not parse at line 1/);
    } finally {
      await lake.close();
    }
  });

  it("applies an operator's forbid over the default policies", async () => {
    const lake = await openTestLake();
    const policies = join(lake.dataDir, 'policies.cedar');
    writeFileSync(policies, '// editors of this lake may not delete\nforbid (principal in MediaLake::Role::"editor", action == MediaLake::Action::"delete", resource);\n');
    const configured = Object.assign(lake, { config: { ...lake.config, auth: { ...lake.config.auth, policyFile: policies } } });
    const editor = await addTestUser(configured, 'Ed', 'editor');
    const app = await buildServer(configured);
    try {
      expect((await app.inject({ method: 'DELETE', url: '/assets/asset-none', headers: bearer(editor) })).statusCode).toBe(403);
      expect((await app.inject({ method: 'PATCH', url: '/assets/asset-none', headers: bearer(editor), payload: { title: 'kept' } })).statusCode).toBe(404);
    } finally {
      await app.close();
      await lake.close();
    }
  });

  it('refuses a route that declares no action, at start-up', async () => {
    const lake = await openTestLake();
    const app = await buildServer(lake);
    try {
      expect(() => app.get('/unguarded', async () => ({}))).toThrow(/\/unguarded declares no access action/);
      expect(() => app.get('/guarded', { config: access('view') }, async () => ({}))).not.toThrow();
    } finally {
      await app.close();
      await lake.close();
    }
  });

  it('serves the API docs without credentials only where api.publicDocs is set', async () => {
    const lake = await openTestLake({ 'api.publicDocs': true });
    const app = await buildServer(lake);
    try {
      expect((await app.inject({ url: '/openapi.json' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/docs/json' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/assets' })).statusCode).toBe(401);
    } finally {
      await app.close();
      await lake.close();
    }
  });

  it('refuses to listen beyond loopback with authentication off', async () => {
    const lake = await openTestLake({ 'auth.enabled': false, 'api.host': '0.0.0.0' });
    try {
      await expect(buildServer(lake)).rejects.toThrow(/authentication is off.*0\.0\.0\.0/);
    } finally {
      await lake.close();
    }
  });
});
