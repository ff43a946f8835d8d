import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { EventLog, Positions } from '../../log/eventLog';
import type { ProjectionDefinition, ProjectionStore } from '../projection';
import { PROJECTIONS } from '../registry';
import { isRebuildRunning, ProjectionCatalog, RebuildRunningError, type LiveGeneration, type RebuildProgress } from './catalog';
import { rebuilderOf, type Rebuilder } from './generations';
import { lagSeconds } from './lagSeconds';
import { REBUILD_BATCH_SIZE, rebuildProjection, type RebuildOptions } from './rebuild';
import { sharedReads } from './sharedRead';

export interface ProjectionInfo extends ProjectionDefinition {
  /** Where its generations live ("sqlite"); undefined when its backend cannot rebuild beside itself. */
  backend?: string;
  rebuildable: boolean;
  live?: LiveGeneration;
  /** The live generation was built by an older version of the projection: rebuild it. */
  stale: boolean;
}

export interface ProjectionStatus extends ProjectionInfo {
  positions: Positions;
  /** Events on the log it has not applied yet. */
  lag: number;
  /**
   * How long the oldest event it has not applied has waited, in seconds: 0
   * when caught up; null where the log cannot read an event at a position.
   */
  lagSeconds: number | null;
  /**
   * Partitions where its position lies past the log's end (EventLog.
   * partitionsPastEnd): it applies nothing more until it is rebuilt. Absent
   * where there are none.
   */
  pastLogEnd?: string[];
  /** The latest rebuild, running or finished. */
  rebuild?: RebuildProgress & { eventsPerSecond: number };
}

export class ProjectionNotFoundError extends Error {
  readonly code = 'PROJECTION_NOT_FOUND';
  readonly statusCode = 404;
  constructor(readonly projection: string, known: string[]) {
    super(`there is no projection ${projection}: the projections are ${known.join(', ')}`);
  }
}

export class ProjectionNotRebuildableError extends Error {
  readonly code = 'PROJECTION_NOT_REBUILDABLE';
  readonly statusCode = 409;
  constructor(readonly projection: string) {
    super(`${projection} is kept in a backend that cannot build a generation beside the live one yet: rebuild it with its own tools`);
  }
}

function withRate(progress: RebuildProgress): RebuildProgress & { eventsPerSecond: number } {
  const seconds = (Date.parse(progress.finishedAt ?? progress.updatedAt) - Date.parse(progress.startedAt)) / 1000;
  return { ...progress, eventsPerSecond: seconds > 0 ? Math.round(progress.applied / seconds) : 0 };
}

/**
 * The operator's view of the projections: each one's definition and live
 * generation, its lag, and rebuilds (run here, or started in the background
 * for the API). A rebuild works on every backend that keeps generations.
 */
export class ProjectionLifecycle {
  private readonly catalog: ProjectionCatalog;
  private readonly running = new Map<string, { promise: Promise<unknown>; abort: AbortController }>();

  constructor(
    private readonly log: EventLog,
    private readonly stores: ProjectionStore[],
    dataDirectory: string,
    private readonly logger?: Logger,
  ) {
    this.catalog = new ProjectionCatalog(join(dataDirectory, 'projections.db'));
  }

  private entries(): { definition: ProjectionDefinition; store: ProjectionStore; rebuilder?: Rebuilder }[] {
    return this.stores.flatMap((store) => {
      const rebuilder = rebuilderOf(store);
      const definition = rebuilder?.definition ?? PROJECTIONS.find((d) => store.name === `projection:${d.name}`);
      return definition ? [{ definition, store, rebuilder }] : [];
    });
  }

  private entry(name: string) {
    const entries = this.entries();
    const found = entries.find((e) => e.definition.name === name);
    if (!found) throw new ProjectionNotFoundError(name, entries.map((e) => e.definition.name));
    return found;
  }

  async list(): Promise<ProjectionInfo[]> {
    return Promise.all(
      this.entries().map(async ({ definition, rebuilder }) => {
        const live = await rebuilder?.live();
        return {
          ...definition,
          backend: rebuilder?.backend,
          rebuildable: rebuilder !== undefined,
          live,
          stale: live !== undefined && live.version < definition.version,
        };
      }),
    );
  }

