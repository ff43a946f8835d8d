import { z } from 'zod';
import { MediaType } from '../../schemas/events';
import type { ProjectionStore } from '../projection';
import type { AssetRecord } from '../assetRecord';

/** A keyword search with filters; every backend answers it the same way. */
export const SearchQuery = z.object({
  q: z.string().max(500).optional(),
  type: MediaType.optional(),
  minSize: z.coerce.number().int().nonnegative().optional(),
  maxSize: z.coerce.number().int().nonnegative().optional(),
  /** Inclusive date range (YYYY-MM-DD…) on the capture date, or the ingest date when there is none. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a date like 2024-01-31').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a date like 2024-01-31').optional(),
  make: z.string().max(200).optional(),
  model: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export interface SearchHit {
  assetId: string;
  score: number;
  originalName: string;
  title?: string;
  mediaType: string;
  size: number;
  date: string;
  make?: string;
  model?: string;
}

export interface Facet {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: { type: Facet[]; make: Facet[]; year: Facet[] };
}

export interface SearchIndex extends ProjectionStore {
  search(query: SearchQuery): Promise<SearchResult>;
}

/** The fields every backend indexes, from one asset record. */
export function searchDocument(record: AssetRecord) {
  const metadata = record.metadata;
  const date = metadata?.capturedAt ?? record.ingestedAt;
  return {
    assetId: record.assetId,
    name: record.originalName,
    title: record.user.title ?? '',
    tags: record.user.tags.join(' '),
    description: record.user.description ?? '',
    camera: [metadata?.make, metadata?.model, metadata?.lens].filter(Boolean).join(' '),
    mediaType: record.mediaType,
    size: record.size,
    date,
    year: date.slice(0, 4),
    make: metadata?.make,
    model: metadata?.model,
  };
}

/** Words of a query, for backends that match word prefixes. */
export function queryWords(q: string | undefined): string[] {
  return (q ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
