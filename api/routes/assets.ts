import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { ASSET_ID } from '../../schemas/envelope';
import { UserMetadataEdit } from '../../schemas/events';
import { ingestFile } from '../../producers/ingest';
import { deleteAsset, updateUserMetadata, type CommandContext } from '../../producers/commands';
import { HttpError } from '../errors';
import type { FastifyRequest } from 'fastify';

export const AssetParams = z.object({ id: z.string().regex(ASSET_ID, 'not an asset id') });

/** If-Match: "3" (or 3, or W/"3") → 3. */
const IfMatch = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?\d+"?$/, 'If-Match takes the asset version, as its ETag gave it')
    .transform((value) => Number(value.replace(/\D/g, '')))
    .optional(),
});

/** Who and why, from the request (law 8). Authentication stands in front of this API. */
export function commandContext(lake: Lake, request: FastifyRequest): CommandContext {
  const actor = request.headers['x-medialake-actor'];
  const correlation = request.headers['x-correlation-id'];
  return {
    log: lake.log,
    actor: typeof actor === 'string' && actor ? actor.slice(0, 200) : 'anonymous',
    source: 'api',
    correlationId: typeof correlation === 'string' && correlation ? correlation.slice(0, 200) : request.id,
  };
}

export const assetRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/assets',
      {
        schema: {
          summary: 'Upload a file (multipart/form-data, one file part); the same bytes twice make one asset',
          consumes: ['multipart/form-data'],
          response: { 201: z.object({ assetId: z.string(), status: z.enum(['ingested', 'duplicate']) }) },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new HttpError(415, 'NOT_MULTIPART', 'send the file as multipart/form-data');
        const part = await request.file();
        if (!part) throw new HttpError(400, 'NO_FILE', 'the request holds no file part');
        const directory = await mkdtemp(join(tmpdir(), 'medialake-upload-'));
        try {
          const path = join(directory, 'upload');
          await pipeline(part.file, createWriteStream(path));
          if (part.file.truncated) {
            throw new HttpError(413, 'TOO_LARGE', `the file is over the ${lake.config.api.maxUploadBytes}-byte upload limit`);
          }
          const name = (part.filename || 'upload').slice(0, 500);
          const result = await ingestFile({ ...commandContext(lake, request), store: lake.store }, path, { kind: 'upload' }, name);
          return reply.status(201).send({ assetId: result.assetId, status: result.status });
        } finally {
          await rm(directory, { recursive: true, force: true });
        }
      },
    );

    app.get(
      '/assets',
      {
        schema: {
          summary: 'List assets, newest first',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            after: z.string().max(500).optional(),
          }),
        },
      },
      async (request) => lake.records.list(request.query),
    );

    app.get('/assets/:id', { schema: { summary: 'One asset record; its ETag is its version', params: AssetParams } }, async (request, reply) => {
      const record = await lake.records.get(request.params.id);
      if (!record || record.status === 'deleted') throw new HttpError(404, 'ASSET_NOT_FOUND', `there is no asset ${request.params.id}`);
      return reply.header('etag', `"${record.version}"`).send(record);
    });

    app.patch(
      '/assets/:id',
      {
        schema: {
          summary: 'Edit user metadata; with If-Match, only if the asset is still at that version (else 409)',
          params: AssetParams,
          headers: IfMatch,
          body: UserMetadataEdit.refine((edit) => Object.keys(edit).length > 0, 'give title, description, tags, creator or people'),
        },
      },
      async (request, reply) => {
        const event = await updateUserMetadata(
          commandContext(lake, request),
          request.params.id,
          request.body,
          request.headers['if-match'],
        );
        return reply.header('etag', `"${event.assetVersion}"`).send({ assetId: event.assetId, version: event.assetVersion, eventId: event.id });
      },
    );

    app.delete(
      '/assets/:id',
      { schema: { summary: 'Delete an asset (its history stays on the log)', params: AssetParams, headers: IfMatch } },
      async (request, reply) => {
        const event = await deleteAsset(commandContext(lake, request), request.params.id, undefined, request.headers['if-match']);
        return reply.status(202).send({ assetId: event.assetId, version: event.assetVersion, eventId: event.id });
      },
    );

    app.get('/assets/:id/events', { schema: { summary: "An asset's history, in order", params: AssetParams } }, async (request) => {
      const events = await lake.log.readAsset(request.params.id);
      if (!events.length) throw new HttpError(404, 'ASSET_NOT_FOUND', `there is no asset ${request.params.id}`);
      return { events };
    });

    app.get(
      '/assets/:id/renditions/:name',
      {
        schema: {
          summary: 'The bytes of one rendition (thumbnail, proxy)',
          params: AssetParams.extend({ name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/) }),
        },
      },
      async (request, reply) => {
        const record = await lake.records.get(request.params.id);
        const rendition = record?.status === 'deleted' ? undefined : record?.renditions[request.params.name];
        if (!rendition) throw new HttpError(404, 'RENDITION_NOT_FOUND', `asset ${request.params.id} has no rendition ${request.params.name}`);
        return reply.type(rendition.mimeType).send(await lake.store.get(rendition.objectKey));
      },
    );
  };
