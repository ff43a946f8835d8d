/**
 * Where an asset's objects live in the lake's store: its original under
 * `originals/ASSET/`, its renditions under `renditions/ASSET/`. Ingest and the
 * renditions processor write there, cleanup empties both folders of a deleted
 * asset, and S3 notifications of keys in these areas are the lake's own
 * writes. The keys are on the log (AssetIngested, RenditionCreated), so a
 * change of layout applies to new objects only: readers take the key from
 * the event, never from here.
 */
const ORIGINALS = 'originals/';
const RENDITIONS = 'renditions/';

/** The top-level folders the lake writes into (under the store's own prefix, if it has one). */
export const LAKE_AREAS: readonly string[] = [ORIGINALS, RENDITIONS];

/** An asset's original; `extension` with its dot (".jpg"), or empty when the type is unknown. */
export function originalKey(assetId: string, extension: string): string {
  return `${ORIGINALS}${assetId}/original${extension}`;
}

/** One of an asset's renditions, by name ("thumbnail"); `extension` with its dot (".webp"). */
export function renditionKey(assetId: string, name: string, extension: string): string {
  return `${RENDITIONS}${assetId}/${name}${extension}`;
}

/** The folders that hold every object of an asset. */
export function assetFolders(assetId: string): string[] {
  return LAKE_AREAS.map((area) => `${area}${assetId}/`);
}
