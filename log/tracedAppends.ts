import { SpanStatusCode } from '@opentelemetry/api';
import type { EventLog } from './eventLog';
import { tracer } from '../schemas/traceContext';

/** The log with a span around every append, in the trace of the work that appends. */
export function traceAppends(log: EventLog): EventLog {
  const append = log.append.bind(log);
  return Object.assign(Object.create(log) as EventLog, {
    append: (...args: Parameters<EventLog['append']>) =>
      tracer().startActiveSpan('append', { attributes: { 'medialake.events': args[0].length } }, async (span) => {
        try {
          return await append(...args);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      }),
  });
}
