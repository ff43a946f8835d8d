import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

export interface WatermarkOptions {
  text?: string;
  image?: string;
  gravity: 'northwest' | 'northeast' | 'southwest' | 'southeast' | 'centre';
  opacity: number;
}

/** A watermark image that is not there or is no image: what a definition is refused with, and a node fails with at once (another try finds the same). */
export class WatermarkImageError extends Error {
  constructor(
    readonly code: 'WATERMARK_IMAGE_NOT_FOUND' | 'WATERMARK_IMAGE_UNREADABLE',
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export const isWatermarkImageError = (error: unknown): error is WatermarkImageError => error instanceof WatermarkImageError;

/** The bytes of a watermark image file, checked to decode as an image (PNG, JPEG, WebP…), or WatermarkImageError saying why not. */
export async function readWatermarkImage(path: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'the lake may not read it' : (error as Error).message;
    throw new WatermarkImageError('WATERMARK_IMAGE_NOT_FOUND', path, `the watermark image ${path} cannot be read: ${why} (a relative path is from where the lake runs)`);
  }
  try {
    const { width, height } = await sharp(bytes).metadata();
    if (!width || !height) throw new Error('no dimensions');
  } catch {
    throw new WatermarkImageError('WATERMARK_IMAGE_UNREADABLE', path, `the watermark image ${path} is not an image the lake decodes (PNG with alpha works best)`);
  }
  return bytes;
}

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The overlay for an image of the given size: a text rendered as SVG, or an
 * image file scaled to a quarter of the width, at the configured opacity.
 * Never larger than the image (sharp refuses to composite one that is: a
 * favicon or a thin strip would get no renditions). Undefined when no
 * watermark is configured.
 */
export async function watermarkOverlay(
  options: WatermarkOptions,
  width: number,
  height: number,
): Promise<Buffer | undefined> {
  const maxWidth = Math.max(1, Math.round(width / 4));
  if (options.image) {
    const { data, info } = await sharp(await readWatermarkImage(options.image))
      .resize({ width: maxWidth, height: Math.max(1, Math.round(height / 4)), fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let i = 3; i < data.length; i += 4) data[i] = Math.round(data[i]! * options.opacity);
    return sharp(data, { raw: info }).png().toBuffer();
  }
  if (options.text) {
    const fontSize = Math.min(Math.max(10, Math.round(height / 20)), Math.max(1, Math.floor(height / 2)));
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.min(maxWidth * 2, width)}" height="${Math.min(fontSize * 2, height)}">
      <text x="50%" y="50%" dominant-baseline="middle" text-anchor="middle" font-family="DejaVu Sans, sans-serif"
        font-size="${fontSize}" fill="white" fill-opacity="${options.opacity}" stroke="black" stroke-opacity="${options.opacity / 2}">${escapeXml(options.text)}</text>
    </svg>`;
    return sharp(Buffer.from(svg)).png().toBuffer();
  }
  return undefined;
}
