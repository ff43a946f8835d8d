import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Lake } from '../../app/lake';
import { SearchQuery } from '../../projections/search/searchIndex';

export const searchRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/search',
      { schema: { summary: 'Keyword search over names, titles, tags, descriptions and cameras, with filters and facets', querystring: SearchQuery } },
      async (request) => lake.search.search(request.query),
    );
  };
