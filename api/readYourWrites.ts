import { setTimeout as sleep } from 'node:timers/promises';
import type { LogPosition } from '../schemas/envelope';
import { errorCode } from '../app/metrics';
import type { ProjectionStore } from '../projections/projection';

/** How often a write asks whether the projections have applied it. */
const POLL_MS = 5;

/** Offsets are decimal on every log (a SQLite row, a Kafka offset, a Kinesis sequence number): compared as numbers. */
const reached = (at: string | undefined, offset: string) => at !== undefined && BigInt(at) >= BigInt(offset);

/** The consumers of this process that have failed every batch for a while (app/metrics.ts). */
export interface FailingConsumers {
  failingFor(ms: number): { consumer: string; error: unknown }[];
}

/**
 * How long a store's consumer in this process must have failed every batch
 * (a full disk, an engine away) before a write stops waiting for it: the
 * store will not apply anything until that clears, which may be long after
 * the request's time.
 */
const STALLED_AFTER_MS = 5_000;

/** Its consumer in this process: under the store's name, or the host's group of it (`NAME@host`, app/lake.ts). */
const consumes = (store: ProjectionStore, consumer: string) => consumer === store.name || consumer.startsWith(`${store.name}@`);

/**
 * Resolves once every store has applied the event at `position`, so the
 * answer to a write, and every request after it, reads what it wrote (a
 * revoked share hides its assets at once). Rejects after `timeoutMs`, or as
 * soon as a store's consumer here has been failing every batch for
 * STALLED_AFTER_MS: the event is on the log and the projections will apply it.
 */
export async function appliedBy(stores: ProjectionStore[], position: LogPosition, timeoutMs: number, failing?: FailingConsumers): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const store of stores) {
    while (!reached((await store.positions())[position.partition], position.offset)) {
      if (Date.now() > deadline) throw new ProjectionsBehindError(store.name, `has not applied it within ${timeoutMs} ms`);
      const stalled = failing?.failingFor(STALLED_AFTER_MS).find(({ consumer }) => consumes(store, consumer));
      if (stalled) throw new ProjectionsBehindError(store.name, `has failed every batch for ${STALLED_AFTER_MS / 1000} s (${errorCode(stalled.error)}), and will apply it once that clears`);
      await sleep(POLL_MS);
    }
    await store.settle?.();
  }
}

export class ProjectionsBehindError extends Error {
  readonly code = 'PROJECTIONS_BEHIND';
  constructor(
    readonly projection: string,
    why: string,
  ) {
    super(`the change is on the log, but ${projection} ${why}: read it again shortly`);
  }
}

export function isProjectionsBehind(error: unknown): error is ProjectionsBehindError {
  return error instanceof ProjectionsBehindError;
}
