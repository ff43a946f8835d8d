import { setTimeout as sleep } from 'node:timers/promises';
import { isCoordinationUnavailable } from '../log/redisConnection';
import { retryDelay } from '../log/handleWithRetries';

export interface OutageHooks {
  /** The coordinator went out of reach: calls retry for up to `retryMs`. */
  onDown?(error: Error, retryMs: number): void;
  /** A call went through again after an outage. */
  onBack?(): void;
}

/**
 * Retries calls that fail because the log's coordinator (Redis) is out of
 * reach, with backoff, for at most `retryMs` from the start of the outage:
 * one deadline shared by every call, so a folder of files waits once, not
 * once per file. Past the deadline it gives up for good (`over`): a command
 * then reports what it did not ingest and exits, rather than hang.
 */
export class CoordinatorOutage {
  private since?: number;
  over = false;
  /** The error that ended the retries, once `over`. */
  error?: Error;

  constructor(
    private readonly retryMs: number,
    private readonly hooks: OutageHooks = {},
  ) {}

  async call<T>(work: () => Promise<T>): Promise<T> {
    for (let failures = 0; ; failures++) {
      try {
        const result = await work();
        if (this.since !== undefined) {
          this.since = undefined;
          this.hooks.onBack?.();
        }
        return result;
      } catch (error) {
        if (!isCoordinationUnavailable(error) || this.over) throw error;
        if (this.since === undefined) {
          this.since = Date.now();
          this.hooks.onDown?.(error, this.retryMs);
        }
        const left = this.since + this.retryMs - Date.now();
        if (left <= 0) {
          this.over = true;
          this.error = error;
          throw error;
        }
        await sleep(Math.min(left, retryDelay(failures)));
      }
    }
  }
}
