/**
 * The OpenSearch index template of the search projection: every generation
 * (`ALIAS-initial`, `ALIAS-vVERSION-…`) gets these settings and mappings when
 * it is created, so a rebuild picks up a changed template and the live index
 * keeps its own.
 *
 * Text is analysed to match the embedded index (SQLite FTS5, tokenizer
 * `unicode61 remove_diacritics 2`): words are runs of letters and digits,
 * lower-cased, Latin diacritics removed. Every query word matches as a word
 * prefix, through edge n-grams of each word in a `.prefix` sub-field, up to
 * PREFIX_LENGTH; a longer query word is also checked with a prefix query on
 * the whole words (opensearchQuery.ts), so it never matches more than the
 * embedded index would. The fields and their weights are the embedded
 * index's (TEXT_FIELDS).
 */
import { PREFIX_LENGTH, TEXT_FIELDS } from './searchIndex';

/** Raised when the template changes; indices made from an older one keep it until the next rebuild. */
// 2: creator and people, document text, the video and audio fields, and collections; 3: the Greek final sigma folded;
// 4: a result window one hit larger; 5: make, model and codecs case folded, for their filters
export const TEMPLATE_VERSION = 5;

/**
 * Latin letters with diacritics → their ASCII base letter, from the Unicode
 * decompositions: what FTS5's remove_diacritics does (it also differs on ǡ
 * and ſ only). Letters without an ASCII base (ø, æ, ß) stay as they are, as
 * in FTS5, which asciifolding would not do.
 */
function diacriticFolding(): Map<string, string> {
  const latin = [
    [0x00c0, 0x024f],
    [0x1e00, 0x1eff],
  ];
  const folding = new Map<string, string>();
  for (const [first, last] of latin) {
    for (let code = first!; code <= last!; code++) {
      const letter = String.fromCodePoint(code);
      const base = letter.normalize('NFD').replace(/\p{M}/gu, '');
      if (base !== letter && /^[A-Za-z]$/.test(base)) folding.set(letter, base);
    }
  }
  // Greek final sigma: FTS5 folds it to σ, as it folds case.
  folding.set('ς', 'σ');
  return folding;
}

const FOLDING = diacriticFolding();

/**
 * A word as the `words` analyzer indexes it: lower case, Latin diacritics
 * removed, ς as σ. A query that the engine does not analyse (a prefix query
 * on the whole words) names the word so.
 */
export function indexedForm(word: string): string {
  const lower = word.normalize('NFC').toLowerCase().replace(/i\u0307/g, 'i');
  return Array.from(lower, (letter) => FOLDING.get(letter) ?? letter).join('').toLowerCase();
}

const text = {
  type: 'text',
  analyzer: 'words',
  fields: { prefix: { type: 'text', analyzer: 'word_prefixes', search_analyzer: 'query_words' } },
};
/** Longer values are kept in the record but not indexed: an absurd EXIF string must not stop the projection. */
const keyword = { type: 'keyword', ignore_above: 1024 };

/**
 * The search fields of the mapping, without the vectors. Fields are only ever
 * added: an index of an older template gets the new ones when opened
 * (a mapping may grow), and its documents get values at the next rebuild.
 */
