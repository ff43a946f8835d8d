import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { wholeNumber } from '../../schemas/queryNumbers';
import type { Lake } from '../../app/lake';
import { assetsOfCollection, assetsOfSearch, pipelineCommands } from '../../app/pipelineCommands';
import { describeCatalogue } from '../../processors/pipelines/catalogue';
import { isInvalidPipeline } from '../../processors/pipelines/definitionCheck';
import { isDefaultPipeline } from '../../processors/pipelines/defaults';
import type { PipelineSummary } from '../../projections/pipelines/pipelineHistory';
import {
  backfillPipeline,
  checkPipeline,
  deployPipeline,
  deploymentOutcome,
  pipelineWarnings,
  PipelineNotFoundError,
  requestPipelineRuns,
  setPipelineEnabled,
} from '../../producers/pipelines';
import { CollectionId, PipelineDeployed, PipelineError, PipelineExecutionStarted } from '../../schemas/events';
import { PipelineDefinition, PipelineName, pipelineJsonSchema } from '../../schemas/pipelines';
import { sha256Hex } from '../../schemas/ids';
import { isSecretNotFound } from '../../storage/secretStore';
import { errorResponse, HttpError } from '../errors';
import { onlyVisible, visibilityOf } from '../visibility';
import { commandContext } from './assets';
import { access } from '../access/accessControl';

const Name = z.object({ name: PipelineName });

/** What enabling or disabling changed, and when it counts: a default pipeline runs as the processors, built when a process starts. */
const EnabledChanged = z.object({ name: z.string(), enabled: z.boolean(), takesEffect: z.enum(['now', 'next-start']) });
const ExecutionStatus = z.enum(['running', 'completed', 'failed']);
const ExecutionQuery = z.strictObject({
  status: ExecutionStatus.optional(),
  assetId: z.string().max(128).optional(),
  version: wholeNumber(z.number().int().positive().optional()),
  limit: wholeNumber(z.number().int().min(1).max(1000).default(100)),
});
/** What a run or a backfill asked the runner for: the assets requested, and those skipped with why. */
const RunsRequested = z.object({
  pipeline: z.string(),
  version: z.number().int(),
  requested: z.array(z.string()),
  skipped: z.array(z.object({ assetId: z.string(), reason: z.string() })),
});
/** A deployment: 201 when it deployed the version, 200 when that version with that definition was deployed already. */
const Deployed = z.object({ name: z.string(), version: z.number().int(), deployed: z.boolean(), warnings: z.array(z.string()).optional() });
/** A deployed pipeline; its executions' counts are not told to a viewer (they count the whole library). */
const Pipeline = z.object({
  name: z.string(),
  version: z.number().int().describe('the version deployed last: what new triggers run'),
  enabled: z.boolean(),
  deployedAt: z.string(),
  definition: PipelineDeployed.shape.definition.describe("the deployed version's definition, as it was checked at deploy"),
  executions: z.object({ running: z.number().int(), completed: z.number().int(), failed: z.number().int() }).optional(),
});
/** An execution of a pipeline on an asset. */
const Execution = z.object({
  executionId: z.string(),
  pipeline: z.string(),
  version: z.number().int(),
  assetId: z.string(),
  status: ExecutionStatus,
  trigger: PipelineExecutionStarted.shape.trigger,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  failedNode: z.string().optional(),
  error: PipelineError.optional(),
  outputs: z.record(z.string(), z.unknown()).optional().describe("the values the definition's emits names, by their path"),
});
const Executions = z.object({ executions: z.array(Execution) });
/** One execution with each node's state, and the definition of the version it ran. */
const ExecutionDetail = Execution.extend({
  nodes: z.array(
    z.object({
      node: z.string(),
      type: z.string(),
      status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
      attempts: z.number().int(),
      durationMs: z.number().optional(),
      error: PipelineError.optional(),
    }),
  ),
  definition: PipelineDeployed.shape.definition.optional(),
});

/** A run or a backfill the pipeline's state refuses. */
const NOT_RUNNABLE = errorResponse('The pipeline is disabled, or its trigger does not run on assets (PIPELINE_TRIGGER)');
const AssetsToRun = z
  .object({
    assetIds: z.array(z.string().min(1).max(128)).min(1).max(1000).optional(),
    /** A keyword search: its first `limit` hits are run. */
    query: z.string().min(1).max(500).optional(),
    limit: z.number().int().min(1).max(200).default(200),
    /** A collection: every asset in it and in the collections nested in it. */
    collectionId: CollectionId.optional(),
  })
  .refine((body) => [body.assetIds, body.query, body.collectionId].filter(Boolean).length === 1, { message: 'give assetIds, a query or a collectionId, one of them' });

