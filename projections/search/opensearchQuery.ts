import type { API, Types } from '@opensearch-project/opensearch';
import type { AssetRecord } from '../assetRecord';
import type { SearchRecord } from './searchRecord';
import {
  FRAGMENT_CHARS,
  MATCH_END,
  MATCH_START,
  PREFIX_LENGTH,
  TEXT_FIELDS,
  filterKey,
  highlightOf,
  listingPage,
  listingPosition,
  queryWords,
  searchDocument,
  searchHit,
  type Facet,
  type Highlight,
  type SearchDocument,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  type TextField,
} from './searchIndex';
import { indexedForm } from './opensearchTemplate';

/**
 * SearchQuery → an OpenSearch search body, and its answer → SearchResult,
 * with the embedded index's meaning (projections/search/sqlite.ts): every
 * query word matches a word prefix in some text field; filters on type, size,
 * date (as text) and, ignoring case, make and model; hits by relevance then
 * asset id, or without words by date (newest first) then asset id; facets by
 * count, then by value, over all matches.
 */

/** What the index keeps of each asset for answers: the folded record. */
export interface SearchSource {
  record: SearchRecord;
}

/** Each facet's field; `codecs` holds the video and the audio codec. */
const FACETS = {
  type: 'mediaType',
  make: 'make',
  year: 'year',
  resolution: 'resolution',
  codec: 'codecs',
  duration: 'durationBucket',
  collection: 'collections',
} as const;

/**
 * How a query word matches the indexed word prefixes. A word with marks in it
 * (Arabic vowel marks, Indic vowel signs) comes apart at them into its
 * letters, as the tokenizers of both backends split there: those must then
 * match one after another, as FTS5 matches such a word as a phrase, not each
 * anywhere in a field.
 */
function wordMatch(word: string, fields: string[]) {
  return /\p{M}/u.test(word) ? { query: word, type: 'phrase', fields } : { query: word, type: 'most_fields', operator: 'and', fields };
}

/**
 * A word longer than the indexed prefixes must also match as a prefix of a
 * whole word: a prefix query, which finds every word it begins, where a
 * phrase_prefix query stops at max_expansions of them. It is not analysed,
 * so it names the word as indexed.
 */
function wordClauses(words: string[]) {
  const prefixFields = Object.entries(TEXT_FIELDS).map(([field, weight]) => `${field}.prefix^${weight}`);
  const wholeWord = (word: string) => ({
    bool: { should: Object.keys(TEXT_FIELDS).map((field) => ({ prefix: { [field]: { value: indexedForm(word) } } })), minimum_should_match: 1 },
  });
  return {
    must: words.map((word) => ({ multi_match: wordMatch(word, prefixFields) })),
    filter: words.filter((word) => word.length > PREFIX_LENGTH).map(wholeWord),
  };
}

/**
 * A make, model or codec filter: on the search index, the value's filterKey
 * against the keys each document holds (makeKey, modelKey, codecKeys), so
 * case is folded as the embedded index folds it. A document written without
 * the keys (by a search projection before version 8, or a vector space
 * document written before them) is matched by the value as written, ignoring ASCII case
 * only, until its asset changes or a rebuild.
 */
function nameFilter(field: 'make' | 'model' | 'codecs', value: string, folded: boolean): object {
  const asWritten = { term: { [field]: { value, case_insensitive: true } } };
  if (!folded) return asWritten;
  const key = { make: 'makeKey', model: 'modelKey', codecs: 'codecKeys' }[field];
  const unkeyed = { bool: { must_not: [{ exists: { field: key } }], filter: [asWritten] } };
  return { bool: { should: [{ term: { [key]: filterKey(value) } }, unkeyed], minimum_should_match: 1 } };
}

/**
 * A document's codecs (the video's and the audio's, for the codec filter and
 * facet) and the filter keys nameFilter compares: make, model and codecs
 * case folded.
 */
