import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { tracer } from '../schemas/traceContext';

/**
 * A server span per request, named by the route's pattern and continuing the
 * caller's trace (its traceparent header): what the handler appends carries
 * it on to the processors and projections. Started as the request arrives, so
 * a request refused before its handler (401, 403, 404) has one too; an answer
 * of 5xx marks it failed, with the error. Register before access control and
 * the routes.
 */
export function traceRequests(app: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, { span: Span; within: Context }>();
  app.addHook('onRequest', async (request) => {
    const caller = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url ?? 'unmatched';
    const attributes = { 'http.request.method': request.method, 'http.route': route };
    const span = tracer().startSpan(`${request.method} ${route}`, { kind: SpanKind.SERVER, attributes }, caller);
    spans.set(request, { span, within: trace.setSpan(caller, span) });
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function (this: FastifyInstance, request, reply) {
      const traced = spans.get(request);
      return traced ? context.with(traced.within, () => handler.call(this, request, reply)) : handler.call(this, request, reply);
    } as RouteHandlerMethod;
  });
  // The server's failures, not a caller's mistakes (a 4xx is an answer, not an error of the server).
  app.addHook('onError', async (request, _reply, error) => {
    if ((error.statusCode ?? 500) >= 500) spans.get(request)?.span.recordException(error);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request)?.span;
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
