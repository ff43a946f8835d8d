import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDirectory } from '../../producers/directory';
import type { AssetRecord } from '../../projections/assetRecord';
import { EXIF_SAMPLES, fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';

/** The whole loop on the real images: ingest → processors → projections. */
describe('the embedded loop on the real-world images in test/fixtures/images', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  const extra = temporaryDirectory();
  let byName: Map<string, AssetRecord>;

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    writeFileSync(join(extra.path, 'empty.jpg'), '');
    writeFileSync(join(extra.path, 'notes.txt'), 'not an image, but a file a library may hold\n');
    mkdirSync(join(extra.path, 'sub'));
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(extra.path, 'sub', 'same-bytes-other-name.jpg'));
    await ingestDirectory(ingestContext(lake), EXIF_SAMPLES);
    await ingestDirectory(ingestContext(lake), extra.path);
    await lake.waitForIdle({ timeoutMs: 120_000 });
    const { assets } = await lake.records.list({ limit: 500 });
    byName = new Map(assets.map((a) => [a.originalName, a]));
  });
  afterAll(async () => {
    await lake.close();
    extra.remove();
  });

  const thumbnailSize = async (record: AssetRecord) => {
    const thumbnail = record.renditions.thumbnail!;
    return sharp(await lake.store.getBuffer(thumbnail.objectKey)).metadata();
  };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('turns landscape_%i and portrait_%i upright in their thumbnails', async (n) => {
    const landscape = await thumbnailSize(byName.get(`jpg/orientation/landscape_${n}.jpg`)!);
    const portrait = await thumbnailSize(byName.get(`jpg/orientation/portrait_${n}.jpg`)!);
    expect(landscape.width).toBeGreaterThan(landscape.height);
    expect(portrait.height).toBeGreaterThan(portrait.width);
    expect(Math.max(landscape.width, landscape.height)).toBeLessThanOrEqual(256);
  });

  it.each([
    ['jpg/Canon_40D.jpg', 'Canon', 'Canon EOS 40D', '2008-05-30T15:56:01'],
    ['jpg/Nikon_D70.jpg', 'NIKON CORPORATION', 'NIKON D70', '2008-03-15T09:52:01'],
    ['jpg/Pentax_K10D.jpg', 'PENTAX Corporation', 'PENTAX K10D', '2008-05-04T16:47:24'],
    ['jpg/Sony_HDR-HC3.jpg', 'SONY', 'HDR-HC3', '2007-06-15T04:42:32'],
    ['jpg/WWL_(Polaroid)_ION230.jpg', 'WWL', 'ION230', undefined],
    ['jpg/tests/30-type_error.jpg', undefined, undefined, '2013-07-05T03:18:27Z'],
  ])('reads camera make, model and date from %s', (name, make, model, capturedAt) => {
    const metadata = byName.get(name)?.metadata;
    expect(metadata?.make).toBe(make);
    expect(metadata?.model).toBe(model);
    if (capturedAt) expect(metadata?.capturedAt).toBe(capturedAt);
  });

  it('reads camera make and model from every camera-named file', () => {
    // PaintTool is no camera; the Photoshop import lost its camera tags (its date survives).
    const cameras = [...byName.keys()].filter(
      (n) => /^jpg\/[A-Z][A-Za-z]+_.*\.jpg$/.test(n) && !/PaintTool|photoshop_import|Reconyx/.test(n),
    );
    expect(cameras.length).toBe(16);
    for (const name of cameras) {
      expect(byName.get(name)?.metadata?.make, name).toBeTruthy();
      expect(byName.get(name)?.metadata?.model, name).toBeTruthy();
      expect(byName.get(name)?.metadata?.capturedAt, name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    }
  });

  it('gives GPS positions in jpg/gps/ as signed decimal degrees', () => {
    const gps = [...byName.values()].filter((a) => /^jpg\/gps\/.*\.jpg$/.test(a.originalName));
    expect(gps).toHaveLength(9);
    for (const asset of gps) {
      expect(asset.metadata?.gps?.latitude).toBeTypeOf('number');
      expect(asset.metadata?.gps?.longitude).toBeTypeOf('number');
    }
    expect(byName.get('jpg/gps/DSCN0010.jpg')?.metadata?.gps).toMatchObject({
      latitude: expect.closeTo(43.4674, 3),
      longitude: expect.closeTo(11.8851, 3),
    });
    // South of the equator: GPSLatitudeRef S makes the latitude negative.
    expect(byName.get('jpg/Kodak_CX7530.jpg')?.metadata?.gps).toMatchObject({
      latitude: expect.closeTo(-0.3713, 3),
      longitude: expect.closeTo(36.0564, 3),
    });
  });

  it('ends every broken or odd file as a failure event or a degraded-but-valid record', async () => {
    const odd = [...byName.values()].filter((a) =>
      /^jpg\/(invalid|tests)\/.*\.jpe?g$|^jpg\/corrupted\.jpg$|^empty\.jpg$|^notes\.txt$/.test(a.originalName),
    );
    expect(odd.length).toBe(7 + 12 + 1 + 2);
    for (const asset of odd) {
      expect(['ready', 'degraded', 'failed'], asset.originalName).toContain(asset.status);
      if (asset.status !== 'ready') expect(asset.failures.length, asset.originalName).toBeGreaterThan(0);
    }
    const empty = byName.get('empty.jpg')!;
    expect(empty.status).toBe('failed');
    expect(empty.failures.map((f) => f.code)).toContain('EMPTY_FILE');
    const events = await lake.log.readAsset(empty.assetId);
    expect(events.filter((e) => e.type === 'AssetProcessingFailed').length).toBeGreaterThan(0);
    expect(byName.get('notes.txt')).toMatchObject({ status: 'ready', mediaType: 'other', renditions: {} });
  });

  it('processes every other file fully: metadata, a thumbnail and a proxy', () => {
    const images = [...byName.values()].filter((a) => a.mediaType === 'image' && !/corrupted/.test(a.originalName));
    expect(images.length).toBe(75 - 1); // every image but the one that cannot be decoded
    for (const asset of images) {
      expect(asset.status, asset.originalName).toBe('ready');
      expect(Object.keys(asset.renditions).sort(), asset.originalName).toEqual(['proxy', 'thumbnail']);
    }
  });

  it('gives the HEIF photo (HEVC, which sharp alone cannot decode) metadata, upright renditions and a perceptual hash', async () => {
    const heif = byName.get('heic/samplefilehub.heif')!;
    expect(heif).toMatchObject({ status: 'ready', mediaType: 'image', failures: [] });
    expect(heif.metadata).toMatchObject({ format: 'heif', width: 640, height: 426 });
    expect(heif.renditions.thumbnail).toMatchObject({ width: 256, height: 170 });
    expect(heif.renditions.proxy).toMatchObject({ width: 640, height: 426 });
    expect(await thumbnailSize(heif)).toMatchObject({ width: 256, height: 170 });
    const events = await lake.log.readAsset(heif.assetId);
    const hash = events.find((e) => e.type === 'PerceptualHashComputed')?.payload;
    expect(hash).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('makes one asset of the same bytes under two names, and none on re-ingest', async () => {
    expect(byName.has('sub/same-bytes-other-name.jpg')).toBe(false);
    const before = await lake.log.lag({});
    const again = await ingestDirectory(ingestContext(lake), EXIF_SAMPLES);
    expect(again.ingested).toBe(0);
    expect(again.duplicates).toBe(byName.size - 2);
    expect(await lake.log.lag({})).toBe(before);
  });

  it('finds assets by camera, name and filters', async () => {
    const canon = await lake.search.search({ q: 'canon', limit: 50, offset: 0 });
    expect(canon.hits.map((h) => h.originalName)).toContain('jpg/Canon_40D.jpg');
    expect(canon.facets.make.find((f) => f.value === 'Canon')?.count).toBeGreaterThanOrEqual(3);
    const nikon2008 = await lake.search.search({ make: 'nikon', from: '2008-01-01', to: '2008-12-31', limit: 50, offset: 0 });
    expect(nikon2008.total).toBeGreaterThanOrEqual(9);
    for (const hit of nikon2008.hits) {
      expect(hit.make?.toLowerCase()).toBe('nikon');
      expect(hit.date.slice(0, 4)).toBe('2008');
    }
    const small = await lake.search.search({ type: 'image', maxSize: 10_000, limit: 200, offset: 0 });
    expect(small.total).toBeGreaterThan(0);
    for (const hit of small.hits) expect(hit.size).toBeLessThanOrEqual(10_000);
  });
});
