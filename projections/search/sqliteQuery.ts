import { FRAGMENT_WORDS, TEXT_FIELDS, filterKey, type SearchDocument, type SearchQuery } from './searchIndex';

/**
 * SearchQuery → the SQL of the embedded index (projections/search/sqlite.ts),
 * bounded by the exact limit rather than by how many assets match:
 *
 * - the count: how many match, up to the exact limit and one more (which
 *   says there are more), without reading the matches.
 * - the window: the matches whose facets are counted and which are ranked:
 *   every match up to the exact limit, past it a sample. With words, the most
 *   recently indexed matches: FTS5 walks its rowids backwards and stops.
 *   Without, the first ones in the listing's order, from an index in that order.
 * - hits: with words, the window ranked by relevance; without, a page of the
 *   listing, bounded by offset or a position (a cursor), and limit.
 */

export const COLUMNS = Object.keys(TEXT_FIELDS) as (keyof typeof TEXT_FIELDS)[];

/** The columns of search_assets for video and audio: name, SQL type, and the search document's field. */
export const MEDIA_COLUMNS = [
  ['duration', 'REAL', 'duration'],
  ['duration_bucket', 'TEXT', 'durationBucket'],
  ['resolution', 'TEXT', 'resolution'],
  ['video_codec', 'TEXT', 'videoCodec'],
  ['audio_codec', 'TEXT', 'audioCodec'],
] as const satisfies readonly (readonly [string, string, keyof SearchDocument])[];

/** The columns of search_assets that the make, model and codec filters compare (filterKey), and the search document's field each folds. */
export const KEY_COLUMNS = [
  ['make_key', 'make'],
  ['model_key', 'model'],
  ['video_codec_key', 'videoCodec'],
  ['audio_codec_key', 'audioCodec'],
] as const satisfies readonly (readonly [string, keyof SearchDocument])[];

/** What a hit shows, from search_assets `a`. */
const HIT_COLUMNS =
  'a.asset_id AS assetId, a.name AS originalName, a.title, a.media_type AS mediaType, a.size, a.date, a.make, a.model, ' +
  'a.duration, a.resolution, a.video_codec AS videoCodec, a.audio_codec AS audioCodec';

/** The matching live assets (FROM … WHERE …, with search_assets as `a`) and the order of their window. */
export interface Matches {
  from: string;
  where: string;
  /** FROM … WHERE … enough to count them, with the same parameters. */
  counted: string;
  params: unknown[];
  /** The scan follows it (FTS5's rowids, or the listing's index), so it stops once the window is full. */
  order: string;
  /** A listing's rows after a place: parameters its date twice and asset id, in the order's columns, so that it is a range of the index. */
  after?: string;
}

/** The rows listed after a place, of a listing ordered by `date DESC, assetId`. */
const listedAfter = (date: string, assetId: string) => `${date} <= ? AND (${date} < ? OR ${assetId} > ?)`;

/** Every query word matches a word prefix; FTS5's prefix indexes answer each like a whole word. */
export const phrase = (word: string) => `"${word}"*`;

/**
 * The collections filter (one collection, or a viewer's scope: a JSON array),
 * as the scan that the filter joins reads best. A listing reads the
 * collections' memberships once, into a list of rows its index scan checks;
 * a search with words checks each match's own memberships as FTS5 yields it,
 * before the match's row is read: a rare word costs its few matches, where
 * reading every membership of the collections first cost more than the
 * search (2.4 ms against 0.03 for ten matches within 10,000 memberships).
 */
function inCollections(withWords: boolean, collections: string): string {
  return withWords
    ? `EXISTS (SELECT 1 FROM search_memberships m WHERE m.asset_rowid = search_text.rowid AND m.collection_id IN (${collections}))`
    : `a.rowid IN (SELECT asset_rowid FROM search_memberships WHERE collection_id IN (${collections}))`;
}

/**
 * What a search filters on. `drivenBy`: the collection whose memberships a
 * listing reads in its order (search_memberships_listing), where testing the
 * library's listing against them read the whole library; that filter is then
 * not among the clauses.
 */
function filterClauses(query: SearchQuery, withWords: boolean, drivenBy?: string): { clauses: string[]; params: unknown[]; onAssets: boolean } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const filter = (clause: string, value: unknown) => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  filter('a.media_type = ?', query.type);
  filter('a.size >= ?', query.minSize);
  filter('a.size <= ?', query.maxSize);
  filter('a.date >= ?', query.from);
  // An inclusive end: every time on the 'to' day sorts before the day followed by '~'.
  filter('a.date <= ?', query.to && `${query.to}~`);
  filter('a.make_key = ?', query.make && filterKey(query.make));
  filter('a.model_key = ?', query.model && filterKey(query.model));
  filter('a.duration >= ?', query.minDuration);
  filter('a.duration <= ?', query.maxDuration);
  filter('a.resolution = ?', query.resolution);
  filter('? IN (a.video_codec_key, a.audio_codec_key)', query.codec && filterKey(query.codec));
  // Filters of the asset's row above; of its memberships below, which the matches of words check without reading the row.
  const onAssets = clauses.length > 0;
  if (drivenBy === undefined) filter(inCollections(withWords, '?'), query.collection);
  // What the caller may see, in the same WHERE as every filter: a page is never filtered after it is cut.
  filter(inCollections(withWords, 'SELECT value FROM json_each(?)'), query.within && JSON.stringify(query.within));
  return { clauses, params, onAssets };
}

