import type { AssetRecord, AssetStatus } from '../assetRecord';
import type { ProjectionStore } from '../projection';
import type { Visible } from '../search/searchIndex';

/** The asset-record read model: the current state of each asset. */
export interface AssetRecords extends ProjectionStore {
  get(assetId: string): Promise<AssetRecord | undefined>;
  /** Newest first; `after` is the cursor a previous page returned. */
  list(options: ListOptions): Promise<AssetPage>;
  countByStatus(): Promise<Partial<Record<AssetStatus, number>>>;
  /** Live (not deleted) assets with these bytes: duplicates under other ids show up here. */
  findBySha256(sha256: string): Promise<AssetRecord[]>;
  /** Live assets ingested from this S3 object. */
  findByS3Object(bucket: string, key: string): Promise<AssetRecord[]>;
}

export interface ListOptions extends Visible {
  limit: number;
  after?: string;
  includeDeleted?: boolean;
}

export interface AssetPage {
  assets: AssetRecord[];
  next?: string;
}
