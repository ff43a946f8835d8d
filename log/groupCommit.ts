/**
 * Batches concurrent writes without adding latency: the first call is sent at
 * once; calls that arrive while a send is in flight queue up and go out
 * together in the next one. One send at a time also keeps each partition's
 * records in call order.
 */
export function groupCommit<T, R>(send: (items: T[]) => Promise<R[]>): (items: T[]) => Promise<R[]> {
  let queue: { items: T[]; resolve(results: R[]): void; reject(error: unknown): void }[] = [];
  let sending = false;

  async function drain(): Promise<void> {
    sending = true;
    while (queue.length) {
      const calls = queue;
      queue = [];
      try {
        const results = await send(calls.flatMap((call) => call.items));
        let start = 0;
        for (const call of calls) call.resolve(results.slice(start, (start += call.items.length)));
      } catch (error) {
        for (const call of calls) call.reject(error);
      }
    }
    sending = false;
  }

  return (items) =>
    new Promise<R[]>((resolve, reject) => {
      queue.push({ items, resolve, reject });
      if (!sending) void drain();
    });
}
