import type { SubscribeOptions } from './eventLog';

/**
 * What the consumers of the log (processors, projections) report for
 * /metrics. The data path sees only this; app/metrics.ts keeps the registry.
 */
export interface ConsumerMetrics {
  /** A consumer handled a batch of this many events. */
  handled(consumer: string, events: number): void;
  /** A consumer's batch failed and will be retried: an engine (log, store, index) refused or was unreachable. */
  batchFailed(consumer: string, error: unknown): void;
  /** One event through one processor, with how it ended. */
  processed(processor: string, seconds: number, outcome: 'ok' | 'failed'): void;
  /** A processor gave up on an event: its failure event and dead letter are on the log. */
  deadLettered(processor: string, code: string): void;
}

export const noMetrics: ConsumerMetrics = {
  handled: () => undefined,
  batchFailed: () => undefined,
  processed: () => undefined,
  deadLettered: () => undefined,
};

/** A subscription that counts what it handles and the batches that fail. */
export function measured(options: SubscribeOptions, metrics: ConsumerMetrics): SubscribeOptions {
  return {
    ...options,
    handle: async (batch) => {
      await options.handle(batch);
      metrics.handled(options.group, batch.length);
    },
    onError: (error) => {
      metrics.batchFailed(options.group, error);
      options.onError?.(error);
    },
  };
}
