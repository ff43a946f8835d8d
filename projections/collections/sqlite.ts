import type { StoredEvent } from '../../schemas/envelope';
import type { ShareRole } from '../../schemas/events';
import { SqliteProjection } from '../sqliteProjection';
import { COLLECTIONS, type Collection, type CollectionShare, type Collections, type Share, type ShareHolder } from './collections';

/**
 * Collections listed by name as people read an index: Unicode's order, case
 * and accents after the letters (apfel, Äpfel, Ähren, İzmir, München, Zebra),
 * where SQLite's order of code points put every small letter after Z and
 * every accented one after z.
 */
const BY_NAME = new Intl.Collator('und', { numeric: true });

const SCHEMA = `
CREATE TABLE IF NOT EXISTS collections (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  parent_id  TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS collections_by_parent ON collections (parent_id) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS shares (
  collection_id TEXT NOT NULL,
  subject_kind  TEXT NOT NULL,
  subject_id    TEXT NOT NULL,
  role          TEXT NOT NULL,
  PRIMARY KEY (collection_id, subject_kind, subject_id)
);
CREATE INDEX IF NOT EXISTS shares_by_subject ON shares (subject_kind, subject_id);
CREATE TABLE IF NOT EXISTS favourites (
  principal_id TEXT NOT NULL,
  asset_id     TEXT NOT NULL,
  at           TEXT NOT NULL,
  PRIMARY KEY (principal_id, asset_id)
);
-- Each stream's last version applied: an event at or below it was applied already (law 4).
CREATE TABLE IF NOT EXISTS stream_versions (
  stream_id TEXT PRIMARY KEY,
  version   INTEGER NOT NULL
);`;

interface CollectionRow {
  id: string;
  name: string;
  parent_id: string | null;
  created_by: string;
  created_at: string;
}

interface ShareRow {
  collection_id: string;
  subject_kind: 'principal' | 'group';
  subject_id: string;
  role: ShareRole;
}

/**
 * The collections projection in SQLite. Nesting is a parent id per
 * collection; what is shared with someone is found by one recursive query
 * down from their shares.
 */
export class SqliteCollections extends SqliteProjection implements Collections {
  protected override readonly reads = new Set(COLLECTIONS.events);
  private readonly statements;

