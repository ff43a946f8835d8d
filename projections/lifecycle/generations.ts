import type { EventLog } from '../../log/eventLog';
import type { ProjectionDefinition, ProjectionStore } from '../projection';
import type { LiveGeneration } from './catalog';

export interface RebuildRunOptions {
  /** The new generation's id (newGeneration()); a backend that names its own may use another. */
  generation: string;
  /** Events per read and per write. */
  batchSize: number;
  /** How long the new generation may take to reach the end of a growing log before its swap. */
  catchUpTimeoutMs: number;
  /** Told how many events the new generation has applied so far. */
  onProgress(state: 'building' | 'catching-up' | 'swapping', applied: number): void;
  /** Stops the rebuild before its swap; what it built is dropped. */
  signal?: AbortSignal;
}

/**
 * What `medialake projections rebuild` needs of a projection's backend: to
 * build a new generation from the start of the log beside the live one,
 * which keeps serving reads and taking the live consumer's batches, then to
 * switch to it atomically and drop the old one (law 5: the same history gives
 * the same state). The SQLite projections keep a file per generation
 * (sqliteGenerations.ts); a search engine keeps an index per generation behind
 * an alias and swaps the alias; DynamoDB keeps a table per generation, named
 * by a pointer item. The lifecycle (lifecycle.ts) records progress and refuses
 * a second rebuild of a projection while one runs. Every backend passes one
 * contract (test/projections/rebuilder.contract.ts).
 */
export interface Rebuilder {
  /** Where the generations live ("sqlite"). */
  readonly backend: string;
  readonly definition: ProjectionDefinition;
  /** The generation serving now. */
  live(): Promise<LiveGeneration>;
  /** Builds, swaps in and returns the new live generation; on failure drops what it built and changes nothing. */
  rebuild(log: EventLog, options: RebuildRunOptions): Promise<LiveGeneration>;
  /** Drops what a rebuild whose process died left of `generation`. */
  discard(generation: string): Promise<void>;
}

/** A projection store whose backend can build a generation beside the live one offers its rebuilder in a field. */
export interface RebuildableStore extends ProjectionStore {
  readonly rebuilder: Rebuilder;
}

/** A store's rebuilder; undefined when its backend cannot build a generation beside the live one. */
export function rebuilderOf(store: ProjectionStore): Rebuilder | undefined {
  return 'rebuilder' in store ? (store as RebuildableStore).rebuilder : undefined;
}

/** A new generation's id: its version, then a time-ordered suffix (file and index names allow it). */
export function newGeneration(version: number): string {
  return `v${version}-${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, '0')}`;
}
