import type Database from 'better-sqlite3';
import type { StoredEvent } from '../../schemas/envelope';
import { MEMBERSHIP_EVENTS, type EventType, type PayloadOf } from '../../schemas/events';
import type { AssetRecord } from '../assetRecord';
import { SqliteAssetProjection } from '../sqliteProjection';
import { DUPLICATE_GROUPS } from '../registry';
import type { Visible } from '../search/searchIndex';
import { MemoryHashes } from './memoryHashes';
import { regroup, type Duplicate, type GroupingState } from './representatives';
import {
  embeddingsAgree,
  hammingDistance,
  hashHalves,
  type DuplicateGroup,
  type DuplicateGroups,
  type DuplicatePage,
  type Embedding,
} from './duplicateGroups';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS duplicate_assets (
  asset_id       TEXT PRIMARY KEY,
  version        INTEGER NOT NULL,
  live           INTEGER NOT NULL,
  record         TEXT NOT NULL,
  hash_hi        INTEGER,
  hash_lo        INTEGER,
  model          TEXT,
  revision       TEXT,
  vector         BLOB,
  representative INTEGER NOT NULL DEFAULT 1,
  group_id       TEXT
);
CREATE INDEX IF NOT EXISTS duplicate_assets_by_group ON duplicate_assets (group_id) WHERE group_id IS NOT NULL;
-- Pairs whose hashes are close (a < b); duplicate = 0 when their embeddings disagree.
CREATE TABLE IF NOT EXISTS duplicate_pairs (
  a         TEXT NOT NULL,
  b         TEXT NOT NULL,
  distance  INTEGER NOT NULL,
  duplicate INTEGER NOT NULL,
  PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS duplicate_pairs_by_b ON duplicate_pairs (b);
-- The collections each asset is in: a viewer's page counts and shows only the members of their collections.
CREATE TABLE IF NOT EXISTS duplicate_memberships (
  asset_id      TEXT NOT NULL,
  collection_id TEXT NOT NULL,
  PRIMARY KEY (asset_id, collection_id)
) WITHOUT ROWID;`;

/** An asset the caller may see: every asset when :within is null, else one in a collection of that JSON array. */
const VISIBLE = `(:within IS NULL OR EXISTS (SELECT 1 FROM duplicate_memberships m
  WHERE m.asset_id = d.asset_id AND m.collection_id IN (SELECT value FROM json_each(:within))))`;

const MEMBERSHIP = new Set<EventType>(MEMBERSHIP_EVENTS);

/**
 * Columns a file of the projection's first version lacks. Such a file is
 * stale (`projections status` says so) until a rebuild replaces it; with them
 * it keeps serving and applying meanwhile.
 */
const ADDED_COLUMNS = [
  ['duplicate_assets', 'representative', 'INTEGER NOT NULL DEFAULT 1'],
  ['duplicate_pairs', 'distance', 'INTEGER NOT NULL DEFAULT 0'],
] as const;

interface AssetRow {
  asset_id: string;
  hash_hi: number | null;
  hash_lo: number | null;
  model: string | null;
  revision: string | null;
  vector: Buffer | null;
}

/** The VISIBLE clause's :within: null for the whole library. */
const withinParameter = (within: readonly string[] | undefined): string | null => (within ? JSON.stringify(within) : null);

const embeddingOf = (row: AssetRow): Embedding | undefined =>
  row.vector ? { model: row.model!, revision: row.revision!, vector: new Float32Array(new Uint8Array(row.vector).buffer) } : undefined;

/**
 * Near-duplicate groups in SQLite. A new hash is looked up among the live
 * hashes (an in-memory index, projections/duplicates/memoryHashes.ts); the
 * close pairs it finds are kept with their distance, judged again when an
 * embedding arrives, and the representatives and groups around the asset are
 * brought up to date (projections/duplicates/representatives.ts). The index is
 * loaded on the first hash an apply looks up, kept up to date by this
 * connection's applies, and dropped when one rolls back or when another
 * connection (another process, which held the lease meanwhile) changed the file.
 */
export class SqliteDuplicateGroups extends SqliteAssetProjection implements DuplicateGroups {
  protected override readonly reads = new Set(DUPLICATE_GROUPS.events);
  private readonly statements;
  private readonly grouping: SqliteGroupingState;
  private hashes?: MemoryHashes;
  private dataVersion: number;

  constructor(path: string) {
    super('projection:duplicates', path, SCHEMA);
    this.addMissingColumns();
    this.statements = {
      get: this.db.prepare<[string], { record: string }>('SELECT record FROM duplicate_assets WHERE asset_id = ?'),
      put: this.db.prepare(
        `INSERT INTO duplicate_assets (asset_id, version, live, record) VALUES (?, ?, ?, ?)
         ON CONFLICT (asset_id) DO UPDATE SET version = excluded.version, live = excluded.live, record = excluded.record`,
      ),
      forget: this.db.prepare(
        'UPDATE duplicate_assets SET hash_hi = NULL, hash_lo = NULL, model = NULL, revision = NULL, vector = NULL WHERE asset_id = ?',
      ),
      setHash: this.db.prepare('UPDATE duplicate_assets SET hash_hi = ?, hash_lo = ? WHERE asset_id = ?'),
      setVector: this.db.prepare('UPDATE duplicate_assets SET model = ?, revision = ?, vector = ? WHERE asset_id = ?'),
      facts: this.db.prepare<[string], AssetRow>(
        'SELECT asset_id, hash_hi, hash_lo, model, revision, vector FROM duplicate_assets WHERE asset_id = ?',
      ),
      liveHashes: this.db.prepare<[], { asset_id: string; hash_hi: number; hash_lo: number }>(
        'SELECT asset_id, hash_hi, hash_lo FROM duplicate_assets WHERE live = 1 AND hash_hi IS NOT NULL',
      ),
      pairs: this.db.prepare<[string, string], { other: string }>(
        'SELECT b AS other FROM duplicate_pairs WHERE a = ? UNION ALL SELECT a FROM duplicate_pairs WHERE b = ?',
      ),
      duplicateIds: this.db.prepare<[string, string], { other: string }>(
        `SELECT b AS other FROM duplicate_pairs WHERE a = ? AND duplicate = 1
         UNION ALL SELECT a FROM duplicate_pairs WHERE b = ? AND duplicate = 1`,
      ),
      putPair: this.db.prepare(
        `INSERT INTO duplicate_pairs (a, b, distance, duplicate) VALUES (?, ?, ?, ?)
         ON CONFLICT (a, b) DO UPDATE SET distance = excluded.distance, duplicate = excluded.duplicate`,
      ),
      dropPairs: this.db.prepare('DELETE FROM duplicate_pairs WHERE a = ? OR b = ?'),
      dropMemberships: this.db.prepare('DELETE FROM duplicate_memberships WHERE asset_id = ?'),
      putMembership: this.db.prepare('INSERT INTO duplicate_memberships (asset_id, collection_id) VALUES (?, ?)'),
      members: this.db.prepare<[{ groupId: string; within: string | null }], { asset_id: string; record: string }>(
        `SELECT asset_id, record FROM duplicate_assets d WHERE group_id = :groupId AND ${VISIBLE} ORDER BY asset_id`,
      ),
      // Two visible members make a group the caller sees; the groups are read in id order until the page is full.
      groupIds: this.db.prepare<[{ after: string; limit: number; within: string | null }], { group_id: string }>(
        `SELECT group_id FROM duplicate_assets d WHERE group_id > :after AND ${VISIBLE}
         GROUP BY group_id HAVING COUNT(*) >= 2 ORDER BY group_id LIMIT :limit`,
      ),
    };
    this.grouping = new SqliteGroupingState(this.db);
    this.dataVersion = this.readDataVersion();
  }

  private addMissingColumns(): void {
    for (const [table, column, definition] of ADDED_COLUMNS) {
      const columns = this.db.pragma(`table_info(${table})`) as { name: string }[];
      if (!columns.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
  }

  override async apply(batch: StoredEvent[]): Promise<void> {
    try {
      await super.apply(batch);
    } catch (error) {
      this.hashes = undefined; // rolled back: the index may hold what was not committed
      throw error;
    }
  }

  /** Under the write lock, so no other connection commits between the check and the batch. */
  protected override applyBatch(batch: StoredEvent[]): void {
    const version = this.readDataVersion();
    if (version !== this.dataVersion) {
      this.hashes = undefined;
      this.dataVersion = version;
    }
    super.applyBatch(batch);
  }

  /** The live hashes, as this transaction sees them. */
  private liveHashes(): MemoryHashes {
    if (!this.hashes) {
      this.hashes = new MemoryHashes();
      for (const row of this.statements.liveHashes.iterate()) this.hashes.set(row.asset_id, [row.hash_hi, row.hash_lo]);
    }
    return this.hashes;
  }

  protected load(assetId: string): AssetRecord | undefined {
    const row = this.statements.get.get(assetId);
    return row ? JSON.parse(row.record) : undefined;
  }

  protected save(record: AssetRecord, event: StoredEvent): void {
    const { assetId } = record;
    const live = record.status !== 'deleted';
    this.statements.put.run(assetId, record.version, live ? 1 : 0, JSON.stringify(record));
    if (MEMBERSHIP.has(event.type)) this.setMemberships(assetId, record.collections ?? []);
    if (!live || event.type === 'AssetIngested') this.forget(assetId);
    else if (event.type === 'PerceptualHashComputed') this.setHash(assetId, hashHalves(event.payload.hash));
    else if (event.type === 'EmbeddingComputed') this.setVector(assetId, event.payload);
  }

  private setMemberships(assetId: string, collections: readonly string[]): void {
    this.statements.dropMemberships.run(assetId);
    for (const collectionId of collections) this.statements.putMembership.run(assetId, collectionId);
  }

  /** Deleted, or ingested again: no hash and no vector until the processors say so. */
  private forget(assetId: string): void {
    const facts = this.statements.facts.get(assetId)!;
    if (facts.hash_hi === null && facts.vector === null) return; // a first ingest: nothing to forget
    this.statements.forget.run(assetId);
    this.hashes?.delete(assetId);
    this.changeDuplicates(assetId, () => this.statements.dropPairs.run(assetId, assetId));
  }

  private setHash(assetId: string, hash: [number, number]): void {
    const previous = this.statements.facts.get(assetId)!;
    this.statements.setHash.run(...hash, assetId);
    this.liveHashes().set(assetId, hash);
    const candidates = this.liveHashes().close(hash, assetId);
    // A first hash with nothing close: no pairs before or after, a representative of no group as it was.
    if (previous.hash_hi === null && candidates.length === 0) return;
    const self = { ...previous, hash_hi: hash[0], hash_lo: hash[1] };
    this.changeDuplicates(assetId, () => {
      this.statements.dropPairs.run(assetId, assetId);
      for (const other of candidates) this.judge(self, this.statements.facts.get(other)!);
    });
  }

  private setVector(assetId: string, { model, revision, vector }: PayloadOf<'EmbeddingComputed'>): void {
    this.statements.setVector.run(model, revision, Buffer.from(Float32Array.from(vector).buffer), assetId);
    this.changeDuplicates(assetId, () => {
      const self = this.statements.facts.get(assetId)!;
      for (const { other } of this.statements.pairs.all(assetId, assetId)) this.judge(self, this.statements.facts.get(other)!);
    });
  }

  /** Stores whether two assets with close hashes are duplicates, and how close. */
  private judge(a: AssetRow, b: AssetRow): void {
    const [first, second] = a.asset_id < b.asset_id ? [a, b] : [b, a];
    const distance = hammingDistance([a.hash_hi!, a.hash_lo!], [b.hash_hi!, b.hash_lo!]);
    this.statements.putPair.run(first.asset_id, second.asset_id, distance, embeddingsAgree(embeddingOf(a), embeddingOf(b)) ? 1 : 0);
  }

  /** Changes one asset's pairs, then regroups around it (representatives.ts). */
  private changeDuplicates(assetId: string, changePairs: () => void): void {
    const before = this.duplicateIds(assetId);
    changePairs();
    const after = this.duplicateIds(assetId);
    if (before.length === 0 && after.length === 0) return; // alone before and after: a representative of no group, as it was
    regroup(this.grouping, assetId, before, after);
  }

  private duplicateIds(assetId: string): string[] {
    return this.statements.duplicateIds.all(assetId, assetId).map((row) => row.other);
  }

  private group(groupId: string, within: string | null): DuplicateGroup {
    const assets = this.statements.members.all({ groupId, within }).map((row) => {
      const record = JSON.parse(row.record) as AssetRecord;
      return { assetId: row.asset_id, originalName: record.originalName, size: record.size };
    });
    return { groupId, assets };
  }

  async groupOf(assetId: string, { within }: Visible = {}): Promise<DuplicateGroup | undefined> {
    const groupId = this.grouping.groupIdOf(assetId);
    const group = groupId ? this.group(groupId, withinParameter(within)) : undefined;
    return group && group.assets.length > 1 ? group : undefined;
  }

  async list({ limit, after, within }: DuplicatePage): Promise<{ groups: DuplicateGroup[]; next?: string }> {
    const visible = withinParameter(within);
    const ids = this.statements.groupIds.all({ after: after ?? '', limit: limit + 1, within: visible }).map((row) => row.group_id);
    const groups = ids.slice(0, limit).map((id) => this.group(id, visible));
    return { groups, next: ids.length > limit ? groups.at(-1)!.groupId : undefined };
  }
}

/** The columns the grouping rule keeps (representative, group_id), and the duplicates it reads. */
class SqliteGroupingState implements GroupingState {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      duplicates: db.prepare<[string, string], { asset_id: string; distance: number; representative: number }>(
        `SELECT d.asset_id, p.distance, d.representative FROM (
           SELECT b AS other, distance FROM duplicate_pairs WHERE a = ? AND duplicate = 1
           UNION ALL SELECT a, distance FROM duplicate_pairs WHERE b = ? AND duplicate = 1
         ) p JOIN duplicate_assets d ON d.asset_id = p.other`,
      ),
      representative: db.prepare<[string], { representative: number }>('SELECT representative FROM duplicate_assets WHERE asset_id = ?'),
      setRepresentative: db.prepare('UPDATE duplicate_assets SET representative = ? WHERE asset_id = ?'),
      groupIdOf: db.prepare<[string], { group_id: string | null }>('SELECT group_id FROM duplicate_assets WHERE asset_id = ?'),
      setGroupId: db.prepare('UPDATE duplicate_assets SET group_id = ? WHERE asset_id = ?'),
      hasMembers: db.prepare<[string, string], { found: number }>(
        'SELECT 1 AS found FROM duplicate_assets WHERE group_id = ? AND asset_id <> ? LIMIT 1',
      ),
      distance: db.prepare<[string, string], { distance: number }>('SELECT distance FROM duplicate_pairs WHERE a = ? AND b = ? AND duplicate = 1'),
    };
  }

  duplicatesOf(assetId: string): Duplicate[] {
    return this.statements.duplicates
      .all(assetId, assetId)
      .map((row) => ({ assetId: row.asset_id, distance: row.distance, representative: row.representative === 1 }));
  }

  isRepresentative(assetId: string): boolean {
    return (this.statements.representative.get(assetId)?.representative ?? 1) === 1;
  }

  setRepresentative(assetId: string, representative: boolean): void {
    this.statements.setRepresentative.run(representative ? 1 : 0, assetId);
  }

  groupIdOf(assetId: string): string | undefined {
    return this.statements.groupIdOf.get(assetId)?.group_id ?? undefined;
  }

  setGroupId(assetId: string, groupId: string | undefined): void {
    this.statements.setGroupId.run(groupId ?? null, assetId);
  }

  hasMembers(representative: string): boolean {
    return this.statements.hasMembers.get(representative, representative) !== undefined;
  }

  distanceBetween(a: string, b: string): number | undefined {
    return (a < b ? this.statements.distance.get(a, b) : this.statements.distance.get(b, a))?.distance;
  }
}
