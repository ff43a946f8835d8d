import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../schemas/envelope';
import type { AssetRecord } from '../assetRecord';
import { filterKey, searchDocument, searchHit, type SearchHit } from '../search/searchIndex';
import { SqliteAssetProjection } from '../sqliteProjection';
import { VECTOR_INDEX } from '../registry';
import { graphsFolder, readGraph, removeGraphs, removeOrphanGraphs, writeGraph } from './graphFiles';
import type { EmbeddingModel, SearchFilter, VectorIndex, VectorQuery, VectorResult } from './vectorIndex';
import { DEFAULT_APPROXIMATE, VectorSpace, type ApproximateSettings } from './vectorSpace';

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
CREATE INDEX IF NOT EXISTS vectors_by_asset ON vectors (asset_id);
CREATE TABLE IF NOT EXISTS vector_changes (
  asset_id TEXT PRIMARY KEY,
  seq      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS vector_changes_by_seq ON vector_changes (seq);
CREATE TABLE IF NOT EXISTS vector_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO vector_meta (key, value) VALUES ('file_id', lower(hex(randomblob(8))));`;

/** What a hit shows, and the collections its asset is in (for the filter; never shown). */
type Hit = Omit<SearchHit, 'score'> & { collections?: string[] };

/** What a hit shows, as the keyword index shows it (title '' when there is none; no null fields). */
function hitOf(record: AssetRecord): Hit {
  const doc = searchDocument(record);
  const { score: _score, ...hit } = searchHit(doc, 0);
  return doc.collections.length ? { ...hit, collections: doc.collections } : hit;
}

/**
 * The filters of SearchQuery, with the keyword index's meaning (inclusive
 * dates; make, model and codec compared by their filterKey), as one test of
 * the conditions that are set; undefined when none is. It runs once per row
 * on filtered searches of large spaces (to count them), so it checks only
 * what the filter names, and folds each distinct camera name or codec once.
 */
function matcher(filter: SearchFilter): ((hit: Hit) => boolean) | undefined {
  const { type, minSize, maxSize, from, to, minDuration, maxDuration, resolution } = filter;
  const folded = memoized(filterKey);
  const sameKey = (wanted: string | undefined) => wanted === undefined ? undefined : ((value: string | undefined) => value !== undefined && folded(value) === folded(wanted));
  const [make, model, codec] = [sameKey(filter.make), sameKey(filter.model), sameKey(filter.codec)];
  const { collection } = filter;
  const within = filter.within && new Set(filter.within);
  const tests: ((hit: Hit) => boolean)[] = [
    ...(type === undefined ? [] : [(hit: Hit) => hit.mediaType === type]),
    ...(minSize === undefined ? [] : [(hit: Hit) => hit.size >= minSize]),
    ...(maxSize === undefined ? [] : [(hit: Hit) => hit.size <= maxSize]),
    ...(from === undefined ? [] : [(hit: Hit) => hit.date >= from]),
    // Every time on the 'to' day sorts before the day followed by '~'.
    ...(to === undefined ? [] : [(hit: Hit) => hit.date <= `${to}~`]),
    ...(make === undefined ? [] : [(hit: Hit) => make(hit.make)]),
    ...(model === undefined ? [] : [(hit: Hit) => model(hit.model)]),
    // A hit without a duration (a still image) is in no duration range.
    ...(minDuration === undefined ? [] : [(hit: Hit) => hit.duration !== undefined && hit.duration >= minDuration]),
    ...(maxDuration === undefined ? [] : [(hit: Hit) => hit.duration !== undefined && hit.duration <= maxDuration]),
    ...(resolution === undefined ? [] : [(hit: Hit) => hit.resolution === resolution]),
    ...(codec === undefined ? [] : [(hit: Hit) => codec(hit.videoCodec) || codec(hit.audioCodec)]),
    ...(collection === undefined ? [] : [(hit: Hit) => hit.collections?.includes(collection) ?? false]),
    ...(within === undefined ? [] : [(hit: Hit) => hit.collections?.some((id) => within.has(id)) ?? false]),
  ];
  if (tests.length === 0) return undefined;
  return tests.length === 1 ? tests[0] : (hit) => tests.every((test) => test(hit));
}

/** `f` remembering its answers: a library has few distinct makes, models and codecs. */
function memoized(f: (value: string) => string): (value: string) => string {
  const answers = new Map<string, string>();
  return (value) => {
    let answer = answers.get(value);
    if (answer === undefined) answers.set(value, (answer = f(value)));
    return answer;
  };
}

const spaceKey = (model: EmbeddingModel) => `${model.id}\n${model.revision}`;

/** A space's name in file names: model ids hold '/' and other characters that file names cannot. */
const spaceFileName = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** Float32 bytes; copied, as SQLite's blobs need not be 4-byte aligned. */
const toBlob = (vector: number[]) => Buffer.from(Float32Array.from(vector).buffer);
const fromBlob = (blob: Buffer) => new Float32Array(new Uint8Array(blob).buffer);

/** How often the applying process writes a graph that has changed: each write is the whole graph (2 GB at 1,000,000 × 512). */
const SAVE_INTERVAL_MS = 10 * 60_000;

/**
 * The embedded vector index: vectors in SQLite (state and checkpoint in one
 * transaction), searched in an in-memory copy of each space
 * (projections/vectors/vectorSpace.ts): exactly by a scan while a space is
 * small, through an HNSW graph past `approximate.from` vectors.
 *
 * Each save numbers the asset's change (vector_changes.seq, one number per
 * transaction's asset, growing): the copies and graphs know the last change
 * they have seen and catch up on the ones after it, after this projection's
 * own applies and when another connection (another process) has written to
 * the file. A copy is loaded on a space's first search (every space from the
 * first batch while a rebuild fills the file, so that the new generation goes
 * live with its graphs built); a graph is read from the folder beside the file
 * (graphFiles.ts) when one is there, and written there by the process that
 * applies: every SAVE_INTERVAL_MS while it changes, when a rebuild goes live,
 * and at close.
 */
export class SqliteVectorIndex extends SqliteAssetProjection implements VectorIndex {
  protected override readonly reads = new Set(VECTOR_INDEX.events);
  protected override readonly savesEveryEvent = false;
  private readonly statements;
  private readonly spaces = new Map<string, VectorSpace<Hit>>();
  private readonly loading = new Map<string, Promise<VectorSpace<Hit> | undefined>>();
  private readonly fileId: string;
  private readonly graphs: string | undefined;
  /** The change the loaded spaces have seen. */
  private seen: number;
  /** The number of the next change this process writes (set per transaction). */
  private next = 0;
  private dataVersion: number;
  /** While a rebuild fills the file: every space is kept in memory from the first batch. */
  private eager = false;
  /** Whether this process applies to the file: only that one writes graphs. */
  private applies = false;
  private saving?: Promise<void>;
  private savedAt = Date.now();

  constructor(
    private readonly path: string,
    private readonly approximate: ApproximateSettings = DEFAULT_APPROXIMATE,
  ) {
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
      change: this.db.prepare(
        `INSERT INTO vector_changes (asset_id, seq) VALUES (?, ?) ON CONFLICT (asset_id) DO UPDATE SET seq = excluded.seq`,
      ),
      lastChange: this.db.prepare<[], { seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM vector_changes'),
      changesAfter: this.db.prepare<[number], { asset_id: string; seq: number }>(
        'SELECT asset_id, seq FROM vector_changes WHERE seq > ? ORDER BY seq',
      ),
      space: this.db.prepare<[string, string], { asset_id: string; dimensions: number; vector: Buffer; hit: string }>(
        `SELECT v.asset_id, v.dimensions, v.vector, a.hit FROM vectors v JOIN vector_assets a USING (asset_id)
         WHERE v.model = ? AND v.revision = ? AND a.live = 1`,
      ),
      ofAsset: this.db.prepare<[string], { model: string; revision: string; dimensions: number; vector: Buffer; hit: string }>(
        `SELECT v.model, v.revision, v.dimensions, v.vector, a.hit FROM vectors v JOIN vector_assets a USING (asset_id)
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
      superseded: this.db.prepare<[], { found: number }>('SELECT 1 AS found FROM superseded LIMIT 1'),
    };
    this.fileId = this.db.prepare<[], { value: string }>("SELECT value FROM vector_meta WHERE key = 'file_id'").get()!.value;
    this.graphs = path === ':memory:' || path === '' ? undefined : graphsFolder(path);
    this.seen = this.statements.lastChange.get()!.seq;
    this.dataVersion = this.readDataVersion();
  }

  protected load(assetId: string): AssetRecord | undefined {
    const row = this.statements.get.get(assetId);
    return row ? JSON.parse(row.record) : undefined;
  }

  protected override applyBatch(batch: StoredEvent[]): void {
    this.next = this.statements.lastChange.get()!.seq + 1; // under the write lock: no other writer numbers changes now
    super.applyBatch(batch);
  }

  /** The vectors, event by event: a deleted asset keeps none; one ingested again starts without any. */
  protected override applyBesideRecord(record: AssetRecord, event: StoredEvent): void {
    if (record.status === 'deleted' || event.type === 'AssetIngested') this.statements.deleteVectors.run(record.assetId);
    else if (event.type === 'EmbeddingComputed') {
      const { model, revision, dimensions, vector } = event.payload;
      this.statements.putVector.run(model, revision, record.assetId, dimensions, toBlob(vector));
    }
  }

  /** The record once per batch, and a change that tells the loaded spaces to read the asset again. */
  protected save(record: AssetRecord): void {
    const live = record.status !== 'deleted';
    this.statements.put.run(record.assetId, record.version, live ? 1 : 0, JSON.stringify(record), JSON.stringify(hitOf(record)));
    this.statements.change.run(record.assetId, this.next++);
  }

  override async apply(batch: StoredEvent[]): Promise<void> {
    this.applies = true;
    await super.apply(batch); // rolled back on a throw: the copies, which hold only committed rows, are as they were
    this.catchUp();
    // Not while a rebuild fills the file: it may yet be discarded, and it is written when it goes live.
    if (!this.eager && Date.now() - this.savedAt >= SAVE_INTERVAL_MS) void this.saveGraphs();
  }

  override building(on: boolean): void {
    super.building(on);
    this.eager = on;
    // Called inside the cut-over's transaction: written once it has committed and the new generation is live.
    if (!on) setImmediate(() => void this.saveGraphs());
  }

  /** Brings the loaded spaces up to the file's last change: each asset changed since is read again. */
  private catchUp(): void {
    if (!this.spaces.size && !this.eager) {
      this.seen = this.statements.lastChange.get()!.seq;
      return;
    }
    for (const { asset_id, seq } of this.statements.changesAfter.iterate(this.seen)) {
      this.refresh(asset_id);
      this.seen = seq;
    }
    for (const space of this.spaces.values()) void space.indexed(this.eager);
  }

  /** One asset's committed rows into every loaded space (and a space of its own for a new model, while eager). */
  private refresh(assetId: string): void {
    const rows = new Map(this.statements.ofAsset.all(assetId).map((row) => [spaceKey({ id: row.model, revision: row.revision }), row]));
    for (const [key, row] of rows) {
      if (this.eager && !this.spaces.has(key)) this.spaces.set(key, new VectorSpace<Hit>(row.dimensions, this.approximate));
    }
    for (const [key, space] of this.spaces) {
      const row = rows.get(key);
      if (row) space.set(assetId, fromBlob(row.vector), JSON.parse(row.hit));
      else space.delete(assetId);
    }
  }

  private async space(model: EmbeddingModel): Promise<VectorSpace<Hit> | undefined> {
    const version = this.readDataVersion();
    if (version !== this.dataVersion) {
      this.dataVersion = version;
      this.catchUp();
    }
    const key = spaceKey(model);
    const space = this.spaces.get(key);
    if (space) return space;
    let loading = this.loading.get(key);
    if (!loading) {
      loading = this.loadSpace(key, model).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  /** A space's copy from its rows, with its graph when one was written (read first: it has seen no later change than the rows). */
  private async loadSpace(key: string, model: EmbeddingModel): Promise<VectorSpace<Hit> | undefined> {
    const saved = this.graphs && (await readGraph(this.graphs, spaceFileName(key), this.fileId, this.approximate));
    return this.db.transaction(() => {
      this.catchUp(); // the spaces already loaded reach the same change as this one's rows
      let space: VectorSpace<Hit> | undefined;
      for (const row of this.statements.space.iterate(model.id, model.revision)) {
        space ??= new VectorSpace<Hit>(row.dimensions, this.approximate);
        space.set(row.asset_id, fromBlob(row.vector), JSON.parse(row.hit));
      }
      if (!space) return undefined;
      if (saved && saved.seq <= this.seen) {
        space.adopt(saved.graph, this.statements.changesAfter.all(saved.seq).map((change) => change.asset_id));
      }
      this.seen = Math.max(this.seen, this.statements.lastChange.get()!.seq);
      this.spaces.set(key, space);
      void space.indexed();
      return space;
    })();
  }

  /** Writes every changed graph beside the file, one write at a time. */
  private saveGraphs(): Promise<void> {
    if (!this.graphs || !this.applies || this.saving || !this.db.open) return this.saving ?? Promise.resolve();
    const folder = this.graphs;
    this.savedAt = Date.now();
    this.saving = (async () => {
      removeOrphanGraphs(this.path);
      for (const [key, space] of this.spaces) {
        if (space.unsaved > 0) await writeGraph(folder, spaceFileName(key), space, this.fileId, this.seen);
      }
    })()
      // A graph file is a cache: one not written (a full disk) is tried again at the next write, or built again on open.
      .catch(() => undefined)
      .finally(() => (this.saving = undefined));
    return this.saving;
  }

  /** Resolves once every loaded space's graph is built (a space below the threshold has none) and written, when due. */
  async settled(): Promise<void> {
    await Promise.all([...this.spaces.values()].map((space) => space.indexed()));
    await this.saving;
  }

  async knn(query: VectorQuery): Promise<VectorResult> {
    const space = await this.space(query.model);
    if (!space) return { total: 0, hits: [] };
    const { total, neighbours } = space.nearest({ ...query, accept: accepting(matcher(query.filter ?? {})) });
    return { total, hits: neighbours.map(({ value: { collections, ...shown }, score }) => ({ ...shown, score })) };
  }

  async vectorOf(assetId: string, model: EmbeddingModel): Promise<Float32Array | undefined> {
    const row = this.statements.vector.get(model.id, model.revision, assetId);
    return row && fromBlob(row.vector);
  }

  async models(): Promise<(EmbeddingModel & { dimensions: number; count: number })[]> {
    return this.statements.models.all();
  }

  /**
   * Writes the graphs this process changed. A file that a rebuild replaced
   * takes its graphs with it, and so does one closed while a rebuild still
   * fills it (it is being discarded: one that goes live is told first).
   */
  override async close(): Promise<void> {
    if (!this.db.open) return;
    await this.saving;
    if (this.graphs && (this.eager || this.statements.superseded.get())) removeGraphs(this.path);
    else await this.saveGraphs();
    this.spaces.clear(); // gigabytes at a million vectors: not kept by a closed index
    await super.close();
  }
}

/** A hit test as the space's filter, which also sees the id. */
const accepting = (test: ((hit: Hit) => boolean) | undefined) => test && ((_id: string, hit: Hit) => test(hit));
