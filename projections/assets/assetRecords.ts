import type { AssetRecord, AssetStatus } from '../assetRecord';
import type { ProjectionStore } from '../projection';

/** The asset-record read model: the current state of each asset. */
export interface AssetRecords extends ProjectionStore {
  get(assetId: string): Promise<AssetRecord | undefined>;
  /** Newest first; `after` is the cursor a previous page returned. */
  list(options: { limit: number; after?: string; includeDeleted?: boolean }): Promise<AssetPage>;
  countByStatus(): Promise<Partial<Record<AssetStatus, number>>>;
}

export interface AssetPage {
  assets: AssetRecord[];
  next?: string;
}
