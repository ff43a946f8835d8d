import type { AssetRecord } from '../assetRecord';
import { SqliteAssetProjection } from '../sqliteProjection';
import { queryWords, searchDocument, type Facet, type SearchIndex, type SearchQuery, type SearchResult } from './searchIndex';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS search_assets (
  rowid      INTEGER PRIMARY KEY,
  asset_id   TEXT NOT NULL UNIQUE,
  version    INTEGER NOT NULL,
  record     TEXT NOT NULL,
  live       INTEGER NOT NULL,
  name       TEXT NOT NULL,
  title      TEXT,
  media_type TEXT NOT NULL,
  size       INTEGER NOT NULL,
  date       TEXT NOT NULL,
  year       TEXT NOT NULL,
  make       TEXT,
  model      TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
  name, title, tags, description, camera, tokenize = 'unicode61 remove_diacritics 2'
);`;

/** Column weights for bm25: a title match counts most, a description match least. */
const BM25 = 'bm25(search_text, 5.0, 10.0, 8.0, 2.0, 5.0)';

/** Keyword search on SQLite FTS5, with filters and facets. */
export class SqliteSearchIndex extends SqliteAssetProjection implements SearchIndex {
  protected override readonly savesEveryEvent = false;
  private readonly statements;

  constructor(path: string) {
    super('projection:search', path, SCHEMA);
    this.statements = {
      get: this.db.prepare<[string], { rowid: number; record: string }>(
        'SELECT rowid, record FROM search_assets WHERE asset_id = ?',
      ),
      put: this.db.prepare(
        `INSERT INTO search_assets (asset_id, version, record, live, name, title, media_type, size, date, year, make, model)
         VALUES (@assetId, @version, @record, @live, @name, @title, @mediaType, @size, @date, @year, @make, @model)
         ON CONFLICT (asset_id) DO UPDATE SET version = excluded.version, record = excluded.record, live = excluded.live,
           name = excluded.name, title = excluded.title, media_type = excluded.media_type, size = excluded.size,
           date = excluded.date, year = excluded.year, make = excluded.make, model = excluded.model
         RETURNING rowid`,
      ),
      deleteText: this.db.prepare('DELETE FROM search_text WHERE rowid = ?'),
      insertText: this.db.prepare(
        'INSERT INTO search_text (rowid, name, title, tags, description, camera) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  protected load(assetId: string): AssetRecord | undefined {
    const row = this.statements.get.get(assetId);
    return row ? JSON.parse(row.record) : undefined;
  }

  protected save(record: AssetRecord): void {
    const doc = searchDocument(record);
    const live = record.status === 'deleted' ? 0 : 1;
    const { rowid } = this.statements.put.get({
      ...doc,
      version: record.version,
      record: JSON.stringify(record),
      live,
      make: doc.make ?? null,
      model: doc.model ?? null,
    }) as { rowid: number };
    this.statements.deleteText.run(rowid);
    if (live) this.statements.insertText.run(rowid, doc.name, doc.title, doc.tags, doc.description, doc.camera);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const words = queryWords(query.q);
    const where = ['a.live = 1'];
    const params: unknown[] = [];
    if (words.length) {
      where.push('search_text MATCH ?');
      params.push(words.map((word) => `"${word}"*`).join(' '));
    }
    const filter = (clause: string, value: unknown) => {
      if (value === undefined) return;
      where.push(clause);
      params.push(value);
    };
    filter('a.media_type = ?', query.type);
    filter('a.size >= ?', query.minSize);
    filter('a.size <= ?', query.maxSize);
    filter('a.date >= ?', query.from);
    // An inclusive end: every time on the 'to' day sorts before the day followed by '~'.
    filter('a.date <= ?', query.to && `${query.to}~`);
    filter('lower(a.make) = lower(?)', query.make);
    filter('lower(a.model) = lower(?)', query.model);
    const from = words.length
      ? 'search_text JOIN search_assets a ON a.rowid = search_text.rowid'
      : 'search_assets a';
    const clause = `FROM ${from} WHERE ${where.join(' AND ')}`;
    const order = words.length ? `${BM25}, a.asset_id` : 'a.date DESC, a.asset_id';
    const rows = this.db
      .prepare(
        `SELECT a.asset_id AS assetId, ${words.length ? `-${BM25}` : '0'} AS score, a.name AS originalName, a.title,
                a.media_type AS mediaType, a.size, a.date, a.make, a.model
         ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(...params, query.limit, query.offset) as SearchResult['hits'];
    const { total } = this.db.prepare(`SELECT count(*) AS total ${clause}`).get(...params) as { total: number };
    const facet = (column: string): Facet[] =>
      this.db
        .prepare(
          `SELECT ${column} AS value, count(*) AS count ${clause} AND ${column} IS NOT NULL
           GROUP BY ${column} ORDER BY count DESC, value LIMIT 20`,
        )
        .all(...params) as Facet[];
    return {
      total,
      hits: rows.map((hit) => Object.fromEntries(Object.entries(hit).filter(([, v]) => v !== null)) as never),
      facets: { type: facet('a.media_type'), make: facet('a.make'), year: facet('a.year') },
    };
  }
}
