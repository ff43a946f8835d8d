import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '../schemas/envelope';
import { advance, type Positions, type SubscribeOptions, type Subscription } from './eventLog';
import { retryDelay } from './handleWithRetries';

/** What a log that can be read by offset gives a polling consumer. */
export interface PollingSource {
  partitionIds(): Promise<string[]>;
  /** Events of one partition after an offset (from the start when undefined), in order. */
  readAfter(partition: string, after: string | undefined, limit: number): Promise<StoredEvent[]>;
  committed(group: string): Promise<Positions>;
  commit(group: string, partition: string, offset: string): Promise<void>;
  /** Takes or renews the group's lease: one live member consumes at a time. */
  acquireLease(group: string, owner: string): Promise<boolean>;
  releaseLease(group: string, owner: string): Promise<void>;
  /** Resolves when something is appended, or after `ms` at the latest. */
  waitForAppend(ms: number, signal: AbortSignal): Promise<void>;
}

const IDLE_POLL_MS = 250;

/**
 * Reads each partition after the group's position and hands batches to the
 * handler; a failed batch is retried with backoff, never skipped (law 7 is
 * the handler's job: it turns bad input into failure events).
 */
export function pollingSubscription(source: PollingSource, options: SubscribeOptions, owner: string): Subscription {
  const stopping = new AbortController();
  const batchSize = options.batchSize ?? 256;
  let positions: Positions | undefined;
  let failures = 0;

  async function step(): Promise<boolean> {
    if (!(await source.acquireLease(options.group, owner))) {
      positions = undefined; // another member may move them while we wait
      return false;
    }
    positions ??= options.positions ? await options.positions() : await source.committed(options.group);
    let progressed = false;
    for (const partition of await source.partitionIds()) {
      const batch = await source.readAfter(partition, positions[partition], batchSize);
      const last = batch.at(-1);
      if (!last) continue;
      await options.handle(batch);
      if (!options.positions) await source.commit(options.group, partition, last.offset);
      positions = advance(positions, batch);
      progressed = true;
    }
    return progressed;
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        const progressed = await step();
        failures = 0;
        if (!progressed) await source.waitForAppend(IDLE_POLL_MS, stopping.signal);
      } catch (error) {
        failures++;
        positions = undefined; // re-read the durable positions before retrying
        options.onError?.(error);
        await sleep(retryDelay(failures), undefined, { signal: stopping.signal }).catch(
          () => undefined,
        );
      }
    }
    await source.releaseLease(options.group, owner);
  }

  const running = loop();
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
