import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { wholeNumber } from '../../schemas/queryNumbers';
import type { Lake } from '../../app/lake';
import { deadLetterPage } from '../../app/deadLetterPages';
import { requestReprocessing, UnknownProcessorError } from '../../producers/reprocess';
import { access, onAsset } from '../access/accessControl';
import { errorResponse, HttpError } from '../errors';
import { visibleRecord } from '../visibility';
import { AssetParams, commandContext } from './assets';

const DeadLetter = z.object({
  group: z.string().describe('the consumer that gave up: processor:<name>'),
  eventId: z.string(),
  assetId: z.string(),
  attempts: z.number().int(),
  error: z.string(),
  time: z.string(),
});

const DeadLetterQuery = z
  .object({
    group: z.string().min(1).max(200).optional().describe("one consumer's: processor:NAME"),
    asset: z.string().min(1).max(200).optional().describe("one asset's"),
    limit: wholeNumber(z.number().int().min(1).max(1000).default(100)),
    after: z.string().max(10_000).optional().describe('the `next` of the page before'),
  })
  .strict();

const Reprocessed = z.object({
  assetId: z.string(),
  eventId: z.string().describe('the ReprocessRequested event on the log'),
  processors: z.array(z.string()),
});

/**
 * What failed, and running it again: the dead letters, and a reprocess of one
 * asset by the producer that `medialake reprocess` uses, so the request is a
 * ReprocessRequested event on the log like the CLI's.
 */
export const reprocessRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/dead-letters',
      {
        config: access('reprocess'),
        schema: {
          operationId: 'listDeadLetters',
          summary: "Events a processor gave up on after its retries, newest first: every consumer's, or one consumer's or asset's, paged by cursor",
          querystring: DeadLetterQuery,
          response: {
            200: z.object({
              deadLetters: z.array(DeadLetter),
              next: z.string().optional().describe('the cursor of the next page (`after`); absent on the last'),
            }),
          },
        },
      },
      async (request) => {
        const { asset, ...query } = request.query;
        return deadLetterPage(lake.log, { ...query, assetId: asset });
      },
    );

    app.post(
      '/assets/:id/reprocess',
      {
        config: access('reprocess', onAsset),
        schema: {
          operationId: 'reprocessAsset',
          summary: "Run processors again on an asset (all that handle it, or those named): their new results are new events, the old ones stay in history",
          params: AssetParams,
          body: z
            .object({
              processors: z.array(z.string().min(1).max(100)).min(1).max(50).optional().describe('processor names (default: every one that handles the asset)'),
              reason: z.string().trim().min(1).max(1000).optional().describe('why, for the audit trail'),
            })
            .nullish()
            .describe('optional: without a body, every processor that handles the asset'),
          response: { 202: Reprocessed, 409: errorResponse('No processor handles the asset, or those named do not (NOT_REPROCESSABLE)') },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        await visibleRecord(lake, request.principal, id);
        const outcome = await requestReprocessing(
          { ...commandContext(lake, request), records: lake.records, processors: lake.processors },
          { assetIds: [id], ...request.body },
        ).catch((error: unknown) => {
          throw error instanceof UnknownProcessorError ? new HttpError(400, error.code, error.message) : error;
        });
        const [requested] = outcome.requested;
        if (!requested) throw new HttpError(409, 'NOT_REPROCESSABLE', `asset ${id} cannot be reprocessed: ${outcome.skipped[0]?.reason ?? 'no processor handles it'}`);
        return reply.status(202).send(requested);
      },
    );
  };
