import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isExpectedVersionConflict } from '../log/eventLog';
import { isCoordinationUnavailable } from '../log/redisConnection';
import { isAssetNotFound } from '../producers/commands';
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
      message: `the request body is over the ${request.server.initialConfig.bodyLimit}-byte limit: send media to POST /assets as multipart/form-data`,
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
  return { status: 500, code: 'INTERNAL', message: 'internal error: see the server log' };
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
