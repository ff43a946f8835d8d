import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Lake } from '../../app/lake';

export const operationRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/status', { schema: { summary: 'Log positions, lag and failures per consumer; assets by status' } }, async () => ({
      consumers: await lake.consumers(),
      assets: await lake.records.countByStatus(),
    }));
    app.get('/health', { schema: { summary: 'Liveness' } }, async () => ({ ok: true }));
  };
