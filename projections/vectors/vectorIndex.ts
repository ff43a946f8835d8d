import type { ProjectionStore } from '../projection';
import type { SearchHit, SearchQuery } from '../search/searchIndex';

/** A vector space: vectors of one model at one revision, never compared with another's. */
export interface EmbeddingModel {
  id: string;
  revision: string;
}

/** The filters of a search, without the text and the paging: every mode applies them. */
export type SearchFilter = Pick<
  SearchQuery,
  'type' | 'minSize' | 'maxSize' | 'from' | 'to' | 'make' | 'model' | 'minDuration' | 'maxDuration' | 'resolution' | 'codec' | 'collection' | 'within'
>;

export interface VectorQuery {
  model: EmbeddingModel;
  /** Unit length, from the same model. */
  vector: Float32Array;
  k: number;
  filter?: SearchFilter;
  /** Left out of the answer (the asset whose neighbours are asked for). */
  exclude?: string;
  /**
   * Compare the query with every vector: the true k nearest, at the cost of a
   * full scan. Without it a large space is searched approximately (the
   * embedded index past its threshold, OpenSearch always: HNSW graphs that
   * find nearly all of the true neighbours). OpenSearch ignores it.
   */
  exact?: boolean;
}

export interface VectorResult {
  /** Live assets with a vector of this model that pass the filter: the space that was ranked. */
  total: number;
  /** Nearest first; score is the cosine similarity. */
  hits: SearchHit[];
}

/**
 * Nearest-neighbour search over the EmbeddingComputed events on the log: a
 * projection like any other (the embedded backend keeps the vectors in SQLite,
 * OpenSearch keeps them in a knn_vector field of its search documents). It
 * holds the vectors of every model on the log; a query names the model.
 */
export interface VectorIndex extends ProjectionStore {
  knn(query: VectorQuery): Promise<VectorResult>;
  /** An asset's vector in a model's space; undefined when it has none (yet) or is deleted. */
  vectorOf(assetId: string, model: EmbeddingModel): Promise<Float32Array | undefined>;
  /** Every space with live vectors, and how many: shows how far a model switch has come. */
  models(): Promise<(EmbeddingModel & { dimensions: number; count: number })[]>;
}

/** What embeds a search text: the configured model's text encoder. */
export interface TextEncoder {
  readonly model: EmbeddingModel;
  embedText(text: string): Promise<Float32Array>;
}
