import type { StoredEvent } from '../../schemas/envelope';
import { SqliteAssetProjection } from '../sqliteProjection';
import type { ListingPlace } from '../listingCursor';
import {
  EXACT_LIMIT,
  PREFIX_LENGTH,
  filterKey,
  highlightOf,
  listingPage,
  listingPosition,
  queryWords,
  searchDocument,
  type CountRelation,
  type SearchIndex,
  type SearchHit,
  type SearchIndexOptions,
  type SearchQuery,
  type SearchDocument,
  type SearchResult,
} from './searchIndex';
import {
  BM25_RELEVANCE,
  COLUMNS,
  countSql,
  DOCUMENTS_WITH_SQL,
  FREQUENCY_RELEVANCE,
  HIGHLIGHTS_SQL,
  HITS_BY_ROW_SQL,
  KEY_COLUMNS,
  listedHitsSql,
  matchesOf,
  MEDIA_COLUMNS,
  phrase,
  rankedHitsSql,
  scoredWindowSql,
  windowSql,
  type Matches,
} from './sqliteQuery';
import { facetsOf } from './facetCounts';
import { foldSearchRecord, type SearchRecord } from './searchRecord';

/**
 * Past the exact limit, the newest this many matches are the window: their
 * facets are counted (a sample) and they are ranked, by bm25 without idf
 * (FREQUENCY_RELEVANCE reads each one's text). Reading the exact limit's
 * worth would cost ten times more, for a sample and a first page that are
 * hardly better.
 */
export const SAMPLE_PAST_LIMIT = 1_000;

/**
 * FTS5 gets a prefix index for every prefix length a query word may have
 * (up to PREFIX_LENGTH): without one, "word"* merges the document lists of
 * every word with that prefix before it yields its first match, which costs
 * as much as the matches (29 ms for a word in each of a million assets; 3 ms
 * for its newest ten thousand with them). They add about a fifth to the file.
 */
const TABLES = `
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
  model      TEXT,
  ${MEDIA_COLUMNS.map(([column, type]) => `${column} ${type}`).join(',\n  ')},
  -- The collections the asset is in, a JSON array.
  collections TEXT NOT NULL DEFAULT '[]',
  -- What the make, model and codec filters compare: the values case folded (filterKey).
  ${KEY_COLUMNS.map(([column]) => `${column} TEXT`).join(',\n  ')}
);
-- Which collections each live asset is in, by collection: a viewer's search reads the rows of their collections by rowid,
-- where testing every asset's list would read the whole library; a collection's listing reads them in the listing's
-- order, by the asset's date and id (search_memberships_listing).
CREATE TABLE IF NOT EXISTS search_memberships (
  collection_id TEXT NOT NULL,
  asset_rowid   INTEGER NOT NULL,
  date          TEXT,
  asset_id      TEXT,
  PRIMARY KEY (collection_id, asset_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_memberships_by_asset ON search_memberships (asset_rowid);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
  ${COLUMNS.join(', ')}, tokenize = 'unicode61 remove_diacritics 2',
  prefix = '${Array.from({ length: PREFIX_LENGTH }, (_, i) => i + 1).join(' ')}'
);`;

/** What a search's window reads for its facets, after the listing's order: its indexes cover it, so the window reads no asset row. */
const FACET_COLUMNS = 'year, resolution, duration_bucket, video_codec, audio_codec, collections';

/** The listings' indexes: the fold reads by asset id and rowid only. */
const INDEXES = `
-- The listing in its order, with what its filters and facets read: its window is its first entries.
CREATE INDEX IF NOT EXISTS search_assets_listing
  ON search_assets (date DESC, asset_id, media_type, make, model, size, duration, ${FACET_COLUMNS}) WHERE live = 1;
-- The listing of one type, make or model, in its order, with what the facets read: a value few assets have needs no scan.
CREATE INDEX IF NOT EXISTS search_assets_listing_by_type
  ON search_assets (media_type, date DESC, asset_id, make, ${FACET_COLUMNS}) WHERE live = 1;
CREATE INDEX IF NOT EXISTS search_assets_listing_by_make
  ON search_assets (make_key, date DESC, asset_id, media_type, make, ${FACET_COLUMNS}) WHERE live = 1;
CREATE INDEX IF NOT EXISTS search_assets_listing_by_model
  ON search_assets (model_key, date DESC, asset_id, media_type, make, ${FACET_COLUMNS}) WHERE live = 1;
-- A collection's listing, in its order: a page of a large collection reads a page of it.
CREATE INDEX IF NOT EXISTS search_memberships_listing ON search_memberships (collection_id, date DESC, asset_id);`;

