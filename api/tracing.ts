import { ROOT_CONTEXT, SpanKind, context, propagation, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { tracer } from '../schemas/traceContext';

/**
 * A server span per request, named by the route's pattern and continuing the
 * caller's trace (its traceparent header): what the handler appends carries
 * it on to the processors and projections. Register before the routes.
 */
export function traceRequests(app: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function (this: FastifyInstance, request, reply) {
      const caller = propagation.extract(ROOT_CONTEXT, request.headers);
      const span = tracer().startSpan(`${request.method} ${route.url}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route.url } }, caller);
      spans.set(request, span);
      return context.with(trace.setSpan(caller, span), () => handler.call(this, request, reply));
    } as RouteHandlerMethod;
  });
  app.addHook('onResponse', async (request, reply) => {
    spans.get(request)?.setAttribute('http.response.status_code', reply.statusCode).end();
  });
}
