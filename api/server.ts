import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Lake } from '../app/lake';
import { bodyTimeout, connectionErrorHandler } from './connectionErrors';
import { declareErrorResponses, errorHandler, notFoundHandler, refuseUndeclaredParameters } from './errors';
import { refuseUnpairedSurrogates } from './wellFormedText';
import { documentObject, documented } from './routeDocument';
import { withoutBlankParameters } from './blankParameters';
import { assetRoutes } from './routes/assets';
import { searchRoutes } from './routes/search';
import { operationRoutes } from './routes/operations';
import { similarRoutes } from './routes/similar';
import { projectionRoutes } from './routes/projections';
import { cameraRoutes } from './routes/cameras';
import { pipelineRoutes } from './routes/pipelines';
import { auditRoutes } from './routes/audit';
import { liveRoutes } from './routes/live';
import { registerWebApp } from './webApp';
import { countRequests, metricsRoutes } from './routes/metrics';
import { traceRequests } from './tracing';
import type { ServeRole } from '../app/config';
import { collectionRoutes } from './routes/collections';
import { reprocessRoutes } from './routes/reprocess';
import { access, accessControl, DOCS_PREFIX } from './access/accessControl';
import { harden } from './hardening';
import { MediaCredentials } from './access/mediaCredential';
import { mediaCredentialRoutes } from './routes/mediaCredential';
import { openChainKeys } from '../app/backends';
import { OidcSignInSettings } from './access/oidcSignIn';
import { authConfigRoutes } from './routes/authConfig';
import { userRoutes } from './routes/users';
import { resumableUploadRoutes } from './routes/resumableUploads';
import { UploadQuota } from './uploadQuota';

/** How long Node may wait for a request's headers: its own default, or less where the whole request must come sooner. */
const HEADERS_TIMEOUT_MS = 60_000;

/**
 * Node looks for requests past their time this often (30 s by default, which
 * would let a 1 s timeout run 31 s): a quarter of the timeout, so none runs
 * more than a quarter over.
 */
const checkingInterval = (requestTimeoutMs: number) => Math.max(10, Math.min(30_000, Math.floor(requestTimeoutMs / 4)));

/** An X-Request-Id taken from a client or a proxy: a UUID, hex or base64 id, bounded; nothing that could forge a log line or a header. */
const REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

/** The caller's X-Request-Id when well formed (a client or proxy can then find its request in the logs and events), else a new one. */
function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * A request as the server's log records it: the query's values left out, as
 * they are what people search for and filter by ("Jane Doe"), which no
 * erasure reaches in a log; the parameters' names stay.
 */
function requestLine(request: FastifyRequest) {
  const [path, query] = request.url.split('?', 2);
  const names = query === undefined ? '' : `?${[...new URLSearchParams(query).keys()].map((name) => `${name}=…`).join('&')}`;
  return { method: request.method, url: `${path}${names}`, host: request.host, remoteAddress: request.ip };
}

/**
 * The HTTP API and the web UI on it (at /): the API's OpenAPI document is
 * served at /openapi.json, a browsable one at /docs. Every route but /health
 * needs a bearer credential and asks the authorizer
 * (api/access/accessControl.ts). Every answer of the API that is not a
 * success, down to what Node's HTTP server answers itself, is
 * `{ error: { code, message } }`. A worker (role processors or projections)
 * serves only /health, /status and /metrics, for its orchestrator and
 * Prometheus. `webBuild`: where the UI was built, if not in web/dist.
 */
export async function buildServer(lake: Lake, { role = 'all', webBuild }: { role?: ServeRole; webBuild?: string } = {}) {
  const worker = role === 'processors' || role === 'projections';
  const { api } = lake.config;
  const logger = lake.logger as FastifyBaseLogger;
  const app = Fastify({
    loggerInstance: logger.child({}, { serializers: { req: requestLine } }),
    requestTimeout: api.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, api.requestTimeoutMs),
      connectionsCheckingInterval: checkingInterval(api.requestTimeoutMs),
    },
    clientErrorHandler: connectionErrorHandler(api, logger),
    // Fastify answers these (a path that is not valid percent-encoding) before any hook runs: the request id is set here.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply.header('x-request-id', request.id)),
    // A request's id is the correlation id of the events it appends (unless the client names one): Fastify's counter starts again at every start.
    genReqId: requestId,
    trustProxy: api.trustProxy,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Before every route: each declares the errors it may answer, in the OpenAPI document, and takes only the query parameters it declares.
  app.addHook('onRoute', declareErrorResponses);
  app.addHook('onRoute', refuseUndeclaredParameters);
  // Before every other hook and route, so that every answer carries it, a refusal by a later hook included.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // No route reads text: a JSON body sent as text/plain is a 415 that says so, not a 400 about a string.
  app.removeContentTypeParser('text/plain');
  // Before every other route: the web UI learns their paths, and falls back to itself only outside them.
  if (worker) app.setNotFoundHandler(notFoundHandler);
  else await registerWebApp(app, notFoundHandler, webBuild);
  app.addHook('onRequest', bodyTimeout(api));
  app.addHook('preValidation', refuseUnpairedSurrogates);
  app.addHook('preValidation', withoutBlankParameters);
  const { issuer } = lake.config.auth.oidc;
  const oidcSignIn = issuer && !worker ? new OidcSignInSettings({ ...lake.config.auth.oidc, issuer }) : undefined;
  // Read before the first page asks: the page's Content-Security-Policy lets it reach the token endpoint once known.
  oidcSignIn?.get().catch((error: Error) => logger.warn({ err: error }, 'OIDC sign-in settings not read yet'));
  await harden(app, lake.config, () => oidcSignIn?.known()?.tokenEndpoint);
  // Signed with a key derived from the chain keyring, which every API process of a lake shares.
  const media = new MediaCredentials(openChainKeys(lake.config, lake.config.data));
  // Before access control: a refused request has its span too.
  traceRequests(app);
  accessControl(app, lake, media);
  countRequests(app, lake);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'medialake',
        version: '0.1.0',
        description: 'An event-sourced media lake: every change is an event on the log; reads come from projections.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API key (mlk_…, `medialake users add`) or an OIDC access token' } } },
      security: [{ bearer: [] }],
    },
    transform: documented,
    // The schemas with an id (ApiError) as components.
    transformObject: documentObject,
  });
  await app.register(operationRoutes(lake));
  await app.register(metricsRoutes(lake));
  if (worker) return app;
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  await app.register(multipart, { limits: { fileSize: api.maxUploadBytes, files: api.maxUploadFiles } });
  app.get('/openapi.json', { config: lake.config.api.publicDocs ? { public: true } : access('view'), schema: { hide: true } }, () => app.swagger());
  // One count per principal for both ways in: multipart and resumable.
  const uploadQuota = new UploadQuota(lake.config.auth.uploadBytesPerHour);
  await app.register(assetRoutes(lake, uploadQuota));
  await app.register(resumableUploadRoutes(lake, uploadQuota));
  await app.register(searchRoutes(lake));
  await app.register(similarRoutes(lake));
  await app.register(projectionRoutes(lake));
  await app.register(cameraRoutes(lake));
  await app.register(pipelineRoutes(lake));
  await app.register(auditRoutes(lake));
  await app.register(liveRoutes(lake));
  await app.register(collectionRoutes(lake));
  await app.register(reprocessRoutes(lake));
  await app.register(mediaCredentialRoutes(media));
  await app.register(authConfigRoutes(oidcSignIn));
  await app.register(userRoutes(lake));
  return app;
}
