import { capturedAt, type AssetRecord, type AssetStatus } from '../assetRecord';
import type { ProjectionStore } from '../projection';
import type { Visible } from '../search/searchIndex';
import { cursorOf } from '../listingCursor';

/** The asset-record read model: the current state of each asset. */
export interface AssetRecords extends ProjectionStore {
  get(assetId: string): Promise<AssetRecord | undefined>;
  /** In the order of `sort` and `order` (newest ingested first by default); `after` is the cursor a previous page of that order returned. */
  list(options: ListOptions): Promise<AssetPage>;
  countByStatus(): Promise<Partial<Record<AssetStatus, number>>>;
  /** Live (not deleted) assets with these bytes: duplicates under other ids show up here. */
  findBySha256(sha256: string): Promise<AssetRecord[]>;
  /** Live assets ingested from this S3 object. */
  findByS3Object(bucket: string, key: string): Promise<AssetRecord[]>;
}

/**
 * What a listing is ordered by: the ingest date, or the capture date (the
 * ingest date for an asset without one), each then by asset id. A capture
 * date sorts as its EXIF gave it: the camera's local time where it has no
 * offset.
 */
export const LIST_SORTS = ['ingested', 'captured'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export const LIST_ORDERS = ['desc', 'asc'] as const;
export type ListOrder = (typeof LIST_ORDERS)[number];

export interface ListOptions extends Visible {
  limit: number;
  after?: string;
  includeDeleted?: boolean;
  /** 'ingested' unless given. */
  sort?: ListSort;
  /** 'desc' (newest first) unless given. */
  order?: ListOrder;
}

/** The date a record is listed by under `sort`. */
export function listedDate(record: AssetRecord, sort: ListSort = 'ingested'): string {
  return (sort === 'captured' && capturedAt(record)) || record.ingestedAt;
}

/** A record's place in a listing, "<date>\n<assetId>": the order of every backend's index, and (base64url) its cursor. */
export function listingKey(record: AssetRecord, sort: ListSort = 'ingested'): string {
  return `${listedDate(record, sort)}\n${record.assetId}`;
}

/** The cursor of the page that ends with `last`, when there is more. */
export function cursorAfter(last: AssetRecord | undefined, more: boolean, sort: ListSort = 'ingested'): string | undefined {
  return more && last ? cursorOf({ date: listedDate(last, sort), assetId: last.assetId }) : undefined;
}

export interface AssetPage {
  assets: AssetRecord[];
  next?: string;
}

/** A listing asked of a store made before its index was (DynamoDB's tables before asset records version 5 have no byCapture): a rebuild makes it. */
export class ListingIndexMissingError extends Error {
  readonly code = 'LISTING_INDEX_MISSING';
  constructor(
    readonly table: string,
    readonly index: string,
  ) {
    super(`DynamoDB table ${table} has no ${index} index (it was made by an older version): rebuild the asset records with \`medialake projections rebuild assets\``);
  }
}

export function isListingIndexMissing(error: unknown): error is ListingIndexMissingError {
  return error instanceof ListingIndexMissingError;
}
