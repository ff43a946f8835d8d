import { extname } from 'node:path';
import type { PayloadOf } from '../../schemas/events';
import type { AssetFilter, Condition } from '../../schemas/pipelines';

/** What conditions read: the ingest (asset.*), the technical metadata (metadata.*) and earlier nodes' outputs (nodes.ID.*). */
export interface ConditionValues {
  asset: PayloadOf<'AssetIngested'> & { extension: string };
  metadata?: Record<string, unknown>;
  nodes?: Record<string, Record<string, unknown> | undefined>;
  /**
   * The ids and names of the collections the asset is in and of those they
   * are nested under (collectionMembership.ts). A filter deployed now names
   * its collection by id (the deploy pins it: producers/pipelines.ts); one
   * deployed before that keeps the name it was written with, matched by
   * name as then, until a new version is deployed.
   */
  collections?: ReadonlySet<string>;
}

export function conditionValues(asset: PayloadOf<'AssetIngested'>, metadata?: object, nodes?: ConditionValues['nodes']): ConditionValues {
  return { asset: { ...asset, extension: extname(asset.originalName).toLowerCase() }, metadata: metadata as Record<string, unknown>, nodes };
}

export function valueAt(values: ConditionValues, path: string): unknown {
  return path.split('.').reduce<unknown>((inner, key) => (inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[key] : undefined), values);
}

/** Whether every operator of the condition holds; a missing value holds only `exists: false` and `notEquals`. */
export function holds(condition: Condition, values: ConditionValues): boolean {
  const value = valueAt(values, condition.path);
  const { equals, notEquals, in: among, greaterThan, lessThan, exists } = condition;
  return (
    (exists === undefined || exists === (value !== undefined && value !== null)) &&
    (equals === undefined || value === equals) &&
    (notEquals === undefined || value !== notEquals) &&
    (among === undefined || among.includes(value as never)) &&
    (greaterThan === undefined || (typeof value === 'number' && value > greaterThan)) &&
    (lessThan === undefined || (typeof value === 'number' && value < lessThan))
  );
}

/** The path a prefix filter reads: an S3 object's key, else the file's path under the folder it was ingested from (its original name). */
function sourcePath(asset: PayloadOf<'AssetIngested'>): string {
  return asset.origin.kind === 's3' ? asset.origin.key : asset.originalName;
}

/** Whether an asset passes an asset trigger's filter. */
export function passes(filter: AssetFilter, values: ConditionValues): boolean {
  const { asset } = values;
  return (
    (!filter.mediaType || filter.mediaType.includes(asset.mediaType)) &&
    (!filter.mimeType || filter.mimeType.includes(asset.mimeType)) &&
    (!filter.extension || filter.extension.some((extension) => extension.toLowerCase() === asset.extension)) &&
    (filter.minSize === undefined || asset.size >= filter.minSize) &&
    (filter.maxSize === undefined || asset.size <= filter.maxSize) &&
    (!filter.bucket || (asset.origin.kind === 's3' && asset.origin.bucket === filter.bucket)) &&
    (!filter.prefix || sourcePath(asset).startsWith(filter.prefix)) &&
    (filter.metadata ?? []).every((condition) => holds(condition, values)) &&
    (!filter.collection || (values.collections?.has(filter.collection) ?? false))
  );
}