  constructor(path: string) {
    super(`projection:${COLLECTIONS.name}`, path, SCHEMA);
    const db = this.db;
    this.statements = {
      version: db.prepare<[string], number>('SELECT version FROM stream_versions WHERE stream_id = ?').pluck(),
      setVersion: db.prepare(
        `INSERT INTO stream_versions (stream_id, version) VALUES (?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`,
      ),
      create: db.prepare(
        `INSERT INTO collections (id, name, parent_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      ),
      rename: db.prepare('UPDATE collections SET name = ? WHERE id = ?'),
      move: db.prepare('UPDATE collections SET parent_id = ? WHERE id = ?'),
      delete: db.prepare('UPDATE collections SET deleted = 1 WHERE id = ?'),
      share: db.prepare(
        `INSERT INTO shares (collection_id, subject_kind, subject_id, role) VALUES (?, ?, ?, ?)
         ON CONFLICT (collection_id, subject_kind, subject_id) DO UPDATE SET role = excluded.role`,
      ),
      revoke: db.prepare('DELETE FROM shares WHERE collection_id = ? AND subject_kind = ? AND subject_id = ?'),
      favourite: db.prepare('INSERT INTO favourites (principal_id, asset_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      unfavourite: db.prepare('DELETE FROM favourites WHERE principal_id = ? AND asset_id = ?'),
      get: db.prepare<[string], CollectionRow>(
        'SELECT id, name, parent_id, created_by, created_at FROM collections WHERE id = ? AND deleted = 0',
      ),
      list: db.prepare<[], CollectionRow>(
        'SELECT id, name, parent_id, created_by, created_at FROM collections WHERE deleted = 0',
      ),
      shares: db.prepare<[], ShareRow>('SELECT collection_id, subject_kind, subject_id, role FROM shares ORDER BY subject_kind, subject_id'),
      liveShares: db.prepare<[], ShareRow>(
        `SELECT s.collection_id, s.subject_kind, s.subject_id, s.role FROM shares s
         JOIN collections c ON c.id = s.collection_id AND c.deleted = 0 ORDER BY s.collection_id, s.subject_kind, s.subject_id`,
      ),
      sharesOf: db.prepare<[string], ShareRow>(
        'SELECT collection_id, subject_kind, subject_id, role FROM shares WHERE collection_id = ? ORDER BY subject_kind, subject_id',
      ),
      ancestors: db.prepare<[string], string>(
        // No deeper than there are collections: a cycle (which neither the commands nor the fold make) would still end.
        `WITH RECURSIVE up(id, depth) AS (
           SELECT parent_id, 1 FROM collections WHERE id = ? AND parent_id IS NOT NULL
           UNION
           SELECT c.parent_id, up.depth + 1 FROM collections c JOIN up ON c.id = up.id
           WHERE c.parent_id IS NOT NULL AND up.depth < (SELECT count(*) FROM collections)
         ) SELECT id FROM up GROUP BY id ORDER BY min(depth)`,
      ).pluck(),
      hasChildren: db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM collections WHERE parent_id = ? AND deleted = 0)').pluck(),
      // UNION, not UNION ALL: a cycle (which the commands refuse) would still end.
      sharedWith: db.prepare<[{ holder: string; groups: string; roles: string }], string>(
        `WITH RECURSIVE visible(id) AS (
           SELECT s.collection_id FROM shares s JOIN collections c ON c.id = s.collection_id AND c.deleted = 0
           WHERE s.role IN (SELECT value FROM json_each(@roles))
             AND ((s.subject_kind = 'principal' AND s.subject_id = @holder)
               OR (s.subject_kind = 'group' AND s.subject_id IN (SELECT value FROM json_each(@groups))))
           UNION
           SELECT c.id FROM collections c JOIN visible v ON c.parent_id = v.id WHERE c.deleted = 0
         ) SELECT id FROM visible ORDER BY id`,
      ).pluck(),
      favourites: db.prepare<[string], string>('SELECT asset_id FROM favourites WHERE principal_id = ? ORDER BY at DESC, asset_id').pluck(),
    };
  }

  protected applyBatch(batch: StoredEvent[]): void {
    for (const event of batch) {
      const applied = this.statements.version.get(event.assetId);
      if (applied !== undefined && event.assetVersion <= applied) continue; // applied already (law 4)
      this.applyEvent(event);
      this.statements.setVersion.run(event.assetId, event.assetVersion);
    }
  }

  /**
   * Whether a move may put `id` under `parentId`: not under itself or a
   * collection nested under it. The command checks this before it appends,
   * but two moves checked at once (a under b, b under a) can both be on the
   * log: the later one is then passed over, as every rebuild passes it over,
   * and the collection stays where it was.
   */
  private mayNest(id: string, parentId: string | null): boolean {
    return parentId === null || (parentId !== id && !this.statements.ancestors.all(parentId).includes(id));
  }

  private applyEvent(event: StoredEvent): void {
    const { statements: s } = this;
    const id = event.assetId;
    switch (event.type) {
      case 'CollectionCreated':
        s.create.run(id, event.payload.name, event.payload.parentId, event.actor, event.time);
        break;
      case 'CollectionRenamed':
        s.rename.run(event.payload.name, id);
        break;
      case 'CollectionMoved':
        if (this.mayNest(id, event.payload.parentId)) s.move.run(event.payload.parentId, id);
        break;
      case 'CollectionDeleted':
        s.delete.run(id);
        break;
      case 'CollectionShared':
        s.share.run(id, event.payload.subject.kind, event.payload.subject.id, event.payload.role);
        break;
      case 'CollectionShareRevoked':
        s.revoke.run(id, event.payload.subject.kind, event.payload.subject.id);
        break;
      case 'AssetFavourited':
        s.favourite.run(event.payload.principalId, id, event.time);
        break;
      case 'AssetUnfavourited':
        s.unfavourite.run(event.payload.principalId, id);
        break;
    }
  }

  async get(id: string): Promise<Collection | undefined> {
    const row = this.statements.get.get(id);
    return row && collectionOf(row, this.statements.sharesOf.all(id));
  }

  async list(within?: readonly string[]): Promise<Collection[]> {
    const wanted = within && new Set(within);
    const shares = new Map<string, ShareRow[]>();
    for (const share of this.statements.shares.all()) shares.set(share.collection_id, [...(shares.get(share.collection_id) ?? []), share]);
    return this.statements.list
      .all()
      .filter((row) => !wanted || wanted.has(row.id))
      .sort((a, b) => BY_NAME.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((row) => collectionOf(row, shares.get(row.id) ?? []));
  }

  async ancestors(id: string): Promise<string[]> {
    return this.statements.ancestors.all(id);
  }

  async hasChildren(id: string): Promise<boolean> {
    return this.statements.hasChildren.get(id) === 1;
  }

  async sharedWith(holder: ShareHolder, roles: readonly ShareRole[]): Promise<string[]> {
    return this.statements.sharedWith.all({ holder: holder.id, groups: JSON.stringify(holder.groups), roles: JSON.stringify(roles) });
  }

  async shares(): Promise<CollectionShare[]> {
    return this.statements.liveShares.all().map((row) => ({ collectionId: row.collection_id, ...shareOf(row) }));
  }

  async favourites(principalId: string): Promise<string[]> {
    return this.statements.favourites.all(principalId);
  }
}

function collectionOf(row: CollectionRow, shares: ShareRow[]): Collection {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    shares: shares.map(shareOf),
  };
}

const shareOf = (row: ShareRow): Share => ({ subject: { kind: row.subject_kind, id: row.subject_id }, role: row.role });
