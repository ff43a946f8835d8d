import { z } from 'zod';
import { reciprocalRankFusion } from '../search/rankFusion';
import { facetsOf } from '../search/facetCounts';
import { queryWords, SearchQuery, type SearchHit, type SearchIndex, type SearchResult } from '../search/searchIndex';
import type { EmbeddingModel, TextEncoder, VectorIndex } from './vectorIndex';

export const SEARCH_MODES = ['keyword', 'semantic', 'hybrid'] as const;

/**
 * A search in one of three modes: keyword (the default: words in names, titles,
 * tags, descriptions, cameras), semantic (the text's CLIP embedding against the
 * images'), hybrid (both rankings fused). The filters apply in every mode.
 */
/** The most matches semantic search ranks. */
const MAX_RANKED = 10_000;

export const ModeSearchQuery = SearchQuery.extend({
  mode: z.enum(SEARCH_MODES).default('keyword'),
  /** Rank against every image's vector instead of searching the approximate index (slow on a large library). */
  exact: z.stringbool().optional(),
})
  .refine((query) => query.mode === 'keyword' || Boolean(query.q?.trim()), { message: 'semantic and hybrid search need a text to look for', path: ['q'] })
  .refine((query) => query.mode === 'keyword' || query.after === undefined, {
    message: 'a cursor pages a listing (no words): page semantic and hybrid search by offset',
    path: ['after'],
  })
  // OpenSearch's k-NN finds at most 10,000 neighbours; the embedded index keeps to the same.
  .refine((query) => query.mode !== 'semantic' || query.offset + query.limit <= MAX_RANKED, {
    message: `semantic search ranks the first ${MAX_RANKED.toLocaleString('en-US')} matches: offset + limit at most that`,
    path: ['offset'],
  });
export type ModeSearchQuery = z.infer<typeof ModeSearchQuery>;

export type ModeSearchResult = SearchResult & { mode: ModeSearchQuery['mode']; model?: EmbeddingModel };

export interface SearchBackends {
  search: SearchIndex;
  vectors: VectorIndex;
  /** The configured model's text encoder; undefined when embeddings are off. */
  encoder?: TextEncoder;
}

export class EmbeddingsDisabledError extends Error {
  readonly code = 'EMBEDDINGS_DISABLED';
  constructor(what: string) {
    super(`${what} needs an embedding model: set embeddings.model (env MEDIALAKE_EMBEDDING_MODEL) to a CLIP model folder or hub id`);
  }
}

export function isEmbeddingsDisabled(error: unknown): error is EmbeddingsDisabledError {
  return error instanceof EmbeddingsDisabledError;
}

/**
 * How deep each ranking goes before fusion, the same for every page: a depth
 * that grew with the page fused other rankings for each, so pages repeated
 * and skipped hits and the total moved. Hits past it are not found by hybrid
 * search.
 */
const FUSION_DEPTH = 500;

/**
 * The keyword search. A text with no word in it (punctuation, an emoji)
 * finds nothing, as an analyser that leaves no term of it does; no text at
 * all lists the library.
 */
function keywordSearch(index: SearchIndex, query: SearchQuery): Promise<SearchResult> {
  if (query.q?.trim() && queryWords(query.q).length === 0) return Promise.resolve({ total: 0, totalRelation: 'eq', hits: [], facets: facetsOf([]), facetsRelation: 'eq' });
  return index.search(query);
}

export async function searchInMode(backends: SearchBackends, query: ModeSearchQuery): Promise<ModeSearchResult> {
  const { mode, exact, ...keywordQuery } = query;
  if (mode === 'keyword') return { mode, ...(await keywordSearch(backends.search, keywordQuery)) };
  const encoder = backends.encoder;
  if (!encoder) throw new EmbeddingsDisabledError(`${mode} search`);
  const { q, limit, offset, ...filter } = keywordQuery;
  const model = encoder.model;
  const [vector, { facets, facetsRelation }] = await Promise.all([
    encoder.embedText(q!),
    // The facets of the filtered library: the space every semantic ranking orders.
    backends.search.search({ ...filter, limit: 1, offset: 0 }),
  ]);
  if (mode === 'semantic') {
    const { total, hits } = await backends.vectors.knn({ model, vector, k: offset + limit, filter, exact });
    return { mode, model, total, totalRelation: 'eq', hits: hits.slice(offset), facets, facetsRelation };
  }
  const [keyword, semantic] = await Promise.all([
    keywordSearch(backends.search, { ...keywordQuery, limit: FUSION_DEPTH, offset: 0 }),
    backends.vectors.knn({ model, vector, k: FUSION_DEPTH, filter, exact }),
  ]);
  const byId = new Map<string, SearchHit>([...semantic.hits, ...keyword.hits].map((hit) => [hit.assetId, hit]));
  const fused = reciprocalRankFusion([keyword.hits.map((hit) => hit.assetId), semantic.hits.map((hit) => hit.assetId)]);
  return {
    mode,
    model,
    total: fused.length,
    // Either ranking cut at its depth leaves matches unfused: the total is then a lower bound.
    totalRelation: keyword.hits.length === FUSION_DEPTH || semantic.hits.length === FUSION_DEPTH ? 'gte' : 'eq',
    hits: fused.slice(offset, offset + limit).map(({ id, score }) => ({ ...byId.get(id)!, score })),
    facets,
    facetsRelation,
  };
}
