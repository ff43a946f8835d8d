import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { access, onAsset } from '../access/accessControl';
import { z } from 'zod';
import { wholeNumber } from '../../schemas/queryNumbers';
import type { Lake } from '../../app/lake';
import { ASSET_ID } from '../../schemas/envelope';
import { InvalidCursorError } from '../../projections/audit/auditTrail';
import { SearchHit, SearchQuery } from '../../projections/search/searchIndex';
import { EmbeddingsDisabledError } from '../../projections/vectors/semanticSearch';
import { DATE_FILTERS } from '../calendarDate';
import { errorResponse, HttpError } from '../errors';
import { scopeFiltered, scopeOf, visibilityOf, visibleRecord } from '../visibility';
import { AssetParams } from './assets';

/** A member of a near-duplicate group. */
const GroupMember = z.object({ assetId: z.string(), originalName: z.string(), size: z.number().int() });

/**
 * `exact=true` compares with every vector (slow on a large library) instead of
 * searching the approximate index; `false`, the default, searches the index.
 * Only these two, as the document lists them (not zod's stringbool, which
 * also takes yes, on, 1, enabled, … in any case).
 */
export const Exact = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .describe('true: compare with every vector (slow on a large library); false (the default): search the approximate index');

const SimilarQuery = SearchQuery.pick({ type: true, minSize: true, maxSize: true, make: true, model: true, minDuration: true, maxDuration: true, resolution: true, codec: true, collection: true }).extend({
  ...DATE_FILTERS,
  limit: wholeNumber(z.number().int().min(1).max(200).default(20)),
  exact: Exact.optional(),
});

/**
 * The cursor of GET /duplicates: base64url of the id of a page's last group
 * (an asset id), as opaque as the asset records' cursor. A backend reads any
 * text as "the groups after it", so a cursor no page returned (garbage, 0)
 * answered an empty page or the first again; such a cursor is refused, as
 * /assets and /audit refuse theirs.
 */
const groupsCursor = (groupId: string) => Buffer.from(groupId).toString('base64url');
function groupIdOf(cursor: string): string {
  const groupId = Buffer.from(cursor, 'base64url').toString();
  if (groupsCursor(groupId) !== cursor || !ASSET_ID.test(groupId)) throw new InvalidCursorError();
  return groupId;
}

/** The assets nearest one, by the embeddings of a model. */
const SimilarAnswer = z.object({ assetId: z.string(), model: z.object({ id: z.string(), revision: z.string() }), hits: z.array(SearchHit) });

/** Assets that look alike: nearest embeddings, and near-duplicate groups. */
/** What the embeddings processor embeds (processors/videoFrames.ts isPictureSource): an image, or a video by its representative frames. */
const EMBEDDED_TYPES = new Set(['image', 'video']);

export const similarRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/assets/:id/similar',
      {
        config: access('view', onAsset),
        schema: {
          operationId: 'listSimilarAssets',
          summary: "The assets whose embeddings (images; videos by their representative frames) are nearest this one's (configured model), most similar first, with filters",
          params: AssetParams,
          querystring: SimilarQuery.strict(),
          response: { 200: SimilarAnswer, 409: errorResponse('The lake computes no embeddings (EMBEDDINGS_DISABLED): set embeddings.model') },
        },
      },
      async (request) => {
        const { id } = request.params;
        const { limit, exact, ...filter } = request.query;
        const record = await visibleRecord(lake, request.principal, id);
        const scope = scopeFiltered(await visibilityOf(lake, request.principal), filter.collection);
        if (!lake.embedder) throw new EmbeddingsDisabledError('finding similar assets');
        const model = lake.embedder.model;
        const vector = await lake.vectors.vectorOf(id, model);
        if (!vector) {
          const why = EMBEDDED_TYPES.has(record.mediaType) ? ' yet: it may still be processing, or its failures say why' : `: ${record.mediaType} assets are not embedded, images and videos are`;
          throw new HttpError(404, 'NOT_EMBEDDED', `asset ${id} has no ${model.id} embedding${why}`);
        }
        const { hits } = await lake.vectors.knn({ model, vector, k: limit, filter: { ...filter, ...scope }, exclude: id, exact });
        return { assetId: id, model, hits };
      },
    );

    app.get(
      '/assets/:id/duplicates',
      {
        config: access('view', onAsset),
        schema: {
          operationId: 'listAssetDuplicates',
          summary:
            'The near-duplicates of an asset (re-encoded, resized or lightly edited copies): the other members of its group, which is named after its representative ' +
            '(or, where the caller may not see that, after the first member they may see); empty when it is in none',
          params: AssetParams,
          response: { 200: z.object({ assetId: z.string(), groupId: z.string().nullable().describe('null: in no group'), duplicates: z.array(GroupMember) }) },
        },
      },
      async (request) => {
        const { id } = request.params;
        await visibleRecord(lake, request.principal, id);
        const group = await lake.duplicates.groupOf(id, scopeOf(await visibilityOf(lake, request.principal)));
        return { assetId: id, groupId: group?.groupId ?? null, duplicates: (group?.assets ?? []).filter((a) => a.assetId !== id) };
      },
    );

    app.get(
      '/duplicates',
      {
        config: access('view'),
        schema: {
          operationId: 'listDuplicateGroups',
          summary:
            'Groups of near-duplicate assets (close perceptual hashes, confirmed by embeddings when there are some); ' +
            'a viewer sees the members they may see, and the groups with two or more of them',
          querystring: z.strictObject({
            limit: wholeNumber(z.number().int().min(1).max(500).default(50)),
            after: z.string().max(200).optional().describe('the `next` of the previous page'),
          }),
          response: {
            200: z.object({
              groups: z.array(z.object({ groupId: z.string(), assets: z.array(GroupMember).describe('by asset id') })),
              next: z.string().optional().describe('`after` for the next page; absent on the last'),
            }),
          },
        },
      },
      async (request) => {
        const { limit, after } = request.query;
        const scope = scopeOf(await visibilityOf(lake, request.principal));
        const { groups, next } = await lake.duplicates.list({ limit, after: after === undefined ? undefined : groupIdOf(after), ...scope });
        return { groups, ...(next !== undefined && { next: groupsCursor(next) }) };
      },
    );
  };
