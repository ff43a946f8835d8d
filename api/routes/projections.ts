import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { access, onProjection } from '../access/accessControl';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { RebuildProgress } from '../../projections/lifecycle/catalog';
import { errorResponse } from '../errors';

const ProjectionParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'not a projection name') });

/** A projection: what it folds, where it lives, and which generation serves. */
const Projection = z.object({
  name: z.string(),
  version: z.number().int(),
  events: z.array(z.string()).readonly().describe('the event types its fold reads'),
  description: z.string(),
  backend: z.string().optional().describe('where its generations live; absent where its backend cannot build one beside the live one'),
  rebuildable: z.boolean(),
  live: z.object({ generation: z.string(), version: z.number().int(), builtAt: z.string() }).optional(),
  stale: z.boolean().describe('the live generation was built by an older version: rebuild it'),
});

/** A projection with how far behind the log it is, and its latest rebuild. */
const ProjectionStatus = Projection.extend({
  positions: z.record(z.string(), z.string()),
  lag: z.number().int().describe('events on the log it has not applied'),
  lagSeconds: z.number().nullable().describe('how long the oldest of them has waited; null where the log cannot read an event at a position'),
  pastLogEnd: z
    .array(z.string())
    .optional()
    .describe("partitions where its position lies past the log's end (the log restored from an older copy than the projection): it applies nothing more until rebuilt"),
  rebuild: RebuildProgress.extend({ eventsPerSecond: z.number() }).optional(),
});

/** The projections' lifecycle: list, status (lag, rebuild progress), rebuild. */
export const projectionRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/projections',
      {
        config: access('view'),
        schema: {
          operationId: 'listProjections',
          summary: 'Every projection: its version, live generation, backend, and whether it is stale (built by an older version)',
          response: { 200: z.object({ projections: z.array(Projection) }) },
        },
      },
      async () => ({ projections: await lake.projections.list() }),
    );

    app.get(
      '/projections/status',
      {
        config: access('view'),
        schema: {
          operationId: 'getProjectionsStatus',
          summary:
            'Every projection with its lag in events and in seconds (how long the oldest event not yet applied has waited) and its last rebuild',
          response: { 200: z.object({ projections: z.array(ProjectionStatus) }) },
        },
      },
      async () => ({ projections: await lake.projections.status() }),
    );

    app.get(
      '/projections/:name',
      {
        config: access('view', onProjection),
        schema: { operationId: 'getProjection', summary: 'One projection: version, live generation, lag, and the progress of its last rebuild', params: ProjectionParams, response: { 200: ProjectionStatus } },
      },
      async (request) => (await lake.projections.status(request.params.name))[0],
    );

    app.post(
      '/projections/:name/rebuild',
      {
        config: access('rebuildProjections', onProjection),
        schema: {
          operationId: 'rebuildProjection',
          summary:
            'Starts building a new generation from the whole log beside the live one, which keeps serving; it is switched in atomically ' +
            'and the old one dropped. 202 at once; follow it at GET /projections/:name. 409 while one runs.',
          params: ProjectionParams,
          response: {
            202: z.object({ rebuild: RebuildProgress.describe('the rebuild as it starts: GET /projections/:name follows it') }),
            409: errorResponse('A rebuild of it runs already (REBUILD_RUNNING), or its backend cannot build a generation beside the live one (PROJECTION_NOT_REBUILDABLE)'),
          },
        },
      },
      async (request, reply) => reply.status(202).send({ rebuild: await lake.projections.start(request.params.name) }),
    );
  };
