import type { FastifyError, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isExpectedVersionConflict } from '../log/eventLog';
import { isCoordinationUnavailable } from '../log/redisConnection';
import { isAssetNotFound } from '../producers/commands';
import { isOutOfDescriptors, isStorageFull } from '../storage/exhaustion';
import { UnsafeKeyError } from '../storage/keys';
import { isObjectNotFound } from '../storage/objectStore';
import { InvalidEventError } from '../schemas/envelope';
import { isEmbeddingsDisabled } from '../projections/vectors/semanticSearch';
import { isCollectionConflict, isCollectionNotFound, isShareError } from '../producers/collections';
import { isProjectionsBehind } from './readYourWrites';
import { isListingIndexMissing } from '../projections/assets/assetRecords';
import { isInvalidPipeline } from '../processors/pipelines/definitionCheck';
import { PrincipalError } from '../producers/principals';
import { isPipelineNotFound, isPipelineTriggerError, isPipelineVersionConflict } from '../producers/pipelines';

/** An error that crosses the HTTP boundary: a status, a code, and one sentence a person can act on. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What every answer that is not a success carries. */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
}

/**
 * The framework's own 4xx errors, said the way this API says them: its
 * messages ("Request body is too large") do not say what to do. By status,
 * as Node's server and Fastify give them.
 */
const FRAMEWORK_ERRORS = new Map<number, (request: FastifyRequest) => Omit<ErrorAnswer, 'status'>>([
  [
    413,
    (request) => ({
      code: 'TOO_LARGE',
      message: `the request body is over the ${request.server.initialConfig.bodyLimit}-byte limit${
        request.url.startsWith('/pipelines') ? ': a pipeline definition is at most that (keep large values in the object store or the secret store)' : ': send media to POST /assets as multipart/form-data'
      }`,
    }),
  ],
  [414, () => ({ code: 'URI_TOO_LONG', message: 'a segment of the path is too long: no asset id or name is that long' })],
  [
    415,
    (request) => ({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: request.url.startsWith('/uploads')
        ? 'send an upload\'s bytes as application/offset+octet-stream (tus)'
        : 'send the body as application/json (or multipart/form-data to POST /assets)',
    }),
  ],
]);

function classify(error: FastifyError | Error, request: FastifyRequest): ErrorAnswer {
  if (error instanceof HttpError) return { status: error.statusCode, code: error.code, message: error.message };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const message = error.validation
      .map((issue) => `${issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || error.validationContext}: ${issue.message}`)
      .join('; ');
    return { status: 400, code: 'INVALID_REQUEST', message: `${error.validationContext ?? 'request'} is invalid: ${message}` };
  }
  if (isExpectedVersionConflict(error)) return { status: 409, code: error.code, message: error.message };
  if (isAssetNotFound(error)) return { status: 404, code: error.code, message: error.message };
  if (isObjectNotFound(error)) return { status: 404, code: error.code, message: error.message };
  if (isEmbeddingsDisabled(error)) return { status: 409, code: error.code, message: error.message };
  if (isCollectionNotFound(error)) return { status: 404, code: error.code, message: error.message };
  if (isCollectionConflict(error)) return { status: 409, code: error.code, message: error.message };
  if (isShareError(error)) return { status: error.code === 'SHARE_NOT_FOUND' ? 404 : 400, code: error.code, message: error.message };
  if (error instanceof PrincipalError) return { status: error.code === 'USER_EXISTS' || error.code === 'LAST_ADMIN' ? 409 : 404, code: error.code, message: error.message };
  if (isProjectionsBehind(error) || isListingIndexMissing(error) || isCoordinationUnavailable(error)) return { status: 503, code: error.code, message: error.message };
  if (isInvalidPipeline(error)) return { status: 400, code: error.code, message: error.message };
  if (isPipelineNotFound(error)) return { status: 404, code: error.code, message: error.message };
  if (isPipelineVersionConflict(error) || isPipelineTriggerError(error)) return { status: 409, code: error.code, message: error.message };
  if (error instanceof UnsafeKeyError || error instanceof InvalidEventError) {
    return { status: 400, code: error.code, message: error.message };
  }
  const { statusCode: status, code } = error as FastifyError;
  if (code === 'FST_ERR_BAD_URL') return { status: 400, code: 'BAD_URL', message: 'the path is not valid percent-encoded UTF-8: encode it again' };
  // Fastify's own words blame the JSON for a __proto__ key it refuses, and it names its own codes.
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY') return { status: 400, code: 'INVALID_JSON', message: 'the body is not JSON the API takes: not valid JSON, or holding a __proto__ or constructor.prototype key' };
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { status: 400, code: 'INVALID_JSON', message: 'the body is empty, yet content-type says JSON: send JSON, or no content-type' };
  if (status && status >= 400 && status < 500) {
    return { status, ...(FRAMEWORK_ERRORS.get(status)?.(request) ?? { code: code ?? 'BAD_REQUEST', message: error.message }) };
  }
  return exhaustionAnswer(error) ?? { status: 500, code: 'INTERNAL', message: 'internal error: see the server log' };
}

