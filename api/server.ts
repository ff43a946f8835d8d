import Fastify, { type FastifyBaseLogger } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Lake } from '../app/lake';
import { bodyTimeout, connectionErrorHandler } from './connectionErrors';
import { errorHandler, notFoundHandler } from './errors';
import { refuseUnpairedSurrogates } from './wellFormedText';
import { assetRoutes } from './routes/assets';
import { searchRoutes } from './routes/search';
import { operationRoutes } from './routes/operations';
import { similarRoutes } from './routes/similar';
import { projectionRoutes } from './routes/projections';
import { cameraRoutes } from './routes/cameras';
import { pipelineRoutes } from './routes/pipelines';
import { auditRoutes } from './routes/audit';

/** How long Node may wait for a request's headers: its own default, or less where the whole request must come sooner. */
const HEADERS_TIMEOUT_MS = 60_000;

/**
 * Node looks for requests past their time this often (30 s by default, which
 * would let a 1 s timeout run 31 s): a quarter of the timeout, so none runs
 * more than a quarter over.
 */
const checkingInterval = (requestTimeoutMs: number) => Math.max(10, Math.min(30_000, Math.floor(requestTimeoutMs / 4)));

/**
 * The HTTP API: its OpenAPI document is served at /openapi.json, a browsable
 * one at /docs. Every answer that is not a success, down to what Node's HTTP
 * server answers itself, is `{ error: { code, message } }`.
 */
export async function buildServer(lake: Lake) {
  const { api } = lake.config;
  const logger = lake.logger as FastifyBaseLogger;
  const app = Fastify({
    loggerInstance: logger,
    requestTimeout: api.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, api.requestTimeoutMs),
      connectionsCheckingInterval: checkingInterval(api.requestTimeoutMs),
    },
    clientErrorHandler: connectionErrorHandler(api, logger),
    frameworkErrors: errorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onRequest', bodyTimeout(api));
  app.addHook('preValidation', refuseUnpairedSurrogates);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'medialake',
        version: '0.1.0',
        description: 'An event-sourced media lake: every change is an event on the log; reads come from projections.',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(multipart, { limits: { fileSize: api.maxUploadBytes, files: api.maxUploadFiles } });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(assetRoutes(lake));
  await app.register(searchRoutes(lake));
  await app.register(operationRoutes(lake));
  await app.register(similarRoutes(lake));
  await app.register(projectionRoutes(lake));
  await app.register(cameraRoutes(lake));
  await app.register(pipelineRoutes(lake));
  await app.register(auditRoutes(lake));
  return app;
}
