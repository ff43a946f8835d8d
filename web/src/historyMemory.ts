/** History entries a view remembers its state for: the latest ones, which Back reaches. */
const REMEMBERED_ENTRIES = 20;

/** Keeps `value` under `key` (a history entry's), the latest REMEMBERED_ENTRIES keys only. */
export function remember<T>(memory: Map<string, T>, key: string, value: T): void {
  memory.delete(key);
  memory.set(key, value);
  for (const oldest of memory.keys()) {
    if (memory.size <= REMEMBERED_ENTRIES) break;
    memory.delete(oldest);
  }
}
