import decodeHeif from 'heic-decode';
import sharp, { type Sharp } from 'sharp';

/** ftyp brands that name HEVC-coded HEIF (ISO/IEC 23008-12): stills, sequences, their extended and multi-layer forms. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/** The brands of an ISO-BMFF file's ftyp box, major first; none for any other file. */
function brandsOf(bytes: Buffer): string[] {
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return [];
  const end = Math.min(bytes.readUInt32BE(0), bytes.length);
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(bytes.toString('latin1', at, at + 4));
  return brands;
}

/**
 * HEIC: HEIF whose images are HEVC, which sharp's prebuilt libvips cannot
 * decode (it has libheif with AV1 only). AVIF is HEIF too, and sharp reads it.
 */
export const isHevcHeif = (bytes: Buffer): boolean => brandsOf(bytes).some((brand) => HEVC_BRANDS.has(brand));

/** Every alpha sample 255: the alpha channel the decoder always gives says nothing, and would grow every rendition. */
function isOpaque(rgba: Buffer): boolean {
  for (let at = 3; at < rgba.length; at += 4) if (rgba[at] !== 255) return false;
  return true;
}

/**
 * The primary image of a HEIC file, decoded by libheif (heic-decode, as
 * WASM), as a sharp pipeline over its raw pixels. libheif applies the
 * container's transformations (irot, imir, clap) as it decodes, and HEIF's
 * EXIF orientation only repeats them for readers that do not know HEIF
 * (ISO/IEC 23008-12 says to ignore it): these pixels are upright, and turning
 * them by the EXIF orientation would turn a phone's portrait photo twice.
 * The pixel limit is checked on the container's size, before any decoding.
 */
export async function openHeif(bytes: Buffer, maxInputPixels: number): Promise<Sharp> {
  const images = await decodeHeif.all({ buffer: bytes });
  try {
    const primary = images[0];
    if (!primary) throw new Error('the HEIF file holds no image');
    if (primary.width * primary.height > maxInputPixels) {
      throw new Error(`Input image exceeds pixel limit (${primary.width}×${primary.height} > ${maxInputPixels} pixels)`);
    }
    const { data, width, height } = await primary.decode();
    const rgba = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const image = sharp(rgba, { raw: { width, height, channels: 4 } });
    return isOpaque(rgba) ? image.removeAlpha() : image;
  } finally {
    images.dispose();
  }
}
