import { z } from 'zod';
import { renditionKey } from '../../../storage/assetKeys';
import { fromDecoded } from '../../decodedImage';
import { RENDITION_QUALITY } from '../../renditions';
import type { NodeType } from '../node';

const FORMATS = { jpeg: { mimeType: 'image/jpeg', extension: '.jpg' }, webp: { mimeType: 'image/webp', extension: '.webp' }, png: { mimeType: 'image/png', extension: '.png' } } as const;

const Parameters = z.strictObject({
  /** The rendition's name, as the asset record and `serve` show it. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'a rendition name is 1–41 of a-z 0-9 -'),
  /** Inside a size × size box, never enlarged. */
  size: z.number().int().min(16).max(8192),
  format: z.enum(['jpeg', 'webp', 'png']).default('jpeg'),
  quality: z.number().int().min(1).max(100).default(RENDITION_QUALITY),
});

/** A thumbnail, a proxy or any variant: the image the nodes before made (or the original), resized and encoded, as a rendition. */
export const renditionNode: NodeType<z.infer<typeof Parameters>> = {
  type: 'rendition',
  description: 'the picture inside a box, encoded as JPEG, WebP or PNG, stored as a named rendition',
  parameters: Parameters,
  needs: ['image'],
  gives: [],
  outputs: ['objectKey', 'width', 'height', 'size'],
  async run(parameters, context) {
    const { mimeType, extension } = FORMATS[parameters.format];
    const image = await context.image();
    const { data, info } = await fromDecoded(image)
      .resize({ width: parameters.size, height: parameters.size, fit: 'inside', withoutEnlargement: true })
      .toFormat(parameters.format, { quality: parameters.quality })
      .toBuffer({ resolveWithObject: true });
    const objectKey = renditionKey(context.assetId, parameters.name, extension);
    return {
      objects: [{ key: objectKey, body: data, contentType: mimeType }],
      events: [
        {
          type: 'RenditionCreated',
          payload: { name: parameters.name, objectKey, mimeType, width: info.width, height: info.height, size: data.length, watermarked: image.watermarked ?? false },
        },
      ],
      outputs: { objectKey, width: info.width, height: info.height, size: data.length },
    };
  },
};
