import { z } from 'zod';
import { wholeNumber, decimalNumber } from '../../schemas/queryNumbers';
import { CollectionId, MediaType } from '../../schemas/events';
import type { ProjectionStore } from '../projection';
import { ERASED, subjectFold } from '../../schemas/personal';
import { DURATION_BUCKETS, RESOLUTION_CLASSES, durationBucket, resolutionClass } from './mediaClasses';
import type { SearchRecord } from './searchRecord';
import { capturedAt } from '../assetRecord';
import { InvalidCursorError } from '../audit/auditTrail';
import { cursorOf, placeOf, type ListingPlace } from '../listingCursor';

/** A keyword search with filters; every backend answers it the same way. */
export const SearchQuery = z.object({
  q: z.string().max(500).optional(),
  type: MediaType.optional(),
  minSize: wholeNumber(z.number().int().nonnegative().optional()),
  maxSize: wholeNumber(z.number().int().nonnegative().optional()),
  /** Inclusive date range (YYYY-MM-DD…) on the capture date, or the ingest date when there is none. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a date like 2024-01-31').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a date like 2024-01-31').optional(),
  make: z.string().max(200).optional(),
  model: z.string().max(200).optional(),
  minDuration: decimalNumber(z.number().nonnegative().optional().describe('video and audio at least this many seconds long')),
  maxDuration: decimalNumber(z.number().nonnegative().optional().describe('video and audio at most this many seconds long')),
  resolution: z
    .enum(RESOLUTION_CLASSES)
    .optional()
    .describe('video by the class of its display size: sd, hd (720p), fhd (1080p), uhd (2160p and more); docs/search.md has the rule'),
  codec: z.string().max(100).optional().describe('video or audio codec as ffprobe names it (h264, hevc, aac, mp3), in any case'),
  /** Assets in this collection (directly: not those of collections nested under it). */
  collection: CollectionId.optional(),
  limit: wholeNumber(z.number().int().min(1).max(200).default(20)),
  offset: wholeNumber(z.number().int().min(0).max(10_000).default(0)),
  after: z
    .string()
    .max(2_000)
    .optional()
    .describe('the `next` of the previous page: a listing (no words) pages by it past any offset; without offset'),
});

/**
 * What the caller may see: only assets in at least one of these collections
 * (api/visibility.ts). Set by the API from the caller, never from a query
 * string; absent, the whole library.
 */
export interface Visible {
  within?: readonly string[];
}

export type SearchQuery = z.infer<typeof SearchQuery> & Visible;

/**
 * The text fields every backend indexes, with their weights in relevance: a
 * title match counts most, a document's own text least. `people` holds the
 * creator and the people shown: personal data, which reads "[erased]" once its
 * subject is erased (schemas/personal.ts), and is then not indexed at all.
 */
export const TEXT_FIELDS = { name: 5, title: 10, tags: 8, description: 2, camera: 5, people: 5, text: 1 } as const;
export type TextField = keyof typeof TEXT_FIELDS;

/**
 * Where the query's words matched in one text field, as plain text in
 * pieces, never markup: a client shows the odd-numbered pieces marked, and
 * none of it can be read as HTML.
 */
export const Highlight = z.object({
  field: z.enum(Object.keys(TEXT_FIELDS) as [TextField, ...TextField[]]),
  parts: z.array(z.string()).describe("the field's text (or, when long, a fragment of it) around the matches, in order: parts 1, 3, 5… are the matching words"),
});
export type Highlight = z.infer<typeof Highlight>;

/**
 * What the backends put around each match (FTS5 snippet(), OpenSearch's
 * pre_tags and post_tags): control characters, which no text a person types
 * holds, so splitting on them gives the parts.
 */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';
/** How long a fragment of a long field is: FTS5 counts words, OpenSearch characters. */
export const FRAGMENT_WORDS = 16;
export const FRAGMENT_CHARS = 120;

/** A field's highlight from the backend's marked fragment; undefined when nothing in it matched. */
export function highlightOf(field: TextField, marked: string | null | undefined): Highlight | undefined {
  if (!marked?.includes(MATCH_START)) return undefined;
  return { field, parts: marked.split(/[\u0002\u0003]/) };
}

