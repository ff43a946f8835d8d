import { ROOT_CONTEXT, context, propagation, trace, type Context, type Tracer } from '@opentelemetry/api';

/**
 * How a trace crosses the log: the work that appends an event writes its
 * trace context into the envelope (W3C traceparent), and whoever handles the
 * event continues that trace. With no OpenTelemetry SDK set up
 * (app/telemetry.ts) the API is a no-op: nothing is written, spans cost nothing.
 */
export const tracer = (): Tracer => trace.getTracer('medialake');

/** The active span's context as a traceparent; undefined where nothing is traced. */
export function activeTraceparent(): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The context an event was appended in: the parent of the spans that handle it. */
export function contextOf(event: { traceparent?: string }): Context {
  return event.traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent: event.traceparent }) : ROOT_CONTEXT;
}
