import { z } from 'zod';
import { access } from '../access/accessControl';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Lake } from '../../app/lake';
import { EXACT_LIMIT, SearchResult } from '../../projections/search/searchIndex';
import { ModeSearchQuery, SEARCH_MODES, searchInMode } from '../../projections/vectors/semanticSearch';
import { DATE_FILTERS } from '../calendarDate';
import { errorResponse } from '../errors';
import { scopeFiltered, visibilityOf } from '../visibility';
import { Exact } from './similar';

/** A search's answer: the mode it ran in and, in the semantic modes, the embedding model that ranked it. */
const SearchAnswer = SearchResult.extend({
  mode: z.enum(SEARCH_MODES),
  model: z.object({ id: z.string(), revision: z.string() }).optional(),
});

export const searchRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/search',
      {
        config: access('view'),
        schema: {
          operationId: 'searchAssets',
          summary:
            'Search with filters and facets. mode=keyword (default): words in names, titles, tags, descriptions, cameras, ' +
            "creators and people shown, and a document's text (its first 64 Ki characters); " +
            'video and audio also by duration (minDuration, maxDuration, in seconds), resolution class and codec, each a facet. ' +
            'mode=semantic: images ranked by how well they match the text (CLIP); mode=hybrid: both rankings fused ' +
            '(reciprocal rank fusion). In the semantic modes the facets count the filtered library. ' +
            'Every mode, its totals and its facets cover only the assets the caller may see; collection= keeps those of one collection. ' +
            `Totals and facets are exact up to ${EXACT_LIMIT.toLocaleString('en-US')} matches; past that total is that many ` +
            'with totalRelation gte (at least), and the facets count a sample of the matches (facetsRelation gte).',
          querystring: ModeSearchQuery.safeExtend({ ...DATE_FILTERS, exact: Exact.optional() }).strict(),
          response: {
            200: SearchAnswer,
            409: errorResponse('mode semantic or hybrid on a lake that computes no embeddings (EMBEDDINGS_DISABLED): set embeddings.model'),
          },
        },
      },
      async (request) => {
        const scope = scopeFiltered(await visibilityOf(lake, request.principal), request.query.collection);
        return searchInMode({ search: lake.search, vectors: lake.vectors, encoder: lake.embedder }, { ...request.query, ...scope });
      },
    );
  };
