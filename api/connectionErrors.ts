import { maxHeaderSize, STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, type ErrorAnswer } from './errors';

/** How long the server waits for a request (api.requestTimeoutMs) and for the next bytes of its body (api.bodyTimeoutMs). */
export interface Timeouts {
  requestTimeoutMs: number;
  bodyTimeoutMs: number;
}

function timeoutAnswer({ requestTimeoutMs, bodyTimeoutMs }: Timeouts): ErrorAnswer {
  return {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: `the request did not arrive in time (nothing for ${bodyTimeoutMs} ms, or not all of it within ${requestTimeoutMs} ms): send it again without pausing`,
  };
}

/** What Node's HTTP server gives up on before Fastify sees a request, by the code of its error. */
function connectionAnswer(error: NodeJS.ErrnoException, timeouts: Timeouts): ErrorAnswer {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return timeoutAnswer(timeouts);
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: 'HEADERS_TOO_LARGE', message: `the request line and headers are over ${maxHeaderSize} bytes: send shorter ones` };
  }
  return { status: 400, code: 'BAD_HTTP', message: 'the bytes received are not an HTTP/1.1 request: send it with an HTTP client' };
}

/**
 * Answers on the connection itself and closes it, for a request that cannot go
 * on (the parser gave up, the client stalled). Nothing is written once a
 * response has begun: the client could not tell the two apart.
 */
function answerAndClose(socket: Duplex, answer: ErrorAnswer, response?: ServerResponse | null): void {
  if (socket.writable && !response?.headersSent) {
    const body = JSON.stringify(errorBody(answer));
    const head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Type: application/json; charset=utf-8\r\n`;
    socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/**
 * Node answers a request it cannot parse, or one that timed out
 * (api.requestTimeoutMs), itself, in plain text; this gives those answers the
 * API's error shape. For Fastify's `clientErrorHandler`.
 */
export function connectionErrorHandler(timeouts: Timeouts, log: FastifyBaseLogger) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return; // the client is gone: nobody to answer
    const answer = connectionAnswer(error, timeouts);
    log.debug({ code: answer.code, err: error }, 'connection answered before routing');
    answerAndClose(socket, answer, (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage);
  };
}

/**
 * An onRequest hook: a request whose body stops arriving for
 * api.bodyTimeoutMs is answered 408 and its connection closed, so a stalled
 * client holds neither a connection nor a half-written upload. A request that
 * has fully arrived may take its time to be answered.
 */
export function bodyTimeout(timeouts: Timeouts) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { socket } = request.raw;
    if (!socket) return;
    reply.raw.setTimeout(timeouts.bodyTimeoutMs, () => {
      if (request.raw.complete) return;
      request.log.info({ code: 'REQUEST_TIMEOUT' }, 'request body stalled');
      answerAndClose(socket, timeoutAnswer(timeouts), reply.raw);
    });
  };
}