export function matchesOf(query: SearchQuery, words: string[]): Matches {
  if (!words.length && query.collection !== undefined) return collectionListing(query, query.collection);
  const { clauses, params, onAssets } = filterClauses(query, words.length > 0);
  if (!words.length) {
    const where = ['a.live = 1', ...clauses].join(' AND ');
    return { from: 'search_assets a', where, counted: `search_assets a WHERE ${where}`, params, order: 'a.date DESC, a.asset_id', after: listedAfter('a.date', 'a.asset_id') };
  }
  // CROSS JOIN keeps FTS5 outside, where its order lets the scan stop: SQLite could start from a filter's index.
  const from = 'search_text CROSS JOIN search_assets a ON a.rowid = search_text.rowid';
  const where = ['search_text MATCH ?', 'a.live = 1', ...clauses].join(' AND ');
  return {
    from,
    where,
    // FTS5 holds live assets only: without filters of the asset's row, counting needs none.
    counted: onAssets ? `${from} WHERE ${where}` : ['search_text WHERE search_text MATCH ?', ...clauses].join(' AND '),
    params: [words.map(phrase).join(' '), ...params],
    order: 'search_text.rowid DESC',
  };
}

/**
 * A collection's listing: its memberships in the listing's order (they hold
 * live assets only, with their dates), each joined to its asset for the
 * other filters, the facets and the page; counted from the memberships alone
 * when there are no other filters.
 */
function collectionListing(query: SearchQuery, collection: string): Matches {
  const { clauses, params } = filterClauses(query, false, collection);
  const from = 'search_memberships c CROSS JOIN search_assets a ON a.rowid = c.asset_rowid';
  const where = ['c.collection_id = ?', 'a.live = 1', ...clauses].join(' AND ');
  return {
    from,
    where,
    counted: clauses.length ? `${from} WHERE ${where}` : 'search_memberships c WHERE c.collection_id = ?',
    params: [collection, ...params],
    order: 'c.date DESC, c.asset_id',
    after: listedAfter('c.date', 'c.asset_id'),
  };
}

/** How many match, up to `?`. Parameters: the matches', the most to count. */
export function countSql(matches: Matches): string {
  return `SELECT count(*) FROM (SELECT 1 FROM ${matches.counted} LIMIT ?)`;
}

/** A match's facet values, in facetCounts.ts's order. */
const FACET_VALUES = 'json_array(a.media_type, a.make, a.year, a.resolution, a.duration_bucket, a.video_codec, a.audio_codec, json(a.collections))';

/**
 * The facet values of the window's matches, in its order, one JSON array a
 * match (facetCounts.ts reads it): one string, where a column each would
 * cost better-sqlite3 a JS value each a row, on the largest read of a search.
 * Parameters: the matches', the window's size.
 */
export function windowSql(matches: Matches): string {
  return `SELECT ${FACET_VALUES} FROM ${matches.from} WHERE ${matches.where} ORDER BY ${matches.order} LIMIT ?`;
}

/** How hits are ranked: columns computed per match in FTS5's context, and a score from them. */
export interface Relevance {
  columns: string;
  /** The score from them (higher first), given how the window's mean length (in characters) is read. */
  score(meanLength: string): string;
}

/**
 * bm25 per column, weighted, summed: what OpenSearch scores (a most_fields
 * query, each field boosted by its weight). FTS5's bm25() with the weights
 * sums the weighted instances of a word over the columns before it saturates
 * them, so a title match (10) scored about as much as a word said a few times
 * in a description (2 each), and the row's length then put the title below.
 * Here each column saturates alone (bm25 with that column's weight 1 and the
 * others 0), so a title match counts five times a description's, as there.
 * The length is still the row's, not the column's: FTS5 gives a ranking
 * function no other. Exact, but its idf counts every document of each word
 * (see below).
 */
export const BM25_RELEVANCE: Relevance = {
  columns: `-(${COLUMNS.map((column, index) => `${TEXT_FIELDS[column]} * bm25(search_text, ${COLUMNS.map((_, other) => (other === index ? '1' : '0')).join(', ')})`).join(' + ')}) AS bm25`,
  score: () => 'w.bm25',
};

/** bm25's k1 and b, as FTS5 has them. */
const K1 = 1.2;
const B = 0.75;

/** The query words' instances in a column: highlight() marks each with one character. */
const instances = (column: string, index: number) => `(length(highlight(search_text, ${index}, char(1), '')) - length(search_text.${column}))`;

