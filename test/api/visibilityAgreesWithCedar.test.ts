import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authorizer } from '../../api/access/authorizer';
import { placed } from '../../api/access/placement';
import type { Principal } from '../../api/principal';
import { mayView, visibilityOf } from '../../api/visibility';
import { ingestDirectory } from '../../producers/directory';
import { fixture } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { adminApi } from '../support/principals';

type Lake = Awaited<ReturnType<typeof openTestLake>>;

/** A local user's principal id, as authentication names it: `user:` and the user id (`user-` and 16 hex digits). */
const idOf = (name: string) => `user:user-${Buffer.from(name).toString('hex').padEnd(16, '0')}`;
const viewer = (name: string, groups: string[] = []): Principal => ({ id: idOf(name), name, kind: 'user', roles: ['viewer'], groups });
const PRINCIPALS: Principal[] = [
  { id: idOf('ada'), name: 'ada', kind: 'user', roles: ['admin'], groups: [] },
  { id: idOf('eve'), name: 'eve', kind: 'user', roles: ['editor'], groups: [] },
  viewer('bob'),
  viewer('carol', ['press']),
  viewer('dan', ['press', 'night']),
  viewer('erin'),
];

/**
 * The query-side filter (api/visibility.ts) and Cedar (the roles' policies
 * and the shares' template links over the collection tree) are two
 * evaluations of one rule: for every principal and every asset, the listing
 * shows an asset exactly when Cedar lets the principal view it, and Cedar
 * lets a viewer edit its metadata exactly when an editor's share reaches it.
 * The collections cover the cases: nesting three deep, a share to a group, a
 * share replaced by another role, a revoked share, and a deleted collection.
 */
describe('what a viewer sees agrees with what Cedar decides', () => {
  let lake: Lake;
  let assets: string[];

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    await ingestDirectory(ingestContext(lake), fixture('jpg/gps'));
    await lake.waitForIdle({ timeoutMs: 60_000 });
    assets = (await lake.records.list({ limit: 50 })).assets.map((asset) => asset.assetId);
    const { app } = await adminApi(lake);
    const call = async (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
      const response = await app.inject({ method, url, payload });
      expect([url, response.statusCode]).toEqual([url, method === 'POST' ? 201 : 200]);
      return response.json();
    };
    const create = async (name: string, parentId: string | null = null) => (await call('POST', '/collections', { name, parentId })).collectionId as string;
    const top = await create('Top');
    const middle = await create('Middle', top);
    const bottom = await create('Bottom', middle);
    const press = await create('Press');
    const gone = await create('Gone', top);
    const night = await create('Night');
    const placements: [string, number][] = [[top, 0], [middle, 1], [bottom, 2], [press, 3], [press, 2], [gone, 4], [night, 5], [night, 0]];
    for (const [collection, asset] of placements) await call('PUT', `/collections/${collection}/assets/${assets[asset]}`);
    const share = (collection: string, kind: string, id: string, role: string) => call('PUT', `/collections/${collection}/shares`, { subject: { kind, id }, role });
    await share(middle, 'principal', idOf('bob'), 'viewer');
    await share(press, 'group', 'press', 'editor');
    await share(top, 'principal', idOf('erin'), 'editor');
    await share(top, 'principal', idOf('erin'), 'viewer');
    await share(night, 'group', 'night', 'editor');
    await call('DELETE', `/collections/${night}/shares/group/night`);
    await call('DELETE', `/collections/${gone}`);
    await app.close();
  }, 90_000);
  afterAll(async () => {
    await lake?.close();
  });

  it('for every principal and asset: listed exactly when Cedar allows view; editable exactly when an editor share or role reaches it', async () => {
    const authorizer = new Authorizer();
    authorizer.useShares(await lake.collections.shares());
    for (const principal of PRINCIPALS) {
      const visibility = await visibilityOf(lake, principal);
      const editable = await lake.collections.sharedWith(principal, ['editor']);
      for (const assetId of assets) {
        const record = (await lake.records.get(assetId))!;
        const resource = await placed(lake, { type: 'Asset', id: assetId });
        const cedar = { view: authorizer.isAllowed(principal, 'view', resource), edit: authorizer.isAllowed(principal, 'editMetadata', resource) };
        const query = {
          view: mayView(visibility, record),
          edit: principal.roles.includes('viewer') ? (record.collections ?? []).some((id) => editable.includes(id)) : true,
        };
        expect([principal.name, assetId, cedar]).toEqual([principal.name, assetId, query]);
      }
    }
    // Not vacuous: each viewer's share reaches what it should, and no further.
    const sees = async (name: string) => visibilityOf(lake, PRINCIPALS.find((p) => p.name === name)!);
    expect(await sees('bob')).toHaveLength(2); // Middle and Bottom, not Top
    expect(await sees('erin')).toHaveLength(3); // Top, Middle, Bottom; Gone is deleted
    expect(await sees('dan')).toHaveLength(1); // Press; the night share was revoked
    const bob = PRINCIPALS.find((p) => p.name === 'bob')!;
    const bobViews = await Promise.all(assets.map(async (id) => authorizer.isAllowed(bob, 'view', await placed(lake, { type: 'Asset', id }))));
    expect(assets.filter((_, i) => bobViews[i])).toEqual([assets[1], assets[2]]);
  });
});