export function nameFields(doc: Pick<SearchDocument, 'make' | 'model' | 'videoCodec' | 'audioCodec'>) {
  const codecs = [...new Set([doc.videoCodec, doc.audioCodec].filter((codec) => codec !== undefined))];
  return { codecs, makeKey: doc.make && filterKey(doc.make), modelKey: doc.model && filterKey(doc.model), codecKeys: [...new Set(codecs.map(filterKey))] };
}

/** The filters of a query; `folded`: by the search index's filter keys (nameFilter). */
export function filterClauses(query: Omit<SearchQuery, 'q' | 'offset' | 'limit'>, folded = false): object[] {
  const filters: object[] = [];
  if (query.type) filters.push({ term: { mediaType: query.type } });
  if (query.minSize !== undefined || query.maxSize !== undefined) {
    filters.push({ range: { size: { gte: query.minSize, lte: query.maxSize } } });
  }
  if (query.from !== undefined || query.to !== undefined) {
    // Every time on the 'to' day sorts before "to~".
    filters.push({ range: { 'date.text': { gte: query.from, lte: query.to && `${query.to}~` } } });
  }
  if (query.make !== undefined) filters.push(nameFilter('make', query.make, folded));
  if (query.model !== undefined) filters.push(nameFilter('model', query.model, folded));
  if (query.minDuration !== undefined || query.maxDuration !== undefined) {
    filters.push({ range: { duration: { gte: query.minDuration, lte: query.maxDuration } } });
  }
  if (query.resolution !== undefined) filters.push({ term: { resolution: query.resolution } });
  if (query.codec !== undefined) filters.push(nameFilter('codecs', query.codec, folded));
  if (query.collection !== undefined) filters.push({ term: { collections: query.collection } });
  // What the caller may see, in the query's filter: a page is never filtered after it is cut.
  if (query.within !== undefined) filters.push({ terms: { collections: [...query.within] } });
  return filters;
}

/**
 * Top 20 values by count, then by value; of the collections, only those the
 * caller may see. Each shard reports every value of its sample (shard_size,
 * the sample's size): with its default, a few more than 20, the counts over
 * several shards leave out a value's share on the shards that did not rank it
 * high, and a facet called exact is not.
 */
const facetAggregation = (field: string, shardSize: number, within?: readonly string[]) => ({
  // Client 3.9 typings lack `field` on terms aggregations.
  terms: {
    field,
    size: 20,
    shard_size: shardSize,
    order: [{ _count: 'desc' }, { _key: 'asc' }],
    ...(field === FACETS.collection && within && { include: [...within] }),
  } as Types.Common_Aggregations.TermsAggregationFields,
});

/**
 * Facets over a sample: each shard's `exactLimit` best-scoring matches (a
 * sampler aggregation). That is every match up to the exact limit; past it,
 * a sample of that size, as in the embedded index (docs/search.md).
 */
const sampledFacets = (exactLimit: number, within?: readonly string[]) => ({
  sample: {
    sampler: { shard_size: exactLimit },
    aggs: Object.fromEntries(Object.entries(FACETS).map(([facet, field]) => [facet, facetAggregation(field, exactLimit, within)])),
  },
});

const TEXT_FIELD_NAMES = Object.keys(TEXT_FIELDS) as TextField[];

/**
 * Matches marked as the embedded index marks them: on the `.prefix` sub-field
 * that the words matched (its edge n-grams carry the whole word's offsets,
 * so the whole word is marked), one fragment a field, none for a field
 * without a match. The plain highlighter: the unified one drops a leading
 * MATCH_START, the fast vector one needs term vectors the index has not.
 */
const highlight = {
  type: 'plain',
  pre_tags: [MATCH_START],
  post_tags: [MATCH_END],
  fields: Object.fromEntries(TEXT_FIELD_NAMES.map((field) => [`${field}.prefix`, { fragment_size: FRAGMENT_CHARS, number_of_fragments: 1, no_match_size: 0 }])),
};