/** Equal secrets compare in the same time as unequal ones: the hashes are compared, so lengths leak nothing either. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), Buffer.from(sha256Hex(expected), 'hex'));
}

/** The pipelines users define (docs/pipelines.md): deploy, enable, disable, run, backfill, and their executions. */
export const pipelineRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    const commands = (request: FastifyRequest) => {
      const { actor, correlationId } = commandContext(lake, request);
      return { ...pipelineCommands(lake, actor, 'api'), correlationId };
    };
    const view = access('view');
    const manage = access('managePipelines');
    const { history } = lake.pipelines;
    const found = async (name: string) => {
      const pipeline = await history.pipeline(name);
      if (!pipeline) throw new PipelineNotFoundError(name);
      return pipeline;
    };
    const assetIds = async (body: z.infer<typeof AssetsToRun>) =>
      body.assetIds ?? (body.collectionId ? await assetsOfCollection(lake, body.collectionId) : await assetsOfSearch(lake, body.query!, body.limit));

    /** The counts of a pipeline's executions count the whole library: a viewer who sees only what is shared with them is not told them (as on /status). */
    const shown = async (request: FastifyRequest, pipelines: PipelineSummary[]) =>
      (await visibilityOf(lake, request.principal)) === 'all' ? pipelines : pipelines.map(({ executions: _counts, ...pipeline }) => pipeline);

    app.get(
      '/pipelines',
      {
        config: view,
        schema: {
          operationId: 'listPipelines',
          summary: 'The deployed pipelines: version, enabled, definition, and counts of executions (not to a viewer: they count the whole library)',
          response: { 200: z.object({ pipelines: z.array(Pipeline) }) },
        },
      },
      async (request) => ({ pipelines: await shown(request, await history.pipelines()) }),
    );
    app.get(
      '/pipelines/catalogue',
      {
        config: view,
        schema: {
          operationId: 'getPipelineCatalogue',
          summary: 'The node types a definition may use: what each does, needs, gives and outputs',
          response: {
            200: z.object({
              nodes: z.array(
                z.object({
                  type: z.string(),
                  description: z.string(),
                  needs: z.array(z.string()).readonly().describe('values it reads from the nodes before it (image, video)'),
                  gives: z.array(z.string()).readonly(),
                  outputs: z.array(z.string()).readonly().describe("named results later edges' conditions and the definition's emits may read"),
                  parameters: z.record(z.string(), z.unknown()).describe('their JSON Schema'),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ nodes: describeCatalogue(lake.pipelines.catalogue) }),
    );
    app.get(
      '/pipelines/schema',
      { config: view, schema: { operationId: 'getPipelineSchema', summary: 'The JSON Schema of a pipeline definition', response: { 200: z.record(z.string(), z.unknown()).describe('JSON Schema, draft 2020-12') } } },
      async () => pipelineJsonSchema(),
    );
    app.post(
      '/pipelines',
      {
        config: manage,
        schema: {
          operationId: 'deployPipeline',
          summary: 'Check a definition against the catalogue and deploy it as its version (201; 200 when that version with that definition is deployed already)',
          body: z.record(z.string(), z.unknown()),
          response: { 200: Deployed, 201: Deployed, 409: errorResponse('A changed definition at a version not above the deployed one (PIPELINE_VERSION_CONFLICT)') },
        },
      },
      async (request, reply) => {
        const result = await deployPipeline(commands(request), request.body);
        return reply.status(result.deployed ? 201 : 200).send(result);
      },
    );
    app.post(
      '/pipelines/check',
      {
        // Those who may deploy: the check reads the collections and the server's files that a definition names.
        config: manage,
        schema: {
          operationId: 'checkPipeline',
          summary:
            'Check a definition as deploying it would (the catalogue, the collections and watermark files it names, the size of its deployment), and deploy nothing: every problem, each naming its place (nodes[1].parameters.size: …), or none, and warnings that refuse nothing',
          body: z.record(z.string(), z.unknown()),
          response: {
            200: z.object({
              problems: z.array(z.string()).describe('each naming its place; none: it would deploy'),
              warnings: z.array(z.string()).optional(),
              definition: PipelineDeployed.shape.definition.optional().describe('the definition as checked (defaults filled in), where it has no problem'),
            }),
          },
        },
      },
      async (request) => {
        try {
          const context = commands(request);
          const definition = await checkPipeline(context, request.body);
          // What deploying it would refuse as the log stands: a changed definition at a version not above the deployed one.
          const { conflict } = await deploymentOutcome(context, definition);
          if (conflict) return { problems: [`version: ${conflict.message}`] };
          const warnings = await pipelineWarnings(context, definition);
          return { problems: [], ...(warnings.length && { warnings }), definition };
        } catch (error) {
          if (isInvalidPipeline(error)) return { problems: error.problems };
          throw error;
        }
      },
    );
    const seen = <T extends { assetId?: string }>(request: FastifyRequest, executions: T[]) => onlyVisible(lake, request.principal, executions);
    app.get('/pipelines/executions', { config: view, schema: { operationId: 'listExecutions', summary: 'Executions of every pipeline, newest first (status=running or failed for what needs attention); a viewer sees those of the assets they may see', querystring: ExecutionQuery, response: { 200: Executions } } }, async (request) => ({
      executions: await seen(request, await history.executions(request.query)),
    }));
    app.get(
      '/pipelines/executions/:executionId',
      {
        config: view,
        schema: { operationId: 'getExecution', summary: "One execution with each node's state, tries and duration, and the definition of the version it ran", params: z.object({ executionId: z.uuid() }), response: { 200: ExecutionDetail } },
      },
      async (request) => {
        const [execution] = await seen(request, [await history.execution(request.params.executionId)].filter((found) => found !== undefined));
        if (!execution) throw new HttpError(404, 'EXECUTION_NOT_FOUND', `there is no execution ${request.params.executionId}`);
        return { ...execution, definition: await history.definition(execution.pipeline, execution.version) };
      },
    );
    app.get('/pipelines/:name', { config: view, schema: { operationId: 'getPipeline', summary: 'One pipeline', params: Name, response: { 200: Pipeline } } }, async (request) => (await shown(request, [await found(request.params.name)]))[0]);
    app.get(
      '/pipelines/:name/executions',
      { config: view, schema: { operationId: 'listPipelineExecutions', summary: "A pipeline's executions, newest first", params: Name, querystring: ExecutionQuery, response: { 200: Executions } } },
      async (request) => ({ executions: await seen(request, await history.executions({ ...request.query, pipeline: (await found(request.params.name)).name })) }),
    );
    for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
      const summary =
        `${action[0]!.toUpperCase()}${action.slice(1)} a pipeline: its triggers ${enabled ? 'run it again' : 'no longer run it'}, ` +
        "from now on; a default pipeline's from the next start of the processes that run processors (takesEffect says which)";
      app.post(`/pipelines/:name/${action}`, { config: manage, schema: { operationId: `${action}Pipeline`, summary, params: Name, response: { 200: EnabledChanged } } }, async (request) => {
        const { name } = request.params;
        await setPipelineEnabled(commands(request), name, enabled);
        return { name, enabled, takesEffect: isDefaultPipeline(name) ? 'next-start' : 'now' } as const;
      });
    }
    app.post(
      '/pipelines/:name/runs',
      { config: manage, schema: { operationId: 'runPipeline', summary: "Run the pipeline's deployed version on assets: by id, a search's hits, or a collection's assets (nested collections included) (202: the runner takes the requests)", params: Name, body: AssetsToRun, response: { 202: RunsRequested, 409: NOT_RUNNABLE } } },
      async (request, reply) => reply.status(202).send(await requestPipelineRuns(commands(request), request.params.name, await assetIds(request.body), 'manual')),
    );
    app.post(
      '/pipelines/:name/backfill',
      { config: manage, schema: { operationId: 'backfillPipeline', summary: 'Run the deployed version over every asset its trigger selects that the version has not run on (202)', params: Name, response: { 202: RunsRequested, 409: NOT_RUNNABLE } } },
      async (request, reply) => reply.status(202).send(await backfillPipeline(commands(request), request.params.name)),
    );
    app.post(
      '/pipelines/:name/webhook',
      {
        // The shared secret is the credential: the caller is another system, not a principal.
        config: { public: true },
        schema: {
          operationId: 'triggerPipelineWebhook',
          summary: 'The inbound webhook of a pipeline triggered by one: the shared secret in X-Medialake-Secret, the assets in the body (202)',
          params: Name,
          headers: z.object({ 'x-medialake-secret': z.string().min(1).max(1000) }),
          body: AssetsToRun,
          response: {
            202: RunsRequested,
            401: errorResponse('X-Medialake-Secret does not hold the webhook secret of a pipeline triggered by its webhook (BAD_SECRET)'),
            409: NOT_RUNNABLE,
          },
          security: [],
        },
      },
      async (request, reply) => {
        // Before the secret is checked, a caller learns nothing: no pipeline of that name, or none with a webhook, is a wrong secret too.
        const refused = new HttpError(401, 'BAD_SECRET', 'the X-Medialake-Secret header does not hold the webhook secret of a pipeline triggered by its webhook');
        const deployed = await history.pipeline(request.params.name);
        const definition = deployed && PipelineDefinition.parse(deployed.definition);
        if (definition?.trigger.on !== 'webhook') throw refused;
        const secret = await lake.pipelines.secrets.get(definition.trigger.secret).catch((error: unknown) => {
          if (!isSecretNotFound(error)) throw error;
          // A caller is told no more than for a wrong secret (another answer would say the pipeline is there); the operator's log says what to mend.
          request.log.warn({ err: error, pipeline: definition.name }, 'a webhook was called, and its secret is not in the secret store: its operator must add it');
          throw refused;
        });
        if (!sameSecret(request.headers['x-medialake-secret'], secret)) throw refused;
        const webhook = { ...pipelineCommands(lake, `webhook:${definition.name}`, 'api'), correlationId: request.id };
        return reply.status(202).send(await requestPipelineRuns(webhook, definition.name, await assetIds(request.body), 'webhook'));
      },
    );
  };
