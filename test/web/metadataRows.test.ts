import { describe, expect, it } from 'vitest';
import type { AssetRecord } from '../../projections/assetRecord';
import { metadataRows } from '../../web/src/components/metadataRows';

const record = (fields: Partial<AssetRecord>): AssetRecord =>
  ({
    assetId: 'a1',
    originalName: 'x',
    mimeType: 'image/jpeg',
    size: 2048,
    ingestedAt: '2026-01-01T00:00:00.000Z',
    sha256: 'f'.repeat(64),
    user: { tags: [] },
    renditions: {},
    failures: [],
    ...fields,
  }) as AssetRecord;

const rows = (fields: Partial<AssetRecord>) => Object.fromEntries(metadataRows(record(fields)));

/** The asset view's metadata table, as rows: what a photo, a video and an animation show. */
describe('the metadata table', () => {
  it.each([
    [1 / 250, '1/250 s'],
    [0.5, '1/2 s'],
    [2.5, '2.5 s'],
    [30, '30 s'],
  ])('writes an exposure of %s s as %s', (exposureTime, shown) => {
    expect(rows({ metadata: { format: 'jpeg', sha256: 'f', size: 1, warnings: [], exposureTime } }).Exposure).toBe(shown);
  });

  it("shows a video's length, its picture's size and its recorded creation time", () => {
    const media = { container: 'mov,mp4', durationSeconds: 12.48, createdAt: '2024-05-01T10:20:30.000000Z', video: [{ codec: 'h264', width: 1920, height: 1080 }], audio: [] };
    expect(rows({ mimeType: 'video/mp4', metadata: { sha256: 'f', size: 1, warnings: [], format: 'video/mp4' }, media: media as never })).toMatchObject({
      Duration: '12.5 s',
      Dimensions: '1920 × 1080',
      Captured: '2024-05-01T10:20:30.000000Z',
    });
  });

  it('gives the dimensions of a picture turned upright: a portrait photo by its EXIF orientation, a phone video by its rotation', () => {
    const photo = (orientation: number) => rows({ metadata: { format: 'jpeg', sha256: 'f', size: 1, warnings: [], width: 4000, height: 3000, orientation } }).Dimensions;
    expect([1, 3, 6, 8].map(photo)).toEqual(['4000 × 3000', '4000 × 3000', '3000 × 4000', '3000 × 4000']);
    const video = (rotation: number) => rows({ media: { container: 'mov,mp4', video: [{ codec: 'hevc', width: 1920, height: 1080, rotation }], audio: [] } as never }).Dimensions;
    expect([0, 90, -90, 180].map(video)).toEqual(['1920 × 1080', '1080 × 1920', '1080 × 1920', '1920 × 1080']);
  });

  it("shows an animation's length, and leaves out what the asset does not hold", () => {
    const shown = rows({ metadata: { sha256: 'f', size: 1, warnings: [], format: 'gif', width: 32, height: 24, durationMs: 600 } });
    expect(shown).toMatchObject({ Duration: '0.6 s', Dimensions: '32 × 24', Size: '2.0 KB' });
    expect(Object.keys(shown)).not.toContain('Exposure');
  });

  it("shows what the file's own tags say: a photo's title, caption, keywords, rating and place; a recording's title, artist and album", () => {
    const photo = rows({
      metadata: {
        format: 'jpeg',
        sha256: 'f',
        size: 1,
        warnings: [],
        xmp: { title: 'Harbour fire', description: 'Firefighters at the docks', subject: ['fire', 'harbour'], Rating: 4 },
        iptc: { title: 'Harbour fire', keywords: ['harbour', 'night'] },
        gps: { latitude: -33.8688, longitude: 151.20929, altitude: 58.4 },
      },
    });
    expect(photo).toMatchObject({ Title: 'Harbour fire', Caption: 'Firefighters at the docks', Keywords: 'fire, harbour, night', Rating: '4 of 5', Location: '-33.86880, 151.20929, 58 m' });
    // A title read in several languages before one was kept is a list: its first.
    expect(rows({ metadata: { format: 'jpeg', sha256: 'f', size: 1, warnings: [], xmp: { title: ['Hafenbrand', 'Harbour fire'], Rating: -1 } } })).toMatchObject({ Title: 'Hafenbrand', Rating: 'rejected' });
    const song = rows({ mimeType: 'audio/mpeg', media: { container: 'mp3', video: [], audio: [], tags: { title: 'Night Train', artist: 'The Porters', album: 'Platforms' } } as never });
    expect(song).toMatchObject({ Title: 'Night Train', Artist: 'The Porters', Album: 'Platforms' });
    expect(Object.keys(song)).not.toContain('Keywords');
  });
});
