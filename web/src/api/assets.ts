import { api, answer, ApiError } from './client';
import type { paths } from './schema';
import type { AssetPage, AssetRecord } from './types';

export const PAGE_SIZE = 200;

type ListQuery = NonNullable<paths['/assets']['get']['parameters']['query']>;
/** How the library is ordered: the API's sort and order. */
export type Listing = Required<Pick<ListQuery, 'sort' | 'order'>>;

export const listAssets = (listing: Listing, after?: string) =>
  answer<AssetPage>(api.GET('/assets', { params: { query: { limit: PAGE_SIZE, ...listing, ...(after ? { after } : {}) } } }));

/**
 * Whether record `a` lists before `b`, as GET /assets orders them: by the
 * listing's date (a capture date, or else the ingest date), then asset id.
 */
export function listsBefore(a: AssetRecord, b: AssetRecord, { sort, order }: Listing): boolean {
  const key = (record: AssetRecord) => [(sort === 'captured' && (record.metadata?.capturedAt || record.media?.createdAt)) || record.ingestedAt, record.assetId] as const;
  const [[dateA, idA], [dateB, idB]] = [key(a), key(b)];
  const ascending = dateA < dateB || (dateA === dateB && idA < idB);
  return order === 'asc' ? ascending : !ascending && (dateA !== dateB || idA !== idB);
}

export const getAsset = (id: string) => answer<AssetRecord>(api.GET('/assets/{id}', { params: { path: { id } } }));

/** How often, and how many times, to look for a record that the projection has not caught up with yet. */
const CATCH_UP_MS = 150;
const CATCH_UP_TRIES = 40;

/**
 * The asset's record once it holds `version`: a live event can arrive before
 * the asset records have folded it in. Undefined if it is deleted or never
 * catches up.
 */
export async function assetAtVersion(id: string, version: number): Promise<AssetRecord | undefined> {
  for (let attempt = 0; attempt < CATCH_UP_TRIES; attempt++) {
    const record = await getAsset(id).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    });
    if (record && record.version >= version) return record;
    await new Promise((resolve) => setTimeout(resolve, CATCH_UP_MS));
  }
  return undefined;
}
