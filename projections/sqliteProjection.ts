import Database from 'better-sqlite3';
import type { StoredEvent } from '../schemas/envelope';
import { advance, type Positions } from '../log/eventLog';
import { foldAsset, type AssetRecord } from './assetRecord';
import type { ProjectionStore } from './projection';

/** An apply on a file that a rebuild replaced: the applier must move to the live generation. */
export class ProjectionSupersededError extends Error {
  readonly code = 'PROJECTION_SUPERSEDED';
  constructor(
    readonly projection: string,
    readonly by: string,
  ) {
    super(`${projection} was rebuilt as generation ${by}: apply to that one`);
  }
}

export function isProjectionSuperseded(error: unknown): error is ProjectionSupersededError {
  return error instanceof ProjectionSupersededError;
}

/**
 * What the SQLite projections share: a database file of their own, and a
 * checkpoint table written in the same transaction as the state (law 4).
 * Each batch is one IMMEDIATE transaction that first checks whether a rebuild
 * has replaced this file (projections/lifecycle/sqliteGenerations.ts): under
 * the write lock, so nothing is ever applied to a replaced file.
 */
export abstract class SqliteProjection implements ProjectionStore {
  protected readonly db: Database.Database;
  private readonly readPositions;
  private readonly writePosition;
  private readonly readSuperseded;
  private readonly writeSuperseded;

  constructor(
    readonly name: string,
    path: string,
    schema: string,
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (grp TEXT NOT NULL, partition TEXT NOT NULL,
      last_offset TEXT NOT NULL, PRIMARY KEY (grp, partition));
      CREATE TABLE IF NOT EXISTS superseded (by_generation TEXT NOT NULL, at TEXT NOT NULL);`);
    this.db.exec(schema);
    this.readPositions = this.db.prepare<[string], { partition: string; last_offset: string }>(
      'SELECT partition, last_offset FROM checkpoints WHERE grp = ?',
    );
    this.writePosition = this.db.prepare(
      `INSERT INTO checkpoints (grp, partition, last_offset) VALUES (?, ?, ?)
       ON CONFLICT (grp, partition) DO UPDATE SET last_offset = excluded.last_offset`,
    );
    this.readSuperseded = this.db.prepare<[], { by_generation: string }>('SELECT by_generation FROM superseded LIMIT 1');
    this.writeSuperseded = this.db.prepare('INSERT INTO superseded (by_generation, at) VALUES (?, ?)');
  }

  /** Applies one event of a batch, inside the batch's transaction. */
  protected abstract applyEvent(event: StoredEvent): void;

  async positions(): Promise<Positions> {
    return Object.fromEntries(this.readPositions.all(this.name).map((row) => [row.partition, row.last_offset]));
  }

  async apply(batch: StoredEvent[]): Promise<void> {
    this.db
      .transaction(() => {
        const superseded = this.readSuperseded.get();
        if (superseded) throw new ProjectionSupersededError(this.name, superseded.by_generation);
        for (const event of batch) this.applyEvent(event);
        for (const [partition, offset] of Object.entries(advance({}, batch))) {
          this.writePosition.run(this.name, partition, offset);
        }
      })
      .immediate();
  }

  /**
   * The cut-over of a rebuild, on the file it replaces: holds the write lock
   * while `catchUp` runs (appliers in other processes wait; those of this
   * process share the connection, so the caller keeps them away), then marks
   * the file superseded by `generation` and runs `switchOver` (which points
   * readers at the new file) in the same transaction. Nothing of it stays when
   * either throws.
   */
  async supersede(generation: string, catchUp: () => Promise<void>, switchOver: () => void): Promise<void> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      await catchUp();
      this.writeSuperseded.run(generation, new Date().toISOString());
      switchOver();
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * The projections that keep a folded asset record per asset: the asset fold,
 * applied only to events newer than the stored version.
 */
export abstract class SqliteAssetProjection extends SqliteProjection {
  protected abstract load(assetId: string): AssetRecord | undefined;
  /** Stores the record folded from `event` (projections that keep more than the record read the event too). */
  protected abstract save(record: AssetRecord, event: StoredEvent): void;

  protected applyEvent(event: StoredEvent): void {
    const current = this.load(event.assetId);
    if (!current || event.assetVersion > current.version) {
      const record = foldAsset(current, event);
      if (record) this.save(record, event);
    }
  }
}