/** Records re-saved at a time when an older file is upgraded. */
const UPGRADE_PAGE = 1_000;

const LISTING_INDEXES = ['search_assets_listing', 'search_assets_listing_by_type', 'search_assets_listing_by_make', 'search_assets_listing_by_model'];

/** A match as an exact search with words reads it (sqliteQuery.ts: scoredWindowSql): its row, facet values and score. */
type ScoredRow = [id: number, facets: string, score: number];

/** The matches a search reads: all of them up to the exact limit, past it the newest SAMPLE_PAST_LIMIT. */
interface Window {
  /** How many match, up to the exact limit. */
  total: number;
  pastLimit: boolean;
  size: number;
  /** Each match's facet values (sqliteQuery.ts: FACET_VALUES), as JSON. */
  facetValues: string[];
}

/** Keyword search on SQLite FTS5, with filters and facets; what a search costs is bounded by the exact limit (sqliteQuery.ts). */
export class SqliteSearchIndex extends SqliteAssetProjection implements SearchIndex {
  protected override readonly savesEveryEvent = false;
  /** Made after upgrade(), as they index columns it may add: not with the schema. */
  protected override readonly queryIndexes = INDEXES;
  private statements;
  private readonly exactLimit: number;

  constructor(path: string, options: SearchIndexOptions = {}) {
    super('projection:search', path, TABLES);
    this.exactLimit = options.exactLimit ?? EXACT_LIMIT;
    this.listMemberships();
    this.foldKeys();
    this.upgrade();
    this.statements = this.prepareStatements();
    this.db.exec(INDEXES);
  }

  private prepareStatements() {
    const columns = ['asset_id', 'version', 'record', 'live', 'name', 'title', 'media_type', 'size', 'date', 'year', 'make', 'model', ...MEDIA_COLUMNS.map(([column]) => column), 'collections', ...KEY_COLUMNS.map(([column]) => column)];
    return {
      get: this.db.prepare<[string], { rowid: number; record: string }>(
        'SELECT rowid, record FROM search_assets WHERE asset_id = ?',
      ),
      put: this.db.prepare(
        `INSERT INTO search_assets (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})
         ON CONFLICT (asset_id) DO UPDATE SET ${columns.slice(1).map((column) => `${column} = excluded.${column}`).join(', ')}
         RETURNING rowid`,
      ),
      deleteText: this.db.prepare('DELETE FROM search_text WHERE rowid = ?'),
      deleteMemberships: this.db.prepare('DELETE FROM search_memberships WHERE asset_rowid = ?'),
      insertMembership: this.db.prepare('INSERT INTO search_memberships (collection_id, asset_rowid, date, asset_id) VALUES (?, ?, ?, ?)'),
      insertText: this.db.prepare(
        `INSERT INTO search_text (rowid, ${COLUMNS.join(', ')}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})`,
      ),
      recordsAfter: this.db.prepare<[number, number], { rowid: number; record: string }>(
        'SELECT rowid, record FROM search_assets WHERE rowid > ? ORDER BY rowid LIMIT ?',
      ),
    };
  }

