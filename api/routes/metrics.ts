import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { access } from '../access/accessControl';
import { answerStatus } from '../errors';

/**
 * Prometheus's scrape: the text exposition format. Admins may read it, and
 * the members of the `metrics` group: Prometheus scrapes with such a user's
 * API key.
 */
export const metricsRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    const schema = {
      operationId: 'getMetrics',
      summary: "Prometheus's scrape (admins and the metrics group): requests by route and status, consumers' lag, dead letters, the process",
      response: {
        200: {
          description: 'The Prometheus text exposition format (version 0.0.4)',
          content: { 'text/plain': { schema: z.string().describe('# HELP and # TYPE lines, then one sample a line') } },
        },
      },
    };
    app.get('/metrics', { config: access('readMetrics'), schema }, async (_request, reply) => {
      const { contentType, text } = await lake.metrics.exposition();
      return reply.type(contentType).send(text);
    });
  };

/**
 * Counts every answered request by the route's pattern (/assets/:id), never
 * the raw URL, which would make a series per asset; requests no route took
 * count as "unmatched". Answers of 500 and up count as engine errors.
 */
export function countRequests(app: FastifyInstance, lake: Lake): void {
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    lake.metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onError', async (request, _reply, error) => {
    if (answerStatus(error, request) >= 500) lake.metrics.apiError(error);
  });
}
