import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FileStore } from '@tus/file-store';
import { Server, TUS_RESUMABLE, type CancellationContext, type Upload } from '@tus/server';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { ingestFile } from '../../producers/ingest';
import { access } from '../access/accessControl';
import { errorBody, errorResponse, exhaustionAnswer, HttpError } from '../errors';
import type { RouteDocument } from '../routeDocument';
import { uploadPath } from '../uploads';
import type { UploadQuota } from '../uploadQuota';
import { commandContext } from './assets';

/** Where tus uploads are created; each upload is PATCHed, HEADed and DELETEd at UPLOADS_PATH/ID. */
export const UPLOADS_PATH = '/uploads';

/** The request as tus hands it to its hooks: the Node request it came on is the key to the caller. */
type TusRequest = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onIncomingRequest']>>[0];

/** What a tus hook throws to answer: the API's error shape, as text (tus writes the body as given). */
const refusal = (status: number, code: string, message: string) => ({ status_code: status, body: JSON.stringify(errorBody({ code, message })) });

/** The codes of tus's own refusals, by status; POST /assets's where they mean the same. */
const TUS_CODES: Record<number, string> = { 404: 'UPLOAD_NOT_FOUND', 410: 'UPLOAD_EXPIRED', 413: 'TOO_LARGE' };

/** tus answers a PATCH without Upload-Offset 403, which says the caller may not: it is a request that lacks a header (400). */
const MISSING_OFFSET = 'Upload-Offset header required';

/** A refusal tus words itself, as text ("Invalid upload-offset", "Upload-Offset conflict"), in the API's shape; a server failure says no more than where to look. */
function tusRefusal(status: number, text: string) {
  if (status >= 500) return refusal(status, 'INTERNAL', 'the upload failed on the server: see the server log');
  if (status === 403 && text.trim() === MISSING_OFFSET) status = 400;
  return refusal(status, TUS_CODES[status] ?? 'INVALID_UPLOAD', text.trim() || `the upload was refused (${status})`);
}

/**
 * The tus server, every refusal of which is the API's JSON, said to be JSON:
 * tus writes its bodies as text/plain, those that onResponseError made JSON
 * included, and words the refusals it makes before any hook (a header it
 * cannot read) as plain text.
 */
class TusServer extends Server {
  override write(context: CancellationContext, headers: Headers, status: number, body = '') {
    if (status < 400) return super.write(context, headers, status, body);
    headers.set('content-type', 'application/json; charset=utf-8');
    return super.write(context, headers, status, body.startsWith('{') ? body : tusRefusal(status, body).body);
  }
}

/** A tus answer without a body: what it means, and the headers tus sends with it. */
const noBody = (description: string, headers?: Record<string, string>) =>
  z.undefined().meta({
    description,
    ...(headers && { headers: Object.fromEntries(Object.entries(headers).map(([name, about]) => [name, { type: 'string', description: about }])) }),
  });

/** The answer to the request that brings an upload's last byte. */
const Finished = z
  .object({ assetId: z.string(), status: z.enum(['ingested', 'duplicate']), name: z.string() })
  .describe('The last byte arrived: the file was ingested as POST /assets ingests it, and left staging');

/** How often stale partial uploads are looked for, beside each new upload: at most hourly. */
const sweepEveryMs = (expiryMs: number) => Math.min(expiryMs, 60 * 60_000);

/**
 * Resumable uploads (the tus protocol, `@tus/server` on a `@tus/file-store`
 * staging folder in the lake's data directory): with the same
 * authentication, action and quota as POST /assets. An upload is its
 * creator's alone (another caller gets 404). When the last byte arrives the
 * file is ingested as POST /assets ingests it, the answer to that PATCH is
 * `{assetId, status, name}`, and the file leaves staging. Partial uploads
 * older than api.partialUploadExpiryMinutes are removed. Staging is this
 * process's: behind several API processes, a client resumes on the one it
 * started on (sticky sessions) or starts again.
 */