  /**
   * A file of an older version (its columns differ) gets this version's
   * columns, indexes and text table, filled from the records it holds: it
   * answers as before at once, and what only the log has (a document's text)
   * comes with a rebuild, which `projections status` asks for.
   */
  private upgrade(): void {
    const textColumns = () => this.db.prepare('SELECT * FROM search_text LIMIT 0').columns().map((column) => column.name);
    if (textColumns().join() === COLUMNS.join()) return;
    this.db
      .transaction(() => {
        if (textColumns().join() === COLUMNS.join()) return; // another process upgraded it meanwhile
        const present = new Set(this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('search_assets') as string[]);
        for (const [column, type] of MEDIA_COLUMNS) if (!present.has(column)) this.db.exec(`ALTER TABLE search_assets ADD COLUMN ${column} ${type}`);
        if (!present.has('collections')) this.db.exec(`ALTER TABLE search_assets ADD COLUMN collections TEXT NOT NULL DEFAULT '[]'`);
        for (const index of LISTING_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${index}`);
        this.db.exec('DROP TABLE search_text');
        this.db.exec(TABLES);
        this.statements = this.prepareStatements();
        // A page at a time: the records of a large index do not fit in memory at once, and a read cannot stay open across writes.
        for (let after = 0, page; (page = this.statements.recordsAfter.all(after, UPGRADE_PAGE)).length; after = page.at(-1)!.rowid) {
          for (const { record } of page) this.save(JSON.parse(record));
        }
      })
      .immediate();
  }

  /**
   * Memberships of a file made before collections' listings read them in
   * order get their assets' dates and ids, and those of deleted assets go
   * (every query joined them to live assets anyway).
   */
  private listMemberships(): void {
    const columns = () => this.db.prepare("SELECT name FROM pragma_table_info('search_memberships')").pluck().all() as string[];
    if (columns().includes('date')) return;
    this.db
      .transaction(() => {
        if (columns().includes('date')) return; // another process did it meanwhile
        this.db.exec(`ALTER TABLE search_memberships ADD COLUMN date TEXT;
          ALTER TABLE search_memberships ADD COLUMN asset_id TEXT;
          DELETE FROM search_memberships WHERE asset_rowid IN (SELECT rowid FROM search_assets WHERE live = 0);
          UPDATE search_memberships SET (date, asset_id) = (SELECT date, asset_id FROM search_assets WHERE rowid = asset_rowid);`);
      })
      .immediate();
  }

  /**
   * A file made before the filters compared folded values gets their
   * columns, filled from the records it holds, and the make and model
   * listings indexed by them (made again with INDEXES).
   */
  private foldKeys(): void {
    const present = () => this.db.prepare("SELECT name FROM pragma_table_info('search_assets')").pluck().all() as string[];
    if (present().includes(KEY_COLUMNS[0][0])) return;
    this.db
      .transaction(() => {
        if (present().includes(KEY_COLUMNS[0][0])) return; // another process did it meanwhile
        for (const [column] of KEY_COLUMNS) this.db.exec(`ALTER TABLE search_assets ADD COLUMN ${column} TEXT`);
        this.db.exec('DROP INDEX IF EXISTS search_assets_listing_by_make; DROP INDEX IF EXISTS search_assets_listing_by_model;');
        const page = this.db.prepare<[number, number], { rowid: number; record: string }>('SELECT rowid, record FROM search_assets WHERE rowid > ? ORDER BY rowid LIMIT ?');
        const fill = this.db.prepare(`UPDATE search_assets SET ${KEY_COLUMNS.map(([column]) => `${column} = @${column}`).join(', ')} WHERE rowid = @rowid`);
        for (let after = 0, rows; (rows = page.all(after, UPGRADE_PAGE)).length; after = rows.at(-1)!.rowid) {
          for (const { rowid, record } of rows) fill.run({ rowid, ...keysOf(searchDocument(JSON.parse(record))) });
        }
      })
      .immediate();
  }

  protected load(assetId: string): SearchRecord | undefined {
    const row = this.statements.get.get(assetId);
    return row ? JSON.parse(row.record) : undefined;
  }

  protected override fold(record: SearchRecord | undefined, event: StoredEvent): SearchRecord | undefined {
    return foldSearchRecord(record, event);
  }

  protected save(record: SearchRecord): void {
    const doc = searchDocument(record);
    const live = record.status === 'deleted' ? 0 : 1;
    const { rowid } = this.statements.put.get({
      asset_id: doc.assetId,
      version: record.version,
      record: JSON.stringify(record),
      live,
      name: doc.name,
      title: doc.title,
      media_type: doc.mediaType,
      size: doc.size,
      date: doc.date,
      year: doc.year,
      make: doc.make ?? null,
      model: doc.model ?? null,
      ...Object.fromEntries(MEDIA_COLUMNS.map(([column, , field]) => [column, doc[field] ?? null])),
      collections: JSON.stringify(doc.collections),
      ...keysOf(doc),
    }) as { rowid: number };
    this.statements.deleteText.run(rowid);
    if (live) this.statements.insertText.run(rowid, ...COLUMNS.map((column) => doc[column]));
    this.statements.deleteMemberships.run(rowid);
    if (live) for (const collectionId of doc.collections) this.statements.insertMembership.run(collectionId, rowid, doc.date, doc.assetId);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const words = queryWords(query.q);
    const position = listingPosition(query);
    const matches = matchesOf(query, words);
    // One snapshot for the count, the window and the hits.
    return this.db.transaction(() => {
      const matched = this.statement(countSql(matches)).pluck().get(...matches.params, this.exactLimit + 1) as number;
      const { window, page } =
        words.length && matched <= this.exactLimit
          ? this.rankedWhole(query, words, matches, matched)
          : this.sampled(query, words, matches, matched, position);
      const relation: CountRelation = window.pastLimit ? 'gte' : 'eq';
      const facets = facetsOf(window.facetValues, query.within);
      return { total: window.total, totalRelation: relation, ...page, facets, facetsRelation: relation };
    })();
  }

  /**
   * An exact search with words: every match read once, with its facet values
   * and its score, and the page picked from them here.
   */
  private rankedWhole(query: SearchQuery, words: string[], matches: Matches, matched: number): { window: Window; page: Pick<SearchResult, 'hits'> } {
    const relevance = this.bm25IsBounded(words) ? BM25_RELEVANCE : FREQUENCY_RELEVANCE;
    // Arrays rather than objects: there are up to the exact limit of them.
    const rows = this.statement(scoredWindowSql(matches, relevance)).raw().all(...matches.params, matched) as ScoredRow[];
    const window = { total: matched, pastLimit: false, size: matched, facetValues: rows.map(([, facets]) => facets) };
    const best = rows.slice(query.offset, query.offset + query.limit);
    const found = new Map((this.statement(HITS_BY_ROW_SQL).all(JSON.stringify(best.map(([id]) => id))) as { id: number }[]).map(({ id, ...hit }) => [id, hit]));
    const hits = hitsOf(best.map(([id, , score]) => ({ ...found.get(id), score })));
    return { window, page: { hits: this.highlighted(hits, matches.params[0] as string) } };
  }

  /** A listing, or a search past the exact limit: the facets of the window, and the page read apart. */
  private sampled(
    query: SearchQuery,
    words: string[],
    matches: Matches,
    matched: number,
    position: ListingPlace | undefined,
  ): { window: Window; page: Pick<SearchResult, 'hits' | 'next'> } {
    const window = this.window(matches, matched);
    return { window, page: words.length ? { hits: this.rankedHits(query, matches, window) } : this.listed(query, matches, position) };
  }

  /** The window's facet values: every match's, or past the limit the newest ones'. */
  private window(matches: Matches, matched: number): Window {
    const pastLimit = matched > this.exactLimit;
    const size = pastLimit ? Math.min(SAMPLE_PAST_LIMIT, this.exactLimit) : matched;
    const facetValues = this.statement(windowSql(matches)).pluck().all(...matches.params, size) as string[];
    return { total: Math.min(matched, this.exactLimit), pastLimit, size, facetValues };
  }

  /**
   * A page of the window's matches ranked, with where their words matched:
   * past the exact limit, where each word is in at least as many documents as
   * match them all, so bm25's idf would not be bounded (FREQUENCY_RELEVANCE).
   */
  private rankedHits(query: SearchQuery, matches: Matches, window: Window): SearchHit[] {
    const rows = this.statement(rankedHitsSql(matches, FREQUENCY_RELEVANCE)).all(...matches.params, window.size, query.limit, query.offset);
    return this.highlighted(hitsOf(rows), matches.params[0] as string);
  }

  /** A page of the listing, and the cursor of the next one: one more row than the limit says it exists. */
  private listed(query: SearchQuery, matches: Matches, position: ListingPlace | undefined): Pick<SearchResult, 'hits' | 'next'> {
    const after = position ? [position.date, position.date, position.assetId] : [];
    const rows = this.statement(listedHitsSql(matches, position !== undefined)).all(...matches.params, ...after, query.limit + 1, query.offset);
    return listingPage(hitsOf(rows), query.limit);
  }

  /** The hits with where their words matched, field by field. */
  private highlighted(hits: SearchHit[], match: string): SearchHit[] {
    const rows = this.statement(HIGHLIGHTS_SQL).all(match, JSON.stringify(hits.map((hit) => hit.assetId))) as Record<string, string | null>[];
    const byAsset = new Map(rows.map((row) => [row.assetId, COLUMNS.flatMap((column) => highlightOf(column, row[column]) ?? [])]));
    return hits.map((hit) => ({ ...hit, highlights: byAsset.get(hit.assetId) ?? [] }));
  }

  /** bm25's idf counts every document of each word: bounded only when each word is in at most the exact limit. */
  private bm25IsBounded(words: string[]): boolean {
    const documentsWith = this.statement(DOCUMENTS_WITH_SQL).pluck();
    return words.every((word) => (documentsWith.get(phrase(word), this.exactLimit + 1) as number) <= this.exactLimit);
  }
}

/** The values of KEY_COLUMNS for a search document. */
function keysOf(doc: SearchDocument): Record<string, string | null> {
  return Object.fromEntries(KEY_COLUMNS.map(([column, field]) => [column, doc[field] === undefined ? null : filterKey(doc[field])]));
}

/** Hits from rows of search_assets: a column without a value is left out. */
function hitsOf(rows: unknown[]): SearchHit[] {
  return (rows as Record<string, unknown>[]).map((hit) => Object.fromEntries(Object.entries(hit).filter(([, v]) => v !== null)) as SearchHit);
}
