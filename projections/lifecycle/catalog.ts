import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { openSqliteDatabase } from '../../log/sqliteDatabase';
import { processAlive } from '../../log/processAlive';

/** The generation of a projection that serves reads and takes the live consumer's batches. */
export interface LiveGeneration {
  generation: string;
  /** The projection version it was built with. */
  version: number;
  builtAt: string;
}

/** The states a rebuild records as it goes. */
const RECORDED_REBUILD_STATES = ['building', 'catching-up', 'swapping', 'done', 'failed'] as const;
export type RecordedRebuildState = (typeof RECORDED_REBUILD_STATES)[number];

/**
 * A rebuild as it is reported (the API documents it with this schema). Its
 * state is what it recorded, or `interrupted` where it recorded a running
 * state but its process, on this host, is gone (killed, crashed). Never
 * stored: read from the recorded state and the process, so the next rebuild
 * still finds the generation to drop (`beginRebuild`).
 */
export const RebuildProgress = z.object({
  projection: z.string(),
  generation: z.string(),
  version: z.number().int(),
  state: z.enum([...RECORDED_REBUILD_STATES, 'interrupted']),
  /** Events applied to the new generation so far. */
  applied: z.number().int(),
  /** Events on the log when the rebuild started (grows if it passes them). */
  total: z.number().int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
});
export type RebuildProgress = z.infer<typeof RebuildProgress>;
export type RebuildState = RebuildProgress['state'];

/** The generation a projection has before its first rebuild: the file the lake always opened. */
export const INITIAL_GENERATION = 'initial';

export class RebuildRunningError extends Error {
  readonly code = 'REBUILD_RUNNING';
  readonly statusCode = 409;
  constructor(
    readonly projection: string,
    readonly owner: string,
  ) {
    super(`a rebuild of ${projection} is already running (${owner}): follow it with \`medialake projections status\``);
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS live (
  name TEXT PRIMARY KEY, generation TEXT NOT NULL, version INTEGER NOT NULL, built_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rebuilds (
  name TEXT PRIMARY KEY, generation TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL,
  applied INTEGER NOT NULL, total INTEGER NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  finished_at TEXT, error TEXT, host TEXT NOT NULL, pid INTEGER NOT NULL
);`;

interface RebuildRow {
  name: string;
  generation: string;
  version: number;
  state: RecordedRebuildState;
  applied: number;
  total: number;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
  error: string | null;
  host: string;
  pid: number;
}

const RUNNING: RecordedRebuildState[] = ['building', 'catching-up', 'swapping'];

/** Whether a rebuild as reported still runs (an interrupted one, whose process is gone, does not). */
export function isRebuildRunning(progress: RebuildProgress): boolean {
  return (RUNNING as string[]).includes(progress.state);
}

/**
 * A rebuild recorded as running whose process has ended without recording how
 * it ended. Only a process of this host can be checked; one on another host
 * (a shared data directory) is taken to be running.
 */
function orphaned(row: RebuildRow): boolean {
  return RUNNING.includes(row.state) && row.host === hostname() && !processAlive(row.pid);
}

/** An orphaned rebuild as the operator reads it: what happened, and what to do. */
function interrupted(row: RebuildRow): Pick<RebuildProgress, 'state' | 'error'> {
  return {
    state: 'interrupted',
    error:
      `its process (pid ${row.pid} on ${row.host}) ended while ${row.state}: ` +
      `run \`medialake projections rebuild ${row.name}\` again, which also removes what this one left`,
  };
}

function progressOf(row: RebuildRow): RebuildProgress {
  return {
    projection: row.name,
    generation: row.generation,
    version: row.version,
    state: row.state,
    applied: row.applied,
    total: row.total,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    ...(row.finished_at && { finishedAt: row.finished_at }),
    ...(row.error && { error: row.error }),
    ...(orphaned(row) && interrupted(row)),
  };
}

/**
 * Which generation of each projection is live, and how each rebuild is going:
 * a small SQLite file beside the data, so every process on the machine sees a
 * swap or a rebuild's progress, whichever process made it.
 */
export class ProjectionCatalog {
  private readonly db: Database.Database;
  private readonly statements;
  private dataVersion: number;

