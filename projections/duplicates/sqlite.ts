import { setImmediate as nextTurn } from 'node:timers/promises';
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
  tellsThePicture,
  hashesClose,
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
-- Pairs whose hashes are close but whose embeddings disagree (a < b): not duplicates. Every other close pair is one.
CREATE TABLE IF NOT EXISTS duplicate_vetoes (
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS duplicate_vetoes_by_b ON duplicate_vetoes (b);
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
const ADDED_COLUMNS = [['duplicate_assets', 'representative', 'INTEGER NOT NULL DEFAULT 1']] as const;

/** Rows of the file a load of the memory reads at a time: about 50 ms of a million-asset file (5.3 s in all), then the event loop turns. */
const MEMORY_LOAD_ROWS = 10_000;

/** A live hash as the file holds it. */
interface HashRow {
  asset_id: string;
  hash_hi: number;
  hash_lo: number;
  representative: number;
}

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
 * Near-duplicate groups in SQLite. Which assets are duplicates is read from
 * memory, never stored pair by pair: the live hashes (an in-memory index,
 * projections/duplicates/memoryHashes.ts) give every close pair and its
 * distance, and the file keeps only the close pairs that embeddings veto.
 * How many close pairs an asset has grows with a library of alike pictures
 * (smooth gradients, one studio backdrop), so storing them made each new
 * asset cost more than the last. On each change the representatives and
 * groups around the asset are brought up to date
 * (projections/duplicates/representatives.ts). The memory (GroupingMemory)
 * is loaded before the first apply (between other work: loadMemory), kept up
 * to date by this connection's applies, and dropped when one rolls back or
 * when another connection (another process, which held the lease meanwhile)
 * changed the file.
 */
export class SqliteDuplicateGroups extends SqliteAssetProjection implements DuplicateGroups {
  protected override readonly reads = new Set(DUPLICATE_GROUPS.events);
  private readonly statements;
  private readonly grouping: SqliteGroupingState;
  private memory?: GroupingMemory;
  private dataVersion: number;

  constructor(path: string) {
    super('projection:duplicates', path, SCHEMA);
    this.addMissingColumns();
    this.keepOnlyVetoes();
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
      liveHashes: this.db.prepare<[number, number], HashRow>(
        'SELECT asset_id, hash_hi, hash_lo, representative FROM duplicate_assets WHERE rowid > ? AND rowid <= ? AND live = 1 AND hash_hi IS NOT NULL',
      ),
      lastRow: this.db.prepare<[], { last: number | null }>('SELECT max(rowid) AS last FROM duplicate_assets'),
      putVeto: this.db.prepare('INSERT OR IGNORE INTO duplicate_vetoes (a, b) VALUES (?, ?)'),
      dropVetoes: this.db.prepare('DELETE FROM duplicate_vetoes WHERE a = ? OR b = ?'),
      dropMemberships: this.db.prepare('DELETE FROM duplicate_memberships WHERE asset_id = ?'),
      putMembership: this.db.prepare('INSERT INTO duplicate_memberships (asset_id, collection_id) VALUES (?, ?)'),
      members: this.db.prepare<[{ groupId: string; within: string | null }], { asset_id: string; record: string }>(
        `SELECT asset_id, record FROM duplicate_assets d WHERE group_id = :groupId AND ${VISIBLE} ORDER BY asset_id`,
      ),
      // Two visible members make a group the caller sees; the groups are read in the order of their names until the page is full.
      groupIds: this.db.prepare<[{ after: string; limit: number }], { group_id: string; shown: string }>(
        `SELECT group_id, group_id AS shown FROM duplicate_assets WHERE group_id > :after
         GROUP BY group_id HAVING COUNT(*) >= 2 ORDER BY group_id LIMIT :limit`,
      ),
      visibleGroupIds: this.db.prepare<[{ after: string; limit: number; within: string }], { group_id: string; shown: string }>(
        `SELECT group_id, COALESCE(MAX(CASE WHEN asset_id = group_id THEN asset_id END), MIN(asset_id)) AS shown
         FROM duplicate_assets d WHERE group_id IS NOT NULL AND ${VISIBLE}
         GROUP BY group_id HAVING COUNT(*) >= 2 AND shown > :after ORDER BY shown LIMIT :limit`,
      ),
    };
    this.grouping = new SqliteGroupingState(this.db, () => this.loadedMemory());
    this.dataVersion = this.readDataVersion();
  }

  private addMissingColumns(): void {
    for (const [table, column, definition] of ADDED_COLUMNS) {
      const columns = this.db.pragma(`table_info(${table})`) as { name: string }[];
      if (!columns.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
  }

  /** A file that kept every close pair keeps the vetoed ones alone: the others are read from the hashes. */
  private keepOnlyVetoes(): void {
    if (!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'duplicate_pairs'").get()) return;
    this.db.transaction(() => {
      this.db.exec('INSERT OR IGNORE INTO duplicate_vetoes (a, b) SELECT a, b FROM duplicate_pairs WHERE duplicate = 0; DROP TABLE duplicate_pairs;');
    })();
  }

  override async apply(batch: StoredEvent[]): Promise<void> {
    try {
      await this.loadMemory();
      await super.apply(batch);
    } catch (error) {
      this.memory = undefined; // rolled back: the memory may hold what was not committed
      throw error;
    }
  }

  /** Under the write lock, so no other connection commits between the check and the batch. */
  protected override applyBatch(batch: StoredEvent[]): void {
    const version = this.readDataVersion();
    if (version !== this.dataVersion) {
      this.memory = undefined;
      this.dataVersion = version;
    }
    // Loaded before the batch changes the file: a delete must find the asset's hash among the live ones.
    this.loadedMemory();
    super.applyBatch(batch);
  }

  /**
   * Loads the memory before a batch, MEMORY_LOAD_ROWS rows of the file at a
   * time with the event loop turning between (read at once, the million rows
   * of a large library held a starting `serve` for 5 s). Where another
   * connection commits meanwhile, the batch's transaction loads it again
   * whole (applyBatch).
   */
  private async loadMemory(): Promise<void> {
    if (this.memory) return;
    const version = this.readDataVersion();
    const memory = new GroupingMemory();
    const last = this.statements.lastRow.get()!.last ?? 0;
    for (let after = 0; after < last; after += MEMORY_LOAD_ROWS) {
      memory.load(this.statements.liveHashes.iterate(after, after + MEMORY_LOAD_ROWS));
      await nextTurn();
    }
    if (this.memory || this.readDataVersion() !== version) return;
    this.memory = memory;
    this.dataVersion = version;
  }

  /** The live hashes and the assets that are not representatives, as this transaction sees them. */
  private loadedMemory(): GroupingMemory {
    if (!this.memory) {
      const memory = new GroupingMemory();
      memory.load(this.statements.liveHashes.iterate(0, Number.MAX_SAFE_INTEGER));
      this.memory = memory;
    }
    return this.memory;
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
    else if (event.type === 'PerceptualHashComputed') {
      const hash = hashHalves(event.payload.hash);
      if (tellsThePicture(hash)) this.setHash(assetId, hash);
    }
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
    this.changeDuplicates(assetId, () => {
      this.statements.forget.run(assetId);
      this.loadedMemory().forget(assetId);
      this.statements.dropVetoes.run(assetId, assetId);
    });
  }

  private setHash(assetId: string, hash: [number, number]): void {
    this.changeDuplicates(assetId, () => {
      this.statements.setHash.run(...hash, assetId);
      this.loadedMemory().setHash(assetId, hash);
      this.vetoAgain(this.statements.facts.get(assetId)!);
    });
  }

  private setVector(assetId: string, { model, revision, vector }: PayloadOf<'EmbeddingComputed'>): void {
    this.changeDuplicates(assetId, () => {
      this.statements.setVector.run(model, revision, Buffer.from(Float32Array.from(vector).buffer), assetId);
      this.vetoAgain(this.statements.facts.get(assetId)!);
    });
  }

  /** Stores which assets with hashes close to this one's have embeddings that disagree with its own. */
  private vetoAgain(self: AssetRow): void {
    this.statements.dropVetoes.run(self.asset_id, self.asset_id);
    const embedding = embeddingOf(self);
    if (!embedding || self.hash_hi === null) return; // no embedding of its own: nothing to disagree with
    for (const other of this.loadedMemory().hashes.close([self.hash_hi, self.hash_lo!], self.asset_id)) {
      if (embeddingsAgree(embedding, embeddingOf(this.statements.facts.get(other)!))) continue;
      this.statements.putVeto.run(...(self.asset_id < other ? [self.asset_id, other] : [other, self.asset_id]));
    }
  }

  /** Changes one asset's facts, then regroups around it (representatives.ts). */
  private changeDuplicates(assetId: string, changeFacts: () => void): void {
    const before = this.duplicateIds(assetId);
    changeFacts();
    this.grouping.withPairsFixed(() => {
      const after = this.duplicateIds(assetId);
      // Alone before and after: a representative of no group, as it was.
      if (before.length > 0 || after.length > 0) regroup(this.grouping, assetId, before, after);
    });
  }

  private duplicateIds(assetId: string): string[] {
    return this.grouping.duplicatesOf(assetId).map((duplicate) => duplicate.assetId);
  }

  /**
   * A group as the caller sees it: the members they may see, named after its
   * representative, or after the first of those members when the
   * representative is not theirs to see (its id would tell that it is there).
   */
  private group(groupId: string, within: string | null): DuplicateGroup {
    const assets = this.statements.members.all({ groupId, within }).map((row) => {
      const record = JSON.parse(row.record) as AssetRecord;
      return { assetId: row.asset_id, originalName: record.originalName, size: record.size };
    });
    const shown = assets.some((asset) => asset.assetId === groupId) ? groupId : assets[0]?.assetId ?? groupId;
    return { groupId: shown, assets };
  }

  async groupOf(assetId: string, { within }: Visible = {}): Promise<DuplicateGroup | undefined> {
    const groupId = this.grouping.groupIdOf(assetId);
    const group = groupId ? this.group(groupId, withinParameter(within)) : undefined;
    return group && group.assets.length > 1 ? group : undefined;
  }

  async list({ limit, after, within }: DuplicatePage): Promise<{ groups: DuplicateGroup[]; next?: string }> {
    const visible = withinParameter(within);
    const page = { after: after ?? '', limit: limit + 1 };
    const ids = visible === null ? this.statements.groupIds.all(page) : this.statements.visibleGroupIds.all({ ...page, within: visible });
    const groups = ids.slice(0, limit).map((row) => this.group(row.group_id, visible));
    return { groups, next: ids.length > limit ? ids[limit - 1]!.shown : undefined };
  }
}

/**
 * What the grouping reads on every change, kept in memory: the live hashes,
 * with the representatives' rows marked (few are near any picture, however
 * crowded its neighbourhood), and the assets that are not representatives.
 */
class GroupingMemory {
  readonly hashes = new MemoryHashes();
  /** Kept beside the marks: an asset stays a member after its hash is gone, until the rule decides it again (and the file says so). */
  private readonly members = new Set<string>();

  setHash(assetId: string, hash: [number, number]): void {
    this.hashes.set(assetId, hash);
    this.hashes.mark(assetId, !this.members.has(assetId));
  }

  /** Rows of the file: each a live hash, and whether its asset represents. */
  load(rows: Iterable<HashRow>): void {
    for (const row of rows) {
      if (row.representative === 0) this.setRepresentative(row.asset_id, false);
      this.setHash(row.asset_id, [row.hash_hi, row.hash_lo]);
    }
  }

  forget(assetId: string): void {
    this.hashes.delete(assetId);
  }

  isRepresentative(assetId: string): boolean {
    return !this.members.has(assetId);
  }

  setRepresentative(assetId: string, representative: boolean): void {
    if (representative) this.members.delete(assetId);
    else this.members.add(assetId);
    this.hashes.mark(assetId, representative);
  }
}

/**
 * The grouping rule's state: duplicates from the hashes in memory, less the
 * vetoed pairs; representatives in memory and in the file; groups in the file.
 */
class SqliteGroupingState implements GroupingState {
  private readonly statements;
  /** Each asset's duplicates, while withPairsFixed runs. */
  private found?: Map<string, { assetId: string; distance: number }[]>;

  constructor(
    db: Database.Database,
    private readonly memory: () => GroupingMemory,
  ) {
    this.statements = {
      vetoed: db.prepare<[string, string], { other: string }>(
        'SELECT b AS other FROM duplicate_vetoes WHERE a = ? UNION ALL SELECT a FROM duplicate_vetoes WHERE b = ?',
      ),
      isVetoed: db.prepare<[string, string], { found: number }>('SELECT 1 AS found FROM duplicate_vetoes WHERE a = ? AND b = ?'),
      setRepresentative: db.prepare('UPDATE duplicate_assets SET representative = ? WHERE asset_id = ?'),
      groupIdOf: db.prepare<[string], { group_id: string | null }>('SELECT group_id FROM duplicate_assets WHERE asset_id = ?'),
      setGroupId: db.prepare('UPDATE duplicate_assets SET group_id = ? WHERE asset_id = ?'),
      hasMembers: db.prepare<[string, string], { found: number }>(
        'SELECT 1 AS found FROM duplicate_assets WHERE group_id = ? AND asset_id <> ? LIMIT 1',
      ),
    };
  }

  /**
   * Runs `work` while no hash or veto changes (a regroup changes only who
   * represents and the groups): each asset's duplicates are then found once,
   * however often the rule reads them.
   */
  withPairsFixed(work: () => void): void {
    this.found = new Map();
    try {
      work();
    } finally {
      this.found = undefined;
    }
  }

  duplicatesOf(assetId: string): Duplicate[] {
    let pairs = this.found?.get(assetId);
    if (!pairs) {
      pairs = this.pairsOf(assetId);
      this.found?.set(assetId, pairs);
    }
    const memory = this.memory();
    return pairs.map(({ assetId: other, distance }) => ({ assetId: other, distance, representative: memory.isRepresentative(other) }));
  }

  representativeDuplicatesOf(assetId: string): Duplicate[] {
    // Duplicates already found are filtered; otherwise the index's walk passes over the others.
    if (this.found?.has(assetId)) return this.duplicatesOf(assetId).filter((duplicate) => duplicate.representative);
    return this.pairsOf(assetId, true).map((pair) => ({ ...pair, representative: true }));
  }

  /** The assets whose hashes are close to this one's (the representatives' alone, or all), less the vetoed, with their distances. */
  private pairsOf(assetId: string, representativesOnly = false): { assetId: string; distance: number }[] {
    const { hashes } = this.memory();
    const hash = hashes.hashOf(assetId);
    if (!hash) return [];
    const close = hashes.close(hash, assetId, representativesOnly);
    if (close.length === 0) return [];
    const vetoed = new Set(this.statements.vetoed.all(assetId, assetId).map((row) => row.other));
    return close.filter((other) => !vetoed.has(other)).map((other) => ({ assetId: other, distance: hammingDistance(hash, hashes.hashOf(other)!) }));
  }

  isRepresentative(assetId: string): boolean {
    return this.memory().isRepresentative(assetId);
  }

  setRepresentative(assetId: string, representative: boolean): void {
    this.statements.setRepresentative.run(representative ? 1 : 0, assetId);
    this.memory().setRepresentative(assetId, representative);
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
    const { hashes } = this.memory();
    const [hashA, hashB] = [hashes.hashOf(a), hashes.hashOf(b)];
    if (!hashA || !hashB || !hashesClose(hashA, hashB)) return undefined;
    if (this.statements.isVetoed.get(...((a < b ? [a, b] : [b, a]) as [string, string]))) return undefined;
    return hammingDistance(hashA, hashB);
  }
}
