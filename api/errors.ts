import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isExpectedVersionConflict } from '../log/eventLog';
import { isAssetNotFound } from '../producers/commands';
import { UnsafeKeyError } from '../storage/keys';
import { isObjectNotFound } from '../storage/objectStore';
import { InvalidEventError } from '../schemas/envelope';
import { isEmbeddingsDisabled } from '../projections/vectors/semanticSearch';

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

function classify(error: FastifyError | Error): { status: number; code: string; message: string } {
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
  if (error instanceof UnsafeKeyError || error instanceof InvalidEventError) {
    return { status: 400, code: error.code, message: error.message };
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, code: (error as FastifyError).code ?? 'BAD_REQUEST', message: error.message };
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error: see the server log' };
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, code, message } = classify(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  const extra = isExpectedVersionConflict(error) ? { currentVersion: error.actual } : {};
  return reply.status(status).send({ error: { code, message, ...extra } });
}
