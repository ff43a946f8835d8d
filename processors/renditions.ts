import sharp from 'sharp';
import type { StoredEvent } from '../schemas/envelope';
import { renditionKey } from '../storage/assetKeys';
import { fromDecoded, type DecodedImage } from './decodedImage';
import { InvalidMediaError, type Processor, type ProcessorInput, type ProcessorResult, type ResultEvent } from './processor';
import { watermarkOverlay, type WatermarkOptions } from './watermark';

export interface RenditionOptions {
  thumbnailSize: number;
  proxySize: number;
  maxInputPixels: number;
  watermark: WatermarkOptions;
}

export interface RenditionSpec {
  name: string;
  size: number;
  format: 'webp' | 'jpeg';
  watermark: boolean;
}

const MIME = { webp: 'image/webp', jpeg: 'image/jpeg' } as const;

/** The renditions every image gets. */
export function renditionSpecs(options: Pick<RenditionOptions, 'thumbnailSize' | 'proxySize'>): RenditionSpec[] {
  return [
    { name: 'thumbnail', size: options.thumbnailSize, format: 'webp', watermark: false },
    { name: 'proxy', size: options.proxySize, format: 'jpeg', watermark: true },
  ];
}

/** The encoder quality of every rendition (the plain loop of bench/images.ts uses it too). */
export const RENDITION_QUALITY = 82;

/**
 * From the shared decode (already upright and inside the proxy's box): inside
 * a size × size box, never enlarged. JPEG has no transparency: a transparent
 * picture (a logo, a cut-out) is laid on white, as a page shows it, not on
 * the black its dropped alpha would leave.
 */
async function render(image: DecodedImage, spec: RenditionSpec, options: RenditionOptions) {
  const resized = fromDecoded(image).resize({ width: spec.size, height: spec.size, fit: 'inside', withoutEnlargement: true });
  const rendered = spec.format === 'jpeg' ? resized.flatten({ background: '#ffffff' }) : resized;
  if (!spec.watermark || !(options.watermark.text || options.watermark.image)) {
    const { data, info } = await rendered.toFormat(spec.format, { quality: RENDITION_QUALITY }).toBuffer({ resolveWithObject: true });
    return { data, info, watermarked: false };
  }
  // The overlay is sized from the rendered image, so render first, then composite.
  const { data: pixels, info: size } = await rendered.raw().toBuffer({ resolveWithObject: true });
  const overlay = await watermarkOverlay(options.watermark, size.width, size.height);
  const { data, info } = await sharp(pixels, { raw: size })
    .composite([{ input: overlay!, gravity: options.watermark.gravity }])
    .toFormat(spec.format, { quality: RENDITION_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { data, info, watermarked: true };
}

/**
 * The thumbnail and proxy of a decoded picture, as objects and their events:
 * the images' renditions, and those of documents' first pages (processors/documents.ts).
 */
export async function renditionsOf(assetId: string, image: DecodedImage, options: RenditionOptions): Promise<Required<Pick<ProcessorResult, 'events' | 'objects'>>> {
  const result: Required<Pick<ProcessorResult, 'events' | 'objects'>> = { events: [], objects: [] };
  for (const spec of renditionSpecs(options)) {
    const { data, info, watermarked } = await render(image, spec, options).catch((error: Error) => {
      throw new InvalidMediaError('UNREADABLE_IMAGE', `the image cannot be rendered: ${error.message}`);
    });
    const objectKey = renditionKey(assetId, spec.name, `.${spec.format === 'jpeg' ? 'jpg' : spec.format}`);
    result.objects.push({ key: objectKey, body: data, contentType: MIME[spec.format] });
    const created: ResultEvent = {
      type: 'RenditionCreated',
      payload: {
        name: spec.name,
        objectKey,
        mimeType: MIME[spec.format],
        width: info.width,
        height: info.height,
        size: data.length,
        watermarked,
      },
    };
    result.events.push(created);
  }
  return result;
}

/**
 * Image renditions with sharp: a thumbnail and a web proxy, upright, optionally
 * watermarked. Not of SVGs: they are checked before they are rendered, by the
 * documents processor alone.
 */
export function renditionsProcessor(options: RenditionOptions): Processor {
  return {
    name: 'renditions',
    // 2: made from the shared decode (thumbnails of turned or large images differ slightly from version 1's).
    // 3: a transparent picture's proxy is laid on white (it was black), and a picture smaller than the watermark gets one that fits.
    version: '3',
    accepts: (event) => event.type === 'AssetIngested' && event.payload.mediaType === 'image' && event.payload.mimeType !== 'image/svg+xml',
    async process(event: StoredEvent, input: ProcessorInput): Promise<ProcessorResult> {
      return renditionsOf(event.assetId, await input.image(), options);
    },
  };
}
