import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { temporaryDirectory } from '../support/fixtures';
import type { InjectOptions } from 'fastify';
import { addTestUser, bearer } from '../support/principals';
import { forEachSearchBackend, photosWithCopies, tinyClipLake, type SearchBackend } from '../support/tinyClipLake';
import { expectApiError } from './http';

type Lake = Awaited<ReturnType<typeof tinyClipLake>>['lake'];
type App = Awaited<ReturnType<typeof buildServer>>;

const PHOTOS = { 'canon.jpg': 'jpg/Canon_40D.jpg', 'nikon.jpg': 'jpg/Nikon_D70.jpg', 'fuji.jpg': 'jpg/Fujifilm_FinePix_E500.jpg', 'pentax.jpg': 'jpg/Pentax_K10D.jpg' };
const TEXT = 'a red car parked in front of a house';

forEachSearchBackend('collections', collectionsSuite);

/**
 * Collections and sharing end to end, over HTTP on a lake that ingested real
 * photos with the tiny CLIP model: Bob, a viewer, has collection Holiday
 * shared with him (and Holiday/Beach nested under it), and sees exactly their
 * assets everywhere; everything else is 404 to him.
 */
interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

function collectionsSuite(name: string, backend: SearchBackend): void {
  describe(`collections, shares and what a viewer sees (${name})`, () => {
    const folder = temporaryDirectory();
    let engine: Awaited<ReturnType<SearchBackend>>;
    let lake: Lake;
    let app: App;
    let ids: Map<string, string>;
    const id = (file: string) => ids.get(file)!;
    const nameOf = (assetId: string) => [...ids].find(([, value]) => value === assetId)?.[0];
    const names = (hits: { assetId: string }[]) => hits.map((hit) => nameOf(hit.assetId)).sort();
    let holiday: string;
    let beach: string;
    let work: string;
    /** What Bob may see: Holiday's assets and Beach's (nested under Holiday). */
    const BOBS = ['canon-small.jpg', 'canon.jpg', 'nikon.jpg'];

    const keys = { admin: '', editor: '', bob: '', carol: '' };
    let bobId: string;

    /** A request as one of the test's users sends it, with their API key. */
    async function as(who: keyof typeof keys, options: InjectOptions | string): Promise<Answer> {
      const request = typeof options === 'string' ? { method: 'GET' as const, url: options } : options;
      const response = await app.inject({ ...request, headers: { ...request.headers, ...bearer(keys[who]) } });
      const json = response.headers['content-type']?.toString().includes('json');
      return { status: response.statusCode, body: json ? response.json() : response.body };
    }

    async function create(body: object): Promise<string> {
      const answer = await as('admin', { method: 'POST', url: '/collections', payload: body });
      expect(answer.status).toBe(201);
      return answer.body.collectionId;
    }
    const add = async (collection: string, file: string) =>
      expect((await as('editor', { method: 'PUT', url: `/collections/${collection}/assets/${id(file)}` })).status).toBe(200);
    const share = (collection: string, subject: object, role = 'viewer') =>
      as('admin', { method: 'PUT', url: `/collections/${collection}/shares`, payload: { subject, role } });

    beforeAll(async () => {
      await photosWithCopies(folder.path, PHOTOS, 'canon notes');
      engine = await backend();
      ({ lake, ids } = await tinyClipLake(folder.path, engine.settings));
      app = await buildServer(lake);
      keys.admin = await addTestUser(lake, 'Ada', 'admin');
      keys.editor = await addTestUser(lake, 'Eve', 'editor');
      keys.bob = await addTestUser(lake, 'Bob', 'viewer', ['darkroom']);
      keys.carol = await addTestUser(lake, 'Carol', 'viewer');
      bobId = `user:${(await lake.principals.userNamed('Bob'))!.userId}`;
      holiday = await create({ name: 'Holiday' });
      beach = await create({ name: 'Beach', parentId: holiday });
      work = await create({ name: 'Work' });
      await add(holiday, 'canon.jpg');
      await add(holiday, 'canon-small.jpg');
      await add(beach, 'nikon.jpg');
      await add(work, 'fuji.jpg');
      await add(work, 'canon.webp');
      expect((await share(holiday, { kind: 'principal', id: bobId })).status).toBe(200);
      await lake.waitForIdle({ timeoutMs: 30_000 });
    });
    afterAll(async () => {
      await app?.close();
      await lake?.close();
      await engine?.stop();
      folder.remove();
    });

    it('lists exactly the assets of the collections shared with Bob, nested ones included; admins see the library', async () => {
      expect((await as('bob', '/assets?limit=100')).body.assets.map((a: { originalName: string }) => a.originalName).sort()).toEqual(BOBS);
      expect((await as('admin', '/assets?limit=100')).body.assets).toHaveLength(ids.size);
      expect((await as('carol', '/assets')).body.assets).toEqual([]);
      const collections = (await as('bob', '/collections')).body.collections.map((c: { name: string }) => c.name);
      expect(collections).toEqual(['Beach', 'Holiday']);
    });

    it("tells Bob of an asset's collections only those he may see", async () => {
      expect((await as('admin', { method: 'PUT', url: `/collections/${work}/assets/${id('nikon.jpg')}` })).status).toBe(200);
      expect((await as('admin', `/assets/${id('nikon.jpg')}`)).body.collections.sort()).toEqual([beach, work].sort());
      expect((await as('bob', `/assets/${id('nikon.jpg')}`)).body.collections).toEqual([beach]);
      const listed = (await as('bob', '/assets?limit=100')).body.assets.find((asset: { assetId: string }) => asset.assetId === id('nikon.jpg'));
      expect(listed.collections).toEqual([beach]);
      // Nor in its history, nor where the file came from (the ingesting machine's folders).
      const memberships = async (who: 'admin' | 'bob') =>
        (await as(who, `/assets/${id('nikon.jpg')}/events`)).body.events.flatMap((e: { type: string; payload: { collectionId?: string } }) =>
          e.type === 'AssetAddedToCollection' ? [e.payload.collectionId] : [],
        );
      expect([await memberships('bob'), (await memberships('admin')).sort()]).toEqual([[beach], [beach, work].sort()]);
      const origins = async (who: 'admin' | 'bob') => [
        (await as(who, `/assets/${id('nikon.jpg')}`)).body.origin.path,
        (await as(who, `/assets/${id('nikon.jpg')}/events`)).body.events[0].payload.origin.path,
      ];
      expect(await origins('bob')).toEqual(['[redacted]', '[redacted]']);
      expect(await origins('admin')).toEqual(Array(2).fill(`${folder.path}/nikon.jpg`));
      expect((await as('admin', { method: 'DELETE', url: `/collections/${work}/assets/${id('nikon.jpg')}` })).status).toBe(200);
    });

    it('searches by keyword only what Bob sees: hits, totals and facet counts', async () => {
      const all = await as('bob', '/search?limit=50');
      expect(all.status).toBe(200);
      expect(names(all.body.hits)).toEqual(BOBS);
      expect(all.body.total).toBe(3);
      expect(all.body.facets.type).toEqual([{ value: 'image', count: 3 }]);
      expect(all.body.facets.collection).toEqual(expect.arrayContaining([{ value: holiday, count: 2 }, { value: beach, count: 1 }]));
      expect(all.body.facets.collection).toHaveLength(2); // Work is not his to see, not even as a facet
      const canon = await as('bob', '/search?q=canon&limit=50');
      expect(names(canon.body.hits)).toEqual(['canon-small.jpg', 'canon.jpg']);
      expect(names((await as('admin', '/search?q=canon&limit=50')).body.hits)).toEqual(['canon-small.jpg', 'canon.jpg', 'canon.webp']);
      expect((await as('carol', '/search?q=canon')).body).toMatchObject({ total: 0, hits: [] });
    });

    it('filters and counts by collection', async () => {
      const inHoliday = await as('admin', `/search?collection=${holiday}&limit=50`);
      expect(names(inHoliday.body.hits)).toEqual(['canon-small.jpg', 'canon.jpg']);
      expect((await as('admin', '/search?limit=50')).body.facets.collection).toHaveLength(3);
      expect(names((await as('bob', `/collections/${beach}/assets`)).body.hits)).toEqual(['nikon.jpg']);
      expect((await as('bob', `/collections/${work}/assets`)).status).toBe(404);
      // Filtered by a collection he may not see, a search would tell which of his assets it holds.
      for (const path of [`/search?collection=${work}`, `/assets/${id('canon.jpg')}/similar?collection=${work}`]) {
        const answer = await as('bob', path);
        expect(answer.status, path).toBe(404);
        expectApiError(answer.body, 'COLLECTION_NOT_FOUND');
      }
      expect(names((await as('bob', `/search?collection=${beach}`)).body.hits)).toEqual(['nikon.jpg']);
    });

    it("pages a collection's assets by cursor, each once, and refuses a cursor it did not give", async () => {
      const first = await as('bob', `/collections/${holiday}/assets?limit=1`);
      const second = await as('bob', `/collections/${holiday}/assets?limit=1&after=${first.body.next}`);

      expect(names([...first.body.hits, ...second.body.hits])).toEqual(['canon-small.jpg', 'canon.jpg']);
      expect(first.body).toMatchObject({ total: 2, totalRelation: 'eq' });
      expect(second.body.next).toBeUndefined();
      for (const query of ['after=bm90IGEgY3Vyc29y', `after=${first.body.next}&offset=1`]) {
        const answer = await as('bob', `/collections/${holiday}/assets?${query}`);
        expect(answer.status, query).toBe(400);
        expectApiError(answer.body, 'INVALID_CURSOR');
      }
      const worded = await as('admin', `/search?q=canon&after=${first.body.next}`);
      expect(worded.status).toBe(400);
      expectApiError(worded.body, 'INVALID_CURSOR');
      const semantic = await as('admin', `/search?mode=semantic&q=car&after=${first.body.next}`);
      expect(semantic.status).toBe(400);
      expectApiError(semantic.body, 'INVALID_REQUEST');
      expect(semantic.body.error.message).toContain('page semantic and hybrid search by offset');
    });

    it('ranks in semantic and hybrid modes only the images Bob sees', async () => {
      for (const mode of ['semantic', 'hybrid']) {
        const answer = await as('bob', `/search?mode=${mode}&limit=50&q=${encodeURIComponent(TEXT)}`);
        expect(answer.status).toBe(200);
        expect(names(answer.body.hits)).toEqual(BOBS);
        expect(answer.body.total).toBe(3);
        expect(answer.body.facets.type).toEqual([{ value: 'image', count: 3 }]);
      }
      expect((await as('admin', `/search?mode=semantic&limit=50&q=${encodeURIComponent(TEXT)}`)).body.total).toBe(6);
    });

    it('finds similar assets and duplicates among what Bob sees', async () => {
      const similar = await as('bob', `/assets/${id('canon.jpg')}/similar?limit=50`);
      expect(similar.status).toBe(200);
      expect(names(similar.body.hits)).toEqual(['canon-small.jpg', 'nikon.jpg']);
      const duplicates = await as('bob', `/assets/${id('canon.jpg')}/duplicates`);
      expect(names(duplicates.body.duplicates)).toEqual(['canon-small.jpg']);
      expect(names((await as('admin', `/assets/${id('canon.jpg')}/duplicates`)).body.duplicates)).toEqual(['canon-small.jpg', 'canon.webp']);
      const groups = (await as('bob', '/duplicates')).body.groups;
      expect(groups.map((group: { assets: { assetId: string }[] }) => names(group.assets))).toEqual([['canon-small.jpg', 'canon.jpg']]);
    });

    it("does not name a parent Bob may not see, nor count the whole library's pipeline executions for him", async () => {
      const kit = await create({ name: 'Press kit', parentId: work });
      expect((await share(kit, { kind: 'principal', id: bobId })).status).toBe(200);
      const bobs = (await as('bob', '/collections')).body.collections.find((c: { id: string }) => c.id === kit);
      expect([bobs.parentId, (await as('bob', `/collections/${kit}`)).body.parentId]).toEqual([null, null]);
      expect((await as('admin', `/collections/${kit}`)).body.parentId).toBe(work);
      expect((await as('admin', { method: 'DELETE', url: `/collections/${kit}/shares/principal/${bobId}` })).status).toBe(200);
      expect((await as('admin', { method: 'DELETE', url: `/collections/${kit}` })).status).toBe(200);

      const pipelines = async (who: 'admin' | 'bob') => (await as(who, '/pipelines')).body.pipelines;
      expect((await pipelines('admin')).every((pipeline: object) => 'executions' in pipeline)).toBe(true);
      expect(await pipelines('bob')).not.toEqual([]);
      expect((await pipelines('bob')).some((pipeline: object) => 'executions' in pipeline)).toBe(false);
      expect((await as('bob', '/pipelines/default-images')).body).not.toHaveProperty('executions');
    });

    it('names a duplicate group after a member the viewer sees, never after its representative hidden from them', async () => {
      const representative = (await as('admin', `/assets/${id('canon.jpg')}/duplicates`)).body.groupId;
      expect((await as('admin', '/duplicates')).body.groups.map((group: { groupId: string }) => group.groupId)).toEqual([representative]);
      const others = ['canon.jpg', 'canon-small.jpg', 'canon.webp'].map(id).filter((assetId) => assetId !== representative);
      const press = await create({ name: 'Press' });
      for (const assetId of others) expect((await as('admin', { method: 'PUT', url: `/collections/${press}/assets/${assetId}` })).status).toBe(200);
      const carolId = `user:${(await lake.principals.userNamed('Carol'))!.userId}`;
      expect((await share(press, { kind: 'principal', id: carolId })).status).toBe(200);
      await lake.waitForIdle({ timeoutMs: 30_000 });

      const page = (await as('carol', '/duplicates?limit=1')).body;
      expect(page.groups.map((group: { assets: { assetId: string }[] }) => group.assets.map((asset) => asset.assetId))).toEqual([others.sort()]);
      expect(page.groups[0].groupId).toBe(others.sort()[0]);
      expect(page.next).toBeUndefined();
      expect((await as('carol', `/assets/${others[0]}/duplicates`)).body.groupId).toBe(others.sort()[0]);
      expect(JSON.stringify([page, (await as('carol', `/assets/${others[1]}/duplicates`)).body])).not.toContain(representative);

      expect((await as('admin', { method: 'DELETE', url: `/collections/${press}/shares/principal/${carolId}` })).status).toBe(200);
      for (const assetId of others) expect((await as('admin', { method: 'DELETE', url: `/collections/${press}/assets/${assetId}` })).status).toBe(200);
      expect((await as('admin', { method: 'DELETE', url: `/collections/${press}` })).status).toBe(200);
      await lake.waitForIdle({ timeoutMs: 30_000 });
    });

    it('answers 404, not 403, for every asset Bob may not see, and serves renditions of those he may', async () => {
      expect((await as('bob', `/assets/${id('canon.jpg')}/renditions/thumbnail`)).status).toBe(200);
      expect((await as('bob', `/assets/${id('canon.jpg')}`)).status).toBe(200);
      for (const path of ['', '/events', '/original', '/renditions/thumbnail', '/similar', '/duplicates']) {
        const answer = await as('bob', `/assets/${id('fuji.jpg')}${path}`);
        expect(answer.status, path).toBe(404);
        expectApiError(answer.body, /NOT_FOUND/);
      }
      const edit = await as('bob', { method: 'PATCH', url: `/assets/${id('fuji.jpg')}`, payload: { title: 'mine' } });
      expect(edit.status).toBe(404);
      expect((await as('bob', { method: 'PUT', url: `/favourites/${id('fuji.jpg')}` })).status).toBe(404);
    });

    it('lets only admins and editors manage collections, and a viewer share read only', async () => {
      const created = await as('bob', { method: 'POST', url: '/collections', payload: { name: 'Mine' } });
      expect(created.status).toBe(403);
      expectApiError(created.body, 'FORBIDDEN');
      const added = await as('bob', { method: 'PUT', url: `/collections/${holiday}/assets/${id('nikon.jpg')}` });
      expect(added.status).toBe(403);
      expect((await as('bob', { method: 'DELETE', url: `/collections/${work}` })).status).toBe(404);
      // What each may do, as a client offers it: the same answers as the routes' own.
      const mayOf = async (who: 'admin' | 'bob') => Object.fromEntries((await as(who, '/collections')).body.collections.map((c: { name: string; may: string[] }) => [c.name, c.may]));
      expect(await mayOf('bob')).toEqual({ Holiday: [], Beach: [] });
      expect((await mayOf('admin')).Work).toEqual(['manageCollections', 'manageCollectionAssets', 'shareCollection']);
      expect((await as('bob', `/collections/${holiday}`)).body.may).toEqual([]);
    });

    it('refuses a share that names no principal, and a revoke of a share there is not', async () => {
      const subjects = [
        { kind: 'principal', id: 'user-865f' },
        { kind: 'principal', id: 'user:bob' },
        { kind: 'principal', id: 'Carol\u202e' },
        { kind: 'principal', id: 'user:user-0123456789abcdef")' },
        { kind: 'principal', id: 'oidc:https://issuer.example' },
        { kind: 'group', id: 'team\u0000' },
        { kind: 'group', id: ' ' },
        { kind: 'group', id: 'pho\u202etos' },
      ] as const;
      for (const subject of subjects) {
        const shared = await share(work, subject);
        expect(shared.status, subject.id).toBe(400);
        expectApiError(shared.body, 'INVALID_SHARE_SUBJECT');
      }
      const unknown = await share(work, { kind: 'principal', id: 'nobody' });
      expect([unknown.status, unknown.body.error.message]).toEqual([400, expect.stringMatching(/^there is no user nobody/)]);
      // A local user by name: shared with their principal id, shown with their name.
      expect((await share(work, { kind: 'principal', id: 'Carol' })).status).toBe(200);
      const carolId = `user:${(await lake.principals.userNamed('Carol'))!.userId}`;
      expect((await as('admin', `/collections/${work}`)).body.shares).toContainEqual({ subject: { kind: 'principal', id: carolId }, role: 'viewer', name: 'Carol' });
      expect((await as('admin', { method: 'DELETE', url: `/collections/${work}/shares/principal/${carolId}` })).status).toBe(200);
      const oidcUser = await share(work, { kind: 'principal', id: 'oidc:https://issuer.example/realms/a#0b9e-77' });
      expect(oidcUser.status).toBe(200);
      expect((await as('admin', { method: 'DELETE', url: `/collections/${work}/shares/principal/${encodeURIComponent('oidc:https://issuer.example/realms/a#0b9e-77')}` })).status).toBe(200);
      const revoked = await as('admin', { method: 'DELETE', url: `/collections/${work}/shares/group/nobody` });
      expect(revoked.status).toBe(404);
      expectApiError(revoked.body, 'SHARE_NOT_FOUND');
    });

    it('refuses to nest a collection under itself or under one nested in it', async () => {
      for (const parentId of [holiday, beach]) {
        const answer = await as('admin', { method: 'PATCH', url: `/collections/${holiday}`, payload: { parentId } });
        expect(answer.status).toBe(409);
        expectApiError(answer.body, 'COLLECTION_CYCLE');
      }
      const deleted = await as('admin', { method: 'DELETE', url: `/collections/${holiday}` });
      expect(deleted.status).toBe(409);
      expectApiError(deleted.body, 'COLLECTION_HAS_CHILDREN');
    });

    it('takes two moves sent at once one after the other: one nests, the other, which would make a cycle, is 409', async () => {
      const [weddings, portraits] = [await create({ name: 'Weddings' }), await create({ name: 'Portraits' })];
      const answers = await Promise.all([
        as('admin', { method: 'PATCH', url: `/collections/${weddings}`, payload: { parentId: portraits } }),
        as('admin', { method: 'PATCH', url: `/collections/${portraits}`, payload: { parentId: weddings } }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expectApiError(answers.find((answer) => answer.status === 409)!.body, 'COLLECTION_CYCLE');
      const parents = (await as('admin', '/collections')).body.collections
        .filter((collection: { id: string }) => [weddings, portraits].includes(collection.id))
        .map((collection: { parentId: string | null }) => collection.parentId);
      expect(parents.filter((parent: string | null) => parent === null)).toHaveLength(1);
      // A collection made under a parent deleted at the same time: one of the two is refused.
      const parent = await create({ name: 'Soon gone' });
      const [made, deleted] = await Promise.all([
        as('admin', { method: 'POST', url: '/collections', payload: { name: 'Under it', parentId: parent } }),
        as('admin', { method: 'DELETE', url: `/collections/${parent}` }),
      ]);
      expect([made.status, deleted.status]).toEqual(made.status === 201 ? [201, 409] : [404, 200]);
    });

    it('renames and deletes a collection under If-Match as assets are edited: its ETag is its version, a stale one is 409, a malformed one 400', async () => {
      const studio = await create({ name: 'Studio' });
      const shown = await app.inject({ url: `/collections/${studio}`, headers: bearer(keys.admin) });
      const tag = shown.headers.etag as string;
      expect(tag).toMatch(/^"\d+"$/);
      const rename = (ifMatch: string, name: string) =>
        as('admin', { method: 'PATCH', url: `/collections/${studio}`, headers: { 'if-match': ifMatch }, payload: { name } });
      expect((await rename(tag, 'Studio A')).status).toBe(200);
      const stale = await rename(tag, 'Studio B');
      expect(stale.status).toBe(409);
      expectApiError(stale.body, 'VERSION_CONFLICT');
      expect(stale.body.error.message).toBe(`${studio} is at version 2, not the expected 1: reload it and try again`);
      expectApiError((await rename('garbage', 'Studio C')).body, 'INVALID_IF_MATCH');
      expect((await as('admin', `/collections/${studio}`)).body.name).toBe('Studio A');
      const staleDelete = await as('admin', { method: 'DELETE', url: `/collections/${studio}`, headers: { 'if-match': tag } });
      expect(staleDelete.status).toBe(409);
      const current = (await app.inject({ url: `/collections/${studio}`, headers: bearer(keys.admin) })).headers.etag as string;
      expect((await as('admin', { method: 'DELETE', url: `/collections/${studio}`, headers: { 'if-match': current } })).status).toBe(200);
    });

    it("keeps each principal's favourites among what they may see", async () => {
      expect((await as('bob', { method: 'PUT', url: `/favourites/${id('nikon.jpg')}` })).status).toBe(200);
      expect((await as('admin', { method: 'PUT', url: `/favourites/${id('fuji.jpg')}` })).status).toBe(200);
      expect((await as('bob', '/favourites')).body.assetIds).toEqual([id('nikon.jpg')]);
      expect((await as('admin', '/favourites')).body.assetIds).toEqual([id('fuji.jpg')]);
      // Whose favourite an asset is, is theirs to read in its history; an admin reads every event.
      expect((await as('admin', { method: 'PUT', url: `/favourites/${id('nikon.jpg')}` })).status).toBe(200);
      const favourites = async (who: 'admin' | 'bob') =>
        (await as(who, `/assets/${id('nikon.jpg')}/events`)).body.events.filter((e: { type: string }) => e.type === 'AssetFavourited').length;
      expect([await favourites('bob'), await favourites('admin')]).toEqual([1, 2]);
      expect((await as('admin', { method: 'DELETE', url: `/favourites/${id('nikon.jpg')}` })).status).toBe(200);
      expect((await as('bob', { method: 'DELETE', url: `/favourites/${id('nikon.jpg')}` })).status).toBe(200);
      expect((await as('bob', '/favourites')).body.assetIds).toEqual([]);
      // A collection's stream is no asset's history.
      expect((await as('admin', `/assets/${holiday}/events`)).status).toBe(404);
    });

    it("appends nothing, and keeps the asset's version, for a membership or a favourite that is so already", async () => {
      const asset = id('canon.jpg');
      // The log's, which If-Match is checked against: the records projection may fold a favourite a moment after its answer.
      const version = async () => (await lake.log.assetHead(asset)).version;
      const before = await version();
      const unchanged = [
        await as('editor', { method: 'PUT', url: `/collections/${holiday}/assets/${asset}` }),
        await as('editor', { method: 'DELETE', url: `/collections/${work}/assets/${asset}` }),
        await as('editor', { method: 'DELETE', url: `/favourites/${asset}` }),
      ];
      for (const answer of unchanged) {
        expect(answer.status).toBe(200);
        expect(answer.body.eventId).toBeUndefined();
      }
      expect(await version()).toBe(before);
      // The change itself, then the same change again.
      const starred = await as('editor', { method: 'PUT', url: `/favourites/${asset}` });
      expect(starred.body.eventId).toEqual(expect.any(String));
      const after = await version();
      expect(after).not.toBe(before);
      expect((await as('editor', { method: 'PUT', url: `/favourites/${asset}` })).body).toEqual({ assetId: asset });
      expect(await version()).toBe(after);
      expect((await as('editor', { method: 'DELETE', url: `/favourites/${asset}` })).body.eventId).toEqual(expect.any(String));
      const unknown = await as('editor', { method: 'DELETE', url: `/collections/${work}/assets/a${'0'.repeat(32)}` });
      expect(unknown.status).toBe(404);
    });

    it("shares with a group as editor (its members edit the assets' metadata), and a revoke hides the assets as soon as it answers", async () => {
      expect((await share(work, { kind: 'group', id: 'darkroom' }, 'editor')).status).toBe(200);
      expect((await as('bob', `/assets/${id('fuji.jpg')}`)).status).toBe(200);
      const edited = await as('bob', { method: 'PATCH', url: `/assets/${id('fuji.jpg')}`, payload: { title: 'Darkroom print' } });
      expect(edited.status).toBe(200);
      expect((await as('bob', { method: 'DELETE', url: `/assets/${id('fuji.jpg')}` })).status).toBe(403); // an editor's share edits, never deletes
      expect((await as('bob', { method: 'PUT', url: `/collections/${work}/assets/${id('pentax.jpg')}` })).status).toBe(404); // not his to see
      // Canon is Bob's to view only (Holiday): placed in Work, it would be his to download and edit, and Work's other sharers' to see.
      const widened = await as('bob', { method: 'PUT', url: `/collections/${work}/assets/${id('canon.jpg')}` });
      expect(widened.status).toBe(403);
      expectApiError(widened.body, 'FORBIDDEN');
      expect((await as('bob', `/collections/${work}`)).body.may).toEqual(['manageCollectionAssets']);
      expect((await as('bob', `/assets/${id('canon.jpg')}/original`)).status).toBe(403);
      expect((await as('bob', { method: 'DELETE', url: `/collections/${work}/assets/${id('canon.webp')}` })).status).toBe(200);
      const revoked = await as('admin', { method: 'DELETE', url: `/collections/${work}/shares/group/darkroom` });
      expect(revoked.status).toBe(200);
      expect((await as('bob', `/assets/${id('fuji.jpg')}`)).status).toBe(404);
      expect((await as('admin', { method: 'DELETE', url: `/collections/${holiday}/shares/principal/${bobId}` })).status).toBe(200);
      expect((await as('bob', '/assets')).body.assets).toEqual([]);
      expect((await as('bob', `/assets/${id('canon.jpg')}`)).status).toBe(404);
      expect((await as('bob', '/search')).body.total).toBe(0);
    });

    it('rebuilds the collections projection from the log to the live state', async () => {
      const before = (await as('admin', '/collections')).body;
      await lake.projections.rebuild('collections');
      expect((await as('admin', '/collections')).body).toEqual(before);
      expect(before.collections.find((c: { id: string }) => c.id === holiday)).toMatchObject({ name: 'Holiday', parentId: null, shares: [] });
    });
  });
}
