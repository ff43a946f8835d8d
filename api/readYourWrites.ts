import { setTimeout as sleep } from 'node:timers/promises';
import type { LogPosition } from '../schemas/envelope';
import type { ProjectionStore } from '../projections/projection';

/** How often a write asks whether the projections have applied it. */
const POLL_MS = 5;

/** Offsets are decimal on every log (a SQLite row, a Kafka offset, a Kinesis sequence number): compared as numbers. */
const reached = (at: string | undefined, offset: string) => at !== undefined && BigInt(at) >= BigInt(offset);

/**
 * Resolves once every store has applied the event at `position`, so the
 * answer to a write, and every request after it, reads what it wrote (a
 * revoked share hides its assets at once). Rejects after `timeoutMs`: the
 * event is on the log and the projections will apply it.
 */
export async function appliedBy(stores: ProjectionStore[], position: LogPosition, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const store of stores) {
    while (!reached((await store.positions())[position.partition], position.offset)) {
      if (Date.now() > deadline) throw new ProjectionsBehindError(store.name, timeoutMs);
      await sleep(POLL_MS);
    }
    await store.settle?.();
  }
}

export class ProjectionsBehindError extends Error {
  readonly code = 'PROJECTIONS_BEHIND';
  constructor(
    readonly projection: string,
    timeoutMs: number,
  ) {
    super(`the change is on the log, but ${projection} has not applied it within ${timeoutMs} ms: read it again shortly`);
  }
}

export function isProjectionsBehind(error: unknown): error is ProjectionsBehindError {
  return error instanceof ProjectionsBehindError;
}
