import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '../schemas/envelope';
import type { SubscribeOptions } from './eventLog';

export const MAX_RETRY_DELAY_MS = 5_000;

/** Exponential backoff after `failures` failures in a row, up to 5 s. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** failures);
}

/**
 * Hands a batch to a subscriber until it succeeds: a failed batch is retried
 * with backoff, never skipped (turning bad input into failure events is the
 * handler's job, law 7). Resolves false when the subscription stops first.
 * `betweenAttempts` keeps the member's claim on the partition alive.
 */
export async function handleWithRetries(
  options: SubscribeOptions,
  batch: StoredEvent[],
  stopping: AbortSignal,
  betweenAttempts?: () => Promise<void>,
): Promise<boolean> {
  for (let failures = 0; ; failures++) {
    try {
      await options.handle(batch);
      return true;
    } catch (error) {
      options.onError?.(error);
      await sleep(retryDelay(failures), undefined, { signal: stopping }).catch(() => undefined);
      if (stopping.aborted) return false;
      await betweenAttempts?.();
    }
  }
}
