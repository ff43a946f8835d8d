import type { AssetRecord } from '../api/types';

/**
 * A rendition's address, changed only when the rendition is: by its object
 * and size, not the asset's version, which a star or a tag moves (a playing
 * video whose address changes starts again from nothing).
 */
export const rendition = (record: AssetRecord, name: string) => {
  const made = record.renditions[name];
  return made && `/assets/${record.assetId}/renditions/${name}?v=${encodeURIComponent(`${made.size}-${made.objectKey.split('/').at(-1)}`)}`;
};
