import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ConsumerMetrics } from '../log/consumerMetrics';
import { MAX_RETRY_DELAY_MS } from '../log/handleWithRetries';

/** A consumer group's standing on the log, as Lake.consumers() tells it. */
export interface ConsumerStanding {
  group: string;
  /** Events still to handle, per partition. */
  partitions: Record<string, number>;
  deadLetters: number;
}

/** Seconds: from a thumbnail (milliseconds) to a long video transcode (minutes). */
const PROCESSING_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
/** Beyond the longest retry delay, the time a retried batch may take to fail again before its consumer counts as recovered. */
const STILL_FAILING_GRACE_MS = 5_000;
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60];

/** The error's code where it has one (COORDINATION_UNAVAILABLE, ECONNREFUSED), else its class. */
export function errorCode(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : 'UNKNOWN';
}

/**
 * The lake's Prometheus registry (served at GET /metrics): one per lake, so
 * two lakes in one process never share counters. The consumers report into
 * it through ConsumerMetrics, the API through `request`; lag and dead letters
 * are read from the log when scraped, so every process of a deployment
 * answers the same for them.
 */
export class LakeMetrics implements ConsumerMetrics {
  readonly registry = new Registry();
  private readonly events: Counter<'consumer'>;
  private readonly engineErrors: Counter<'component' | 'code'>;
  private readonly processing: Histogram<'processor' | 'outcome'>;
  private readonly failures: Counter<'processor' | 'code'>;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestSeconds: Histogram<'method' | 'route'>;
  /** Consumers of this process whose batches have failed since their last success: when that began, and the last error. */
  private readonly failing = new Map<string, { since: number; last: number; error: unknown }>();

  constructor(readStandings: () => Promise<ConsumerStanding[]>) {
    const registers = [this.registry];
    // Both gauges of one scrape share one read of the log (the registry collects them together).
    let reading: Promise<ConsumerStanding[]> | undefined;
    const standings = () => (reading ??= readStandings().finally(() => (reading = undefined)));
    collectDefaultMetrics({ register: this.registry });
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) => new Histogram<L>({ name, help, labelNames, buckets, registers });
    this.events = counter('medialake_consumer_events_total', 'Events a consumer (processor or projection) handled in this process', ['consumer']);
    this.engineErrors = counter(
      'medialake_engine_errors_total',
      'Errors from the engines (log, coordinator, stores, indices): consumer batches that failed and are retried, and API requests answered 5xx',
      ['component', 'code'],
    );
    this.processing = histogram('medialake_processor_duration_seconds', 'Time one processor took over one event, retries included', ['processor', 'outcome'], PROCESSING_BUCKETS);
    this.failures = counter('medialake_processor_failures_total', 'Events a processor gave up on (a failure event and a dead letter on the log)', ['processor', 'code']);
    this.requests = counter('medialake_http_requests_total', 'HTTP requests by route pattern and status', ['method', 'route', 'status']);
    this.requestSeconds = histogram('medialake_http_request_duration_seconds', 'HTTP request duration by route pattern', ['method', 'route'], HTTP_BUCKETS);
    new Gauge({
      name: 'medialake_consumer_lag_events',
      help: 'Events on the log a consumer group has still to handle, per partition (read from the log when scraped)',
      labelNames: ['consumer', 'partition'],
      registers,
      async collect() {
        this.reset();
        for (const { group, partitions } of await standings()) {
          for (const [partition, lag] of Object.entries(partitions)) this.set({ consumer: group, partition }, lag);
        }
      },
    });
    new Gauge({
      name: 'medialake_dead_letters',
      help: 'Dead letters on the log per consumer group (read from the log when scraped)',
      labelNames: ['consumer'],
      registers,
      async collect() {
        this.reset();
        for (const { group, deadLetters } of await standings()) this.set({ consumer: group }, deadLetters);
      },
    });
  }

  handled(consumer: string, events: number): void {
    this.events.inc({ consumer }, events);
    this.failing.delete(consumer);
  }

  batchFailed(consumer: string, error: unknown): void {
    this.engineErrors.inc({ component: consumer, code: errorCode(error) });
    const now = Date.now();
    this.failing.set(consumer, { since: this.failing.get(consumer)?.since ?? now, last: now, error });
  }

  /**
   * The consumers still failing: only a batch that succeeds with events
   * clears the mark (handled), but a consumer that recovered with nothing to
   * read (its reads or lease had failed) fails no more, and a failing one
   * fails again within its longest retry delay.
   */
  private stillFailing(): [string, { since: number; error: unknown }][] {
    const recently = Date.now() - MAX_RETRY_DELAY_MS - STILL_FAILING_GRACE_MS;
    return [...this.failing].filter(([, { last }]) => last >= recently);
  }

  /** The consumers of this process whose every batch has failed for at least `ms`, with the last error of each. */
  failingFor(ms: number): { consumer: string; error: unknown }[] {
    const before = Date.now() - ms;
    return this.stillFailing()
      .filter(([, { since }]) => since <= before)
      .map(([consumer, { error }]) => ({ consumer, error }));
  }

  /** Since when a consumer of this process has failed every batch, and the code of its last error; undefined while it does not. */
  failure(consumer: string): { since: string; code: string } | undefined {
    const failing = this.stillFailing().find(([name]) => name === consumer)?.[1];
    return failing && { since: new Date(failing.since).toISOString(), code: errorCode(failing.error) };
  }

  processed(processor: string, seconds: number, outcome: 'ok' | 'failed'): void {
    this.processing.observe({ processor, outcome }, seconds);
  }

  deadLettered(processor: string, code: string): void {
    this.failures.inc({ processor, code });
  }

  /** One answered HTTP request; `route` is the route's pattern (/assets/:id), never the raw URL. */
  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestSeconds.observe({ method, route }, seconds);
  }

  /** An API request that failed on an engine (answered 5xx). */
  apiError(error: unknown): void {
    this.engineErrors.inc({ component: 'api', code: errorCode(error) });
  }

  /** The text exposition format. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
