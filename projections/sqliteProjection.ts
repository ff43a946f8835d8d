import Database from 'better-sqlite3';
import type { StoredEvent } from '../schemas/envelope';
import { advance, type Positions } from '../log/eventLog';
import { foldAsset, type AssetRecord } from './assetRecord';

/**
 * What the SQLite projections share: a database file of their own, a
 * checkpoint table written in the same transaction as the state, and the
 * asset fold applied only to events newer than the stored version.
 */
export abstract class SqliteAssetProjection {
  protected readonly db: Database.Database;
  private readonly readPositions;
  private readonly writePosition;

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
      last_offset TEXT NOT NULL, PRIMARY KEY (grp, partition));`);
    this.db.exec(schema);
    this.readPositions = this.db.prepare<[string], { partition: string; last_offset: string }>(
      'SELECT partition, last_offset FROM checkpoints WHERE grp = ?',
    );
    this.writePosition = this.db.prepare(
      `INSERT INTO checkpoints (grp, partition, last_offset) VALUES (?, ?, ?)
       ON CONFLICT (grp, partition) DO UPDATE SET last_offset = excluded.last_offset`,
    );
  }

  protected abstract load(assetId: string): AssetRecord | undefined;
  protected abstract save(record: AssetRecord): void;

  async positions(): Promise<Positions> {
    return Object.fromEntries(this.readPositions.all(this.name).map((row) => [row.partition, row.last_offset]));
  }

  async apply(batch: StoredEvent[]): Promise<void> {
    this.db.transaction(() => {
      for (const event of batch) {
        const current = this.load(event.assetId);
        if (!current || event.assetVersion > current.version) {
          const record = foldAsset(current, event);
          if (record) this.save(record);
        }
      }
      for (const [partition, offset] of Object.entries(advance({}, batch))) {
        this.writePosition.run(this.name, partition, offset);
      }
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
