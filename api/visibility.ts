import type { Lake } from '../app/lake';
import { SHARE_ROLES } from '../schemas/events';
import { redactedOrigin, type AssetRecord } from '../projections/assetRecord';
import type { Visible } from '../projections/search/searchIndex';
import { CollectionNotFoundError } from '../producers/collections';
import { HttpError } from './errors';
import type { Principal } from './principal';

/**
 * What a caller may see, the one rule every route asks (docs/access.md):
 * admins and editors see the whole library; a viewer sees the assets of the
 * collections shared with them or a group of theirs (as viewer or editor),
 * and of every collection nested under those. An asset out of sight is 404,
 * never 403: its existence is not told either.
 */
export type Visibility = 'all' | readonly string[];

const SEE_ALL = new Set<string>(['admin', 'editor']);

/**
 * The same rule Cedar applies to one asset at a time (the roles' policies
 * and the shares' template links, api/access/cedarSchema.ts), for all assets
 * at once, inside the query: test/api/visibilityAgreesWithCedar.test.ts keeps
 * the two equal.
 */
export async function visibilityOf(lake: Pick<Lake, 'collections'>, principal: Principal | undefined): Promise<Visibility> {
  if (!principal) throw new Error('no principal: authentication sets one on every request before any route asks what it may see');
  if (principal.roles.some((role) => SEE_ALL.has(role))) return 'all';
  return lake.collections.sharedWith(principal, SHARE_ROLES);
}

/** The query's scope: nothing for the whole library, else `within` the visible collections. */
export const scopeOf = (visibility: Visibility): Visible => (visibility === 'all' ? {} : { within: visibility });

/**
 * The scope of a query filtered to one collection: a collection the caller may
 * not see is 404, as one that is not there (filtered by it, a search would
 * tell which of their assets it holds).
 */
export function scopeFiltered(visibility: Visibility, collection: string | undefined): Visible {
  if (collection !== undefined && visibility !== 'all' && !visibility.includes(collection)) throw new CollectionNotFoundError(collection);
  return scopeOf(visibility);
}

export function mayView(visibility: Visibility, record: Pick<AssetRecord, 'collections'>): boolean {
  return visibility === 'all' || (record.collections ?? []).some((id) => visibility.includes(id));
}

/**
 * A record as the caller may read it. A viewer is told of the collections it
 * is in that they may see, not of the others, and not the path or key the file
 * came from (folder names on the ingesting machine, a bucket's layout).
 */
export function shownRecord<T extends Pick<AssetRecord, 'collections' | 'origin'>>(visibility: Visibility, record: T): T {
  if (visibility === 'all') return record;
  return { ...record, collections: (record.collections ?? []).filter((id) => visibility.includes(id)), origin: redactedOrigin(record.origin) };
}

export const assetNotFound = (assetId: string) => new HttpError(404, 'ASSET_NOT_FOUND', `there is no asset ${assetId}`);

/** The asset's live record when the caller may see it; else 404, as for an asset that is not there. */
export async function visibleRecord(lake: Pick<Lake, 'records' | 'collections'>, principal: Principal | undefined, assetId: string): Promise<AssetRecord> {
  const [record, visibility] = await Promise.all([lake.records.get(assetId), visibilityOf(lake, principal)]);
  if (!record || record.status === 'deleted' || !mayView(visibility, record)) throw assetNotFound(assetId);
  return record;
}

/** The items about assets the caller may see, in their order (a record read per asset); an item about no asset is the whole library's. */
export async function onlyVisible<T extends { assetId?: string }>(lake: Pick<Lake, 'records' | 'collections'>, principal: Principal, items: T[]): Promise<T[]> {
  const visibility = await visibilityOf(lake, principal);
  if (visibility === 'all') return items;
  const ids = [...new Set(items.flatMap((item) => (item.assetId ? [item.assetId] : [])))];
  const records = new Map(await Promise.all(ids.map(async (id) => [id, await lake.records.get(id)] as const)));
  return items.filter((item) => {
    const record = item.assetId ? records.get(item.assetId) : undefined;
    return record !== undefined && mayView(visibility, record);
  });
}

/** For what counts the whole library (the camera inventory): a viewer who sees only what is shared with them is refused. */
export async function wholeLibrary(lake: Pick<Lake, 'collections'>, principal: Principal, what: string): Promise<void> {
  if ((await visibilityOf(lake, principal)) === 'all') return;
  throw new HttpError(403, 'FORBIDDEN', `${what} counts the whole library, and ${principal.name} sees only the collections shared with them: search with its facets counts those`);
}
