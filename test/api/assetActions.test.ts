import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CEDAR_SCHEMA } from '../../api/access/cedarSchema';
import { ASSET_ACTIONS } from '../../api/routes/assets';
import { buildServer } from '../../api/server';
import { openTestLake } from '../support/lake';
import { addTestUser, bearer } from '../support/principals';
import { multipartBody } from './http';

type App = Awaited<ReturnType<typeof buildServer>>;

/**
 * GET /assets/:id tells the caller what they may do with the asset (`may`),
 * as the routes that do it decide: by role, and by the shares of the
 * collections the asset is in. Ada is an admin, Eve an editor; Bob a viewer
 * with an editor share on Holiday, Carol a viewer with a viewer share on it,
 * Dan a viewer with no share.
 */
describe('what GET /assets/:id says the caller may do', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: App;
  let assetId: string;
  const keys = { ada: '', eve: '', bob: '', carol: '', dan: '' };
  type Who = keyof typeof keys;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function as(who: Who, options: InjectOptions | string): Promise<{ status: number; body: any }> {
    const request = typeof options === 'string' ? { method: 'GET' as const, url: options } : options;
    const response = await app.inject({ ...request, headers: { ...request.headers, ...bearer(keys[who]) } });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  }
  const mayOf = async (who: Who) => (await as(who, `/assets/${assetId}`)).body.may;
  const userId = async (name: string) => `user:${(await lake.principals.userNamed(name))!.userId}`;

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    app = await buildServer(lake);
    for (const [name, role] of [['ada', 'admin'], ['eve', 'editor'], ['bob', 'viewer'], ['carol', 'viewer'], ['dan', 'viewer']] as const) {
      keys[name] = await addTestUser(lake, name, role);
    }
    const uploaded = await as('ada', {
      method: 'POST',
      url: '/assets',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      payload: multipartBody('b', [['notes.txt', 'a plain text asset']]),
    });
    assetId = uploaded.body.assetId;
    const holiday = (await as('ada', { method: 'POST', url: '/collections', payload: { name: 'Holiday' } })).body.collectionId;
    expect((await as('ada', { method: 'PUT', url: `/collections/${holiday}/assets/${assetId}` })).status).toBe(200);
    const share = async (name: string, role: string) =>
      expect((await as('ada', { method: 'PUT', url: `/collections/${holiday}/shares`, payload: { subject: { kind: 'principal', id: await userId(name) }, role } })).status).toBe(200);
    await share('bob', 'editor');
    await share('carol', 'viewer');
    await lake.waitForIdle({ timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
    await lake?.close();
  });

  it('names every action of the Cedar schema that applies to an asset, and only those', () => {
    const onAssets = [...CEDAR_SCHEMA.matchAll(/action ([\w, ]+) appliesTo \{[^}]*resource: \[([^\]]*)\]/g)]
      .filter(([, , resources]) => resources!.split(',').map((type) => type.trim()).includes('Asset'))
      .flatMap(([, actions]) => actions!.split(',').map((action) => action.trim()));
    expect([...ASSET_ACTIONS].sort()).toEqual(onAssets.sort());
  });

  it('tells an admin they may do everything with it', async () => {
    expect((await mayOf('ada')).sort()).toEqual([...ASSET_ACTIONS].sort());
  });

  it('tells an editor everything but reprocessing (admins only)', async () => {
    expect((await mayOf('eve')).sort()).toEqual(['delete', 'downloadOriginal', 'editMetadata', 'view']);
  });

  it('tells a viewer with an editor share on a collection holding it that they may edit it, not delete or reprocess it: as the routes decide', async () => {
    expect((await mayOf('bob')).sort()).toEqual(['downloadOriginal', 'editMetadata', 'view']);
    const edited = await as('bob', { method: 'PATCH', url: `/assets/${assetId}`, payload: { title: 'by Bob' } });
    expect(edited.status).toBe(200);
    expect((await as('bob', { method: 'DELETE', url: `/assets/${assetId}` })).status).toBe(403);
    expect((await as('bob', { method: 'POST', url: `/assets/${assetId}/reprocess`, payload: { processors: ['thumbnails'], reason: 'test' } })).status).toBe(403);
  });

  it('tells a viewer with a viewer share that they may only view it: no edit, delete or download of the original', async () => {
    expect(await mayOf('carol')).toEqual(['view']);
    expect((await as('carol', { method: 'PATCH', url: `/assets/${assetId}`, payload: { title: 'by Carol' } })).status).toBe(403);
    expect((await as('carol', { method: 'DELETE', url: `/assets/${assetId}` })).status).toBe(403);
    expect((await as('carol', `/assets/${assetId}/original`)).status).toBe(403);
  });

  it('tells a viewer without a share nothing: the asset is not there for them', async () => {
    expect((await as('dan', `/assets/${assetId}`)).status).toBe(404);
  });

  it('is declared in the OpenAPI document, and left out of the listing', async () => {
    const document = (await as('ada', '/openapi.json')).body;
    const answer = document.paths['/assets/{id}'].get.responses['200'].content['application/json'].schema;
    expect(answer.properties.may.items.enum.sort()).toEqual([...ASSET_ACTIONS].sort());
    const { assets } = (await as('ada', '/assets')).body;
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.every((record: object) => !('may' in record))).toBe(true);
  });
});
