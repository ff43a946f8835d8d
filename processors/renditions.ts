import sharp, { type Sharp } from 'sharp';
import type { StoredEvent } from '../schemas/envelope';
import { InvalidMediaError, type Processor, type ProcessorInput, type ProcessorResult, type ResultEvent } from './processor';
import { watermarkOverlay, type WatermarkOptions } from './watermark';

export interface RenditionOptions {
  thumbnailSize: number;
  proxySize: number;
  maxInputPixels: number;
  watermark: WatermarkOptions;
}

interface RenditionSpec {
  name: string;
  size: number;
  format: 'webp' | 'jpeg';
  watermark: boolean;
}

const MIME = { webp: 'image/webp', jpeg: 'image/jpeg' } as const;

/** The renditions every image gets, as one plain sharp pipeline each. */
export function renditionSpecs(options: Pick<RenditionOptions, 'thumbnailSize' | 'proxySize'>): RenditionSpec[] {
  return [
    { name: 'thumbnail', size: options.thumbnailSize, format: 'webp', watermark: false },
    { name: 'proxy', size: options.proxySize, format: 'jpeg', watermark: true },
  ];
}

/** Upright (EXIF orientation applied), inside a size × size box, never enlarged. */
export function renderPipeline(bytes: Buffer, spec: RenditionSpec, maxInputPixels: number): Sharp {
  return sharp(bytes, { limitInputPixels: maxInputPixels, failOn: 'error' })
    .autoOrient()
    .resize({ width: spec.size, height: spec.size, fit: 'inside', withoutEnlargement: true })
    .toFormat(spec.format, { quality: 82 });
}

async function render(bytes: Buffer, spec: RenditionSpec, options: RenditionOptions) {
  let pipeline = renderPipeline(bytes, spec, options.maxInputPixels);
  let watermarked = false;
  if (spec.watermark && (options.watermark.text || options.watermark.image)) {
    // The overlay is sized from the rendered image, so render first, then composite.
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    const overlay = await watermarkOverlay(options.watermark, info.width, info.height);
    pipeline = sharp(data).composite([{ input: overlay!, gravity: options.watermark.gravity }]).toFormat(spec.format);
    watermarked = true;
  }
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { data, info, watermarked };
}

/** Image renditions with sharp: a thumbnail and a web proxy, upright, optionally watermarked. */
export function renditionsProcessor(options: RenditionOptions): Processor {
  const specs = renditionSpecs(options);
  return {
    name: 'renditions',
    version: '1',
    accepts: (event) => event.type === 'AssetIngested' && event.payload.mediaType === 'image',
    async process(event: StoredEvent, input: ProcessorInput): Promise<ProcessorResult> {
      const bytes = await input.original();
      if (bytes.length === 0) throw new InvalidMediaError('EMPTY_FILE', 'the file is empty');
      const result: Required<Pick<ProcessorResult, 'events' | 'objects'>> = { events: [], objects: [] };
      for (const spec of specs) {
        const { data, info, watermarked } = await render(bytes, spec, options).catch((error: Error) => {
          throw new InvalidMediaError('UNREADABLE_IMAGE', `the image cannot be rendered: ${error.message}`);
        });
        const objectKey = `renditions/${event.assetId}/${spec.name}.${spec.format === 'jpeg' ? 'jpg' : spec.format}`;
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
    },
  };
}
