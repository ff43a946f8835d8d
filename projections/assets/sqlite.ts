import type { AssetRecord, AssetStatus } from '../assetRecord';
import { SqliteAssetProjection } from '../sqliteProjection';
import { cursorAfter, type AssetPage, type AssetRecords, type ListOptions, type ListSort } from './assetRecords';

/** The date each listing sorts by, as SQL: listedDate() of assetRecords.ts. An index on each keeps a page one range read. */
const LISTED_DATE: Record<ListSort, string> = {
  ingested: 'ingested_at',
  captured: "coalesce(nullif(json_extract(record, '$.metadata.capturedAt'), ''), nullif(json_extract(record, '$.media.createdAt'), ''), ingested_at)",
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS assets (
  asset_id    TEXT PRIMARY KEY,
  version     INTEGER NOT NULL,
  status      TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  record      TEXT NOT NULL
);
-- The capture listing's index before it took a video's creation time: its expression no longer matches the query's.
DROP INDEX IF EXISTS assets_by_capture;`;

/** The listings' and lookups' indexes: the fold reads by asset id only. */
const QUERY_INDEXES = `
CREATE INDEX IF NOT EXISTS assets_by_ingest ON assets (ingested_at DESC, asset_id DESC);
CREATE INDEX IF NOT EXISTS assets_by_captured ON assets (${LISTED_DATE.captured} DESC, asset_id DESC);
CREATE INDEX IF NOT EXISTS assets_by_sha256 ON assets (sha256);
CREATE INDEX IF NOT EXISTS assets_by_s3_object ON assets
  (json_extract(record, '$.origin.bucket'), json_extract(record, '$.origin.key'));`;

/** Asset records in SQLite: one row per asset, the record as JSON beside the columns we look up by. */
/**
 * The rows after a cursor (date, asset id) in the listing's order. Spelt out
 * rather than as a row value, `(date, asset_id) > (?, ?)`: SQLite seeks an
 * index on a column with a row value, but not one on an expression (the
 * capture date), and scanned the whole index on every page of that listing.
 */
const afterCursor = (date: string, beyond: '>' | '<') =>
  `AND ${date} ${beyond}= ? AND (${date} ${beyond} ? OR (${date} = ? AND asset_id ${beyond} ?))`;

export class SqliteAssetRecords extends SqliteAssetProjection implements AssetRecords {
  protected override readonly savesEveryEvent = false;
  private readonly statements;

  constructor(path: string) {
    super('projection:assets', path, SCHEMA, QUERY_INDEXES);
    this.statements = {
      get: this.db.prepare<[string], { record: string }>('SELECT record FROM assets WHERE asset_id = ?'),
      put: this.db.prepare(
        `INSERT INTO assets (asset_id, version, status, sha256, ingested_at, record) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (asset_id) DO UPDATE SET version = excluded.version, status = excluded.status,
           sha256 = excluded.sha256, ingested_at = excluded.ingested_at, record = excluded.record`,
      ),
      counts: this.db.prepare<[], { status: AssetStatus; n: number }>(
        'SELECT status, count(*) AS n FROM assets GROUP BY status',
      ),
      bySha256: this.db.prepare<[string], { record: string }>(
        "SELECT record FROM assets WHERE sha256 = ? AND status <> 'deleted' ORDER BY asset_id",
      ),
      byS3Object: this.db.prepare<[string, string], { record: string }>(
        `SELECT record FROM assets WHERE json_extract(record, '$.origin.bucket') = ? AND json_extract(record, '$.origin.key') = ?
         AND json_extract(record, '$.origin.kind') = 's3' AND status <> 'deleted' ORDER BY asset_id`,
      ),
    };
  }

  protected load(assetId: string): AssetRecord | undefined {
    const row = this.statements.get.get(assetId);
    return row ? JSON.parse(row.record) : undefined;
  }

  protected save(record: AssetRecord): void {
    this.statements.put.run(
      record.assetId,
      record.version,
      record.status,
      record.sha256,
      record.ingestedAt,
      JSON.stringify(record),
    );
  }

  async get(assetId: string): Promise<AssetRecord | undefined> {
    return this.load(assetId);
  }

  async list({ limit, after, includeDeleted, within, sort = 'ingested', order = 'desc' }: ListOptions): Promise<AssetPage> {
    const [afterDate, afterId] = after ? Buffer.from(after, 'base64url').toString().split('\n') : [];
    const date = LISTED_DATE[sort];
    const direction = order === 'asc' ? 'ASC' : 'DESC';
    const rows = this.db
      .prepare<unknown[], { record: string }>(
        `SELECT record FROM assets WHERE 1 = 1
         ${includeDeleted ? '' : "AND status <> 'deleted'"}
         ${after ? afterCursor(date, order === 'asc' ? '>' : '<') : ''}
         ${within ? "AND EXISTS (SELECT 1 FROM json_each(record, '$.collections') m JOIN json_each(?) v ON v.value = m.value)" : ''}
         ORDER BY ${date} ${direction}, asset_id ${direction} LIMIT ?`,
      )
      .all(...(after ? [afterDate, afterDate, afterDate, afterId] : []), ...(within ? [JSON.stringify(within)] : []), limit + 1);
    const assets = rows.slice(0, limit).map((row) => JSON.parse(row.record) as AssetRecord);
    return { assets, next: cursorAfter(assets.at(-1), rows.length > limit, sort) };
  }

  async countByStatus(): Promise<Partial<Record<AssetStatus, number>>> {
    return Object.fromEntries(this.statements.counts.all().map((row) => [row.status, row.n]));
  }

  async findBySha256(sha256: string): Promise<AssetRecord[]> {
    return this.statements.bySha256.all(sha256).map((row) => JSON.parse(row.record));
  }

  async findByS3Object(bucket: string, key: string): Promise<AssetRecord[]> {
    return this.statements.byS3Object.all(bucket, key).map((row) => JSON.parse(row.record));
  }
}
