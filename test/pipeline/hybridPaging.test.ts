import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';
import { adminApi } from '../support/principals';
import { tinyClipLake } from '../support/tinyClipLake';

/** More matches than a page of either ranking held before fusion (100): paging must walk one fused ranking. */
const PICTURES = 130;

describe('hybrid search, paged', () => {
  const folder = temporaryDirectory();
  let close: () => Promise<void>;
  let get: (url: string) => Promise<{ total: number; totalRelation: string; hits: { assetId: string }[] }>;

  beforeAll(async () => {
    for (let i = 0; i < PICTURES; i++) {
      const colour = { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 };
      await sharp({ create: { width: 48, height: 32, channels: 3, background: colour } }).png().toFile(join(folder.path, `bulk-${String(i).padStart(3, '0')}.png`));
    }
    const { lake } = await tinyClipLake(folder.path, {});
    const { app } = await adminApi(lake);
    get = async (url) => (await app.inject({ method: 'GET', url })).json();
    close = async () => {
      await app.close();
      await lake.close();
    };
  }, 180_000);
  afterAll(async () => {
    await close?.();
    folder.remove();
  });

  it('lists each fused hit once, page after page, under one total', async () => {
    const seen: string[] = [];
    const totals = new Set<number>();
    for (let offset = 0; offset < PICTURES + 20; offset += 20) {
      const page = await get(`/search?mode=hybrid&q=bulk&limit=20&offset=${offset}`);
      totals.add(page.total);
      seen.push(...page.hits.map((hit) => hit.assetId));
    }
    expect([...totals]).toEqual([PICTURES]);
    expect(seen).toHaveLength(PICTURES);
    expect(new Set(seen).size).toBe(PICTURES);
    const whole = await get(`/search?mode=hybrid&q=bulk&limit=200`);
    expect(whole.hits.map((hit) => hit.assetId)).toEqual(seen);
  });
});
