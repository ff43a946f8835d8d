import type { StoredEvent } from '../../schemas/envelope';
import type { AssetRecord } from '../assetRecord';
import { SqliteAssetProjection } from '../sqliteProjection';
import { DUPLICATE_GROUPS } from '../registry';
import { MemoryHashes } from './memoryHashes';
import {
  MAX_HASH_DISTANCE,
  embeddingsAgree,
  hashHalves,
  type DuplicateGroup,
  type DuplicateGroups,
  type Embedding,
} from './duplicateGroups';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS duplicate_assets (
  asset_id TEXT PRIMARY KEY,
  version  INTEGER NOT NULL,
  live     INTEGER NOT NULL,
  record   TEXT NOT NULL,
  hash_hi  INTEGER,
  hash_lo  INTEGER,
  model    TEXT,
  revision TEXT,
  vector   BLOB,
  group_id TEXT
);
CREATE INDEX IF NOT EXISTS duplicate_assets_by_group ON duplicate_assets (group_id) WHERE group_id IS NOT NULL;
-- Pairs whose hashes are close (a < b); duplicate = 0 when their embeddings disagree.
CREATE TABLE IF NOT EXISTS duplicate_pairs (
  a         TEXT NOT NULL,
  b         TEXT NOT NULL,
  duplicate INTEGER NOT NULL,
  PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS duplicate_pairs_by_b ON duplicate_pairs (b);`;

interface AssetRow {
  asset_id: string;
  model: string | null;
  revision: string | null;
  vector: Buffer | null;
}

const embeddingOf = (row: AssetRow | undefined): Embedding | undefined =>
  row?.vector ? { model: row.model!, revision: row.revision!, vector: new Float32Array(new Uint8Array(row.vector).buffer) } : undefined;

/**
 * Near-duplicate groups in SQLite. A new hash is compared with every live hash
 * (a scan of an in-memory copy, projections/duplicates/memoryHashes.ts); the
 * pairs it finds are kept, judged again when an embedding arrives, and the
 * groups of the assets concerned are recomputed as connected components. The
 * copy is loaded on the first hash an apply compares, kept up to date by this
 * connection's applies, and dropped when one rolls back or when another
 * connection (another process, which held the lease meanwhile) changed the file.
 */
export class SqliteDuplicateGroups extends SqliteAssetProjection implements DuplicateGroups {
  protected override readonly reads = new Set(DUPLICATE_GROUPS.events);
  private readonly statements;
  private hashes?: MemoryHashes;
  private dataVersion: number;

  constructor(path: string) {
    super('projection:duplicates', path, SCHEMA);
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
      embedding: this.db.prepare<[string], AssetRow>('SELECT asset_id, model, revision, vector FROM duplicate_assets WHERE asset_id = ?'),
      liveHashes: this.db.prepare<[], { asset_id: string; hash_hi: number; hash_lo: number }>(
        'SELECT asset_id, hash_hi, hash_lo FROM duplicate_assets WHERE live = 1 AND hash_hi IS NOT NULL',
      ),
      pairs: this.db.prepare<[string, string], { other: string }>(
        'SELECT b AS other FROM duplicate_pairs WHERE a = ? UNION SELECT a FROM duplicate_pairs WHERE b = ?',
      ),
      duplicates: this.db.prepare<[string, string], { other: string }>(
        `SELECT b AS other FROM duplicate_pairs WHERE a = ? AND duplicate = 1
         UNION SELECT a FROM duplicate_pairs WHERE b = ? AND duplicate = 1`,
      ),
      putPair: this.db.prepare(
        `INSERT INTO duplicate_pairs (a, b, duplicate) VALUES (?, ?, ?)
         ON CONFLICT (a, b) DO UPDATE SET duplicate = excluded.duplicate`,
      ),
      dropPairs: this.db.prepare('DELETE FROM duplicate_pairs WHERE a = ? OR b = ?'),
      groupIdOf: this.db.prepare<[string], { group_id: string | null }>('SELECT group_id FROM duplicate_assets WHERE asset_id = ?'),
      members: this.db.prepare<[string], { asset_id: string; record: string }>(
        'SELECT asset_id, record FROM duplicate_assets WHERE group_id = ? ORDER BY asset_id',
      ),
      setGroup: this.db.prepare('UPDATE duplicate_assets SET group_id = ? WHERE asset_id = ?'),
      groupIds: this.db.prepare<[string, number], { group_id: string }>(
        'SELECT DISTINCT group_id FROM duplicate_assets WHERE group_id > ? ORDER BY group_id LIMIT ?',
      ),
    };
    this.dataVersion = this.readDataVersion();
  }

  override async apply(batch: StoredEvent[]): Promise<void> {
    try {
      await super.apply(batch);
    } catch (error) {
      this.hashes = undefined; // rolled back: the copy may hold what was not committed
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
    if (!live || event.type === 'AssetIngested') {
      // Deleted, or ingested again: no hash and no vector until the processors say so.
      this.statements.forget.run(assetId);
      this.hashes?.delete(assetId);
      this.regroup(assetId, () => this.statements.dropPairs.run(assetId, assetId));
    } else if (event.type === 'PerceptualHashComputed') {
      const hash = hashHalves(event.payload.hash);
      this.statements.setHash.run(...hash, assetId);
      this.liveHashes().set(assetId, hash);
      this.regroup(assetId, () => {
        this.statements.dropPairs.run(assetId, assetId);
        const self = this.statements.embedding.get(assetId)!;
        for (const other of this.liveHashes().within(hash, MAX_HASH_DISTANCE, assetId)) this.judge(self, this.statements.embedding.get(other)!);
      });
    } else if (event.type === 'EmbeddingComputed') {
      const { model, revision, vector } = event.payload;
      this.statements.setVector.run(model, revision, Buffer.from(Float32Array.from(vector).buffer), assetId);
      this.regroup(assetId, () => {
        const self = this.statements.embedding.get(assetId)!;
        for (const { other } of this.statements.pairs.all(assetId, assetId)) this.judge(self, this.statements.embedding.get(other)!);
      });
    }
  }

  private judge(a: AssetRow, b: AssetRow): void {
    const [first, second] = a.asset_id < b.asset_id ? [a, b] : [b, a];
    this.statements.putPair.run(first.asset_id, second.asset_id, embeddingsAgree(embeddingOf(a), embeddingOf(b)) ? 1 : 0);
  }

  private neighbours(assetId: string): string[] {
    return this.statements.duplicates.all(assetId, assetId).map((row) => row.other);
  }

  /**
   * Changes one asset's pairs, then regroups. When the asset only gained
   * duplicates, groups can only merge: its group and its duplicates' groups
   * become one, with no walk (a large group would cost a walk per member).
   * When it lost one, the groups that can have changed are walked again:
   * those of its duplicates before and after, and its own former group
   * (which may have split).
   */
  private regroup(assetId: string, changePairs: () => void): void {
    const formerGroup = this.statements.groupIdOf.get(assetId)?.group_id;
    const before = this.neighbours(assetId);
    changePairs();
    const after = this.neighbours(assetId);
    const kept = new Set(after);
    if (before.every((id) => kept.has(id))) return this.merge([assetId, ...after]);
    const seeds = new Set([assetId, ...before, ...after]);
    if (formerGroup) for (const member of this.statements.members.all(formerGroup)) seeds.add(member.asset_id);
    const placed = new Set<string>();
    for (const seed of seeds) {
      if (placed.has(seed)) continue;
      const component = [seed];
      placed.add(seed);
      for (let i = 0; i < component.length; i++) {
        for (const next of this.neighbours(component[i]!)) {
          if (!placed.has(next)) {
            placed.add(next);
            component.push(next);
          }
        }
      }
      this.setGroup(component);
    }
  }

  /** The groups of these assets (each alone when it has none) made one. */
  private merge(assetIds: string[]): void {
    const component = new Set<string>();
    for (const id of assetIds) {
      if (component.has(id)) continue;
      const groupId = this.statements.groupIdOf.get(id)?.group_id;
      if (groupId) for (const member of this.statements.members.all(groupId)) component.add(member.asset_id);
      else component.add(id);
    }
    this.setGroup([...component]);
  }

  /** A group is named by its least asset id; an asset with no duplicate is in none. */
  private setGroup(component: string[]): void {
    const groupId = component.length > 1 ? component.reduce((a, b) => (a < b ? a : b)) : null;
    for (const member of component) this.statements.setGroup.run(groupId, member);
  }

  private group(groupId: string): DuplicateGroup {
    const assets = this.statements.members.all(groupId).map((row) => {
      const record = JSON.parse(row.record) as AssetRecord;
      return { assetId: row.asset_id, originalName: record.originalName, size: record.size };
    });
    return { groupId, assets };
  }

  async groupOf(assetId: string): Promise<DuplicateGroup | undefined> {
    const groupId = this.statements.groupIdOf.get(assetId)?.group_id;
    return groupId ? this.group(groupId) : undefined;
  }

  async list({ limit, after }: { limit: number; after?: string }): Promise<{ groups: DuplicateGroup[]; next?: string }> {
    const ids = this.statements.groupIds.all(after ?? '', limit + 1).map((row) => row.group_id);
    const groups = ids.slice(0, limit).map((id) => this.group(id));
    return { groups, next: ids.length > limit ? groups.at(-1)!.groupId : undefined };
  }
}
