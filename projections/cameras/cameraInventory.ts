import type { AssetEvent } from '../../schemas/envelope';
import type { ProjectionDefinition, ProjectionStore } from '../projection';

/**
 * The worked example of a projection added after the fact: live assets
 * counted by camera make, model and capture year. It folds the technical
 * metadata already on the log (law 2), so building it over years of history
 * reads no media and runs no processor, and adding it changed no processor.
 */
export const CAMERA_INVENTORY: ProjectionDefinition = {
  name: 'cameras',
  version: 1,
  events: ['AssetIngested', 'TechnicalMetadataExtracted', 'AssetDeleted'],
  description: 'live assets counted by camera make, model and capture year',
};

/** What the inventory keeps of one asset. */
export interface CameraEntry {
  /** The asset version of the last event folded in. */
  version: number;
  live: boolean;
  make?: string;
  model?: string;
  /** Of the capture date, as the camera recorded it. */
  year?: string;
}

/**
 * The fold: (entry, event) → entry, pure (law 5). An ingest starts an asset
 * with no camera (again, after a delete or for new bytes) until its metadata
 * arrives; a delete takes it out of the counts.
 */
export function foldCamera(entry: CameraEntry | undefined, event: AssetEvent): CameraEntry | undefined {
  const version = event.assetVersion;
  switch (event.type) {
    case 'AssetIngested':
      return { version, live: true };
    case 'TechnicalMetadataExtracted': {
      if (!entry?.live) return entry && { ...entry, version };
      const { make, model, capturedAt } = event.payload;
      const year = capturedAt?.match(/^(\d{4})-/)?.[1];
      return { version, live: true, ...(make && { make }), ...(model && { model }), ...(year && { year }) };
    }
    case 'AssetDeleted':
      return entry && { version, live: false };
    default:
      return entry;
  }
}

export interface CameraCount {
  make: string | null;
  model: string | null;
  year: string | null;
  assets: number;
}

export interface CameraFilter {
  /** Any case, whole name. */
  make?: string;
  model?: string;
  year?: string;
}

export interface CameraInventory extends ProjectionStore {
  /** Live assets with a camera make or model, counted by make, model and year, in that order. */
  counts(filter?: CameraFilter): Promise<CameraCount[]>;
}
