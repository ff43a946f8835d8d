import { fromDecoded, type DecodedImage } from './decodedImage';
import { InvalidMediaError, type Processor, type ProcessorInput } from './processor';
import type { StoredEvent } from '../schemas/envelope';
import { FRAMES_KEPT, isPictureSource, videoFramesOf, type RepresentativeFrames, type VideoFrame } from './videoFrames';

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

/** A mosaic tile's side: many times the share of the 9×8 hash grid each tile gets. */
const TILE = 64;
const MOSAIC_COLUMNS = 2;

/**
 * A video's frames tiled into one picture, two by two, repeated in turn
 * where there are fewer: hashed as one image, every tile holds a quarter of
 * the bits, so two videos are close only when all their frames are alike
 * (one shared logo or black frame moves a quarter of them at most).
 */
export async function frameMosaic(frames: VideoFrame[]): Promise<DecodedImage> {
  const tiles = await Promise.all(
    Array.from({ length: FRAMES_KEPT }, (_, i) => fromDecoded(frames[i % frames.length]!.image).resize(TILE, TILE, { fit: 'fill' }).raw().toBuffer()),
  );
  const width = TILE * MOSAIC_COLUMNS;
  const rows = Math.ceil(FRAMES_KEPT / MOSAIC_COLUMNS);
  const data = Buffer.alloc(width * TILE * rows * 3);
  for (const [i, tile] of tiles.entries()) {
    const left = (i % MOSAIC_COLUMNS) * TILE;
    const top = Math.floor(i / MOSAIC_COLUMNS) * TILE;
    for (let y = 0; y < TILE; y++) tile.copy(data, ((top + y) * width + left) * 3, y * TILE * 3, (y + 1) * TILE * 3);
  }
  return { data, width, height: TILE * rows, channels: 3 };
}

async function hashOf(event: StoredEvent, input: ProcessorInput, frames?: RepresentativeFrames): Promise<string> {
  const videoFrames = await videoFramesOf(event, input, frames);
  if (videoFrames) return differenceHash(await frameMosaic(videoFrames));
  return differenceHash(await input.image()).catch((error: Error) => {
    throw new InvalidMediaError('UNREADABLE_IMAGE', `the image cannot be hashed: ${error.message}`);
  });
}

/**
 * The perceptual hash of every image and of every video (of the mosaic of
 * its representative frames, processors/videoFrames.ts: from its frames
 * rendition, or from its original when `frames` is given), for
 * near-duplicate groups (projections/duplicates).
 */
export function perceptualHashProcessor(frames?: RepresentativeFrames): Processor {
  return {
    name: 'perceptual-hash',
    // 2: hashed from the shared decode, not from a JPEG shrunk on load (small images move a few bits from version 1).
    // 3: a video's blank candidates told by their grey levels, not their red channel's (a green or blue scene is no fade).
    version: '3',
    accepts: (event) => isPictureSource(event, frames),
    async process(event, input) {
      const hash = await hashOf(event, input, frames);
      return { events: [{ type: 'PerceptualHashComputed', payload: { algorithm: 'dhash', hash } }] };
    },
  };
}
