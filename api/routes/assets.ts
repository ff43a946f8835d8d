import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { access, onAsset } from '../access/accessControl';
import type { Action } from '../access/cedarSchema';
import { z } from 'zod';
import { wholeNumber } from '../../schemas/queryNumbers';
import type { Lake } from '../../app/lake';
import { ASSET_ID } from '../../schemas/envelope';
import { AssetTextRedacted, UserMetadataEdit } from '../../schemas/events';
import { ingestFile } from '../../producers/ingest';
import { deleteAsset, redactText, updateUserMetadata, type CommandContext } from '../../producers/commands';
import { InvalidCursorError } from '../../projections/audit/auditTrail';
import { LIST_ORDERS, LIST_SORTS } from '../../projections/assets/assetRecords';
import { placeOf } from '../../projections/listingCursor';
import { ASSET_STATUSES } from '../../projections/assetRecord';
import { errorResponse, HttpError } from '../errors';
import { VERSION_TAG, type RouteDocument } from '../routeDocument';
import { expectedVersion, IF_MATCH_ERRORS, IfMatchHeaders } from '../ifMatch';
import { withUploadedFiles } from '../uploads';
import type { UploadQuota } from '../uploadQuota';
import { stat } from 'node:fs/promises';
import { serveObject } from '../serveObject';
import { attachment } from '../contentDisposition';
import type { FastifyRequest } from 'fastify';
import { shownHistory } from '../assetHistory';
import { assetNotFound, scopeOf, shownRecord, visibilityOf, visibleRecord } from '../visibility';

export const AssetParams = z.object({ id: z.string().regex(ASSET_ID, 'not an asset id') });

/**
 * The actions of the Cedar schema that apply to an asset (api/access/cedarSchema.ts),
 * in the names the routes declare: what GET /assets/:id tells the caller they may do.
 */
export const ASSET_ACTIONS = ['view', 'downloadOriginal', 'editMetadata', 'delete', 'reprocess'] as const satisfies readonly Action[];

/**
 * An asset's record as the API shows it: the fields every record has, and
 * open for the rest (metadata, media, user metadata, renditions, failures,
 * collections), which are the projection's and grow with its versions.
 */
const ShownRecord = z
  .looseObject({
    assetId: z.string(),
    version: z.number().int().describe('the asset version of the last event folded in: the ETag, and If-Match of an edit'),
    status: z.enum(ASSET_STATUSES),
    originalName: z.string(),
    mediaType: z.string(),
    size: z.number().int(),
    ingestedAt: z.string(),
  })
  .describe('An asset record: also mimeType, sha256, origin, updatedAt, metadata, media, user, renditions, failures and collections where it has them');

/** One asset's record and what the caller may do with it. */
const AssetAnswer = ShownRecord.extend({
  may: z.array(z.enum(ASSET_ACTIONS)).describe('The actions the caller may perform on this asset now (see the description)'),
}).describe('The asset record, as GET /assets lists it, with what the caller may do with it');

/** An asset's events as the log holds them (`medialake schema` has each type's payload), open for the fields the envelope may gain. */
const History = z.object({
  events: z.array(
    z.looseObject({
      id: z.string(),
      type: z.string(),
      assetId: z.string(),
      assetVersion: z.number().int(),
      time: z.string(),
      actor: z.string().describe('who: a person (as the log unseals it, "[erased]" once they are erased) or medialake'),
      source: z.string(),
      payload: z.looseObject({}),
    }),
  ),
});

/** The event a command appended to an asset's stream. */
const Appended = z.object({ assetId: z.string(), version: z.number().int(), eventId: z.string() });
const Ingested = z.object({ assetId: z.string(), status: z.enum(['ingested', 'duplicate']) });
const UploadAnswer = Ingested.extend({
  assets: z.array(Ingested.extend({ name: z.string() })).describe('One per file part, in the order sent'),
}).describe("assetId and status are the first file's (all a single-file upload needs); assets has every file");

/** Who and why, from the request (law 8): the actor is the authenticated principal, never a header. */
export function commandContext(lake: Lake, request: FastifyRequest): CommandContext {
  const correlation = request.headers['x-correlation-id'];
  return {
    log: lake.log,
    actor: request.principal.name,
    source: 'api',
    correlationId: typeof correlation === 'string' && correlation ? correlation.slice(0, 200) : request.id,
  };
}