export const SearchHit = z.object({
  assetId: z.string(),
  /** The backend's relevance (higher first); 0 without words. */
  score: z.number(),
  originalName: z.string(),
  title: z.string().optional(),
  mediaType: z.string(),
  size: z.number().int(),
  date: z.string(),
  make: z.string().optional(),
  model: z.string().optional(),
  /** Video and audio, in seconds. */
  duration: z.number().optional(),
  resolution: z.enum(RESOLUTION_CLASSES).optional(),
  videoCodec: z.string().optional(),
  audioCodec: z.string().optional(),
  /** With words: each text field they matched in, in TEXT_FIELDS' order. */
  highlights: z.array(Highlight).optional(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const Facet = z.object({ value: z.string(), count: z.number().int() });
export type Facet = z.infer<typeof Facet>;

/**
 * How a count relates to the truth, in OpenSearch's words: 'eq', exact;
 * 'gte', a lower bound, counted in a sample of the matches (see EXACT_LIMIT).
 */
export const CountRelation = z.enum(['eq', 'gte']);
export type CountRelation = z.infer<typeof CountRelation>;

export const SearchResult = z.object({
  total: z.number().int().describe('how many assets match, exactly or at least (totalRelation)'),
  totalRelation: CountRelation.describe('eq: total is exact; gte: at least total match (past the exact limit)'),
  hits: z.array(SearchHit),
  facets: z.object({
    type: z.array(Facet),
    make: z.array(Facet),
    year: z.array(Facet),
    resolution: z.array(Facet).describe(`video: ${RESOLUTION_CLASSES.join(', ')}, by display size (720p hd, 1080p fhd, 2160p uhd)`),
    codec: z.array(Facet).describe('video and audio codecs: an asset counts under each codec it has'),
    duration: z.array(Facet).describe(`video and audio: ${DURATION_BUCKETS.map(([bucket]) => bucket).join(', ')}`),
    collection: z.array(Facet).describe('collection ids; only those the caller may see'),
  }),
  facetsRelation: CountRelation.describe('eq: counted over every match; gte: over a sample of the matches, so each count is a lower bound'),
  next: z.string().optional().describe('a listing (no words) with more hits: `after` for the next page'),
});
export type SearchResult = z.infer<typeof SearchResult>;

/**
 * Totals and facets are exact up to this many matches. Past it the total is
 * this many with relation 'gte', and the facets count a sample of the matches
 * (each backend's own, docs/search.md): a word every asset has costs what a
 * word ten thousand assets have, not what a million do. OpenSearch's own
 * default for track_total_hits.
 */
export const EXACT_LIMIT = 10_000;

export interface SearchIndexOptions {
  /** EXACT_LIMIT unless given (tests use a small one). */
  exactLimit?: number;
}

export interface SearchIndex extends ProjectionStore {
  search(query: SearchQuery): Promise<SearchResult>;
}

/**
 * Every query word matches as a word prefix. Prefixes up to this length are
 * indexed in both backends (FTS5 prefix indexes, OpenSearch edge n-grams), so
 * a prefix finds its documents as directly as a whole word does; a longer
 * query word is matched without that help.
 */
export const PREFIX_LENGTH = 24;

/**
 * A camera make or model, or a codec, as its filter compares it: case folded
 * as the lake folds names (schemas/personal.ts: "ÉCLAIR" is "éclair",
 * "STRASSE" is "Straße"), composed, and with its spaces trimmed and
 * collapsed. Each backend keeps this beside the value as written (which the
 * facets and hits show) and compares the filter's own with it.
 */
export const filterKey = (value: string): string => subjectFold(value);

/** The names of the creator and the people shown, leaving out erased ones. */
function peopleOf(user: SearchRecord['user']): string {
  return [user.creator, ...(user.people ?? [])].filter((name) => name !== undefined && name !== ERASED).join(' ');
}

/** The texts a tag holds: one, or a list (XMP keywords); anything else none. */
const textsOf = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

/**
 * What a photo's own tags say of it: the XMP title, description and keywords
 * (dc:title, dc:description, dc:subject) and IPTC-IIM's (Object Name or
 * Headline, Caption-Abstract, Keywords), each text once (Photoshop writes
 * both). Not their creator or by-line, as for a video's artists below.
 * A redacted title or description is not in the record (assetRecord.ts).
 */
function embeddedText(metadata: SearchRecord['metadata']): string[] {
  const { xmp, iptc } = metadata ?? {};
  return [...new Set([xmp?.title, xmp?.description, xmp?.subject, iptc?.title, iptc?.description, iptc?.keywords].flatMap(textsOf))];
}

/**
 * A document's text, the title, album and genre a video's or audio file's
 * own tags give (ID3, Vorbis, MP4), and a photo's own title, description and
 * keywords (XMP, IPTC). Not their artists, creators or by-lines: those are
 * people's names, which erasure cannot reach in the tags (they are not
 * sealed on the log), and search must find no one erased.
 */
function textOf({ documentText, media, metadata }: SearchRecord): string {
  return [documentText, media?.tags.title, media?.tags.album, media?.tags.genre, ...embeddedText(metadata)].filter(Boolean).join('\n');
}

/**
 * Text as queries are read (queryWords): composed (NFC). A name from a Mac
 * comes decomposed, and where accent folding takes Latin marks away, the
 * tokenizers split Japanese voiced marks (U+3099, U+309A) and others off as
 * separators: ガイド would be indexed as カ and イト.
 */
const composed = (text: string) => text.normalize('NFC');

/** The fields every backend indexes, from one asset record. */
export function searchDocument(record: SearchRecord) {
  const metadata = record.metadata;
  const date = capturedAt(record) ?? record.ingestedAt;
  const duration = record.media?.durationSeconds;
  return {
    assetId: record.assetId,
    name: composed(record.originalName),
    title: composed(record.user.title ?? ''),
    tags: composed(record.user.tags.join(' ')),
    description: composed(record.user.description ?? ''),
    camera: composed([metadata?.make, metadata?.model, metadata?.lens].filter(Boolean).join(' ')),
    people: composed(peopleOf(record.user)),
    text: composed(textOf(record)),
    mediaType: record.mediaType,
    size: record.size,
    date,
    year: date.slice(0, 4),
    make: metadata?.make,
    model: metadata?.model,
    duration,
    durationBucket: durationBucket(duration),
    resolution: resolutionClass(record.media?.video[0]),
    videoCodec: record.media?.video[0]?.codec,
    audioCodec: record.media?.audio[0]?.codec,
    collections: record.collections ?? [],
  };
}

export type SearchDocument = ReturnType<typeof searchDocument>;

/** What a hit shows of a search document (no undefined fields), for backends that keep the record rather than the hit. */
export function searchHit(doc: SearchDocument, score: number): SearchHit {
  const { assetId, name, title, mediaType, size, date, make, model, duration, resolution, videoCodec, audioCodec } = doc;
  const hit = { assetId, score, originalName: name, title, mediaType, size, date, make, model, duration, resolution, videoCodec, audioCodec };
  return Object.fromEntries(Object.entries(hit).filter(([, value]) => value !== undefined)) as unknown as SearchHit;
}

/**
 * The place `after` names, for a listing (a search without words, in the
 * same order whatever the backend); undefined without one. Its cursor is an
 * asset listing's (projections/listingCursor.ts), of the hit before the page.
 * Checked here, as a backend would read a forged one as some other place in
 * the listing.
 */
export function listingPosition(query: SearchQuery): ListingPlace | undefined {
  const { after } = query;
  if (after === undefined) return undefined;
  if (queryWords(query.q).length) throw new InvalidCursorError('a cursor pages a listing (no words): page a search with words by offset');
  if (query.offset) throw new InvalidCursorError('a page after a cursor starts there: leave offset out');
  const place = placeOf(after);
  if (!place) throw new InvalidCursorError();
  return place;
}

/** A page of a listing from its hits asked with one more than the limit: that one says a next page exists. */
export function listingPage(hits: SearchHit[], limit: number): Pick<SearchResult, 'hits' | 'next'> {
  if (hits.length <= limit) return { hits };
  const last = hits[limit - 1]!;
  return { hits: hits.slice(0, limit), next: cursorOf(last) };
}

/**
 * Words of a query, for backends that match word prefixes. Marks (Arabic and
 * Hebrew vowel marks, Indic vowel signs) stay in their word: split there, a
 * word would become its letters, each a word that any text with the letter
 * matches.
 */
export function queryWords(q: string | undefined): string[] {
  return (q ?? '').normalize('NFC').toLowerCase().replace(/i\u0307/g, 'i').match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu) ?? [];
}
