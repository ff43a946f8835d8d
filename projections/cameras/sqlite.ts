import type { StoredEvent } from '../../schemas/envelope';
import { SqliteProjection } from '../sqliteProjection';
import { CAMERA_INVENTORY, foldCamera, type CameraCount, type CameraEntry, type CameraFilter, type CameraInventory } from './cameraInventory';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS camera_assets (
  asset_id TEXT PRIMARY KEY,
  version  INTEGER NOT NULL,
  live     INTEGER NOT NULL,
  make     TEXT,
  model    TEXT,
  year     TEXT
);`;

/** The counts' index: the fold reads by asset id only. */
const QUERY_INDEXES = `
CREATE INDEX IF NOT EXISTS camera_assets_by_camera ON camera_assets (make, model, year) WHERE live = 1;`;

interface Row {
  version: number;
  live: number;
  make: string | null;
  model: string | null;
  year: string | null;
}

/** The camera inventory in SQLite: one row per asset, counted with GROUP BY. */
export class SqliteCameraInventory extends SqliteProjection implements CameraInventory {
  private readonly statements;
  protected override readonly reads = new Set(CAMERA_INVENTORY.events);

  constructor(path: string) {
    super(`projection:${CAMERA_INVENTORY.name}`, path, SCHEMA, QUERY_INDEXES);
    this.statements = {
      get: this.db.prepare<[string], Row>('SELECT version, live, make, model, year FROM camera_assets WHERE asset_id = ?'),
      put: this.db.prepare(
        `INSERT INTO camera_assets (asset_id, version, live, make, model, year) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (asset_id) DO UPDATE SET version = excluded.version, live = excluded.live,
           make = excluded.make, model = excluded.model, year = excluded.year`,
      ),
    };
  }

  protected applyBatch(batch: StoredEvent[]): void {
    for (const event of batch) this.applyEvent(event);
  }

  private applyEvent(event: StoredEvent): void {
    const row = this.statements.get.get(event.assetId);
    if (row && event.assetVersion <= row.version) return; // applied already (law 4)
    const entry: CameraEntry | undefined = row && {
      version: row.version,
      live: row.live === 1,
      ...(row.make !== null && { make: row.make }),
      ...(row.model !== null && { model: row.model }),
      ...(row.year !== null && { year: row.year }),
    };
    const next = foldCamera(entry, event);
    if (next) {
      this.statements.put.run(event.assetId, next.version, next.live ? 1 : 0, next.make ?? null, next.model ?? null, next.year ?? null);
    }
  }

  async counts(filter: CameraFilter = {}): Promise<CameraCount[]> {
    const where = ['live = 1', '(make IS NOT NULL OR model IS NOT NULL)'];
    const params: string[] = [];
    for (const column of ['make', 'model', 'year'] as const) {
      const value = filter[column];
      if (value === undefined) continue;
      where.push(`lower(${column}) = lower(?)`);
      params.push(value);
    }
    return this.db
      .prepare<string[], CameraCount>(
        `SELECT make, model, year, count(*) AS assets FROM camera_assets WHERE ${where.join(' AND ')}
         GROUP BY make, model, year ORDER BY make, model, year`,
      )
      .all(...params);
  }
}
