import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { EventLog, Subscription } from '../../log/eventLog';
import type { ProjectionStore } from '../projection';
import type { ProjectionCatalog, RebuildProgress } from './catalog';
import { newGeneration, type RebuildRunOptions, type Rebuilder } from './generations';

export class RebuildError extends Error {
  constructor(
    readonly code: 'REBUILD_CATCH_UP_TIMEOUT' | 'REBUILD_ABORTED',
    readonly projection: string,
    message: string,
  ) {
    super(message);
  }
}

/** Resolves once the store has applied everything on the log; the log may grow meanwhile. */
async function caughtUp(log: EventLog, store: ProjectionStore, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await log.lag(await store.positions())) > 0) {
    if (Date.now() > deadline) {
      throw new RebuildError(
        'REBUILD_CATCH_UP_TIMEOUT',
        name,
        `the rebuild of ${name} did not reach the end of the log within ${timeoutMs} ms: the log grew faster; try again when ingest is quieter`,
      );
    }
    await sleep(20);
  }
}

/** A generation being built as a store of its own, and how its backend puts it in place or throws it away. */
export interface BuiltGeneration {
  store: ProjectionStore;
  /** Called once the store holds the log as it was when the fill began, before it follows what came since: it finishes what it put off (SQLite: query indexes). */
  filled?(): Promise<void>;
  /** Holds the live generation still while `catchUp` brings this one to the end of the log, then makes this one live. */
  cutOver(catchUp: () => Promise<void>): Promise<void>;
  /** Whether this generation is live: a switch may have gone through with only its answer lost. */
  isLive(): Promise<boolean>;
  /** Removes what was built. */
  discard(): Promise<void>;
}

/**
 * For backends that build a generation as a store of its own: fills the empty
 * store from the start of the log (log.readAll), follows what is appended
 * meanwhile, and calls `cutOver` with a `catchUp` for it to run while it holds
 * the live generation still; after `catchUp` the store holds every event the
 * live one holds, and nothing but the live consumer applies to it any more.
 * A rebuild that fails discards what it built, unless it went live.
 * Reads the log only: no media object, no processor (law 2).
 */
export async function buildFromLog(log: EventLog, built: BuiltGeneration, name: string, options: RebuildRunOptions): Promise<void> {
  try {
    await fill(log, built, name, options);
  } catch (error) {
    if (!(await built.isLive().catch(() => false))) await built.discard();
    throw error;
  }
}

async function fill(log: EventLog, { store, filled, cutOver }: BuiltGeneration, name: string, options: RebuildRunOptions): Promise<void> {
  const { batchSize, catchUpTimeoutMs, signal, onProgress } = options;
  const checkAborted = () => {
    if (signal?.aborted) throw new RebuildError('REBUILD_ABORTED', name, `the rebuild of ${name} was stopped before its swap`);
  };
  let applied = 0;
  onProgress('building', applied);
  for await (const batch of log.readAll({ batchSize })) {
    checkAborted();
    await store.apply(batch);
    onProgress('building', (applied += batch.length));
    await nextTurn(); // an embedded store applies without waiting: the process answers requests between batches
  }
  await filled?.();
  onProgress('catching-up', applied);
  const tail: Subscription = log.subscribe({
    group: `rebuild:${name}:${options.generation}`,
    batchSize,
    positions: () => store.positions(),
    handle: async (batch) => {
      await store.apply(batch);
      onProgress('catching-up', (applied += batch.length));
    },
  });
  let stopping: Promise<void> | undefined;
  const stopTail = () => (stopping ??= tail.stop());
  try {
    await caughtUp(log, store, name, catchUpTimeoutMs);
    checkAborted();
    onProgress('swapping', applied);
    await cutOver(async () => {
      await caughtUp(log, store, name, catchUpTimeoutMs);
      await stopTail();
    });
  } finally {
    await stopTail();
  }
}

/** How often progress goes to the catalog (a write each): often enough for a person watching. */
const PROGRESS_EVERY_MS = 250;

/** Events a rebuild reads and applies at a time; also the live batch of a store written by requests (ProjectionStore.batchSize). */
export const REBUILD_BATCH_SIZE = 2000;

export interface RebuildOptions {
  batchSize?: number;
  catchUpTimeoutMs?: number;
  onProgress?: (progress: RebuildProgress) => void;
  signal?: AbortSignal;
}

/**
 * Rebuilds a projection with its backend's rebuilder, recording progress in
 * the catalog (where every process sees it) and refusing to start while
 * another rebuild of it runs. Resolves once the new generation is live.
 */
export async function rebuildProjection(
  log: EventLog,
  rebuilder: Rebuilder,
  catalog: ProjectionCatalog,
  options: RebuildOptions = {},
): Promise<RebuildProgress> {
  const { name, version } = rebuilder.definition;
  const generation = newGeneration(version);
  const abandoned = catalog.beginRebuild(name, generation, version, await log.lag({}));
  if (abandoned) await rebuilder.discard(abandoned);
  let reported = 0;
  let reportedState = '';
  let applied = 0;
  try {
    await rebuilder.rebuild(log, {
      generation,
      batchSize: options.batchSize ?? REBUILD_BATCH_SIZE,
      catchUpTimeoutMs: options.catchUpTimeoutMs ?? 60_000,
      signal: options.signal,
      onProgress(state, count) {
        applied = count;
        if (state === reportedState && Date.now() - reported < PROGRESS_EVERY_MS) return;
        reported = Date.now();
        reportedState = state;
        const progress = catalog.progress(name, generation, state, count);
        options.onProgress?.(progress);
      },
    });
    catalog.progress(name, generation, 'swapping', applied);
    const done = catalog.finishRebuild(name, generation, 'done');
    options.onProgress?.(done);
    return done;
  } catch (error) {
    catalog.progress(name, generation, 'failed', applied);
    const failed = catalog.finishRebuild(name, generation, 'failed', (error as Error).message);
    options.onProgress?.(failed);
    throw error;
  }
}
