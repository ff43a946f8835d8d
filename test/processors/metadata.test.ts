import { readFileSync } from 'node:fs';
import sharp, { type Exif } from 'sharp';
import { describe, expect, it } from 'vitest';
import { metadataProcessor } from '../../processors/metadata';
import { inputOf } from '../../processors/readOnce';
import type { StoredEvent } from '../../schemas/envelope';
import { TechnicalMetadataExtracted, type PayloadOf } from '../../schemas/events';
import { sha256Hex } from '../../schemas/ids';
import { fixture } from '../support/fixtures';

const MAX_PIXELS = 100_000_000;
/** The ingest of `bytes`, with the hash and size ingest computed. */
const ingestedOf = (bytes: Buffer) =>
  ({
    type: 'AssetIngested',
    assetId: 'a',
    payload: { mediaType: 'image', mimeType: 'image/webp', sha256: sha256Hex(bytes), size: bytes.length },
  }) as StoredEvent;

async function metadataOf(bytes: Buffer): Promise<PayloadOf<'TechnicalMetadataExtracted'>> {
  const input = inputOf(bytes, { maxInputPixels: MAX_PIXELS, box: 1280 });
  const { events } = await metadataProcessor({ maxInputPixels: MAX_PIXELS }).process(ingestedOf(bytes), input);
  return TechnicalMetadataExtracted.parse(events[0]!.payload);
}

/** Three 32×24 frames of different reds, for sharp to join into one animation. */
const frames = () =>
  Promise.all(
    [0, 1, 2].map((i) => sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 60 + i * 80, g: 0, b: 0 } } }).png().toBuffer()),
  );

describe('technical metadata', () => {
  const canon = readFileSync(fixture('jpg/Canon_40D.jpg'));

  it.each(['webp', 'avif'] as const)('reads the camera, lens and date from the EXIF of a %s', async (format) => {
    const converted = await sharp(canon).keepExif().toFormat(format).toBuffer();
    expect(await metadataOf(converted)).toMatchObject({
      format: format === 'avif' ? 'heif' : 'webp',
      make: 'Canon',
      model: 'Canon EOS 40D',
      capturedAt: '2008-05-30T15:56:01',
      warnings: [],
    });
  });

  it('gives a WebP without EXIF no camera and no warning', async () => {
    const plain = await sharp(canon).webp().toBuffer();
    const metadata = await metadataOf(plain);
    expect(metadata).not.toHaveProperty('make');
    expect(metadata.warnings).toEqual([]);
  });

  it.each(['webp', 'gif'] as const)('counts the frames of an animated %s and adds up their delays', async (format) => {
    const animated = await sharp(await frames(), { join: { animated: true } }).toFormat(format, { delay: [100, 200, 300] }).toBuffer();
    expect(await metadataOf(animated)).toMatchObject({ format, width: 32, height: 24, frames: 3, durationMs: 600 });
  });

  it('gives a still no frames and no duration', async () => {
    const metadata = await metadataOf(await sharp((await frames())[0]).gif().toBuffer());
    expect(metadata).not.toHaveProperty('frames');
    expect(metadata).not.toHaveProperty('durationMs');
  });

  it('reads the EXIF of a JPEG as before', async () => {
    expect(await metadataOf(canon)).toMatchObject({ format: 'jpeg', make: 'Canon', model: 'Canon EOS 40D', warnings: [] });
  });

  /** A grey JPEG with the EXIF given, as sharp writes it. */
  const withExif = (exif: Exif) =>
    sharp({ create: { width: 32, height: 24, channels: 3, background: '#888' } }).jpeg().withExif(exif).toBuffer();

  it('signs an altitude below sea level, as GPSAltitudeRef 1 says (the Dead Sea shore, 430 m below)', async () => {
    const gps = { GPSLatitudeRef: 'N', GPSLatitude: '31/1 30/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '35/1 30/1 0/1', GPSAltitudeRef: '0', GPSAltitude: '430/1' };
    const above = await withExif({ IFD3: gps });
    expect((await metadataOf(above)).gps).toEqual({ latitude: 31.5, longitude: 35.5, altitude: 430 });
    // libvips writes the BYTE from text as 0: the entry (tag 5, BYTE, count 1) is set to 1 in place, below sea level.
    const entry = [Buffer.from([0, 5, 0, 1, 0, 0, 0, 1]), Buffer.from([5, 0, 1, 0, 1, 0, 0, 0])].map((bytes) => above.indexOf(bytes)).find((at) => at >= 0)!;
    const below = Buffer.from(above);
    below[entry + 8] = 1;
    expect((await metadataOf(below)).gps).toEqual({ latitude: 31.5, longitude: 35.5, altitude: -430 });
  });

  it('reads a file named as a photo that ingest could not place as one, and fails it with the reason; any other file it only describes', async () => {
    const of = (bytes: Buffer, originalName: string) => {
      const ingested = ingestedOf(bytes);
      const event = { ...ingested, payload: { ...ingested.payload, mediaType: 'other', mimeType: 'application/octet-stream', originalName } } as StoredEvent;
      return metadataProcessor({ maxInputPixels: MAX_PIXELS }).process(event, inputOf(bytes, { maxInputPixels: MAX_PIXELS, box: 1280 }));
    };
    const damaged = Buffer.from(canon);
    damaged[0] = 0; // the JPEG's signature gone
    await expect(of(damaged, 'holiday/IMG_0042.JPG')).rejects.toMatchObject({ code: 'UNREADABLE_IMAGE' });
    await expect(of(Buffer.from('Shot list for Monday'), 'shots.jpg')).rejects.toMatchObject({ code: 'UNREADABLE_IMAGE' });
    const notes = await of(Buffer.from('Shot list for Monday'), 'shots.txt');
    expect(notes.events).toEqual([expect.objectContaining({ type: 'TechnicalMetadataExtracted', payload: expect.objectContaining({ format: 'application/octet-stream' }) })]);
  });

  it('takes each capture date with its own offset, past a blank or impossible one', async () => {
    const dates = (exif: Record<string, string>) => withExif({ IFD2: exif }).then(metadataOf).then((metadata) => metadata.capturedAt);
    expect(await dates({ DateTimeDigitized: '2020:02:29 12:00:00', OffsetTimeDigitized: '-05:00' })).toBe('2020-02-29T12:00:00-05:00');
    expect(await dates({ DateTimeOriginal: '    :  :     :  :  ', DateTimeDigitized: '2019:07:01 08:30:00' })).toBe('2019-07-01T08:30:00');
    expect(await dates({ DateTimeOriginal: '2021:13:45 25:61:00' })).toBeUndefined();
  });
});
