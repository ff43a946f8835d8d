import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../log/sqliteDatabase';
import { WalCheckpoints } from '../log/walCheckpoints';
import type { StoredEvent } from '../schemas/envelope';
import type { EventType } from '../schemas/events';
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
 * The page cache of a live projection (better-sqlite3's default, set here so
 * that a rebuilt file goes live with it too), and the one a rebuild's file
 * gets while it is filled. A live batch writes at random places of the file
 * (rows by asset id): in a file of a million assets each asset dirties a page
 * or two of its own, and SQLite's own default, 2 MB, holds neither a batch's
 * dirty pages nor the B-trees' inner pages, so SQLite spills dirty pages into
 * the WAL in the middle of the transaction (docs/benchmarks.md, duplicate
 * groups). The cache fills only as the file is read.
 */
const LIVE_CACHE_KIB = 16_000;
const BUILD_CACHE_KIB = 64 * 1024;
/** How long positions past batches a projection does not fold may wait unwritten (another process sees its lag that much late). */
const POSITIONS_DUE_MS = 1000;

/**
 * What the SQLite projections share: a database file of their own, and a
 * checkpoint table written in the same transaction as the state (law 4).
 * Each batch is one IMMEDIATE transaction that first checks whether a rebuild
 * has replaced this file (projections/lifecycle/sqliteGenerations.ts): under
 * the write lock, so nothing is ever applied to a replaced file.
 */
export abstract class SqliteProjection implements ProjectionStore {
  protected readonly db: Database.Database;
  private readonly checkpoints: WalCheckpoints;
  private readonly readPositions;
  private readonly writePosition;
  private readonly readSuperseded;
  private readonly writeSuperseded;
  private readonly statementsBySql = new Map<string, Database.Statement>();

