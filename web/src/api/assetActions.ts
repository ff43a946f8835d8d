import type { paths } from './schema';
import type { AssetRecord } from './types';

type AssetAnswer = paths['/assets/{id}']['get']['responses']['200']['content']['application/json'];

/** An action on an asset, as the API names it: view, downloadOriginal, editMetadata (edits and redactions), delete, reprocess. */
export type AssetAction = AssetAnswer['may'][number];

/**
 * Whether the caller may perform `action` on the asset, as GET /assets/:id
 * told (`may`: their role and the shares of the asset's collections): what a
 * view offers them. A record that came another way (a listing) tells nothing,
 * so offers nothing; the API decides again when asked.
 */
export const mayDo = (record: AssetRecord, action: AssetAction): boolean => ((record as Partial<Pick<AssetAnswer, 'may'>>).may ?? []).includes(action);
