import type { StoredEvent } from '../../schemas/envelope';
import type { AssetRecord } from '../assetRecord';
import { searchDocument, type SearchHit } from '../search/searchIndex';
import { SqliteAssetProjection } from '../sqliteProjection';
import { VECTOR_INDEX } from '../registry';
import { MemoryVectors } from './memoryVectors';
import type { EmbeddingModel, SearchFilter, VectorIndex, VectorQuery, VectorResult } from './vectorIndex';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS vector_assets (
  asset_id TEXT PRIMARY KEY,
  version  INTEGER NOT NULL,
  live     INTEGER NOT NULL,
  record   TEXT NOT NULL,
  hit      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS vectors (
  model      TEXT NOT NULL,
  revision   TEXT NOT NULL,
  asset_id   TEXT NOT NULL,
  dimensions INTEGER NOT NULL,
  vector     BLOB NOT NULL,
  PRIMARY KEY (model, revision, asset_id)
);
CREATE INDEX IF NOT EXISTS vectors_by_asset ON vectors (asset_id);`;

type Hit = Omit<SearchHit, 'score'>;

/** What a hit shows, as the keyword index shows it (title '' when there is none; no null fields). */
function hitOf(record: AssetRecord): Hit {
  const doc = searchDocument(record);
  const hit = {
    assetId: doc.assetId,
    originalName: doc.name,
    title: doc.title,
    mediaType: doc.mediaType,
    size: doc.size,
    date: doc.date,
    make: doc.make,
    model: doc.model,
  };
  return Object.fromEntries(Object.entries(hit).filter(([, v]) => v !== undefined)) as Hit;
}

/** The filters of SearchQuery, with the keyword index's meaning (inclusive dates, any-case camera names). */
function passes(hit: Hit, filter: SearchFilter): boolean {
  const same = (a: string | undefined, b: string | undefined) => b === undefined || a?.toLowerCase() === b.toLowerCase();
  return (
    (filter.type === undefined || hit.mediaType === filter.type) &&
    (filter.minSize === undefined || hit.size >= filter.minSize) &&
    (filter.maxSize === undefined || hit.size <= filter.maxSize) &&
    (filter.from === undefined || hit.date >= filter.from) &&
    // Every time on the 'to' day sorts before the day followed by '~'.
    (filter.to === undefined || hit.date <= `${filter.to}~`) &&
    same(hit.make, filter.make) &&
    same(hit.model, filter.model)
  );
}

const spaceKey = (model: EmbeddingModel) => `${model.id}\n${model.revision}`;

/** Float32 bytes; copied, as SQLite's blobs need not be 4-byte aligned. */
const toBlob = (vector: number[]) => Buffer.from(Float32Array.from(vector).buffer);
const fromBlob = (blob: Buffer) => new Float32Array(new Uint8Array(blob).buffer);

/**
 * The embedded vector index: vectors in SQLite (state and checkpoint in one
 * transaction), searched exactly by a scan over an in-memory copy of each
 * space (projections/vectors/memoryVectors.ts). The copy is loaded on a
 * space's first search, kept up to date by this projection's own applies, and
 * reloaded when another connection (another process) changed the file.
 */
export class SqliteVectorIndex extends SqliteAssetProjection implements VectorIndex {
  protected override readonly reads = new Set(VECTOR_INDEX.events);
  private readonly statements;
  private readonly spaces = new Map<string, MemoryVectors<Hit>>();
  private readonly touched = new Set<string>();
  private dataVersion: number;

  constructor(path: string) {
    super('projection:vectors', path, SCHEMA);
    this.statements = {
      get: this.db.prepare<[string], { record: string }>('SELECT record FROM vector_assets WHERE asset_id = ?'),
      put: this.db.prepare(
        `INSERT INTO vector_assets (asset_id, version, live, record, hit) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (asset_id) DO UPDATE SET version = excluded.version, live = excluded.live,
           record = excluded.record, hit = excluded.hit`,
      ),
      putVector: this.db.prepare(
        `INSERT INTO vectors (model, revision, asset_id, dimensions, vector) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (model, revision, asset_id) DO UPDATE SET dimensions = excluded.dimensions, vector = excluded.vector`,
      ),
      deleteVectors: this.db.prepare('DELETE FROM vectors WHERE asset_id = ?'),
      space: this.db.prepare<[string, string], { asset_id: string; dimensions: number; vector: Buffer; hit: string }>(
        `SELECT v.asset_id, v.dimensions, v.vector, a.hit FROM vectors v JOIN vector_assets a USING (asset_id)
         WHERE v.model = ? AND v.revision = ? AND a.live = 1`,
      ),
      ofAsset: this.db.prepare<[string], { model: string; revision: string; vector: Buffer; hit: string }>(
        `SELECT v.model, v.revision, v.vector, a.hit FROM vectors v JOIN vector_assets a USING (asset_id)
         WHERE v.asset_id = ? AND a.live = 1`,
      ),
      vector: this.db.prepare<[string, string, string], { vector: Buffer }>(
        `SELECT v.vector FROM vectors v JOIN vector_assets a USING (asset_id)
         WHERE v.model = ? AND v.revision = ? AND v.asset_id = ? AND a.live = 1`,
      ),
      models: this.db.prepare<[], EmbeddingModel & { dimensions: number; count: number }>(
        `SELECT v.model AS id, v.revision, v.dimensions, count(*) AS count FROM vectors v JOIN vector_assets a USING (asset_id)
         WHERE a.live = 1 GROUP BY v.model, v.revision, v.dimensions ORDER BY v.model, v.revision`,
      ),
    };
    this.dataVersion = this.readDataVersion();
  }

  protected load(assetId: string): AssetRecord | undefined {
    const row = this.statements.get.get(assetId);
    return row ? JSON.parse(row.record) : undefined;
  }

  protected save(record: AssetRecord, event: StoredEvent): void {
    const live = record.status !== 'deleted';
    this.statements.put.run(record.assetId, record.version, live ? 1 : 0, JSON.stringify(record), JSON.stringify(hitOf(record)));
    // A deleted asset keeps no vectors; one ingested again starts without any.
    if (!live || event.type === 'AssetIngested') this.statements.deleteVectors.run(record.assetId);
    else if (event.type === 'EmbeddingComputed') {
      const { model, revision, dimensions, vector } = event.payload;
      this.statements.putVector.run(model, revision, record.assetId, dimensions, toBlob(vector));
    }
    this.touched.add(record.assetId);
  }

  override async apply(batch: StoredEvent[]): Promise<void> {
    this.touched.clear();
    try {
      await super.apply(batch);
    } catch (error) {
      this.spaces.clear(); // rolled back: the copies may hold what was not committed
      throw error;
    }
    for (const assetId of this.touched) this.refresh(assetId);
  }

  /** Brings the loaded spaces up to date with one asset's committed rows. */
  private refresh(assetId: string): void {
    if (!this.spaces.size) return;
    for (const space of this.spaces.values()) space.delete(assetId);
    for (const row of this.statements.ofAsset.all(assetId)) {
      this.spaces.get(spaceKey({ id: row.model, revision: row.revision }))?.set(assetId, fromBlob(row.vector), JSON.parse(row.hit));
    }
  }

  private space(model: EmbeddingModel): MemoryVectors<Hit> | undefined {
    const version = this.readDataVersion();
    if (version !== this.dataVersion) {
      this.spaces.clear();
      this.dataVersion = version;
    }
    const key = spaceKey(model);
    let space = this.spaces.get(key);
    if (space) return space;
    for (const row of this.statements.space.iterate(model.id, model.revision)) {
      space ??= new MemoryVectors<Hit>(row.dimensions);
      space.set(row.asset_id, fromBlob(row.vector), JSON.parse(row.hit));
    }
    if (space) this.spaces.set(key, space);
    return space;
  }

  async knn(query: VectorQuery): Promise<VectorResult> {
    const space = this.space(query.model);
    if (!space) return { total: 0, hits: [] };
    const filter = query.filter ?? {};
    const { total, neighbours } = space.nearest(query.vector, query.k, (id, hit) => id !== query.exclude && passes(hit, filter));
    return { total, hits: neighbours.map(({ value, score }) => ({ ...value, score })) };
  }

  async vectorOf(assetId: string, model: EmbeddingModel): Promise<Float32Array | undefined> {
    const row = this.statements.vector.get(model.id, model.revision, assetId);
    return row && fromBlob(row.vector);
  }

  async models(): Promise<(EmbeddingModel & { dimensions: number; count: number })[]> {
    return this.statements.models.all();
  }
}
