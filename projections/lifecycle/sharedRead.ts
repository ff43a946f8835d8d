import type { EventLog } from '../../log/eventLog';
import type { StoredEvent } from '../../schemas/envelope';

/** How many batches the fastest reader may be ahead of the slowest. */
const AHEAD = 4;

/**
 * Views of one log for rebuilds that run together: their readAll reads the
 * log once, each batch handed to every view (reading and decoding is a good
 * part of a replay's cost); the reading waits for the slowest view when the
 * fastest is AHEAD batches in front. Everything else goes to the log. A view
 * that stops early (its rebuild failed) no longer holds the others back.
 */
export function sharedReads(log: EventLog, views: number, batchSize: number): { views: EventLog[]; release(view: number): void } {
  let source: AsyncIterator<StoredEvent[]> | undefined;
  const buffer: StoredEvent[][] = [];
  let first = 0; // the index of buffer[0] among all batches read
  let exhausted = false;
  let pulling: Promise<void> | undefined;
  const positions = Array.from({ length: views }, () => 0);
  const waiting: (() => void)[] = [];

  const slowest = () => Math.min(...positions);
  function trim(): void {
    while (first < slowest() && buffer.length) {
      buffer.shift();
      first++;
    }
    for (const wake of waiting.splice(0)) wake();
  }
  async function pull(): Promise<void> {
    source ??= log.readAll({ batchSize })[Symbol.asyncIterator]();
    const next = await source.next();
    if (next.done) exhausted = true;
    else buffer.push(next.value);
  }

  /** The view reads no more: the others go on without waiting for it. */
  function release(view: number): void {
    positions[view] = Infinity;
    trim();
  }

  function reader(view: number): AsyncIterableIterator<StoredEvent[]> {
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        for (;;) {
          const at = positions[view]! - first;
          if (at < buffer.length) {
            const value = buffer[at]!;
            positions[view]!++;
            trim();
            return { value, done: false };
          }
          if (exhausted) return { value: undefined, done: true };
          if (positions[view]! - slowest() >= AHEAD) await new Promise<void>((resolve) => waiting.push(resolve));
          else await (pulling ??= pull().finally(() => (pulling = undefined)));
        }
      },
      async return() {
        release(view);
        return { value: undefined, done: true };
      },
    };
  }

  const logs = Array.from({ length: views }, (_, view) => {
    let reading = false;
    return new Proxy(log, {
      get(target, property) {
        if (property === 'readAll') {
          return () => {
            if (reading) throw new Error('a shared view of the log is read once');
            reading = true;
            return reader(view);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  });
  return { views: logs, release };
}
