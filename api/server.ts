import Fastify, { type FastifyBaseLogger } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Lake } from '../app/lake';
import { errorHandler } from './errors';
import { assetRoutes } from './routes/assets';
import { searchRoutes } from './routes/search';
import { operationRoutes } from './routes/operations';
import { similarRoutes } from './routes/similar';
import { projectionRoutes } from './routes/projections';
import { cameraRoutes } from './routes/cameras';
import { auditRoutes } from './routes/audit';

/** The HTTP API: its OpenAPI document is served at /openapi.json, a browsable one at /docs. */
export async function buildServer(lake: Lake) {
  const app = Fastify({ loggerInstance: lake.logger as FastifyBaseLogger }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
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
  await app.register(multipart, { limits: { fileSize: lake.config.api.maxUploadBytes, files: 1 } });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(assetRoutes(lake));
  await app.register(searchRoutes(lake));
  await app.register(operationRoutes(lake));
  await app.register(similarRoutes(lake));
  await app.register(projectionRoutes(lake));
  await app.register(cameraRoutes(lake));
  await app.register(auditRoutes(lake));
  return app;
}
