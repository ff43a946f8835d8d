import sharp from 'sharp';
import { InvalidMediaError, type Processor } from './processor';

/**
 * dHash: the upright image in grey, shrunk to 9×8, one bit per pair of
 * horizontal neighbours (is the left one brighter?). Re-encoding, resizing and
 * small colour changes move few of the 64 bits; different pictures differ in
 * about half of them. Returned as 16 hex digits.
 */
export async function differenceHash(bytes: Buffer, maxInputPixels: number): Promise<string> {
  const pixels = await sharp(bytes, { limitInputPixels: maxInputPixels, failOn: 'error' })
    .autoOrient()
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .raw()
    .toBuffer();
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (pixels[row * 9 + x]! > pixels[row * 9 + x + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** The perceptual hash of every image, for near-duplicate groups (projections/duplicates). */
export function perceptualHashProcessor(options: { maxInputPixels: number }): Processor {
  return {
    name: 'perceptual-hash',
    version: '1',
    accepts: (event) => event.type === 'AssetIngested' && event.payload.mediaType === 'image',
    async process(_event, input) {
      const hash = await differenceHash(await input.original(), options.maxInputPixels).catch((error: Error) => {
        throw new InvalidMediaError('UNREADABLE_IMAGE', `the image cannot be hashed: ${error.message}`);
      });
      return { events: [{ type: 'PerceptualHashComputed', payload: { algorithm: 'dhash', hash } }] };
    },
  };
}
