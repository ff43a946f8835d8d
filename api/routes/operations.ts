import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { access } from '../access/accessControl';
import { lastVerification } from '../../app/chainVerification';
import type { Lake } from '../../app/lake';
import { pipelineStatus } from '../../app/pipelineCommands';
import { visibilityOf } from '../visibility';

export const operationRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    /** The last check of the log's hash chain (audit verify, GET /audit/verify, the background check); null before the first. */
    const tamperEvidence = () => lastVerification(lake.config.data) ?? null;
    app.get(
      '/status',
      { config: access('view'), schema: { summary: 'Log positions, lag and failures per consumer; the last check of the hash chain; and, to admins and editors (they count the whole library), assets by status and running and failed pipeline executions' } },
      async (request) => ({
        consumers: await lake.consumers(),
        ...((await visibilityOf(lake, request.principal)) === 'all' && { assets: await lake.records.countByStatus(), pipelines: await pipelineStatus(lake) }),
        tamperEvidence: tamperEvidence(),
      }),
    );
    app.get(
      '/health',
      { config: { public: true }, schema: { summary: 'Liveness (always 200), with the last check of the hash chain: tamperEvidence.ok false means it found the log altered or could not check it', security: [] } },
      async () => ({ ok: true, tamperEvidence: tamperEvidence() }),
    );
  };
