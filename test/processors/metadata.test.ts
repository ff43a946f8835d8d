import { readFileSync } from 'node:fs';
import sharp, { type Exif, type Sharp } from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../app/config';
import { metadataProcessor } from '../../processors/metadata';
import { isInvalidMedia } from '../../processors/processor';
import { inputOf } from '../../processors/readOnce';
import { renditionsProcessor } from '../../processors/renditions';
import { foldAsset, type AssetRecord } from '../../projections/assetRecord';
import type { AssetEvent, StoredEvent } from '../../schemas/envelope';
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

async function metadataOf(bytes: Buffer, maxInputPixels = MAX_PIXELS): Promise<PayloadOf<'TechnicalMetadataExtracted'>> {
  const input = inputOf(bytes, { maxInputPixels, box: 1280 });
  const { events } = await metadataProcessor().process(ingestedOf(bytes), input);
  return TechnicalMetadataExtracted.parse(events[0]!.payload);
}

/** A 320×200 blue picture, as sharp writes it in `format`, with the XMP packet given. */
const withXmp = (format: 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff', packet: string) =>
  sharp({ create: { width: 320, height: 200, channels: 3, background: '#4080c0' } }).withXmp(packet).toFormat(format).toBuffer();

/** An XMP packet as Lightroom writes one, with the Dublin Core and Photoshop properties given (RDF/XML). */
const xmpPacket = (properties: string, attributes = '') => `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" ${attributes}>
   ${properties}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

/** A Lightroom export of a 1962 scan: the day it was taken (photoshop:DateCreated), saved in 2024 (xmp:ModifyDate). */
const LIGHTROOM = xmpPacket(
  `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Harbour at dawn</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Fishing boats leaving Valparaiso harbour</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>Ana Pereira</rdf:li></rdf:Seq></dc:creator>
   <dc:subject><rdf:Bag><rdf:li>lighthouse</rdf:li><rdf:li>trawler</rdf:li></rdf:Bag></dc:subject>`,
  'xmp:Rating="4" xmp:ModifyDate="2024-02-01T10:00:00+01:00" photoshop:DateCreated="1962-07-14"',
);

/**
 * A JPEG with an IPTC-IIM block (APP13, Photoshop 3.0, resource 0x0404) of
 * the datasets given (record 2: 5 object name, 105 headline, 120 caption,
 * 25 keywords, 55 date created, 60 time created), in UTF-8 as CodedCharacterSet says
 * (a value given as bytes is written as they are).
 */
async function withIptc(datasets: [tag: number, value: string | Buffer][], exif: Exif = {}): Promise<Buffer> {
  const dataset = (record: number, tag: number, value: Buffer) => Buffer.concat([Buffer.from([0x1c, record, tag, value.length >> 8, value.length & 255]), value]);
  const iim = Buffer.concat([
    dataset(1, 90, Buffer.from([0x1b, 0x25, 0x47])), // CodedCharacterSet: UTF-8
    ...datasets.map(([tag, value]) => dataset(2, tag, Buffer.from(value))),
  ]);
  const resource = Buffer.concat([Buffer.from('8BIM'), Buffer.from([0x04, 0x04, 0, 0, 0, 0, iim.length >> 8, iim.length & 255]), iim, Buffer.alloc(iim.length % 2)]);
  const body = Buffer.concat([Buffer.from('Photoshop 3.0\0'), resource]);
  const app13 = Buffer.concat([Buffer.from([0xff, 0xed, (body.length + 2) >> 8, (body.length + 2) & 255]), body]);
  const plain = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#888' } }).jpeg().withExif(exif).toBuffer();
  return Buffer.concat([plain.subarray(0, 2), app13, plain.subarray(2)]);
}

/** A JPEG whose frame header (SOF0) says width × height: all that sharp's metadata() reads, without the pixels. */
async function jpegSaying(width: number, height: number, exif: Exif): Promise<Buffer> {
  const jpeg = Buffer.from(await sharp({ create: { width: 32, height: 24, channels: 3, background: '#808070' } }).jpeg().withExif(exif).toBuffer());
  const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(height, frame + 5);
  jpeg.writeUInt16BE(width, frame + 7);
  return jpeg;
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
      return metadataProcessor().process(event, inputOf(bytes, { maxInputPixels: MAX_PIXELS, box: 1280 }));
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
  it("keeps the fraction of a second a burst's frames are told apart by (SubSecTimeOriginal), in their order", async () => {
    const dates = (exif: Record<string, string>) => withExif({ IFD2: exif }).then(metadataOf).then((metadata) => metadata.capturedAt);
    const burst = await Promise.all(
      ['950', '100', '5'].map((subSeconds) => dates({ DateTimeOriginal: '2024:01:01 00:00:00', OffsetTimeOriginal: '+01:00', SubSecTimeOriginal: subSeconds })),
    );
    expect(burst).toEqual(['2024-01-01T00:00:00.950+01:00', '2024-01-01T00:00:00.100+01:00', '2024-01-01T00:00:00.5+01:00']);
    expect([...burst].sort()).toEqual([burst[2], burst[1], burst[0]].sort());
    expect(await dates({ DateTimeDigitized: '2019:07:01 08:30:00', SubSecTimeDigitized: '25' })).toBe('2019-07-01T08:30:00.25');
    expect(await dates({ DateTimeOriginal: '2019:07:01 08:30:00', SubSecTimeOriginal: 'junk' })).toBe('2019-07-01T08:30:00');
  });
  it("reads a photo's metadata past the pixel limit: the header is no decompression bomb; its renditions are refused, and it is degraded, not failed", async () => {
    // A Fujifilm GFX100's 11648 × 8736 (102 MP), within the default limit, which is sharp's own.
    const defaultLimit = loadConfig({}, {}).processors.maxInputPixels;
    expect(defaultLimit).toBe(268_402_689);
    const gfx = await jpegSaying(11648, 8736, { IFD0: { Make: 'FUJIFILM', Model: 'GFX100S' } });
    expect(await metadataOf(gfx, defaultLimit)).toMatchObject({ format: 'jpeg', width: 11648, height: 8736, make: 'FUJIFILM', model: 'GFX100S' });
    expect(await metadataOf(gfx, 100_000_000)).toMatchObject({ width: 11648, height: 8736, make: 'FUJIFILM' });

    // Past a limit, the metadata stands and the renditions fail: the asset is degraded.
    const photo = readFileSync(fixture('jpg/Canon_40D.jpg'));
    const limit = 1000;
    const metadata = await metadataOf(photo, limit);
    expect(metadata).toMatchObject({ width: 100, height: 68, make: 'Canon' });
    const renditions = { thumbnailSize: 256, proxySize: 1280, maxInputPixels: limit, watermark: { gravity: 'southeast', opacity: 0.8 } } as const;
    const refused = await renditionsProcessor(renditions).process(ingestedOf(photo), inputOf(photo, { maxInputPixels: limit, box: 1280 })).catch((error: unknown) => error);
    expect(isInvalidMedia(refused)).toBe(true);
    const event = (assetVersion: number, type: string, payload: unknown) => ({ assetId: 'a', assetVersion, time: '2024-05-01T10:00:00Z', type, payload }) as AssetEvent;
    const record = [
      event(1, 'AssetIngested', { objectKey: 'originals/a/original.jpg', originalName: 'big.jpg', mediaType: 'image', mimeType: 'image/jpeg', size: photo.length, sha256: sha256Hex(photo), origin: { kind: 'upload' } }),
      event(2, 'TechnicalMetadataExtracted', metadata),
      event(3, 'AssetProcessingFailed', { processor: 'processor:renditions@3', causeEventId: 'x', code: 'UNREADABLE_IMAGE', message: (refused as Error).message, attempts: 1, retryable: false }),
    ].reduce<AssetRecord | undefined>(foldAsset, undefined);
    expect(record).toMatchObject({ status: 'degraded', metadata: { make: 'Canon' } });
  });

  it("keeps a photo's own title and caption without the characters that would disguise them, as a file's name is kept; a caption keeps its lines", async () => {
    const packet = xmpPacket(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Invoice\u202Efdp.exe</rdf:li></rdf:Alt></dc:title>`);
    expect((await metadataOf(await withXmp('jpeg', packet))).xmp).toEqual({ title: 'Invoicefdp.exe' });
    const iptc = await metadataOf(await withIptc([[5, 'Ring\u0007 the bell'], [120, 'First line\nsecond \u202Eline']]));
    expect(iptc.iptc).toEqual({ title: 'Ring the bell', description: 'First line\nsecond line' });
  });

  it('records no position where the receiver had no fix: GPSStatus V (void), or zeros in both', async () => {
    const zeros = { GPSLatitudeRef: 'N', GPSLatitude: '0/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 0/1 0/1' };
    expect(await metadataOf(await withExif({ IFD3: zeros }))).not.toHaveProperty('gps');
    const void_ = { GPSLatitudeRef: 'S', GPSLatitude: '33/1 52/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '151/1 12/1 0/1', GPSStatus: 'V' };
    expect(await metadataOf(await withExif({ IFD3: void_ }))).not.toHaveProperty('gps');
    expect((await metadataOf(await withExif({ IFD3: { ...void_, GPSStatus: 'A' } }))).gps).toEqual({ latitude: -(33 + 52 / 60), longitude: 151.2 });
  });

  it('keeps one text of a title or description written in several languages: the default one (x-default), else the first', async () => {
    const inLanguages = (element: string, ...items: [lang: string, text: string][]) =>
      `<dc:${element}><rdf:Alt>${items.map(([lang, text]) => `<rdf:li xml:lang="${lang}">${text}</rdf:li>`).join('')}</rdf:Alt></dc:${element}>`;
    const packet = xmpPacket(inLanguages('title', ['en', 'Harbour fire'], ['x-default', 'Hafenbrand']) + inLanguages('description', ['de', 'Feuerwehr löscht Lagerhalle'], ['en', 'Firefighters douse warehouse']));
    expect((await metadataOf(await withXmp('jpeg', packet))).xmp).toEqual({ title: 'Hafenbrand', description: 'Feuerwehr löscht Lagerhalle' });
  });

  it("keeps a photo's own XMP title, description and keywords, the keywords always as a list", async () => {
    expect((await metadataOf(readFileSync(fixture('jpg/xmp/BlueSquare.jpg')))).xmp).toMatchObject({
      title: 'Blue Square Test File - .jpg',
      description: 'XMPFiles BlueSquare test file, created in Photoshop CS2, saved as .psd, .jpg, and .tif.',
      subject: ['XMP', 'Blue Square', 'test file', 'Photoshop', '.jpg'],
    });
    // One keyword: exifr gives it alone, the record as a list of one.
    expect((await metadataOf(readFileSync(fixture('jpg/xmp/no_exif.jpg')))).xmp).toMatchObject({ title: 'Der Goalie bin ig', subject: ['tag'] });
  });

  it.each(['webp', 'avif', 'png'] as const)('reads the XMP of a %s, which exifr does not find there', async (format) => {
    expect(await metadataOf(await withXmp(format, LIGHTROOM))).toMatchObject({
      xmp: { title: 'Harbour at dawn', description: 'Fishing boats leaving Valparaiso harbour', subject: ['lighthouse', 'trawler'], creator: 'Ana Pereira', Rating: 4 },
      capturedAt: '1962-07-14',
      warnings: [],
    });
  });

  it("reads IPTC-IIM, as older newsroom software writes it: title, description, keywords and the day it was created, in UTF-8", async () => {
    const iptc = await withIptc([
      [5, 'Dockside auction'],
      [105, 'Morning catch sold'],
      [120, 'Auction of the morning catch at the Zanzibar quay, Café Mwambao'],
      [25, 'fishmarket'],
      [25, 'quayside'],
      [80, 'Juma Said'],
      [55, '19710305'],
      [60, '093000+0300'],
    ]);
    const metadata = await metadataOf(iptc);
    expect(metadata).toMatchObject({
      iptc: { title: 'Dockside auction', description: 'Auction of the morning catch at the Zanzibar quay, Café Mwambao', keywords: ['fishmarket', 'quayside'] },
      capturedAt: '1971-03-05T09:30:00+03:00',
      warnings: [],
    });
    // The by-line is a person's name: not kept where search would read it.
    expect(JSON.stringify(metadata)).not.toContain('Juma');
    // No object name: the headline is the title; one keyword is a list of one; a day without a time is the day.
    expect(await metadataOf(await withIptc([[105, 'Morning catch sold'], [25, 'fishmarket'], [55, '19710305']]))).toMatchObject({
      iptc: { title: 'Morning catch sold', keywords: ['fishmarket'] },
      capturedAt: '1971-03-05',
    });
  });

  it('reads IIM text that is not UTF-8 as Windows-1252, as Windows newsroom tools write it: quotes, dashes and the euro sign, not control characters', async () => {
    const caption = Buffer.from([0x84, ...Buffer.from('Wahlkampf'), 0x93, 0x20, 0x96, ...Buffer.from(' Kosten '), 0x80, ...Buffer.from('5 Mio, Caf'), 0xe9]);
    expect((await metadataOf(await withIptc([[120, caption]]))).iptc).toEqual({ description: '„Wahlkampf“ – Kosten €5 Mio, Café' });
  });

  it('dates a photo by when it was taken, never by when software last saved it', async () => {
    const jpeg = (exif: Exif) => withExif(exif).then(metadataOf).then((metadata) => metadata.capturedAt);
    // A Lightroom export of a 1962 scan: photoshop:DateCreated, not xmp:ModifyDate (2024).
    expect((await metadataOf(await withXmp('jpeg', LIGHTROOM))).capturedAt).toBe('1962-07-14');
    expect((await metadataOf(await withXmp('tiff', LIGHTROOM))).capturedAt).toBe('1962-07-14');
    // EXIF's DateTime (ModifyDate) alone is no capture date.
    expect(await jpeg({ IFD0: { DateTime: '2024:02:01 10:00:00' } })).toBeUndefined();
    // The camera's DateTimeOriginal first; the day the picture was created before the day it was digitised.
    expect(await jpeg({ IFD0: { DateTime: '2024:02:01 10:00:00' }, IFD2: { DateTimeOriginal: '2008:05:30 15:56:01', DateTimeDigitized: '2019:07:01 08:30:00' } })).toBe('2008-05-30T15:56:01');
    expect(await metadataOf(await withIptc([[55, '19710305']], { IFD2: { DateTimeDigitized: '2019:07:01 08:30:00' } }))).toMatchObject({ capturedAt: '1971-03-05' });
    // A day that no calendar has gives way.
    expect(await metadataOf(await withIptc([[55, '19710230']], { IFD2: { DateTimeDigitized: '2019:07:01 08:30:00' } }))).toMatchObject({ capturedAt: '2019-07-01T08:30:00' });
  });

  it("fails an unreadable file with its own reason, not another file's that libvips' one buffer held then (lovell/sharp#902)", async () => {
    const gif = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#888' } }).gif().toBuffer();
    // What sharp said of a GIF cut short while a damaged JPEG failed on another thread: the JPEG's complaint.
    const mixedUp = vi
      .spyOn((sharp as unknown as { prototype: Sharp }).prototype, 'metadata')
      .mockRejectedValueOnce(new Error('Input buffer has corrupt header: VipsJpeg: Unsupported JPEG data precision 0'));
    try {
      await expect(metadataOf(gif.subarray(0, 20))).rejects.toMatchObject({
        code: 'UNREADABLE_IMAGE',
        message: 'the image cannot be read: Input buffer has corrupt header: gifload_buffer: Unexpected end of GIF source data',
      });
      expect(mixedUp).toHaveBeenCalledOnce();
    } finally {
      mixedUp.mockRestore();
    }
  });
});
