import { describe, expect, it } from 'vitest';
import type { AssetRecord } from '../../projections/assetRecord';
import { rendition } from '../../web/src/components/renditionAddress';

const proxy = { name: 'proxy', objectKey: 'renditions/a1/proxy.mp4', mimeType: 'video/mp4', size: 1000, watermarked: false };
const record = (version: number, size = 1000) => ({ assetId: 'a1', version, renditions: { proxy: { ...proxy, size } } }) as unknown as AssetRecord;

describe("a rendition's address in the asset view", () => {
  it('stays the same while the asset changes around it (a playing video is not started again), and changes with the rendition', () => {
    expect(rendition(record(11), 'proxy')).toBe(rendition(record(12), 'proxy'));
    expect(rendition(record(13, 2000), 'proxy')).not.toBe(rendition(record(12), 'proxy'));
    expect(rendition(record(12), 'poster')).toBeUndefined();
  });
});
