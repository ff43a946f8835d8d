import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventLog, Positions } from '../../log/eventLog';
import type { StoredEvent } from '../../schemas/envelope';
import type { ProjectionDefinition } from '../projection';
import { isProjectionSuperseded, type SqliteProjection } from '../sqliteProjection';
import { INITIAL_GENERATION, ProjectionCatalog, type LiveGeneration } from './catalog';
import type { RebuildRunOptions, RebuildableStore, Rebuilder } from './generations';
import { buildFromLog } from './rebuild';

export interface SqliteGenerationsOptions<S extends SqliteProjection> {
  /** The data directory: the generations' files and the catalog (projections.db) live there. */
  directory: string;
  definition: ProjectionDefinition;
  open(path: string): S;
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** The generation a file of the data directory belongs to, when it is one of projection `name`'s (a database, its -wal or -shm). */
function generationOfFile(name: string, file: string): string | undefined {
  const match = /^([^.]+)(?:\.([\w-]+))?\.db(?:-wal|-shm)?$/.exec(file);
  if (!match || match[1] !== name) return undefined;
  return match[2] ?? INITIAL_GENERATION;
}

/**
 * The generations of a SQLite projection, and its rebuilder. Each generation
 * is a file (`NAME.db` for the first one, `NAME.GENERATION.db` after), and the
 * catalog (projections.db) names the live one. liveStore() is the live
 * generation's store, reopened when another process has swapped it, which
 * costs a `PRAGMA data_version` per call; what the lake holds is a
 * RebuildableSqliteProjection, whose every call goes through it.
 *
 * The swap is atomic for readers (one catalog write) and safe for the live
 * consumer wherever it runs: the rebuild holds the old file's write lock while
 * it catches up, marks the old file superseded and points the catalog at the
 * new one in that transaction; a batch that then reaches the old file finds
 * the mark under the write lock and is applied to the new generation instead,
 * which already holds everything the old one did, so the batch takes effect
 * there once (projections apply only what is newer than what they hold).
 * The old file is deleted after the swap; one that outlives its process (killed
 * between the two) is removed by the next open or rebuild (sweep).
 */
export class SqliteGenerations<S extends SqliteProjection> implements Rebuilder {
  readonly backend = 'sqlite';
  readonly definition: ProjectionDefinition;
  private readonly catalog: ProjectionCatalog;
  private current: S;
  private generation: string;
  /** Batches and swaps of this process, one at a time: they share the live file's connection. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SqliteGenerationsOptions<S>) {
    this.definition = options.definition;
    this.catalog = new ProjectionCatalog(join(options.directory, 'projections.db'));
    const live = this.catalog.liveOrInitial(this.definition.name, this.definition.version);
    this.generation = live.generation;
    this.current = options.open(this.fileOf(live.generation));
    this.sweep();
  }

  private fileOf(generation: string): string {
    const { name } = this.definition;
    return join(this.options.directory, generation === INITIAL_GENERATION ? `${name}.db` : `${name}.${generation}.db`);
  }

  /**
   * Removes the files of this projection that no generation in use owns: the
   * old file of a swap whose process died before deleting it (it may hold
   * values an erasure rebuilt away), what an interrupted rebuild left. Runs
   * when the projection opens and when a rebuild starts. The directory is
   * listed before the catalog is read: a rebuild records itself before it
   * creates its file, and a swap names the new file live before the old one
   * may go, so a file listed that is still in use is named by that read.
   */
  private sweep(): void {
    const { name } = this.definition;
    const files = readdirSync(this.options.directory);
    const inUse = this.catalog.generationsInUse(name);
    for (const file of files) {
      const generation = generationOfFile(name, file);
      if (generation === undefined || inUse.has(generation)) continue;
      try {
        rmSync(join(this.options.directory, file), { force: true });
      } catch {} // the OS refuses to delete an open file: the next sweep tries again
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The live generation's store, switched when the catalog names another one. */
  liveStore(): S {
    if (this.catalog.changed()) {
      const live = this.catalog.live(this.definition.name);
      if (live && live.generation !== this.generation) this.adopt(live.generation);
    }
    return this.current;
  }

  private adopt(generation: string, store: S = this.options.open(this.fileOf(generation))): void {
    const old = this.current;
    this.current = store;
    this.generation = generation;
    if (old !== store) void this.exclusive(() => old.close()); // after a batch in flight on it
  }

  /** Applies a batch to the live generation; one that a swap in another process overtook goes to the new one. */
  apply(batch: StoredEvent[]): Promise<void> {
    return this.exclusive(async () => {
      try {
        await this.liveStore().apply(batch);
      } catch (error) {
        if (!isProjectionSuperseded(error)) throw error;
        // Swapped by another process since the catalog was read: it names the new generation already.
        const live = this.catalog.live(this.definition.name);
        if (!live || live.generation === this.generation) throw error;
        this.adopt(live.generation);
        await this.current.apply(batch);
      }
    });
  }

  async live(): Promise<LiveGeneration> {
    return this.catalog.liveOrInitial(this.definition.name, this.definition.version);
  }

  /** A new file beside the live one, filled from the log, then swapped in (see the top of this class). */
  async rebuild(log: EventLog, options: RebuildRunOptions): Promise<LiveGeneration> {
    const { generation } = options;
    this.sweep();
    removeDatabase(this.fileOf(generation));
    const built = this.options.open(this.fileOf(generation));
    built.building(true);
    await buildFromLog(
      log,
      {
        store: built,
        filled: async () => built.filled(),
        cutOver: (catchUp) =>
          this.swap(generation, built, async () => {
            await catchUp();
            built.building(false);
          }),
        isLive: async () => this.generation === generation,
        discard: async () => {
          await built.close();
          removeDatabase(this.fileOf(generation));
        },
      },
      this.definition.name,
      options,
    );
    return this.live();
  }

  async discard(generation: string): Promise<void> {
    if (generation !== this.generation) removeDatabase(this.fileOf(generation));
  }

  private swap(generation: string, built: S, catchUp: () => Promise<void>): Promise<void> {
    return this.exclusive(async () => {
      const live = this.liveStore();
      const old = this.generation;
      await live.supersede(generation, catchUp, () => {
        this.catalog.setLive(this.definition.name, generation, this.definition.version);
        this.current = built;
        this.generation = generation;
      });
      await live.close();
      // Another process may still have it open: it keeps reading the unlinked file until its next call.
      // Where the OS refuses to delete an open file, or this process dies first, the old one stays behind,
      // unused: the swap stands, and the next open or rebuild of the projection removes it (sweep).
      try {
        removeDatabase(this.fileOf(old));
      } catch {}
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      await this.current.close();
      this.catalog.close();
    });
  }
}

/**
 * A SQLite projection as the lake holds it: the store of the live generation,
 * rebuildable beside itself through its `rebuilder`. Every call goes to the
 * generation the catalog names now; a read model's queries are added by a
 * subclass (rebuildableSqliteStores.ts), one line each.
 */
export class RebuildableSqliteProjection<S extends SqliteProjection> implements RebuildableStore {
  readonly name: string;
  readonly local = true;
  readonly rebuilder: SqliteGenerations<S>;

  constructor(options: SqliteGenerationsOptions<S>) {
    this.rebuilder = new SqliteGenerations(options);
    this.name = this.live.name;
  }

  /** The live generation's store: where a query runs. */
  protected get live(): S {
    return this.rebuilder.liveStore();
  }

  positions(): Promise<Positions> {
    return this.live.positions();
  }

  apply(batch: StoredEvent[]): Promise<void> {
    return this.rebuilder.apply(batch);
  }

  close(): Promise<void> {
    return this.rebuilder.close();
  }
}