/** How both media routes answer byte ranges and conditions, for their OpenAPI descriptions. */
const RANGES =
  'Accept-Ranges: bytes. One range (bytes=a-b, a-, -n) gets 206 with Content-Range; one past the end 416 with Content-Range: bytes */SIZE; ' +
  'a malformed Range, or several ranges, the whole (200). If-Range with the ETag (or Last-Modified) applies the range only while it is current; ' +
  'If-None-Match with it gets 304. Cache-Control: no-cache (the bytes behind the URL can change). HEAD: the same headers, no body.';

/** What the media routes answer: the bytes (of whatever type the object is), a range of them, 304 and 416. */
const bytes = (description: string) => ({ description, content: { '*/*': { schema: z.string().meta({ format: 'binary' }) } } });
/** The headers of the media routes, for the document (routeDocument.ts): Fastify leaves them to serveObject. */
const ETAG = 'the object\'s entity tag, for If-None-Match and If-Range';
const MEDIA_DOCUMENT: RouteDocument = {
  requestHeaders: {
    Range: { description: 'one byte range: bytes=a-b, a- or -n' },
    'If-Range': { description: 'the ETag or Last-Modified the range holds for: the whole object once it changed' },
    'If-None-Match': { description: 'an ETag the client holds: 304 while it is current' },
  },
  responseHeaders: {
    200: { ETag: ETAG, 'Last-Modified': 'when the object was written', 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache', 'Content-Disposition': 'an original: attachment, under its name' },
    206: { 'Content-Range': 'bytes a-b/SIZE: the range sent', ETag: ETAG, 'Accept-Ranges': 'bytes' },
    304: { ETag: ETAG },
    416: { 'Content-Range': 'bytes */SIZE' },
  },
};
const MEDIA_RESPONSES = {
  200: bytes('The whole object'),
  206: bytes('Partial Content: the one byte range asked for, as Content-Range says'),
  304: z.undefined().describe('Not Modified: If-None-Match names the current ETag'),
  416: errorResponse('The range names no byte of the object (RANGE_NOT_SATISFIABLE); Content-Range: bytes */SIZE'),
};


export const assetRoutes =
  (lake: Lake, quota: UploadQuota): FastifyPluginAsyncZod =>
  async (app) => {
    /** The asset's record, unless there is none, it is deleted, or the caller may not see it. */
    const liveRecord = (request: FastifyRequest, assetId: string) => visibleRecord(lake, request.principal, assetId);
    /**
     * 404 for an asset the caller may not see. A caller who sees the whole
     * library is not held to the record, which may lag behind the log (its
     * commands check the log itself).
     */
    const checkVisible = async (request: FastifyRequest, assetId: string) => {
      if ((await visibilityOf(lake, request.principal)) !== 'all') await liveRecord(request, assetId);
    };

    app.post(
      '/assets',
      {
        config: access('upload'),
        schema: {
          operationId: 'uploadAssets',
          summary:
            'Upload files (multipart/form-data): every file part becomes an asset, answered in order in `assets`; the same bytes ' +
            'twice make one asset (a duplicate). 413 over the per-file size or the file count limit: then no file is kept.',
          consumes: ['multipart/form-data'],
          response: {
            201: UploadAnswer,
            400: errorResponse('A multipart body that cannot be read (INVALID_MULTIPART), or one without a file part (NO_FILE)'),
            413: errorResponse('A file over api.maxUploadBytes (TOO_LARGE), or more files than api.maxUploadFiles (TOO_MANY_FILES): no file is kept'),
            415: errorResponse('A body that is not multipart/form-data (UNSUPPORTED_MEDIA_TYPE)'),
          },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the files as multipart/form-data');
        quota.check(request.principal.id, Number(request.headers['content-length'] ?? 0));
        const context = { ...commandContext(lake, request), store: lake.store };
        const assets = await withUploadedFiles(request, lake.temporaryDirectory, lake.config.api, async (files) => {
          if (!files.length) throw new HttpError(400, 'NO_FILE', 'the request holds no file part: send each file as a part with a filename');
          const bytes = (await Promise.all(files.map((file) => stat(file.path)))).reduce((sum, file) => sum + file.size, 0);
          quota.check(request.principal.id, bytes);
          quota.charge(request.principal.id, bytes);
          const ingested = [];
          // One after another: the same bytes twice in one upload make one asset and a duplicate, as in two uploads.
          for (const file of files) {
            const { assetId, status } = await ingestFile(context, file.path, { kind: 'upload' }, file.name);
            ingested.push({ assetId, status, name: file.name });
          }
          return ingested;
        });
        const [first] = assets;
        return reply.status(201).send({ assetId: first!.assetId, status: first!.status, assets });
      },
    );

    app.get(
      '/assets',
      {
        config: access('view'),
        schema: {
          operationId: 'listAssets',
          summary: 'List the assets the caller may see, newest first (by ingest date unless sort says otherwise), paged by cursor',
          querystring: z.strictObject({
            limit: wholeNumber(z.number().int().min(1).max(500).default(50)),
            after: z.string().max(500).optional().describe('the `next` of the previous page, listed with the same sort and order'),
            sort: z
              .enum(LIST_SORTS)
              .default('ingested')
              .describe('ingested: by ingest date; captured: by capture date (EXIF), the ingest date for assets without one; ties by asset id'),
            order: z.enum(LIST_ORDERS).default('desc').describe('desc: newest first; asc: oldest first'),
          }),
          response: { 200: z.object({ assets: z.array(ShownRecord), next: z.string().optional().describe('`after` for the next page; absent on the last') }) },
        },
      },
      async (request) => {
        // Checked here, because a backend reads a forged cursor as "from the start".
        if (request.query.after !== undefined && !placeOf(request.query.after)) throw new InvalidCursorError();
        const visibility = await visibilityOf(lake, request.principal);
        const page = await lake.records.list({ ...request.query, ...scopeOf(visibility) });
        return { ...page, assets: page.assets.map((record) => shownRecord(visibility, record)) };
      },
    );

    app.get(
      '/assets/:id',
      {
        config: { ...access('view', onAsset), document: VERSION_TAG },
        schema: {
          operationId: 'getAsset',
          summary: 'One asset record, and what the caller may do with it; its ETag is its version',
          description:
            '`may` lists the actions the caller may perform on this asset, as the routes that perform them decide (Cedar, on their role, ' +
            'groups and the shares of the collections the asset is in): view; downloadOriginal (GET /assets/{id}/original); ' +
            'editMetadata (PATCH /assets/{id}, POST /assets/{id}/redactions); delete (DELETE /assets/{id}); reprocess ' +
            '(POST /assets/{id}/reprocess). It is what a client should offer; each route still decides when asked. ' +
            'The listing (GET /assets) does not carry it.',
          params: AssetParams,
          response: { 200: AssetAnswer },
        },
      },
      async (request, reply) => {
        const [record, visibility, may] = await Promise.all([
          liveRecord(request, request.params.id),
          visibilityOf(lake, request.principal),
          request.mayWhich(ASSET_ACTIONS, { type: 'Asset', id: request.params.id }),
        ]);
        return reply.header('etag', `"${record.version}"`).send({ ...shownRecord(visibility, record), may });
      },
    );

    app.patch(
      '/assets/:id',
      {
        config: access('editMetadata', onAsset),
        schema: {
          operationId: 'updateAsset',
          summary:
            'Edit user metadata; with If-Match: "<version>", only if the asset is still at that version (else 409); * for any version. ' +
            'Text with unpaired surrogates is refused (400).',
          params: AssetParams,
          headers: IfMatchHeaders,
          body: UserMetadataEdit.refine((edit) => Object.keys(edit).length > 0, 'give title, description, tags, creator or people'),
          response: { 200: Appended, ...IF_MATCH_ERRORS },
        },
      },
      async (request, reply) => {
        await checkVisible(request, request.params.id);
        const event = await updateUserMetadata(
          commandContext(lake, request),
          request.params.id,
          request.body,
          expectedVersion(request.headers['if-match']),
        );
        return reply.header('etag', `"${event.assetVersion}"`).send({ assetId: event.assetId, version: event.assetVersion, eventId: event.id });
      },
    );

    app.delete(
      '/assets/:id',
      { config: access('delete', onAsset), schema: { operationId: 'deleteAsset', summary: 'Delete an asset (its history stays on the log)', params: AssetParams, headers: IfMatchHeaders, response: { 202: Appended, ...IF_MATCH_ERRORS } } },
      async (request, reply) => {
        await checkVisible(request, request.params.id);
        const version = expectedVersion(request.headers['if-match']);
        const event = await deleteAsset(commandContext(lake, request), request.params.id, undefined, version);
        return reply.status(202).send({ assetId: event.assetId, version: event.assetVersion, eventId: event.id });
      },
    );

    app.post(
      '/assets/:id/redactions',
      {
        config: access('editMetadata', onAsset),
        schema: {
          operationId: 'redactAsset',
          summary:
            "Redact an asset's free text: the fields named (title, description, originalName) leave its record and search " +
            '(the file name becomes [redacted] with its extension). The event names the fields, never their text; the events ' +
            "that carried it stay on the log, and in the audit trail, as written (an asset's history here shows them redacted). If-Match as for PATCH.",
          params: AssetParams,
          headers: IfMatchHeaders,
          body: AssetTextRedacted,
          response: { 202: Appended, ...IF_MATCH_ERRORS },
        },
      },
      async (request, reply) => {
        const version = expectedVersion(request.headers['if-match']);
        const event = await redactText(commandContext(lake, request), request.params.id, request.body.fields, version);
        return reply.status(202).header('etag', `"${event.assetVersion}"`).send({ assetId: event.assetId, version: event.assetVersion, eventId: event.id });
      },
    );

    app.get('/assets/:id/events', { config: access('view', onAsset), schema: { operationId: 'getAssetHistory', summary: "An asset's history, in order", params: AssetParams, response: { 200: History } } }, async (request) => {
      await checkVisible(request, request.params.id);
      const events = await lake.log.readAsset(request.params.id);
      // An asset's stream starts with its ingest; a user's, a collection's or a pipeline's is not an asset's.
      if (events[0]?.type !== 'AssetIngested') throw assetNotFound(request.params.id);
      return { events: shownHistory(events, await visibilityOf(lake, request.principal), request.principal.id) };
    });

    app.route({
      method: ['GET', 'HEAD'],
      url: '/assets/:id/renditions/:name',
      config: { ...access('view', onAsset), media: true, document: MEDIA_DOCUMENT },
      schema: {
        operationId: 'getRendition',
        summary: 'The bytes of one rendition (thumbnail, proxy), with byte ranges for players that seek',
        description: RANGES,
        params: AssetParams.extend({ name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/) }),
        querystring: z.strictObject({
          v: z.string().max(500).optional().describe('Any text, which the bytes do not depend on: a client changes it to fetch a redone rendition past its cache (the web UI does)'),
        }),
        response: MEDIA_RESPONSES,
      },
      handler: async (request, reply) => {
        const { renditions } = await liveRecord(request, request.params.id);
        // Own keys only: "constructor" is not a rendition.
        const rendition = Object.hasOwn(renditions, request.params.name) ? renditions[request.params.name] : undefined;
        if (!rendition) throw new HttpError(404, 'RENDITION_NOT_FOUND', `asset ${request.params.id} has no rendition ${request.params.name}`);
        return serveObject(request, reply, lake.store, { key: rendition.objectKey, contentType: rendition.mimeType });
      },
    });

    app.route({
      method: ['GET', 'HEAD'],
      url: '/assets/:id/original',
      config: { ...access('downloadOriginal', onAsset), media: true, document: MEDIA_DOCUMENT },
      schema: {
        operationId: 'getOriginal',
        summary: 'The original bytes as ingested, as a download under their original name (Content-Disposition: attachment)',
        description: RANGES,
        params: AssetParams,
        response: MEDIA_RESPONSES,
      },
      handler: async (request, reply) => {
        const record = await liveRecord(request, request.params.id);
        const headers = { 'content-disposition': attachment(record.originalName) };
        return serveObject(request, reply, lake.store, { key: record.objectKey, contentType: record.mimeType, headers });
      },
    });
  };