  async status(name?: string): Promise<ProjectionStatus[]> {
    const infos = (await this.list()).filter((info) => name === undefined || info.name === name);
    if (name !== undefined && !infos.length) this.entry(name);
    return Promise.all(
      infos.map(async (info) => {
        const positions = await this.entry(info.name).store.positions();
        const lag = await this.log.lag(positions);
        const rebuild = this.catalog.rebuild(info.name);
        const pastLogEnd = await this.log.partitionsPastEnd(positions);
        return {
          ...info,
          positions,
          lag,
          lagSeconds: await lagSeconds(this.log, positions, lag),
          ...(pastLogEnd.length && { pastLogEnd }),
          ...(rebuild && { rebuild: withRate(rebuild) }),
        };
      }),
    );
  }

  /** Rebuilds one projection and resolves when the new generation is live. */
  rebuild(name: string, options: Omit<RebuildOptions, 'signal'> = {}): Promise<RebuildProgress> {
    return this.rebuildOn(this.log, name, options);
  }

  /**
   * Rebuilds several projections together, reading the log once for all of
   * them; each is swapped in when it is done. Rejects when any of them fails
   * (the others still finish).
   */
  async rebuildAll(names: string[], options: Omit<RebuildOptions, 'signal'> = {}): Promise<RebuildProgress[]> {
    const unique = [...new Set(names)];
    for (const name of unique) {
      if (!this.entry(name).rebuilder) throw new ProjectionNotRebuildableError(name);
      if (this.running.has(name)) throw new RebuildRunningError(name, 'in this process');
    }
    const shared = sharedReads(this.log, unique.length, options.batchSize ?? REBUILD_BATCH_SIZE);
    const runs = await Promise.allSettled(
      // One that ends before reading everything (it could not start, or failed) must not hold the others back.
      unique.map((name, i) => this.rebuildOn(shared.views[i]!, name, options).finally(() => shared.release(i))),
    );
    const failed = runs.find((run) => run.status === 'rejected');
    if (failed) throw failed.reason;
    return runs.map((run) => (run as PromiseFulfilledResult<RebuildProgress>).value);
  }

  private rebuildOn(log: EventLog, name: string, options: Omit<RebuildOptions, 'signal'>): Promise<RebuildProgress> {
    const { rebuilder } = this.entry(name);
    if (!rebuilder) throw new ProjectionNotRebuildableError(name);
    if (this.running.has(name)) throw new RebuildRunningError(name, 'in this process');
    const abort = new AbortController();
    const promise = rebuildProjection(log, rebuilder, this.catalog, { ...options, signal: abort.signal });
    const run = { promise, abort };
    this.running.set(name, run);
    void promise.finally(() => this.running.get(name) === run && this.running.delete(name)).catch(() => undefined);
    return promise;
  }

  /** The rebuilds of these projections running now, in this process or another. */
  runningRebuilds(names: string[]): RebuildProgress[] {
    return names.flatMap((name) => {
      const rebuild = this.catalog.rebuild(name);
      return rebuild && isRebuildRunning(rebuild) ? [rebuild] : [];
    });
  }

  /**
   * Resolves once no rebuild of these projections runs, in any process (one
   * whose process is gone does not count); `onWaiting` hears of each rebuild
   * it waits for, once.
   */
  async waitForRebuilds(names: string[], onWaiting: (rebuild: RebuildProgress) => void = () => {}, pollMs = 100): Promise<void> {
    const told = new Set<string>();
    for (let running = this.runningRebuilds(names); running.length; running = this.runningRebuilds(names)) {
      for (const rebuild of running) {
        const key = `${rebuild.projection}\0${rebuild.generation}`;
        if (!told.has(key)) onWaiting(rebuild);
        told.add(key);
      }
      await sleep(pollMs);
    }
  }

  /** Starts a rebuild in the background; resolves with its first progress, or rejects when it cannot start. */
  start(name: string): Promise<RebuildProgress> {
    return new Promise((resolve, reject) => {
      let started = false;
      this.rebuild(name, {
        onProgress: (progress) => {
          if (!started) resolve(progress);
          started = true;
        },
      }).then(
        (done) => resolve(done),
        (error: Error) => {
          if (started) this.logger?.error({ projection: name, err: error }, 'projection rebuild failed');
          else reject(error);
        },
      );
    });
  }

  /** Stops rebuilds that have not swapped yet (they drop what they built) and closes the catalog. */
  async close(): Promise<void> {
    for (const run of this.running.values()) run.abort.abort();
    await Promise.allSettled([...this.running.values()].map((run) => run.promise));
    this.catalog.close();
  }
}
