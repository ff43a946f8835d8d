import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '../schemas/envelope';
import { advance, PositionPastEndError, type Positions, type SubscribeOptions, type Subscription } from './eventLog';
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
  /** The offset the partition's next event will take: its number of events, where offsets start at 0. */
  endOffset(partition: string): Promise<bigint>;
  /** Resolves true when something is appended, false after `ms` (or on abort) with nothing appended. */
  waitForAppend(ms: number, signal: AbortSignal): Promise<boolean>;
  /** How many appends of this process have settled: one that reads to the end and sees the same count before and after holds all of them. */
  appendsSettled(): number;
}

const IDLE_POLL_MS = 250;
/**
 * How often the lease is renewed while a batch is handled: a handler may take
 * longer than the lease (a pipeline's call to a slow service), and another
 * member would else take the group and handle the batch again. A source
 * writes a renewal only once a third of its lease is used up, so asking this
 * often costs nothing.
 */
const RENEW_WHILE_HANDLING_MS = 1_000;
/**
 * After a batch smaller than batchSize, a consumer waits for more events to
 * share its next batch: every batch costs it a transaction and a checkpoint,
 * and each consumer of a process would otherwise take every commit of a busy
 * log as a batch of its own. It waits while appends keep coming (a
 * gap of QUIET_MS ends the wait, so the last events of a burst are not held
 * back) and at most `lingerMs` (default LINGER_MS) from when it read that
 * batch. Only this process's appends are heard: another's end the wait after
 * QUIET_MS. An idle consumer starts on the first event at once, and one whose
 * batch took longer than its linger does not wait at all.
 */
const LINGER_MS = 20;
const QUIET_MS = 20;

/**
 * A consumer holding a position past its log's end (its store restored from a
 * later copy than the log, or the log made anew) would read on from there once
 * the log grew past it, and never handle what lies between: it stops instead,
 * saying so, until its store is rebuilt, as the Kafka log's consumers do.
 */
async function pastTheEnd(source: PollingSource, group: string, positions: Positions): Promise<Error | undefined> {
  for (const [partition, position] of Object.entries(positions)) {
    const end = await source.endOffset(partition);
    if (BigInt(position) >= end) {
      return new PositionPastEndError(
        `${group} holds position ${position} of partition ${partition}, past the end of the log (${end} events): was the log restored from an older copy than its projections? ` +
          'Rebuild it from the log (medialake projections rebuild NAME)',
      );
    }
  }
  return undefined;
}

/**
 * Reads each partition after the group's position and hands batches to the
 * handler; a failed batch is retried with backoff, never skipped (law 7 is
 * the handler's job: it turns bad input into failure events).
 */
export function pollingSubscription(source: PollingSource, options: SubscribeOptions, owner: string): Subscription {
  const stopping = new AbortController();
  const batchSize = options.batchSize ?? 256;
  const lingerMs = options.lingerMs ?? LINGER_MS;
  let positions: Positions | undefined;
  let failures = 0;
  /**
   * appendsSettled() as it was before the last read that reached the end of
   * every partition (undefined after a full batch, a failure, or while not
   * the member): while it is unchanged, this member has handled every event
   * this process appended, lingering or not.
   */
  let endReadAt: number | undefined;
  /** Checked once, against the log as this subscription found it: once the log grows past the position, it cannot tell. */
  let stopped: Promise<Error | undefined> | undefined;

  /** Handles what each partition has; says how many events that was (none: the consumer is caught up, or not the member). */
  async function step(): Promise<{ member: boolean; events: number; full: boolean; at: number; appends: number }> {
    const read = { member: false, events: 0, full: false, at: performance.now(), appends: source.appendsSettled() };
    if (!(await source.acquireLease(options.group, owner))) {
      positions = undefined; // another member may move them while we wait
      return read;
    }
    read.member = true;
    positions ??= options.positions ? await options.positions() : await source.committed(options.group);
    const refusal = await (stopped ??= pastTheEnd(source, options.group, positions).catch((error: unknown) => {
      stopped = undefined; // not checked: check again on the retry
      throw error;
    }));
    if (refusal) throw refusal;
    for (const partition of await source.partitionIds()) {
      const batch = await source.readAfter(partition, positions[partition], batchSize);
      const last = batch.at(-1);
      if (!last) continue;
      endReadAt = undefined;
      await holdingLease(() => options.handle(batch));
      if (!options.positions) await source.commit(options.group, partition, last.offset);
      positions = advance(positions, batch);
      read.events += batch.length;
      read.full ||= batch.length === batchSize;
    }
    return read;
  }

  /** Runs `work` with the group's lease renewed all along. */
  async function holdingLease<T>(work: () => Promise<T>): Promise<T> {
    const renewing = setInterval(() => void source.acquireLease(options.group, owner).catch(() => undefined), RENEW_WHILE_HANDLING_MS);
    try {
      return await work();
    } finally {
      clearInterval(renewing);
    }
  }

  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);

  /** Waits while events keep being appended, until `until` at the latest. */
  async function gather(until: number): Promise<void> {
    for (let left = until - performance.now(); left > 0; left = until - performance.now()) {
      if (!(await source.waitForAppend(Math.min(QUIET_MS, left), stopping.signal))) return;
    }
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        const read = await step();
        failures = 0;
        endReadAt = read.member && !read.full ? read.appends : undefined;
        if (!read.events) await source.waitForAppend(IDLE_POLL_MS, stopping.signal);
        else if (!read.full) await gather(read.at + lingerMs);
        else await nextTurn(); // a backlog read without waiting: the process's other work runs between its batches
      } catch (error) {
        endReadAt = undefined;
        failures++;
        positions = undefined; // re-read the durable positions before retrying
        options.onError?.(error);
        await pause(retryDelay(failures));
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
    caughtUp: () => endReadAt === source.appendsSettled(),
  };
}
