import { z } from 'zod';
import { fromDecoded } from '../../decodedImage';
import { isWatermarkImageError, watermarkOverlay } from '../../watermark';
import { NodeError, type NodeType } from '../node';

const Parameters = z
  .strictObject({
    text: z.string().min(1).max(200).optional(),
    /** A logo file on the lake's machine (PNG with alpha works best), checked to be there and an image when the pipeline is deployed. */
    image: z.string().min(1).optional(),
    gravity: z.enum(['northwest', 'northeast', 'southwest', 'southeast', 'centre']).default('southeast'),
    opacity: z.number().min(0).max(1).default(0.5),
  })
  .refine((p) => Boolean(p.text) !== Boolean(p.image), { message: 'give a watermark text or an image, one of them' });

/** Stamps a text or a logo on the image the nodes before made (or the original); the next node encodes it. */
export const watermarkNode: NodeType<z.infer<typeof Parameters>> = {
  type: 'watermark',
  description: 'a text or a logo image on the picture, at a corner or the centre, at an opacity',
  parameters: Parameters,
  needs: ['image'],
  gives: ['image'],
  outputs: [],
  async run(parameters, context) {
    const image = await context.image();
    const overlay = await watermarkOverlay(parameters, image.width, image.height).catch((error: unknown) => {
      // The file went after the deploy checked it: the next try finds it gone too.
      throw isWatermarkImageError(error) ? new NodeError(error.code, error.message, false) : error;
    });
    const { data, info } = await fromDecoded(image).composite([{ input: overlay!, gravity: parameters.gravity }]).raw().toBuffer({ resolveWithObject: true });
    return { image: { data, width: info.width, height: info.height, channels: info.channels, watermarked: true } };
  },
};
