import pLimit from 'p-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import type { StoredEvent } from '../../schemas/envelope';
import type { ProjectionStore } from '../../projections/projection';
import { expectedVersion, IF_MATCH_ERRORS, IfMatchHeaders } from '../ifMatch';
import { CollectionId, ShareRole, ShareSubject } from '../../schemas/events';
import { SearchQuery, SearchResult } from '../../projections/search/searchIndex';
import {
  CollectionNotFoundError,
  changeFavourite,
  changeMembership,
  createCollection,
  deleteCollection,
  moveCollection,
  renameCollection,
  revokeShare,
  shareCollection,
  withLocalUser,
  type CollectionContext,
} from '../../producers/collections';
import { access, onAsset, onCollection } from '../access/accessControl';
import type { Action } from '../access/cedarSchema';
import { appliedBy } from '../readYourWrites';
import { errorResponse, HttpError } from '../errors';
import { VERSION_TAG } from '../routeDocument';
import { scopeOf, visibilityOf, visibleRecord, type Visibility } from '../visibility';
import { AssetParams, commandContext } from './assets';

const CollectionParams = z.object({ id: CollectionId });
const MemberParams = CollectionParams.extend({ assetId: AssetParams.shape.id });
const Name = z.string().trim().min(1).max(200);

/** What may be done to a collection, beside viewing it: a client offers what the caller may do (each route still decides when asked). */
const COLLECTION_ACTIONS = ['manageCollections', 'manageCollectionAssets', 'shareCollection'] as const satisfies readonly Action[];

const Collection = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  shares: z.array(z.object({ subject: ShareSubject, role: ShareRole, name: z.string().optional().describe("a local user's name, beside their principal id") })),
  may: z
    .array(z.enum(COLLECTION_ACTIONS))
    .describe('what the caller may do to it now: manageCollections (rename, move, delete), manageCollectionAssets (add and remove assets), shareCollection'),
});
const Written = z.object({ collectionId: z.string(), eventId: z.string() });
/** An idempotent change's event: none where the asset's stream said so already (an event would move the asset's version for nothing). */
const UNCHANGED_WHERE_ABSENT = z.string().optional().describe('the event appended; absent where nothing changed, as it was so already');

/** The actions on a collection the caller may perform. */
const mayDo = (request: FastifyRequest, id: string) => request.mayWhich(COLLECTION_ACTIONS, { type: 'Collection', id });

/** A collection as the caller sees it: a parent they may not see is not named (the collection shows at the top, as for them it is). */
function shownCollection<T extends { parentId: string | null }>(visibility: Visibility, collection: T): T {
  const { parentId } = collection;
  return visibility === 'all' || parentId === null || visibility.includes(parentId) ? collection : { ...collection, parentId: null };
}

/**
 * Collections: create, rename, nest, delete, share, and their assets; and
 * each principal's favourites. Who may do which is Cedar's to decide (each
 * route's action, on the collection: a share reaches it); a collection the
 * caller may not view is 404. Every write answers once the projections that
 * show it have applied it, so what it changed is seen by the next request.
 */