  constructor(
    readonly name: string,
    path: string,
    schema: string,
    /**
     * The schema's indexes that only queries read, never a fold (`CREATE
     * INDEX IF NOT EXISTS name …` statements), made with it. A file a rebuild
     * fills gets them once it is filled: one sorted build each, where keeping
     * them row by row costs several times more (bench/replay.ts).
     */
    protected readonly queryIndexes = '',
  ) {
    this.db = openSqliteDatabase(path, 'wal');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`cache_size = ${-LIVE_CACHE_KIB}`);
    this.checkpoints = new WalCheckpoints(this.db, path);
    this.db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (grp TEXT NOT NULL, partition TEXT NOT NULL,
      last_offset TEXT NOT NULL, PRIMARY KEY (grp, partition));
      CREATE TABLE IF NOT EXISTS superseded (by_generation TEXT NOT NULL, at TEXT NOT NULL);`);
    this.db.exec(schema + queryIndexes);
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

  /**
   * `sql` prepared once for this connection: for SQL built per query (from a
   * few shapes, its values bound as parameters, so the statements stay few),
   * or run too seldom to hold in a field of its own.
   */
  protected statement<Parameters extends unknown[] = unknown[], Row = unknown>(sql: string): Database.Statement<Parameters, Row> {
    let statement = this.statementsBySql.get(sql);
    if (!statement) this.statementsBySql.set(sql, (statement = this.db.prepare(sql)));
    return statement as unknown as Database.Statement<Parameters, Row>;
  }

  /**
   * The event types that change what this projection keeps (its definition's
   * `events`), when not all: the others only move its checkpoint, so a
   * projection that shows no renditions never folds them. A record it stores
   * then lacks what it skips, and nothing reads that.
   */
  protected readonly reads?: ReadonlySet<EventType>;

  /** Applies a batch's events (those it reads), inside its transaction. */
  protected abstract applyBatch(batch: StoredEvent[]): void;

  /** Changes when another connection (another process) commits to this file; this connection's own commits leave it. */
  protected readDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /**
   * Positions past batches that held nothing this projection reads, not yet
   * written: most batches are such for a projection that reads few event
   * types (principals, collections, pipelines), and a transaction each would
   * cost the lake a commit per batch per projection for nothing. They are
   * written with the next batch it folds, or by a timer once they are
   * POSITIONS_DUE_MS old (other processes folding into this file read them
   * there), or at close; a crash before that re-reads events it skips anyway.
   */
  private unwritten: Positions = {};
  private due: NodeJS.Timeout | undefined;

  async positions(): Promise<Positions> {
    const written = Object.fromEntries(this.readPositions.all(this.name).map((row) => [row.partition, row.last_offset]));
    return { ...written, ...this.unwritten };
  }

  async apply(batch: StoredEvent[]): Promise<void> {
    const { reads } = this;
    const folded = reads ? batch.filter((event) => reads.has(event.type)) : batch;
    const drained = folded.length ? this.checkpoints.drained() : undefined;
    if (drained) await drained; // else no wait: the batch commits within this call
    const reached = advance(this.unwritten, batch);
    if (folded.length) return this.commit(folded, reached);
    this.unwritten = reached;
    this.writeLater();
  }

  private writeLater(): void {
    this.due ??= setTimeout(() => this.writeDue(), POSITIONS_DUE_MS).unref();
  }

  /** One transaction: refuses a replaced file, folds, and writes every position reached. */
  private commit(folded: StoredEvent[], reached: Positions): void {
    this.db
      .transaction(() => {
        const superseded = this.readSuperseded.get();
        if (superseded) throw new ProjectionSupersededError(this.name, superseded.by_generation);
        if (folded.length) this.applyBatch(folded);
        for (const [partition, offset] of Object.entries(reached)) this.writePosition.run(this.name, partition, offset);
      })
      .immediate();
    this.checkpoints.committed();
    this.unwritten = {};
    clearTimeout(this.due);
    this.due = undefined;
  }

  /**
   * The timer's write of unwritten positions. Not inside a cut-over's
   * transaction (it tries again later), nor on a replaced file (the next
   * batch moves to the live one, which has its own positions).
   */
  private writeDue(): void {
    this.due = undefined;
    if (!this.db.open || !Object.keys(this.unwritten).length) return;
    if (this.db.inTransaction) return this.writeLater();
    try {
      this.commit([], this.unwritten);
    } catch (error) {
      if (isProjectionSuperseded(error)) this.unwritten = {};
      else this.writeLater(); // busy past busy_timeout: the next try or batch writes them
    }
  }

  /**
   * While a rebuild fills this file nothing reads it and a crash discards it:
   * no syncing and a larger page cache then; the usual settings before it goes live.
   */
  building(on: boolean): void {
    this.db.pragma(`synchronous = ${on ? 'OFF' : 'NORMAL'}`);
    this.db.pragma(`cache_size = ${on ? -BUILD_CACHE_KIB : -LIVE_CACHE_KIB}`);
    this.checkpoints.useThread(!on);
    if (on) for (const [, index] of this.queryIndexes.matchAll(/CREATE INDEX IF NOT EXISTS (\w+)/g)) this.db.exec(`DROP INDEX IF EXISTS ${index}`);
  }

  /** A rebuild has filled this file from the log (its catch-up is still to come): the query indexes are built now. */
  filled(): void {
    this.db.exec(this.queryIndexes);
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
      this.checkpoints.committed();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    clearTimeout(this.due);
    if (Object.keys(this.unwritten).length && !this.readSuperseded.get()) this.commit([], this.unwritten);
    this.checkpoints.close();
    this.db.close();
  }
}

/**
 * The projections that keep a folded asset record per asset: the asset fold,
 * applied only to events newer than the stored version. A record is read once
 * per batch; a projection that stores only the record (not what each event
 * says) saves each asset once per batch, its last record: the same state, with
 * far fewer writes when a batch holds many events of an asset (a replay).
 */
export abstract class SqliteAssetProjection extends SqliteProjection {
  /** Whether save() must see every event, or only each asset's last record of a batch. */
  protected readonly savesEveryEvent: boolean = true;
  protected abstract load(assetId: string): AssetRecord | undefined;
  /** Stores the record folded from `event` (projections that keep more than the record read the event too). */
  protected abstract save(record: AssetRecord, event: StoredEvent): void;
  /** What an event changes beside the record, where the record is saved once per batch: called for each event folded, in order. */
  protected applyBesideRecord(_record: AssetRecord, _event: StoredEvent): void {}
  /** The fold: the asset fold, unless the projection keeps more of an asset than its record. */
  protected fold(record: AssetRecord | undefined, event: StoredEvent): AssetRecord | undefined {
    return foldAsset(record, event);
  }

  protected applyBatch(batch: StoredEvent[]): void {
    const folded = new Map<string, { record: AssetRecord; event: StoredEvent }>();
    for (const event of batch) {
      const current = folded.has(event.assetId) ? folded.get(event.assetId)!.record : this.load(event.assetId);
      if (current && event.assetVersion <= current.version) continue; // applied already (law 4)
      const record = this.fold(current, event);
      if (!record) continue;
      if (this.savesEveryEvent) this.save(record, event);
      else this.applyBesideRecord(record, event);
      folded.set(event.assetId, { record, event });
    }
    if (!this.savesEveryEvent) for (const { record, event } of folded.values()) this.save(record, event);
  }
}