/** A column's instances saturated by k1 against the row's length (`norm`), as bm25 does, times its weight. */
const saturated = (column: string, norm: string) => `${TEXT_FIELDS[column as keyof typeof TEXT_FIELDS]} * w.n_${column} * ${K1 + 1} / (w.n_${column} + ${K1} * ${norm})`;

/**
 * bm25 without its idf, for words in more documents than the exact limit.
 * FTS5's bm25 computes each word's idf by counting every document that has
 * it, at every query: 25 ms for a word in a million documents, however few
 * hits are asked for. This score keeps the rest of bm25, from what each row
 * holds: the words' instances per column, each column saturated by k1 and
 * weighted as in BM25_RELEVANCE, against the row's length (in characters)
 * over the average of the ranked matches. Within a search every match has
 * every word, so the idf only weighed the words against each other: here they
 * weigh the same. For one word the order is BM25_RELEVANCE's, but for lengths
 * counted in characters rather than words. It reads each match's text for
 * highlight(): about 2.5 µs a match.
 */
export const FREQUENCY_RELEVANCE: Relevance = {
  columns: `${COLUMNS.map((column, index) => `${instances(column, index)} AS n_${column}`).join(',\n    ')},
    ${COLUMNS.map((column) => `length(search_text.${column})`).join(' + ')} AS characters`,
  score: (meanLength) => `(${COLUMNS.map((column) => saturated(column, `(${1 - B} + ${B} * w.characters / ${meanLength})`)).join(' + ')})`,
};

/**
 * A page of the newest matches ranked, best first, then by asset id; only
 * the page's rows are read whole. Parameters: the matches', how many of the
 * newest are ranked, limit, offset.
 */
export function rankedHitsSql(matches: Matches, relevance: Relevance): string {
  return `WITH window AS MATERIALIZED (
      SELECT search_text.rowid AS id, a.asset_id AS asset_id, ${relevance.columns}
      FROM ${matches.from} WHERE ${matches.where} ORDER BY ${matches.order} LIMIT ?),
    page AS (SELECT w.id, ${relevance.score('(SELECT max(avg(characters), 1) FROM window)')} AS score FROM window w ORDER BY score DESC, w.asset_id LIMIT ? OFFSET ?)
    SELECT ${HIT_COLUMNS}, page.score AS score FROM page JOIN search_assets a ON a.rowid = page.id
    ORDER BY page.score DESC, a.asset_id`;
}

/**
 * Every match, up to the exact limit, best first, then by asset id: its row,
 * its facet values and its score, as [id, facets, score]. What an exact search
 * with words needs of all of them, read in one pass (a second, for the page,
 * would join and score every match again): the caller counts the facets and
 * takes the page. Parameters: the matches', how many there are.
 */
export function scoredWindowSql(matches: Matches, relevance: Relevance): string {
  return `WITH window AS MATERIALIZED (
      SELECT search_text.rowid AS id, a.asset_id AS asset_id, ${FACET_VALUES} AS facets, ${relevance.columns}
      FROM ${matches.from} WHERE ${matches.where} ORDER BY ${matches.order} LIMIT ?)
    SELECT w.id, w.facets, ${relevance.score('max(avg(w.characters) OVER (), 1)')} AS score FROM window w ORDER BY score DESC, w.asset_id`;
}

/** The hits of these rows (their rowids as JSON), in no order. */
export const HITS_BY_ROW_SQL = `SELECT a.rowid AS id, ${HIT_COLUMNS} FROM search_assets a WHERE a.rowid IN (SELECT value FROM json_each(?))`;

/**
 * A page of the listing, newest first, then by asset id; every score 0.
 * Parameters: the matches', with `after` its date twice and asset id, limit,
 * offset. A page after a position is a range of the listing's index.
 */
export function listedHitsSql(matches: Matches, after: boolean): string {
  const where = after ? `${matches.where} AND ${matches.after}` : matches.where;
  return `SELECT ${HIT_COLUMNS}, 0 AS score FROM ${matches.from} WHERE ${where} ORDER BY ${matches.order} LIMIT ? OFFSET ?`;
}

/** How many documents have the word, up to `?`: what bm25's idf would count. */
export const DOCUMENTS_WITH_SQL = 'SELECT count(*) FROM (SELECT 1 FROM search_text WHERE search_text MATCH ? LIMIT ?)';

/**
 * Each text column of a page's hits with the matches marked (char(2) before,
 * char(3) after: MATCH_START, MATCH_END), or FRAGMENT_WORDS words of a longer
 * one around them: snippet() needs FTS5's match context, so it runs for the
 * page alone. Parameters: the MATCH expression, the page's asset ids as JSON.
 */
export const HIGHLIGHTS_SQL = `SELECT a.asset_id AS assetId,
    ${COLUMNS.map((column, index) => `snippet(search_text, ${index}, char(2), char(3), '…', ${FRAGMENT_WORDS}) AS ${column}`).join(',\n    ')}
  FROM search_text JOIN search_assets a ON a.rowid = search_text.rowid
  WHERE search_text MATCH ? AND search_text.rowid IN (SELECT rowid FROM search_assets WHERE asset_id IN (SELECT value FROM json_each(?)))`;
