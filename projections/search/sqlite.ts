import type { Statement } from 'better-sqlite3';
import type { AssetRecord } from '../assetRecord';
import { SqliteAssetProjection } from '../sqliteProjection';
import {
  EXACT_LIMIT,
  PREFIX_LENGTH,
  queryWords,
  searchDocument,
  type SearchIndex,
  type SearchIndexOptions,
  type SearchQuery,
  type SearchResult,
} from './searchIndex';
import {
  BM25_RELEVANCE,
  COLUMNS,
  DOCUMENTS_WITH_SQL,
  FREQUENCY_RELEVANCE,
  listedHitsSql,
  matchesOf,
  phrase,
  rankedHitsSql,
  windowSql,
  type Matches,
} from './sqliteQuery';
import { facetsOf } from './facetCounts';

/**
 * How many of the newest matches are ranked when a word is in more documents
 * than the exact limit, where bm25 would cost as much as its matches: the
 * score that replaces it reads each match's text (FREQUENCY_RELEVANCE).
 */
export const RANKED_PAST_LIMIT = 1_000;

/**
 * FTS5 gets a prefix index for every prefix length a query word may have
 * (up to PREFIX_LENGTH): without one, "word"* merges the document lists of
 * every word with that prefix before it yields its first match, which costs
 * as much as the matches (29 ms for a word in each of a million assets; 3 ms
 * for its newest ten thousand with them). They add about a fifth to the file.
 */
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
-- The listing in its order, with what its filters and facets read: its window is its first entries.
CREATE INDEX IF NOT EXISTS search_assets_listing
  ON search_assets (date DESC, asset_id, media_type, make, model, year, size) WHERE live = 1;
-- The listing of one type, make or model, in its order, with what the facets read: a value few assets have needs no scan.
CREATE INDEX IF NOT EXISTS search_assets_listing_by_type
  ON search_assets (media_type, date DESC, asset_id, make, year) WHERE live = 1;
CREATE INDEX IF NOT EXISTS search_assets_listing_by_make
  ON search_assets (lower(make), date DESC, asset_id, media_type, make, year) WHERE live = 1;
CREATE INDEX IF NOT EXISTS search_assets_listing_by_model
  ON search_assets (lower(model), date DESC, asset_id, media_type, make, year) WHERE live = 1;
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
  ${COLUMNS.join(', ')}, tokenize = 'unicode61 remove_diacritics 2',
  prefix = '${Array.from({ length: PREFIX_LENGTH }, (_, i) => i + 1).join(' ')}'
);`;

/** Keyword search on SQLite FTS5, with filters and facets; what a search costs is bounded by the exact limit (sqliteQuery.ts). */
export class SqliteSearchIndex extends SqliteAssetProjection implements SearchIndex {
  protected override readonly savesEveryEvent = false;
  private readonly statements;
  private readonly preparedStatements = new Map<string, Statement>();
  private readonly exactLimit: number;

  constructor(path: string, options: SearchIndexOptions = {}) {
    super('projection:search', path, SCHEMA);
    this.exactLimit = options.exactLimit ?? EXACT_LIMIT;
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
        `INSERT INTO search_text (rowid, ${COLUMNS.join(', ')}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})`,
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
    if (live) this.statements.insertText.run(rowid, ...COLUMNS.map((column) => doc[column]));
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const words = queryWords(query.q);
    const matches = matchesOf(query, words);
    // One snapshot for the counts and the hits.
    return this.db.transaction(() => {
      const counted = this.counts(matches);
      return { ...counted, hits: this.hits(query, words, matches, counted.totalRelation === 'gte') };
    })();
  }

  /** The total and the facets over the window, counted in JS: cheaper than SQLite sorting the window for each GROUP BY. */
  private counts(matches: Matches): Omit<SearchResult, 'hits'> {
    const window = this.prepared(windowSql(matches))
      .pluck()
      .all(...matches.params, this.exactLimit + 1) as string[];
    const relation = window.length > this.exactLimit ? 'gte' : 'eq';
    const sample = window.slice(0, this.exactLimit);
    return { total: sample.length, totalRelation: relation, facets: facetsOf(sample), facetsRelation: relation };
  }

  private hits(query: SearchQuery, words: string[], matches: Matches, pastLimit: boolean): SearchResult['hits'] {
    const page = [query.limit, query.offset];
    const rows = words.length
      ? this.rankedPage(words, matches, pastLimit, page)
      : this.prepared(listedHitsSql(matches)).all(...matches.params, ...page);
    return (rows as Record<string, unknown>[]).map((hit) => Object.fromEntries(Object.entries(hit).filter(([, v]) => v !== null)) as never);
  }

  /** A page by relevance: bm25 over every match where its idf is bounded, else bm25 without idf over the newest. */
  private rankedPage(words: string[], matches: Matches, pastLimit: boolean, page: number[]): unknown[] {
    // Each word is in at least as many documents as match them all: past the limit, bm25's idf never is bounded.
    const [relevance, ranked] =
      !pastLimit && this.bm25IsBounded(words)
        ? [BM25_RELEVANCE, this.exactLimit]
        : [FREQUENCY_RELEVANCE, Math.min(RANKED_PAST_LIMIT, this.exactLimit)];
    return this.prepared(rankedHitsSql(matches, relevance)).all(...matches.params, ranked, ...page);
  }

  /** bm25's idf counts every document of each word: bounded only when each word is in at most the exact limit. */
  private bm25IsBounded(words: string[]): boolean {
    const documentsWith = this.prepared(DOCUMENTS_WITH_SQL).pluck();
    return words.every((word) => (documentsWith.get(phrase(word), this.exactLimit + 1) as number) <= this.exactLimit);
  }

  /** Statements by their SQL: a search's SQL depends only on which filters it has and whether it has words. */
  private prepared(sql: string): Statement {
    let statement = this.preparedStatements.get(sql);
    if (!statement) this.preparedStatements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}