export const resumableUploadRoutes =
  (lake: Lake, quota: UploadQuota): FastifyPluginAsync =>
  async (app) => {
    const directory = join(lake.config.data, 'uploads');
    const expiryMs = lake.config.api.partialUploadExpiryMinutes * 60_000;
    const callers = new WeakMap<IncomingMessage, FastifyRequest>();
    const answers = new WeakMap<IncomingMessage, ServerResponse>();
    let timer: ReturnType<typeof setInterval> | undefined;
    app.addHook('onClose', async () => clearInterval(timer));

    function callerOf(request: TusRequest): FastifyRequest {
      const caller = request.runtime?.node?.req && callers.get(request.runtime.node.req as IncomingMessage);
      if (!caller) throw refusal(500, 'INTERNAL', 'the upload lost track of its caller: see the server log');
      return caller;
    }

    /** The tus server, made on the first upload request: its file store creates its folder from its constructor, unawaited. */
    async function openTus(): Promise<Server> {
      await mkdir(directory, { recursive: true });
      const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: expiryMs });
      // The store's own deleteExpired leaves a failed removal unhandled while it reads on (a crash of the process): each removal is awaited here.
      const removeExpired = async () => {
        const now = Date.now();
        for (const id of (await datastore.configstore.list?.()) ?? []) {
          const upload = await datastore.configstore.get(id).catch(() => undefined);
          const expired = upload?.creation_date && upload.offset !== upload.size && now - Date.parse(upload.creation_date) > expiryMs;
          if (expired) await datastore.remove(id).catch(() => undefined);
        }
      };
      let sweeping: Promise<unknown> | undefined;
      const sweep = () =>
        (sweeping ??= removeExpired()
          .catch((error: Error) => app.log.warn({ err: error }, 'removing expired partial uploads failed'))
          .finally(() => (sweeping = undefined)));
      timer = setInterval(() => void sweep(), sweepEveryMs(expiryMs)).unref();

      /** The quota's refusal (429) in the answer tus sends. */
      function overQuota(caller: FastifyRequest, bytes: number): void {
        try {
          quota.check(caller.principal.id, bytes);
        } catch (error) {
          if (error instanceof HttpError) throw refusal(error.statusCode, error.code, error.message);
          throw error;
        }
      }

      async function ingestFinished(caller: FastifyRequest, upload: Upload) {
        const name = uploadPath(upload.metadata?.relativePath ?? undefined, upload.metadata?.filename ?? undefined);
        try {
          // Checked again now its bytes are known: uploads made before any finished were each checked against the same hour's use.
          overQuota(caller, upload.size ?? upload.offset);
          quota.charge(caller.principal.id, upload.size ?? upload.offset);
          const context = { ...commandContext(lake, caller), store: lake.store };
          const { assetId, status } = await ingestFile(context, join(directory, upload.id), { kind: 'upload' }, name);
          return { status_code: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ assetId, status, name }) };
        } finally {
          // Once answered: an upload finished by its creating POST (creation-with-upload, or an empty one) is read again for that answer.
          const removed = () => void datastore.remove(upload.id).catch((error: Error) => app.log.warn({ err: error }, 'a finished upload could not be removed from staging'));
          const answer = answers.get(caller.raw);
          if (answer && !answer.writableFinished) answer.once('close', removed);
          else removed();
        }
      }

      return new TusServer({
        path: UPLOADS_PATH,
        datastore,
        maxSize: lake.config.api.maxUploadBytes,
        relativeLocation: true,
        // The web UI is on the API's origin; other origins only as api.corsOrigins allows the rest of the API.
        allowedOrigins: lake.config.api.corsOrigins,
        async onUploadCreate(request, upload) {
          const caller = callerOf(request);
          overQuota(caller, upload.size ?? 0);
          void sweep();
          return { metadata: { ...upload.metadata, owner: caller.principal.id } };
        },
        async onIncomingRequest(request, uploadId) {
          if (request.method === 'POST' || request.method === 'OPTIONS') return;
          const upload = await datastore.getUpload(uploadId).catch(() => undefined);
          const caller = callerOf(request);
          if (upload && upload.metadata?.owner !== caller.principal.id) {
            throw refusal(404, 'UPLOAD_NOT_FOUND', `there is no upload ${uploadId} of yours: create one with POST ${UPLOADS_PATH}`);
          }
          // An upload of deferred length was checked against nothing when created: each PATCH is, with the bytes it would hold after it.
          if (upload && upload.size === undefined && request.method === 'PATCH') {
            const { 'upload-length': declared, 'content-length': incoming } = caller.headers;
            overQuota(caller, declared === undefined ? upload.offset + Number(incoming ?? 0) : Number(declared));
          }
        },
        onUploadFinish: (request, upload) => ingestFinished(callerOf(request), upload),
        onResponseError(_, error) {
          const { status_code: status, body } = 'status_code' in error ? error : { status_code: 500, body: '' };
          if (body.startsWith('{')) return undefined;
          if (status >= 500) app.log.error({ err: error }, 'resumable upload failed');
          // A full disk is 507 and no file descriptor left 503, as elsewhere in the API: the client resumes once it clears.
          const exhausted = exhaustionAnswer(error);
          return exhausted ? refusal(exhausted.status, exhausted.code, exhausted.message) : tusRefusal(status, body);
        },
      });
    }
    let tus: Promise<Server> | undefined;

    // tus reads the body itself, as it arrives.
    app.addContentTypeParser('application/offset+octet-stream', (_, __, done) => done(null));

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      // tus 1.0.0 wants the header on every request but OPTIONS; tus itself would answer its absence in plain text, and another version with 400.
      const version = request.headers['tus-resumable'];
      if (request.method !== 'OPTIONS' && version !== TUS_RESUMABLE) {
        reply.header('tus-resumable', TUS_RESUMABLE).header('tus-version', TUS_RESUMABLE);
        const sent = version === undefined ? 'no Tus-Resumable header' : `Tus-Resumable: ${version.slice(0, 40)}`;
        throw new HttpError(412, 'UNSUPPORTED_TUS_VERSION', `this server speaks tus ${TUS_RESUMABLE}, and the request sent ${sent}: send Tus-Resumable: ${TUS_RESUMABLE}`);
      }
      callers.set(request.raw, request);
      answers.set(request.raw, reply.raw);
      const server = await (tus ??= openTus());
      // Hijacked, the reply writes none of the headers the hooks set on it (X-Request-Id, the security headers): tus's answer carries them.
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
      reply.hijack();
      await server.handle(request.raw, reply.raw);
    };
    const upload = { params: z.object({ id: z.string() }) };
    const TUS_412 = errorResponse(`No Tus-Resumable header, or one naming a version of tus other than ${TUS_RESUMABLE} (UNSUPPORTED_TUS_VERSION)`);
    const GONE = errorResponse('The partial upload expired (UPLOAD_EXPIRED, api.partialUploadExpiryMinutes): start again with POST /uploads');
    const OPTIONS = {
      summary: 'What this tus server offers (no Tus-Resumable needed): Tus-Version, Tus-Extension, Tus-Max-Size',
      response: {
        204: noBody('No Content', {
          'Tus-Version': TUS_RESUMABLE,
          'Tus-Extension': 'creation, creation-with-upload, creation-defer-length, termination, expiration',
          'Tus-Max-Size': 'the largest upload, in bytes (api.maxUploadBytes)',
        }),
      },
    };
    /** The headers of a tus request, for the document (routeDocument.ts): the handler answers their absence, not Fastify. */
    const TUS_VERSION = { 'Tus-Resumable': { description: TUS_RESUMABLE, required: true } };
    const tusHeaders = (more: RouteDocument['requestHeaders'] = {}): RouteDocument => ({ requestHeaders: { ...TUS_VERSION, ...more } });
    const documents: Partial<Record<(typeof routes)[number]['method'], RouteDocument>> = {
      POST: tusHeaders({
        'Upload-Length': { description: 'the bytes of the whole file (or Upload-Defer-Length: 1 until a later PATCH says)' },
        'Upload-Defer-Length': { description: '1: the length is sent with a later PATCH' },
        'Upload-Metadata': { description: 'key and base64 value pairs, comma-separated: filename (required), filetype, relativePath (where the file sat in a folder, which then names the asset)' },
      }),
      HEAD: tusHeaders(),
      PATCH: { ...tusHeaders({ 'Upload-Offset': { description: 'where these bytes start: where the upload stands', required: true } }), bytesBody: 'application/offset+octet-stream' },
      DELETE: tusHeaders(),
    };
    /** The routes tus serves: creation at UPLOADS_PATH; offset, bytes and termination at UPLOADS_PATH/ID; OPTIONS at both. */
    const routes = [
      {
        method: 'POST',
        url: UPLOADS_PATH,
        schema: {
          operationId: 'createUpload',
          summary:
            'Create a resumable upload (tus 1.0.0: creation, creation-with-upload, expiration): Upload-Length, and Upload-Metadata with a filename; ' +
            'the same authentication, action and quota as POST /assets. A finished upload is ingested as POST /assets ingests it',
          response: {
            201: noBody('Created: PATCH its bytes to Location', {
              Location: 'the upload: /uploads/ID',
              'Upload-Offset': 'the bytes this request brought (creation-with-upload)',
              'Upload-Expires': 'when the partial upload is removed (api.partialUploadExpiryMinutes)',
            }),
            200: Finished,
            412: TUS_412,
          },
        },
      },
      {
        method: 'HEAD',
        url: `${UPLOADS_PATH}/:id`,
        schema: {
          operationId: 'headUpload',
          summary: 'Where an upload of yours stands: resume it from Upload-Offset',
          ...upload,
          response: {
            200: noBody('The upload (Cache-Control: no-store)', {
              'Upload-Offset': 'the bytes received so far',
              'Upload-Length': 'the bytes the upload has in all',
              'Upload-Metadata': 'as sent when it was created',
            }),
            410: GONE,
            412: TUS_412,
          },
        },
      },
      {
        method: 'PATCH',
        url: `${UPLOADS_PATH}/:id`,
        schema: {
          operationId: 'sendUploadBytes',
          summary: "Send bytes of an upload (application/offset+octet-stream) from Upload-Offset, which must be where it stands; the last byte's request answers the ingest",
          ...upload,
          response: {
            204: noBody('Received; more to come', { 'Upload-Offset': 'the bytes received so far' }),
            200: Finished,
            409: errorResponse('Upload-Offset is not where the upload stands (INVALID_UPLOAD): HEAD it for its offset'),
            410: GONE,
            415: errorResponse('The bytes were not sent as application/offset+octet-stream (UNSUPPORTED_MEDIA_TYPE)'),
            412: TUS_412,
          },
        },
      },
      {
        method: 'DELETE',
        url: `${UPLOADS_PATH}/:id`,
        schema: { operationId: 'deleteUpload', summary: 'Abandon an upload of yours (tus termination): its bytes leave staging', ...upload, response: { 204: noBody('Removed'), 412: TUS_412 } },
      },
      { method: 'OPTIONS', url: UPLOADS_PATH, schema: { ...OPTIONS, operationId: 'optionsUploads' } },
      { method: 'OPTIONS', url: `${UPLOADS_PATH}/:id`, schema: { ...OPTIONS, ...upload, operationId: 'optionsUpload' } },
    ] as const;
    /** A PATCH's bytes are the upload's: one of another type is refused before a parser of that type (JSON's) reads it. */
    const bytesOnly = async (request: FastifyRequest) => {
      if (request.method === 'PATCH' && request.headers['content-type']?.split(';')[0]!.trim().toLowerCase() !== 'application/offset+octet-stream') {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'a PATCH of an upload sends its bytes as Content-Type: application/offset+octet-stream');
      }
    };
    for (const route of routes) {
      // The document leaves out a route of HEAD alone unless told: it takes it for the HEAD of a GET.
      const swagger = route.method === 'HEAD' && { swagger: { exposeHeadRoute: true } };
      app.route({ ...route, config: { ...access('upload'), ...swagger, document: documents[route.method] }, onRequest: bytesOnly, handler });
    }
  };
