import { describe, expect, it } from 'vitest';
import { LAKE_AREAS, assetFolders, originalKey, renditionKey } from '../../storage/assetKeys';
import { assertSafeKey } from '../../storage/keys';

describe('the object-key layout of an asset', () => {
  const assetId = 'b3f1c2d4-0000-4000-8000-000000000001';

  it('puts the original and the renditions in the asset’s folders, under the lake’s areas', () => {
    const keys = [originalKey(assetId, '.jpg'), originalKey(assetId, ''), renditionKey(assetId, 'thumbnail', '.webp')];
    expect(keys).toEqual([
      `originals/${assetId}/original.jpg`,
      `originals/${assetId}/original`,
      `renditions/${assetId}/thumbnail.webp`,
    ]);
    for (const key of keys) {
      expect(assertSafeKey(key)).toBe(key);
      expect(assetFolders(assetId).some((folder) => key.startsWith(folder))).toBe(true);
    }
    expect(assetFolders(assetId).every((folder) => LAKE_AREAS.some((area) => folder.startsWith(area)))).toBe(true);
  });

  it('keeps one asset’s folders apart from another’s whose id starts the same', () => {
    expect(assetFolders('asset-1').some((folder) => renditionKey('asset-10', 'proxy', '.jpg').startsWith(folder))).toBe(false);
  });
});
