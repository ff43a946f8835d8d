import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../../log/sqliteDatabase';
import type { StoredEvent } from '../../schemas/envelope';
import { advance, type Positions } from '../../log/eventLog';
import type { ProjectionStore } from '../../projections/projection';

/**
 * The smallest real projection: per event id, how many times it took effect.
 * Like every projection it applies an event only when it is newer than the
 * asset's version it holds, and stores its checkpoint in the same
 * transaction as its state, so "every count is 1" means nothing was lost,
 * nothing took effect twice, and no asset's events came out of order.
 */
export class CountingProjection implements ProjectionStore {
  readonly name = 'projection:counting';
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqliteDatabase(path, 'wal');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS versions (asset_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS effects (event_id TEXT PRIMARY KEY, times INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS checkpoints (partition TEXT PRIMARY KEY, last_offset TEXT NOT NULL);`);
  }

  async positions(): Promise<Positions> {
    const rows = this.db.prepare('SELECT partition, last_offset FROM checkpoints').all() as { partition: string; last_offset: string }[];
    return Object.fromEntries(rows.map((row) => [row.partition, row.last_offset]));
  }

  async apply(batch: StoredEvent[]): Promise<void> {
    this.db.transaction(() => {
      for (const event of batch) {
        const held = this.db.prepare('SELECT version FROM versions WHERE asset_id = ?').get(event.assetId) as { version: number } | undefined;
        if (held && event.assetVersion <= held.version) continue;
        this.db.prepare('INSERT INTO versions VALUES (?, ?) ON CONFLICT DO UPDATE SET version = excluded.version').run(event.assetId, event.assetVersion);
        this.db.prepare('INSERT INTO effects VALUES (?, 1) ON CONFLICT DO UPDATE SET times = times + 1').run(event.id);
      }
      for (const [partition, offset] of Object.entries(advance({}, batch))) {
        this.db.prepare('INSERT INTO checkpoints VALUES (?, ?) ON CONFLICT DO UPDATE SET last_offset = excluded.last_offset').run(partition, offset);
      }
    })();
  }

  /** Event id → how many times it took effect. */
  effects(): Map<string, number> {
    const rows = this.db.prepare('SELECT event_id, times FROM effects').all() as { event_id: string; times: number }[];
    return new Map(rows.map((row) => [row.event_id, row.times]));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
