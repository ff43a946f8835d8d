import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access } from '../access/accessControl';
import { lastVerification } from '../../app/chainVerification';
import type { Lake } from '../../app/lake';
import { ASSET_STATUSES } from '../../projections/assetRecord';
import { pipelineStatus } from '../../app/pipelineCommands';
import { visibilityOf } from '../visibility';
import { ApiError } from '../errors';

/** Events behind the log within which a projection counts as caught up: a batch or so, however busy the log. */
const READY_LAG = 1_000;

/** The last check of the log's hash chain; null before the first. */
const TamperEvidence = z
  .looseObject({ verifiedAt: z.string(), ok: z.boolean().describe('false: the log was found altered, or could not be checked (error says why)') })
  .nullable()
  .describe('the last check of the hash chain (audit verify, GET /audit/verify, the background check): firstBreak names where it no longer matches');

/** Where each consumer group stands. */
const ConsumerStatus = z.object({
  group: z.string(),
  positions: z.record(z.string(), z.string()).describe('the last position handled, by partition'),
  lag: z.number().int().describe('events behind the log, over its partitions'),
  partitions: z.record(z.string(), z.number().int()).describe('the lag by partition'),
  deadLetters: z.number().int(),
  failing: z.object({ since: z.string(), code: z.string() }).optional().describe("where this process runs the consumer and every batch fails: since when, and the last error's code"),
  local: z.literal(true).optional().describe("a projection each host keeps in its own data directory"),
});

/** Whether this host is ready, and which of its projections are still behind: the body of 200 and of 503 alike. */
const Readiness = z.object({ ready: z.boolean(), lagging: z.array(z.object({ group: z.string(), lag: z.number() })) });

export const operationRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    let ready = false;
    /**
     * The projections in the data directory still folding towards the log, with their lag; none once ready (it stays so).
     * Those lake.consumers() reports for this role: on processors the ones it folds for its pipeline runner, elsewhere
     * every one the API answers from (docs/scale.md).
     */
    const readiness = async () => {
      if (ready) return [];
      const lagging = (await lake.consumers()).filter(({ local, lag }) => local && lag >= READY_LAG).map(({ group, lag }) => ({ group, lag }));
      ready = lagging.length === 0;
      return lagging;
    };
    /** The last check of the log's hash chain (audit verify, GET /audit/verify, the background check); null before the first. */
    const tamperEvidence = () => lastVerification(lake.config.data) ?? null;
    app.get(
      '/status',
      {
        config: access('view'),
        schema: {
          operationId: 'getStatus',
          summary:
            'Log positions, lag and failures per consumer; the last check of the hash chain; and, to admins and editors (they count the whole library), ' +
            'assets by status and running and failed pipeline executions',
          response: {
            200: z.object({
              consumers: z.array(ConsumerStatus),
              assets: z.partialRecord(z.enum(ASSET_STATUSES), z.number().int()).optional().describe('assets by status'),
              pipelines: z
                .object({ running: z.array(z.unknown()), failed: z.array(z.unknown()) })
                .optional()
                .describe('the latest running and failed executions, as GET /pipelines/executions shows them'),
              tamperEvidence: TamperEvidence,
            }),
          },
        },
      },
      async (request) => ({
        consumers: await lake.consumers(),
        ...((await visibilityOf(lake, request.principal)) === 'all' && { assets: await lake.records.countByStatus(), pipelines: await pipelineStatus(lake) }),
        tamperEvidence: tamperEvidence(),
      }),
    );
    app.get(
      '/ready',
      {
        config: { public: true },
        schema: {
          operationId: 'getReadiness',
          summary:
            `Readiness, for a load balancer: 503 until the projections this host keeps in its data directory (audit, collections, users, ...; ` +
            'on a processors worker, those its pipeline runner reads) ' +
            `have each come within ${READY_LAG.toLocaleString('en-US')} events of the log, then 200 for good. A new host folds the whole log ` +
            'into its own copies first; answering from half of them, it would refuse a viewer the assets shared with them.',
          security: [],
          response: { 200: Readiness, 503: z.union([Readiness, ApiError]).describe('Not ready yet (lagging names the projections still behind), or a backend it needs is unavailable') },
        },
      },
      async (_request, reply) => {
        const lagging = await readiness();
        return reply.status(lagging.length ? 503 : 200).send({ ready: lagging.length === 0, lagging });
      },
    );
    app.get(
      '/health',
      {
        config: { public: true },
        schema: {
          operationId: 'getHealth',
          summary: 'Liveness (always 200), with the last check of the hash chain: tamperEvidence.ok false means it found the log altered or could not check it',
          security: [],
          response: { 200: z.object({ ok: z.literal(true), tamperEvidence: TamperEvidence }) },
        },
      },
      async () => ({ ok: true as const, tamperEvidence: tamperEvidence() }),
    );
  };
