import type { EventLog, Positions } from '../../log/eventLog';
import type { PollingSource } from '../../log/pollingConsumer';

/** What a log that reads by position offers (the embedded, Kafka and Kinesis logs do): the events after a position. */
export type ReadsAfter = Pick<PollingSource, 'partitionIds' | 'readAfter'>;

function readsAfter(log: EventLog): log is EventLog & ReadsAfter {
  const candidate = log as Partial<ReadsAfter>;
  return typeof candidate.readAfter === 'function' && typeof candidate.partitionIds === 'function';
}

/**
 * How long the oldest event a consumer at `positions` has not handled has
 * waited, in seconds (its `time`; one read per partition): 0 when caught up
 * (`lag` is 0), null where the log cannot read an event at a position.
 */
export async function lagSeconds(log: EventLog, positions: Positions, lag: number): Promise<number | null> {
  if (lag === 0) return 0;
  if (!readsAfter(log)) return null;
  const oldestAfter = async (at: Positions) => {
    let oldest = Infinity;
    for (const partition of await log.partitionIds()) {
      const [next] = await log.readAfter(partition, at[partition], 1);
      if (next) oldest = Math.min(oldest, Date.parse(next.time));
    }
    return oldest;
  };
  // Lagging with nothing after its positions, it holds positions past the log's end, and every event is unhandled (eventLog.ts unhandled).
  let oldest = await oldestAfter(positions);
  if (!Number.isFinite(oldest)) oldest = await oldestAfter({});
  return Number.isFinite(oldest) ? Math.max(0, Math.round((Date.now() - oldest) / 100) / 10) : 0;
}
