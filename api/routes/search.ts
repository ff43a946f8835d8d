import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Lake } from '../../app/lake';
import { ModeSearchQuery, searchInMode } from '../../projections/vectors/semanticSearch';
import { DATE_FILTERS } from '../calendarDate';

export const searchRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/search',
      {
        schema: {
          summary:
            'Search with filters and facets. mode=keyword (default): words in names, titles, tags, descriptions and cameras; ' +
            'mode=semantic: images ranked by how well they match the text (CLIP); mode=hybrid: both rankings fused ' +
            '(reciprocal rank fusion). In the semantic modes the facets count the filtered library.',
          querystring: ModeSearchQuery.safeExtend(DATE_FILTERS),
        },
      },
      async (request) => searchInMode({ search: lake.search, vectors: lake.vectors, encoder: lake.embedder }, request.query),
    );
  };