  constructor(path: string) {
    this.db = openSqliteDatabase(path, 'wal');
    this.db.exec(SCHEMA);
    this.statements = {
      // Prepared once: it runs before every batch of every projection.
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
      live: this.db.prepare<[string], { generation: string; version: number; built_at: string }>(
        'SELECT generation, version, built_at FROM live WHERE name = ?',
      ),
      initial: this.db.prepare('INSERT INTO live (name, generation, version, built_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING'),
      setLive: this.db.prepare(
        `INSERT INTO live (name, generation, version, built_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET generation = excluded.generation, version = excluded.version, built_at = excluded.built_at`,
      ),
      rebuild: this.db.prepare<[string], RebuildRow>('SELECT * FROM rebuilds WHERE name = ?'),
      begin: this.db.prepare(
        `INSERT OR REPLACE INTO rebuilds (name, generation, version, state, applied, total, started_at, updated_at, host, pid)
         VALUES (?, ?, ?, 'building', 0, ?, ?, ?, ?, ?)`,
      ),
      progress: this.db.prepare(
        'UPDATE rebuilds SET state = ?, applied = ?, total = max(total, ?), updated_at = ? WHERE name = ? AND generation = ?',
      ),
      finish: this.db.prepare(
        'UPDATE rebuilds SET state = ?, error = ?, updated_at = ?, finished_at = ? WHERE name = ? AND generation = ?',
      ),
    };
    this.dataVersion = this.readDataVersion();
  }

  private readDataVersion(): number {
    return this.statements.dataVersion.get()!;
  }

  /** Whether another connection changed the catalog since the last call: a cheap check before every read. */
  changed(): boolean {
    const version = this.readDataVersion();
    if (version === this.dataVersion) return false;
    this.dataVersion = version;
    return true;
  }

  live(name: string): LiveGeneration | undefined {
    const row = this.statements.live.get(name);
    return row && { generation: row.generation, version: row.version, builtAt: row.built_at };
  }

  /** The live generation; a projection seen for the first time is recorded as its initial file at `version`. */
  liveOrInitial(name: string, version: number): LiveGeneration {
    this.statements.initial.run(name, INITIAL_GENERATION, version, new Date().toISOString());
    return this.live(name)!;
  }

  setLive(name: string, generation: string, version: number): void {
    this.statements.setLive.run(name, generation, version, new Date().toISOString());
  }

  /**
   * The generations of a projection whose files must stay: the live one, and
   * the one a rebuild still running builds (its process alive, or on another
   * host, which cannot be checked). Both read in one transaction: a swap
   * between two reads could hide the new generation from both.
   */
  generationsInUse(name: string): Set<string> {
    return this.db.transaction(() => {
      const inUse = new Set<string>();
      // Not recorded yet: the initial file is the one the lake opens.
      inUse.add(this.statements.live.get(name)?.generation ?? INITIAL_GENERATION);
      const rebuild = this.statements.rebuild.get(name);
      if (rebuild && RUNNING.includes(rebuild.state) && !orphaned(rebuild)) inUse.add(rebuild.generation);
      return inUse;
    })();
  }

  rebuild(name: string): RebuildProgress | undefined {
    const row = this.statements.rebuild.get(name);
    if (!row) return undefined;
    // Its process died after the swap, before it recorded the end: the generation it built is live, the rebuild done.
    const swapped = orphaned(row) && this.statements.live.get(name)?.generation === row.generation;
    return progressOf(swapped ? { ...row, state: 'done', finished_at: row.updated_at } : row);
  }

  /**
   * Records a new rebuild; refuses while another one of the projection runs.
   * Returns the generation of a rebuild whose process died, for the caller to drop.
   */
  beginRebuild(name: string, generation: string, version: number, total: number): string | undefined {
    return this.db
      .transaction(() => {
        const current = this.statements.rebuild.get(name);
        const abandoned = current && orphaned(current);
        if (current && RUNNING.includes(current.state) && !abandoned) {
          throw new RebuildRunningError(name, `generation ${current.generation}, pid ${current.pid} on ${current.host}`);
        }
        const now = new Date().toISOString();
        this.statements.begin.run(name, generation, version, total, now, now, hostname(), process.pid);
        return abandoned ? current.generation : undefined;
      })
      .immediate();
  }

  progress(name: string, generation: string, state: RecordedRebuildState, applied: number): RebuildProgress {
    this.statements.progress.run(state, applied, applied, new Date().toISOString(), name, generation);
    return this.rebuild(name)!;
  }

  finishRebuild(name: string, generation: string, state: 'done' | 'failed', error?: string): RebuildProgress {
    const now = new Date().toISOString();
    this.statements.finish.run(state, error ?? null, now, now, name, generation);
    return this.rebuild(name)!;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
