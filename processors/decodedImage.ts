import sharp, { type Sharp } from 'sharp';
import { decodeHeif, isHevcHeif } from './heif';

/** An original's pixels as the image processors read them: raw, 8 bits a sample, channels interleaved. */
export interface DecodedImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export interface DecodeOptions {
  /** Decompression-bomb guard: images with more pixels are refused before they are decoded. */
  maxInputPixels: number;
  /** The largest box any image processor needs (the proxy rendition's): larger images are shrunk into it as they are decoded. */
  box: number;
}

/**
 * Decoding is most of what an image costs (the entropy decoding of a JPEG
 * does not get cheaper at a smaller scale), so every image processor reads
 * the same decode: upright (openUpright), inside box × box,
 * never enlarged. The renditions and the perceptual hash are made from it.
 */
export async function decodeImage(bytes: Buffer, options: DecodeOptions): Promise<DecodedImage> {
  if (isHevcHeif(bytes)) {
    // libheif's pixels are raw already: only one larger than the box takes a sharp pass.
    const pixels = await decodeHeif(bytes, options.maxInputPixels);
    return Math.max(pixels.width, pixels.height) <= options.box ? pixels : shrink(fromDecoded(pixels), options.box);
  }
  return shrink(await openUpright(bytes, options.maxInputPixels), options.box);
}

async function shrink(upright: Sharp, box: number): Promise<DecodedImage> {
  const { data, info } = await upright
    .resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/**
 * An original as a sharp pipeline whose pixels are upright, refused past
 * maxInputPixels before it is decoded: by sharp with the EXIF orientation
 * applied, or, for HEIC, by libheif (processors/heif.ts), which applies the
 * container's own turns. The one way in for every reader of an original's pixels.
 */
export async function openUpright(bytes: Buffer, maxInputPixels: number): Promise<Sharp> {
  if (isHevcHeif(bytes)) return fromDecoded(await decodeHeif(bytes, maxInputPixels));
  return sharp(bytes, { limitInputPixels: maxInputPixels, failOn: 'error' }).autoOrient();
}

/** A sharp pipeline that starts from decoded pixels. */
export function fromDecoded(image: DecodedImage): Sharp {
  const { width, height, channels } = image;
  return sharp(image.data, { raw: { width, height, channels } });
}

/** Bytes a decoded image holds, for the budget of what is kept for other processors. */
export const decodedBytes = (image: DecodedImage) => image.data.length;
