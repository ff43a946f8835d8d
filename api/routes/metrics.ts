import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Lake } from '../../app/lake';
import { access } from '../access/accessControl';
import { answerStatus } from '../errors';

/**
 * Prometheus's scrape: the text exposition format, outside the OpenAPI
 * document (it is not JSON). Admins may read it, and the members of the
 * `metrics` group: Prometheus scrapes with such a user's API key.
 */
export const metricsRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/metrics', { config: access('readMetrics'), schema: { hide: true } }, async (_request, reply) => {
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
