import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { access } from '../access/accessControl';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { wholeLibrary } from '../visibility';

/** The camera inventory: the worked example of a projection added without a processor change. */
export const cameraRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/cameras',
      {
        config: access('view'),
        schema: {
          operationId: 'listCameras',
          summary: 'Live assets counted by camera make, model and capture year (filters match whole names, any case); for admins and editors, as it counts the whole library',
          querystring: z.strictObject({
            make: z.string().min(1).max(200).optional(),
            model: z.string().min(1).max(200).optional(),
            year: z.string().regex(/^\d{4}$/, 'a year like 2008').optional(),
          }),
          response: {
            200: z.object({
              cameras: z.array(
                z.object({
                  make: z.string().nullable().describe("as the camera wrote it; null where a photo's EXIF has none"),
                  model: z.string().nullable(),
                  year: z.string().nullable().describe('of capture; null without a capture date'),
                  assets: z.number().int(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        await wholeLibrary(lake, request.principal, 'the camera inventory');
        return { cameras: await lake.cameras.counts(request.query) };
      },
    );
  };