export const collectionRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    const timeoutMs = lake.config.api.requestTimeoutMs;
    const context = (request: FastifyRequest): CollectionContext => ({ ...commandContext(lake, request), collections: lake.collections });
    /** Collection events change what the collections projection shows; membership and favourites, also the asset's record and its search document. */
    const applied = (event: StoredEvent, stores: ProjectionStore[] = [lake.collections]) => appliedBy(stores, event, timeoutMs, lake.metrics);
    const written = (event: StoredEvent) => ({ collectionId: event.assetId, eventId: event.id });
    /**
     * Changes to the tree (a create under a parent, a move, a delete), one at
     * a time, each until the projection shows it: each checks the tree the
     * one before left, so two moves cannot nest two collections under each
     * other, nor a collection be made under a parent being deleted. (Each
     * command's append guards its own collection's stream alone.)
     */
    const oneAtATime = pLimit(1);
    const treeChange = (change: () => Promise<StoredEvent>) =>
      oneAtATime(async () => {
        const event = await change();
        await applied(event);
        return event;
      });

    /** The collection, which the caller may view (the route's access said so); 404 when there is none. */
    async function existing(id: string) {
      const collection = await lake.collections.get(id);
      if (!collection) throw new CollectionNotFoundError(id);
      return collection;
    }

    /** A command on collection `id`, answered once it shows. */
    async function manage(request: FastifyRequest, id: string, run: (context: CollectionContext) => Promise<StoredEvent>) {
      await existing(id);
      const event = await run(context(request));
      await applied(event);
      return written(event);
    }

    /** The collection with each local user's name beside their share (the names read once a request). */
    async function namedShares(): Promise<<T extends { shares: { subject: ShareSubject }[] }>(collection: T) => T> {
      const names = new Map((await lake.principals.users()).map((user) => [`user:${user.userId}`, user.name]));
      return (collection) => ({
        ...collection,
        shares: collection.shares.map((share) => {
          const name = share.subject.kind === 'principal' ? names.get(share.subject.id) : undefined;
          return name === undefined ? share : { ...share, name };
        }),
      });
    }

    app.post(
      '/collections',
      {
        config: access('manageCollections'),
        schema: {
          operationId: 'createCollection',
          summary: 'Create a collection, at the top or nested under another (parentId)',
          body: z.object({ name: Name, parentId: CollectionId.nullable().default(null) }),
          response: { 201: Written },
        },
      },
      async (request, reply) => {
        const event = await treeChange(() => createCollection(context(request), request.body.name, request.body.parentId));
        return reply.status(201).send(written(event));
      },
    );

    app.get(
      '/collections',
      { config: access('view'), schema: { operationId: 'listCollections', summary: 'The collections the caller may see, by name', response: { 200: z.object({ collections: z.array(Collection) }) } } },
      async (request) => {
        const visibility = await visibilityOf(lake, request.principal);
        const [collections, named] = await Promise.all([lake.collections.list(visibility === 'all' ? undefined : visibility), namedShares()]);
        return { collections: await Promise.all(collections.map(async (collection) => ({ ...shownCollection(visibility, named(collection)), may: await mayDo(request, collection.id) }))) };
      },
    );

    app.get(
      '/collections/:id',
      { config: { ...access('view', onCollection), document: VERSION_TAG }, schema: { operationId: 'getCollection', summary: 'One collection, with its shares; its ETag is its version, for If-Match', params: CollectionParams, response: { 200: Collection } } },
      async (request, reply) => {
        const [visibility, collection, named, head] = await Promise.all([
          visibilityOf(lake, request.principal),
          existing(request.params.id),
          namedShares(),
          lake.log.assetHead(request.params.id),
        ]);
        return reply.header('etag', `"${head.version}"`).send({ ...shownCollection(visibility, named(collection)), may: await mayDo(request, request.params.id) });
      },
    );

    app.patch(
      '/collections/:id',
      {
        config: access('manageCollections', onCollection),
        schema: {
          operationId: 'updateCollection',
          summary:
            'Rename a collection, or nest it under another (parentId; null: to the top). Nesting it under itself or a collection under it is 409. ' +
            'With If-Match: "<version>" (its ETag), only if the collection is still at that version (else 409); * for any version.',
          params: CollectionParams,
          headers: IfMatchHeaders,
          body: z
            .object({ name: Name.optional(), parentId: CollectionId.nullable().optional() })
            .refine((body) => body.name !== undefined || body.parentId !== undefined, 'give name or parentId'),
          response: {
            200: z.object({ collectionId: z.string(), eventIds: z.array(z.string()) }),
            ...IF_MATCH_ERRORS,
            409: errorResponse('The collection would be nested under itself or a collection under it (COLLECTION_CYCLE), or is at another version than If-Match names (VERSION_CONFLICT)'),
          },
        },
      },
      async (request) => {
        const { id } = request.params;
        const expected = expectedVersion(request.headers['if-match']);
        await existing(id);
        const events: StoredEvent[] = [];
        const { parentId } = request.body;
        if (parentId !== undefined) events.push(await treeChange(() => moveCollection(context(request), id, parentId, expected)));
        // After a move, the rename follows it: If-Match named the version before the move.
        if (request.body.name !== undefined) events.push(await renameCollection(context(request), id, request.body.name, events.length ? undefined : expected));
        await applied(events.at(-1)!);
        return { collectionId: id, eventIds: events.map((event) => event.id) };
      },
    );

    app.delete(
      '/collections/:id',
      {
        config: access('manageCollections', onCollection),
        schema: {
          operationId: 'deleteCollection',
          summary: 'Delete a collection (its assets stay); one with collections nested under it is 409. If-Match as for PATCH',
          params: CollectionParams,
          headers: IfMatchHeaders,
          response: {
            200: Written,
            ...IF_MATCH_ERRORS,
            409: errorResponse('Collections are nested under it (COLLECTION_HAS_CHILDREN): move or delete them first; or it is at another version than If-Match names (VERSION_CONFLICT)'),
          },
        },
      },
      async (request) => {
        const expected = expectedVersion(request.headers['if-match']);
        await existing(request.params.id);
        return written(await treeChange(() => deleteCollection(context(request), request.params.id, expected)));
      },
    );

    app.get(
      '/collections/:id/assets',
      {
        config: access('view', onCollection),
        schema: {
          operationId: 'listCollectionAssets',
          summary: "A collection's assets (not those of collections nested under it), newest first, as search hits",
          params: CollectionParams,
          querystring: SearchQuery.pick({ limit: true, offset: true, after: true }).strict(),
          response: { 200: SearchResult.pick({ total: true, totalRelation: true, hits: true, next: true }) },
        },
      },
      async (request) => {
        await existing(request.params.id);
        const scope = scopeOf(await visibilityOf(lake, request.principal));
        const { total, totalRelation, hits, next } = await lake.search.search({ ...request.query, collection: request.params.id, ...scope });
        return { total, totalRelation, hits, next };
      },
    );

    for (const [method, member] of [['put', true], ['delete', false]] as const) {
      app[method](
        '/collections/:id/assets/:assetId',
        {
          config: access('manageCollectionAssets', onCollection),
          schema: {
            operationId: member ? 'addCollectionAsset' : 'removeCollectionAsset',
            summary: member ? 'Add an asset to a collection' : 'Remove an asset from a collection (the asset stays in the library)',
            params: MemberParams,
            response: { 200: z.object({ collectionId: z.string(), eventId: UNCHANGED_WHERE_ABSENT }) },
          },
        },
        async (request) => {
          const { id, assetId } = request.params;
          await visibleRecord(lake, request.principal, assetId);
          // The collection's shares reach what is added to it: adding takes the rights an editor's share gives, or a view could become a download.
          if (member && !(await request.may('editMetadata', { type: 'Asset', id: assetId }))) {
            throw new HttpError(403, 'FORBIDDEN', `${request.principal.name} may only view asset ${assetId}: adding it to a collection would give the collection's shares more than that; ask an editor of the asset`);
          }
          const event = await changeMembership(context(request), id, assetId, member);
          if (event) await applied(event, [lake.records, lake.search]);
          return { collectionId: id, eventId: event?.id };
        },
      );
    }

    app.put(
      '/collections/:id/shares',
      {
        config: access('shareCollection', onCollection),
        schema: {
          operationId: 'shareCollection',
          summary:
            'Share a collection (and those nested under it) with a principal (a local user by name, user:USER_ID, oidc:ISSUER#SUB) or a group, as viewer or editor; sharing again changes the role',
          params: CollectionParams,
          body: z.object({ subject: ShareSubject, role: ShareRole }),
          response: { 200: Written },
        },
      },
      async (request) => {
        const { subject, role } = request.body;
        const shared = await withLocalUser(lake.principals, subject);
        return manage(request, request.params.id, (context) => shareCollection(context, request.params.id, shared, role));
      },
    );

    app.delete(
      '/collections/:id/shares/:kind/:subject',
      {
        config: access('shareCollection', onCollection),
        schema: {
          operationId: 'revokeCollectionShare',
          summary: 'Revoke a share: its assets are out of sight for that principal or group as soon as this answers',
          params: CollectionParams.extend({ kind: ShareSubject.shape.kind, subject: ShareSubject.shape.id }),
          response: { 200: Written },
        },
      },
      async (request) => {
        const { id, kind, subject } = request.params;
        return manage(request, id, (context) => revokeShare(context, id, { kind, id: subject }));
      },
    );

    app.get(
      '/favourites',
      {
        config: access('view'),
        schema: { operationId: 'listFavourites', summary: "The caller's favourite assets that they may still see, latest first", response: { 200: z.object({ assetIds: z.array(z.string()) }) } },
      },
      async (request) => {
        const principal = request.principal;
        const ids = await lake.collections.favourites(principal.id);
        const seen = await Promise.all(ids.map((id) => visibleRecord(lake, principal, id).then(() => id, () => undefined)));
        return { assetIds: seen.filter((id) => id !== undefined) };
      },
    );

    for (const [method, favourite] of [['put', true], ['delete', false]] as const) {
      app[method](
        '/favourites/:id',
        {
          config: access('view', onAsset),
          schema: {
            operationId: favourite ? 'addFavourite' : 'removeFavourite',
            summary: favourite ? 'Mark an asset as a favourite of the caller' : "Take an asset off the caller's favourites",
            params: AssetParams,
            response: { 200: z.object({ assetId: z.string().describe("the stream of the caller's favourites, which the event was appended to"), eventId: UNCHANGED_WHERE_ABSENT }) },
          },
        },
        async (request) => {
          const principal = request.principal;
          await visibleRecord(lake, principal, request.params.id);
          const event = await changeFavourite(commandContext(lake, request), principal.id, request.params.id, favourite);
          if (event) await applied(event);
          return { assetId: request.params.id, eventId: event?.id };
        },
      );
    }
  };
