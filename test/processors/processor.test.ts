import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../processors/decodedImage';
import { decoderReason, undecodableAlone } from '../../processors/processor';
import { fixture } from '../support/fixtures';

const MAX_PIXELS = 100_000_000;

/** What libvips says of each kind of broken file when it decodes it alone. */
const REASONS = {
  png: 'vipspng: libpng read error',
  jpeg: 'VipsJpeg: premature end of JPEG image',
  corrupted: 'VipsJpeg: Corrupt JPEG data: premature end of data segment VipsJpeg: Corrupt JPEG data: found marker 0xd1 instead of RST5',
} as const;

/** Photos cut off halfway (as an interrupted copy leaves them), PNG and JPEG, and copies of a damaged JPEG. */
async function undecodableFiles(): Promise<{ bytes: Buffer; reason: string }[]> {
  const files: { bytes: Buffer; reason: string }[] = [];
  for (let n = 0; n < 8; n++) {
    const noise = sharp({ create: { width: 600 + n, height: 400, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } } });
    for (const format of ['png', 'jpeg'] as const) {
      const whole = await noise.clone().toFormat(format).toBuffer();
      files.push({ bytes: whole.subarray(0, whole.length >> 1), reason: REASONS[format] });
    }
  }
  const corrupted = readFileSync(fixture('jpg/corrupted.jpg'));
  for (let n = 0; n < 4; n++) files.push({ bytes: Buffer.concat([corrupted, Buffer.from([n])]), reason: REASONS.corrupted });
  return files;
}

describe("a decoder's reason", () => {
  it('is each file\'s own, for many undecodable files decoded at once (libvips keeps one error buffer per process)', async () => {
    const files = await undecodableFiles();
    // Every file at once, as the image processors of a busy lake decode them.
    const messages = await Promise.all(
      files.map(({ bytes }) =>
        decodeImage(bytes, { maxInputPixels: MAX_PIXELS, box: 1280 }).then(
          () => 'decoded',
          async (error: Error) => (await undecodableAlone(bytes, error, { read: 'pixels', maxInputPixels: MAX_PIXELS })).message,
        ),
      ),
    );
    expect(messages).toEqual(files.map(({ reason }) => `the image cannot be decoded: ${reason}`));
  });

  it('says when libvips gave none, and says a line once', () => {
    expect(decoderReason(new Error('Unknown error'))).toBe('the decoder gave no reason');
    expect(decoderReason(new Error('VipsJpeg: premature end of JPEG image\nsource: bad seek to 1024\nVipsJpeg: premature end of JPEG image'))).toBe(
      'VipsJpeg: premature end of JPEG image',
    );
    const cutAfterHeaders = 'Input buffer has corrupt header: VipsJpeg: premature end of JPEG image\nVipsJpeg: JPEG datastream contains no image\nVipsJpeg: premature end of JPEG image';
    expect(decoderReason(new Error(cutAfterHeaders))).toBe('Input buffer has corrupt header: VipsJpeg: premature end of JPEG image VipsJpeg: JPEG datastream contains no image');
  });

  it('stays the first one where the file reads alone, or is a HEIC (libheif decodes it, not libvips)', async () => {
    const photo = readFileSync(fixture('jpg/Canon_40D.jpg'));
    const heic = readFileSync(fixture('heic/samplefilehub.heif'));
    const pixels = { read: 'pixels', maxInputPixels: MAX_PIXELS } as const;
    expect((await undecodableAlone(photo, new Error('VipsJpeg: out of memory'), pixels)).message).toBe('the image cannot be decoded: VipsJpeg: out of memory');
    expect((await undecodableAlone(heic, new Error('libheif: the image is cut short'), pixels)).message).toBe('the image cannot be decoded: libheif: the image is cut short');
  });
});
