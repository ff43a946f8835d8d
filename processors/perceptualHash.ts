import { fromDecoded, type DecodedImage } from './decodedImage';
import { InvalidMediaError, type Processor } from './processor';

/** Rec. 709 luma of the pixel at `index` (grey images: their one channel; alpha is left out). */
function luma(pixels: Buffer, index: number, channels: number): number {
  const at = index * channels;
  if (channels < 3) return pixels[at]!;
  return 0.2126 * pixels[at]! + 0.7152 * pixels[at + 1]! + 0.0722 * pixels[at + 2]!;
}

/**
 * dHash: the upright image shrunk to 9×8, in grey (luma), one bit per pair of
 * horizontal neighbours (is the left one brighter?). Re-encoding, resizing and
 * small colour changes move few of the 64 bits; different pictures differ in
 * about half of them. Returned as 16 hex digits. Shrunk first, grey after:
 * converting the whole image to grey costs more than everything else here.
 */
export async function differenceHash(image: DecodedImage): Promise<string> {
  const pixels = await fromDecoded(image).resize(9, 8, { fit: 'fill' }).raw().toBuffer();
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) {
      const at = row * 9 + x;
      byte = (byte << 1) | (luma(pixels, at, image.channels) > luma(pixels, at + 1, image.channels) ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** The perceptual hash of every image, for near-duplicate groups (projections/duplicates). */
export function perceptualHashProcessor(): Processor {
  return {
    name: 'perceptual-hash',
    // 2: hashed from the shared decode, not from a JPEG shrunk on load (small images move a few bits from version 1).
    version: '2',
    accepts: (event) => event.type === 'AssetIngested' && event.payload.mediaType === 'image',
    async process(_event, input) {
      const hash = await differenceHash(await input.image()).catch((error: Error) => {
        throw new InvalidMediaError('UNREADABLE_IMAGE', `the image cannot be hashed: ${error.message}`);
      });
      return { events: [{ type: 'PerceptualHashComputed', payload: { algorithm: 'dhash', hash } }] };
    },
  };
}