export const SEARCH_FIELDS = {
    assetId: { type: 'keyword' },
    status: { type: 'keyword' },
    ...Object.fromEntries(Object.keys(TEXT_FIELDS).map((field) => [field, text])),
    mediaType: { type: 'keyword' },
    extension: { type: 'keyword' },
    make: keyword,
    model: keyword,
    year: { type: 'keyword' },
    // The ids of the collections the asset is in: a filter, a facet, and what a viewer may see.
    collections: { type: 'keyword' },
    size: { type: 'long' },
    // Video and audio (mediaClasses.ts); `codecs` holds both codecs, for the codec filter and facet.
    duration: { type: 'double' },
    durationBucket: { type: 'keyword' },
    resolution: { type: 'keyword' },
    videoCodec: keyword,
    audioCodec: keyword,
    codecs: keyword,
    // make, model and codecs case folded (filterKey): what their filters compare.
    makeKey: keyword,
    modelKey: keyword,
    codecKeys: keyword,
    // The capture date as written (local time, zone when known) or the ingest time. `date` is the
    // instant, for date histograms; `date.text` sorts and filters the way the embedded index does:
    // by the text itself, so "2024-05-01T01:00:00+02:00" is on May 1 as the camera said.
    date: { type: 'date', ignore_malformed: true, fields: { text: { type: 'keyword' } } },
    // The folded asset record the projection continues from: kept, never indexed.
    record: { type: 'object', enabled: false },
};

export interface TemplateOptions {
  /** The alias searches use; the template applies to its generations. */
  alias: string;
  /** Of the image embeddings the knn_vector field will hold (issue 6). */
  vectorDimensions: number;
  shards: number;
}

export function searchIndexTemplate({ alias, vectorDimensions, shards }: TemplateOptions) {
  const analysis = {
    char_filter: { diacritics: { type: 'mapping', mappings: [...FOLDING].map(([letter, base]) => `${letter} => ${base}`) } },
    tokenizer: { words: { type: 'pattern', pattern: '[^\\p{L}\\p{N}]+' } },
    filter: {
      // Lucene refuses a term over 32 KB: cut absurd words instead of refusing the asset.
      long_words: { type: 'truncate', length: 1000 },
      word_prefixes: { type: 'edge_ngram', min_gram: 1, max_gram: PREFIX_LENGTH },
      query_prefix: { type: 'truncate', length: PREFIX_LENGTH },
    },
    analyzer: {
      words: { tokenizer: 'words', char_filter: ['diacritics'], filter: ['lowercase', 'long_words'] },
      word_prefixes: { tokenizer: 'words', char_filter: ['diacritics'], filter: ['lowercase', 'word_prefixes'] },
      query_words: { tokenizer: 'words', char_filter: ['diacritics'], filter: ['lowercase', 'query_prefix'] },
    },
  };
  return {
    index_patterns: [`${alias}-initial`, `${alias}-v*`],
    priority: 200,
    version: TEMPLATE_VERSION,
    _meta: { owner: 'medialake', source: 'projections/search/opensearchTemplate.ts' },
    template: {
      settings: {
        index: {
          number_of_shards: shards,
          // k-NN search on `embedding`; the lucene engine needs no native libraries.
          knn: true,
          // SearchQuery allows offset 10,000 with limit 200, and a listing asks for one hit more, which says a next page exists.
          max_result_window: 10_201,
        },
        analysis,
      },
      mappings: {
        // A field the code does not name here is a bug: refuse it loudly.
        dynamic: 'strict',
        properties: {
          ...SEARCH_FIELDS,
          /*
           * Image embeddings (issue 6), not written yet. HNSW on the lucene engine: the default
           * engine (faiss) needs native libraries and, without them, hangs the node's writes.
           * Vectors of different models are never compared: a knn query filters on
           * embeddingModel inside the knn clause (pre-filtering):
           *   { knn: { embedding: { vector, k, filter: { term: { embeddingModel: MODEL } } } } }
           * EmbeddingComputed vectors are l2-normalised, so cosine similarity is their dot product.
           */
          embedding: {
            type: 'knn_vector',
            dimension: vectorDimensions,
            method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil' },
          },
          embeddingModel: { type: 'keyword' },
        },
      },
    },
  };
}

/** The checkpoint index: one small document per generation, holding the log positions it reflects. */
export const checkpointIndexBody = {
  settings: { index: { number_of_shards: 1 } },
  mappings: {
    dynamic: 'strict',
    properties: {
      index: { type: 'keyword' },
      positions: { type: 'object', enabled: false },
      updatedAt: { type: 'date' },
    },
  },
} as const;
