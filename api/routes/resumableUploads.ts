import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import type { Lake } from '../../app/lake';
import { ingestFile } from '../../producers/ingest';
import { access } from '../access/accessControl';
import { errorBody, errorResponse, HttpError } from '../errors';
import { uploadName } from '../uploads';
import type { UploadQuota } from '../uploadQuota';
import { commandContext } from './assets';

/** Where tus uploads are created; each upload is PATCHed, HEADed and DELETEd at UPLOADS_PATH/ID. */
export const UPLOADS_PATH = '/uploads';

/** The request as tus hands it to its hooks: the Node request it came on is the key to the caller. */
type TusRequest = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onIncomingRequest']>>[0];

/** What a tus hook throws to answer: the API's error shape, as text (tus writes the body as given). */
const refusal = (status: number, code: string, message: string) => ({ status_code: status, body: JSON.stringify(errorBody({ code, message })) });

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
        const name = uploadName(upload.metadata?.filename ?? undefined);
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

      return new Server({
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
          if (upload && upload.metadata?.owner !== callerOf(request).principal.id) {
            throw refusal(404, 'UPLOAD_NOT_FOUND', `there is no upload ${uploadId} of yours: create one with POST ${UPLOADS_PATH}`);
          }
        },
        onUploadFinish: (request, upload) => ingestFinished(callerOf(request), upload),
        onResponseError(_, error) {
          const { status_code: status, body } = 'status_code' in error ? error : { status_code: 500, body: '' };
          if (body.startsWith('{')) return undefined;
          if (status >= 500) app.log.error({ err: error }, 'resumable upload failed');
          const message = status >= 500 ? 'the upload failed on the server: see the server log' : body.trim();
          return refusal(status, status === 404 ? 'UPLOAD_NOT_FOUND' : status >= 500 ? 'INTERNAL' : 'INVALID_UPLOAD', message);
        },
      });
    }
    let tus: Promise<Server> | undefined;

    // tus reads the body itself, as it arrives.
    app.addContentTypeParser('application/offset+octet-stream', (_, __, done) => done(null));

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      callers.set(request.raw, request);
      answers.set(request.raw, reply.raw);
      const server = await (tus ??= openTus());
      reply.hijack();
      await server.handle(request.raw, reply.raw);
    };
    const methods = ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'] as const;
    const schema = {
      summary: 'Resumable uploads (tus 1.0.0: creation, termination, expiration): a finished upload is ingested as POST /assets ingests it',
      response: {
        409: errorResponse('Upload-Offset is not where the upload stands (tus): HEAD it for its offset'),
        412: errorResponse('Tus-Resumable names a version of tus other than 1.0.0'),
      },
    };
    app.route({ method: [...methods], url: UPLOADS_PATH, config: access('upload'), schema, handler });
    app.route({ method: [...methods], url: `${UPLOADS_PATH}/:id`, config: access('upload'), schema, handler });
  };