/**
 * The hit's highlights, from OpenSearch's, in TEXT_FIELDS' order. A query
 * word longer than the indexed prefixes is marked by its first PREFIX_LENGTH
 * letters, so every word that shares them is marked with it: such a mark on a
 * word that the query word does not begin is taken off, as FTS5 marks only
 * the words a query word begins. A field left with no mark has no highlight.
 */
function highlightsOf(words: string[], marked: Record<string, string[]> = {}): Highlight[] {
  const highlights = TEXT_FIELD_NAMES.flatMap((field) => highlightOf(field, marked[`${field}.prefix`]?.[0]) ?? []);
  if (words.every((word) => word.length <= PREFIX_LENGTH)) return highlights;
  const prefixes = words.map(indexedForm);
  const begun = (word: string) => prefixes.some((prefix) => indexedForm(word).startsWith(prefix));
  return highlights.flatMap(({ field, parts }) => {
    const kept = [parts[0]!];
    for (let i = 1; i < parts.length; i += 2) {
      if (begun(parts[i]!)) kept.push(parts[i]!, parts[i + 1] ?? '');
      else kept[kept.length - 1] += parts[i]! + (parts[i + 1] ?? '');
    }
    return kept.length > 1 ? [{ field, parts: kept }] : [];
  });
}

/**
 * Counts stop at the exact limit (track_total_hits), then say 'gte'; hits are
 * ranked over every match. A listing (no words) asks for one hit more than
 * its limit, which says that a next page exists, and starts after its
 * position, if any (search_after, with from 0).
 */
export function searchBody(query: SearchQuery, exactLimit: number): API.Search_Request['body'] {
  const words = queryWords(query.q);
  const { must, filter } = wordClauses(words);
  const position = listingPosition(query);
  return {
    from: query.offset,
    size: words.length ? query.limit : query.limit + 1,
    ...(position && { search_after: [position.date, position.assetId] }),
    track_total_hits: exactLimit,
    // A hit shows no document text: up to INDEXED_TEXT_MAX_CHARS each, it would be most of the answer.
    _source: { includes: ['record'], excludes: ['record.documentText'] },
    query: { bool: { must, filter: [...filter, ...filterClauses(query, true)], must_not: [{ term: { status: 'deleted' } }] } },
    sort: words.length ? [{ _score: 'desc' }, { assetId: 'asc' }] : [{ 'date.text': 'desc' }, { assetId: 'asc' }],
    aggs: sampledFacets(exactLimit, query.within),
    ...(words.length && { highlight }),
  } as never;
}

export function hitOf(record: AssetRecord, score: number): SearchHit {
  return searchHit(searchDocument(record), score);
}

type Buckets = { buckets: Array<{ key: string; doc_count: number }> };

export function searchResult(query: SearchQuery, body: API.Search_ResponseBody): SearchResult {
  const scored = queryWords(query.q).length > 0;
  const sample = body.aggregations?.sample as unknown as Record<keyof typeof FACETS, Buckets>;
  const facet = (name: keyof typeof FACETS): Facet[] =>
    sample[name].buckets.map((bucket) => ({ value: String(bucket.key), count: bucket.doc_count }));
  const total = body.hits.total;
  // The sample holds every match unless there are more than the exact limit, which the total says.
  const relation = typeof total === 'object' && total.relation === 'gte' ? 'gte' : 'eq';
  return {
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    totalRelation: relation,
    // Without words every hit scores 0, as in the embedded index.
    ...(scored
      ? { hits: body.hits.hits.map((hit) => ({ ...hitOf((hit._source as SearchSource).record, hit._score ?? 0), highlights: highlightsOf(queryWords(query.q), hit.highlight) })) }
      : listingPage(
          body.hits.hits.map((hit) => hitOf((hit._source as SearchSource).record, 0)),
          query.limit,
        )),
    facets: Object.fromEntries(Object.keys(FACETS).map((name) => [name, facet(name as keyof typeof FACETS)])) as SearchResult['facets'],
    facetsRelation: relation,
  };
}
