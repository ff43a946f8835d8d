import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { access, onAsset } from '../access/accessControl';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { SearchQuery } from '../../projections/search/searchIndex';
import { EmbeddingsDisabledError } from '../../projections/vectors/semanticSearch';
import { DATE_FILTERS } from '../calendarDate';
import { HttpError } from '../errors';
import type { Principal } from '../principal';
import { mayView, scopeOf, visibilityOf, visibleRecord } from '../visibility';
import { AssetParams } from './assets';

const SimilarQuery = SearchQuery.pick({ type: true, minSize: true, maxSize: true, make: true, model: true, collection: true }).extend({
  ...DATE_FILTERS,
  limit: z.coerce.number().int().min(1).max(200).default(20),
  /** Compare with every vector (slow on a large library) instead of searching the approximate index. */
  exact: z.stringbool().default(false),
});

/**
 * The members of a duplicate group the caller may see. The groups are not
 * kept by collection: a group is a handful of assets, each checked against
 * its record, and a viewer sees a group only when two of it are theirs.
 */
async function visibleMembers<A extends { assetId: string }>(lake: Lake, principal: Principal | undefined, assets: A[]): Promise<A[]> {
  const visibility = await visibilityOf(lake, principal);
  if (visibility === 'all') return assets;
  const records = await Promise.all(assets.map((asset) => lake.records.get(asset.assetId)));
  return assets.filter((_, i) => records[i] && records[i].status !== 'deleted' && mayView(visibility, records[i]));
}

/** Assets that look alike: nearest embeddings, and near-duplicate groups. */
export const similarRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/assets/:id/similar',
      {
        config: access('view', onAsset),
        schema: {
          summary: "The assets whose embeddings (images; videos by their representative frames) are nearest this one's (configured model), most similar first, with filters",
          params: AssetParams,
          querystring: SimilarQuery,
        },
      },
      async (request) => {
        const { id } = request.params;
        const { limit, exact, ...filter } = request.query;
        await visibleRecord(lake, request.principal, id);
        const scope = scopeOf(await visibilityOf(lake, request.principal));
        if (!lake.embedder) throw new EmbeddingsDisabledError('finding similar assets');
        const model = lake.embedder.model;
        const vector = await lake.vectors.vectorOf(id, model);
        if (!vector) {
          throw new HttpError(404, 'NOT_EMBEDDED', `asset ${id} has no ${model.id} embedding yet: it may still be processing, or its failures say why`);
        }
        const { hits } = await lake.vectors.knn({ model, vector, k: limit, filter: { ...filter, ...scope }, exclude: id, exact });
        return { assetId: id, model, hits };
      },
    );

    app.get(
      '/assets/:id/duplicates',
      { config: access('view', onAsset), schema: { summary: 'The near-duplicates of an asset (re-encoded, resized or lightly edited copies): the other members of its group, which is named after its representative; empty when it is in none', params: AssetParams } },
      async (request) => {
        const { id } = request.params;
        await visibleRecord(lake, request.principal, id);
        const group = await lake.duplicates.groupOf(id);
        const visible = await visibleMembers(lake, request.principal, group?.assets ?? []);
        return { assetId: id, groupId: group?.groupId ?? null, duplicates: visible.filter((a) => a.assetId !== id) };
      },
    );

    app.get(
      '/duplicates',
      {
        config: access('view'),
        schema: {
          summary:
            'Groups of near-duplicate assets (close perceptual hashes, confirmed by embeddings when there are some); ' +
            'a viewer sees the members they may see, and the groups with two or more of them (a page may then hold fewer groups than limit)',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            after: z.string().max(200).optional(),
          }),
        },
      },
      async (request) => {
        const { groups, next } = await lake.duplicates.list(request.query);
        if ((await visibilityOf(lake, request.principal)) === 'all') return { groups, next };
        const seen = await Promise.all(groups.map(async (group) => ({ ...group, assets: await visibleMembers(lake, request.principal, group.assets) })));
        return { groups: seen.filter((group) => group.assets.length > 1), next };
      },
    );
  };