/** The answer to a server that ran out of space or file descriptors, where the error says it did (storage/exhaustion.ts). */
export function exhaustionAnswer(error: unknown): ErrorAnswer | undefined {
  if (isStorageFull(error)) {
    return { status: 507, code: 'STORAGE_FULL', message: "the lake's storage is full (no space left where it writes): nothing was changed; free space or raise the quota, then try again" };
  }
  if (isOutOfDescriptors(error)) {
    return { status: 503, code: 'TOO_MANY_OPEN_FILES', message: 'the server has no file descriptor left for this request (too many files and connections open at once): try again shortly' };
  }
  return undefined;
}

/** The status the error handler will answer an error with (onError hooks run before it). */
export const answerStatus = (error: FastifyError | Error, request: FastifyRequest): number => classify(error, request).status;

/** The one error shape: `{ error: { code, message } }`, plus what a client needs to retry (the current version on a conflict). */
export function errorBody(answer: Pick<ErrorAnswer, 'code' | 'message'>, extra: object = {}) {
  return { error: { code: answer.code, message: answer.message, ...extra } };
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const answer = classify(error, request);
  if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
  const extra = isExpectedVersionConflict(error) ? { currentVersion: error.actual } : {};
  return reply.status(answer.status).send(errorBody(answer, extra));
}

/**
 * `{ error: { code, message } }`, the component ApiError of the OpenAPI
 * document. Open: Fastify serializes an answer by its schema, and the fields
 * an answer adds (currentVersion on a conflict) must reach the client.
 */
export const ApiError = z
  .object({
    error: z.looseObject({
      code: z.string().describe('what happened, for a program: VERSION_CONFLICT, INVALID_REQUEST, …'),
      message: z.string().describe('what happened, in one sentence a person can act on'),
    }),
  })
  .meta({ id: 'ApiError' });

/** A response that is an ApiError, for a route's schema.response: what the status means on that route. */
export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ApiError } } });

/** The errors any route may answer. */
const ANY_ROUTE = {
  400: errorResponse('The request is invalid: INVALID_REQUEST names the parameter, header or field'),
  404: errorResponse('Not found, or not visible to the caller (which is the same to them)'),
  408: errorResponse('The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT)'),
  414: errorResponse('A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long'),
  429: errorResponse('Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later'),
  431: errorResponse('The request headers are over the size limit (HEADERS_TOO_LARGE)'),
  // Not `default`: Fastify would serialize by it every answer a route does not declare, a success included.
  '5xx': errorResponse(
    'The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL)',
  ),
};
/** The errors of a route that takes a credential. */
const GUARDED = {
  401: errorResponse('No credential, or one that is not valid (UNAUTHENTICATED)'),
  403: errorResponse('The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST)'),
  421: errorResponse('The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts'),
};
/** The errors of a route that takes a body, or may be sent one (a DELETE with a body is parsed as a POST's is). */
const WITH_BODY = {
  413: errorResponse('The body is over the size limit (TOO_LARGE)'),
  415: errorResponse('The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE)'),
};
/** The success of a route that declares none: any JSON (@fastify/swagger shows a 200 by itself only where no response is declared). */
const ANY_SUCCESS = z.unknown();

/**
 * An onRoute hook: every route of the OpenAPI document declares the errors it
 * may answer, those it declares itself (409 on a conflict), and those of
 * every route, of a route with a credential and of one with a body.
 */
export function declareErrorResponses(route: RouteOptions): void {
  if (route.schema?.hide) return;
  const declared = (route.schema?.response ?? {}) as Record<string, unknown>;
  const methods = [route.method].flat();
  const success = Object.keys(declared).some((status) => status.startsWith('2'));
  route.schema = {
    ...route.schema,
    response: {
      ...(!success && { 200: ANY_SUCCESS }),
      ...ANY_ROUTE,
      ...(!route.config?.public && GUARDED),
      ...(methods.some((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) && WITH_BODY),
      ...declared,
    },
  };
}

/** What a route takes in its query when it declares nothing there: nothing. */
const NO_PARAMETERS = z.strictObject({});

/**
 * An onRoute hook: a route that declares no querystring takes no query
 * parameter, so one it does not take (a misspelt `limt`, a filter it does not
 * have) is 400 INVALID_REQUEST naming it, as on the routes that declare theirs,
 * rather than ignored. Not on the routes the document hides (the web UI's
 * pages and bundles, the docs), which a browser may load with any query.
 */
export function refuseUndeclaredParameters(route: RouteOptions): void {
  if (route.schema?.hide || route.schema?.querystring) return;
  route.schema = { ...route.schema, querystring: NO_PARAMETERS };
}

/** The methods a route may take; not OPTIONS: where CORS is configured, its preflight route takes OPTIONS on every path. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** No route for this method and path: 405 with an Allow header where the path takes other methods (RFC 9110), else 404. */
export async function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const [path] = request.url.split('?', 1) as [string];
  const shown = path.slice(0, 200);
  const allowed = METHODS.filter((method) => request.server.findRoute({ method, url: path }));
  if (allowed.length) {
    reply.header('allow', allowed.join(', '));
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${shown} does not take ${request.method}: it takes ${allowed.join(', ')}`);
  }
  throw new HttpError(404, 'ROUTE_NOT_FOUND', `there is no route ${request.method} ${shown}: the routes are listed at /openapi.json`);
}
