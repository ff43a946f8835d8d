import pLimit from 'p-limit';
import type { StoredEvent } from '../../schemas/envelope';
import { pipelineSubject, type PayloadOf } from '../../schemas/events';
import { PipelineDefinition } from '../../schemas/pipelines';
import type { EventLog, Subscription } from '../../log/eventLog';
import { liveIngest } from '../../producers/reprocess';
import type { AssetRecords } from '../../projections/assets/assetRecords';
import type { PipelineHistory } from '../../projections/pipelines/pipelineHistory';
import { collectionMembership } from './collectionMembership';
import { conditionValues, passes } from './conditions';
import { isDefaultPipeline } from './defaults';
import { executionIdOf, runExecution, type ExecutionOptions, type ExecutionRequest } from './execution';

export interface PipelineRunnerOptions extends ExecutionOptions {
  /** Where the deployed definitions are read, at every batch: a deployment takes effect without a restart. */
  history: PipelineHistory;
  /** Technical metadata and collections for conditions and HTTP nodes, where the triggering event does not carry them. */
  records: AssetRecords;
  /** Assets run at once; each asset's executions run one after another, in log order. */
  concurrency: number;
  /** The consumer group, when not PIPELINE_RUNNER_GROUP (a benchmark's runs each start from the log's beginning). */
  group?: string;
}

export const PIPELINE_RUNNER_GROUP = 'pipelines';

type Deployed = { definition: PipelineDefinition; enabled: boolean };

/** The asset event each `trigger.event` of an asset trigger runs on. */
const ASSET_TRIGGER_EVENTS = { AssetIngested: 'ingested', TechnicalMetadataExtracted: 'metadata', AssetAddedToCollection: 'collection' } as const;

/**
 * The pipelines this runner runs, read for every batch: the deployed user
 * pipelines. The default pipelines are the processors' (processors/runner.ts),
 * with the processors' events as their record. Run here as well, every
 * asset's results would be made twice, and an execution's six or more events
 * per asset would double the log. A version's definition never changes, so
 * each is read and parsed once (`definitions`, by name@version).
 */
async function deployedPipelines(history: PipelineHistory, definitions: Map<string, PipelineDefinition>): Promise<Deployed[]> {
  const deployed = (await history.deployed()).filter((pipeline) => !isDefaultPipeline(pipeline.name));
  return Promise.all(
    deployed.map(async ({ name, version, enabled }) => {
      const key = `${name}@${version}`;
      let definition = definitions.get(key);
      if (!definition) definitions.set(key, (definition = PipelineDefinition.parse(await history.definition(name, version))));
      return { definition, enabled };
    }),
  );
}

/** The asset an event is about, as ingested: the event itself, or the live ingest its head names. */
async function ingestOf(log: EventLog, event: StoredEvent): Promise<PayloadOf<'AssetIngested'> | undefined> {
  if (event.type === 'AssetIngested') return event.payload;
  const head = await log.assetHead(event.assetId);
  return head.live ? (await liveIngest(log, event.assetId, head))?.payload : undefined;
}

/** A version's definition from its deployment on the log, for a run asked for before the history projection folded the deployment. */
async function deployedOnLog(log: EventLog, pipeline: string, version: number): Promise<unknown> {
  const deployment = (await log.readAsset(pipelineSubject(pipeline))).find((e) => e.type === 'PipelineDeployed' && e.payload.version === version);
  return deployment?.type === 'PipelineDeployed' ? deployment.payload.definition : undefined;
}

/** The enabled pipelines an event triggers (the ingest aside), and the definition a run request names. */
async function triggered(event: StoredEvent, deployed: Deployed[], history: PipelineHistory, log: EventLog): Promise<{ definition: PipelineDefinition; trigger: ExecutionRequest['trigger'] }[]> {
  const enabled = deployed.filter((pipeline) => pipeline.enabled).map((pipeline) => pipeline.definition);
  switch (event.type) {
    case 'AssetIngested':
    case 'TechnicalMetadataExtracted':
    case 'AssetAddedToCollection': {
      const on = ASSET_TRIGGER_EVENTS[event.type];
      // Never on what the pipeline made itself: an add-to-collection node behind a collection trigger would run it again and again.
      const ownEvent = (d: PipelineDefinition) => event.source.startsWith(`pipeline:${d.name}@`);
      return enabled.filter((d) => d.trigger.on === 'asset' && d.trigger.event === on && !ownEvent(d)).map((definition) => ({ definition, trigger: 'asset' }));
    }
    case 'PipelineExecutionFinished': {
      const { pipeline, status } = event.payload;
      return enabled
        .filter((d) => d.trigger.on === 'pipeline' && d.trigger.pipeline === pipeline && d.trigger.status === status)
        .map((definition) => ({ definition, trigger: 'pipeline' }));
    }
    case 'PipelineRunRequested': {
      const { pipeline, version, reason } = event.payload;
      // Disabling stops what was asked before it too (a backfill under way): it is the pipeline's stop button.
      if (deployed.some((d) => d.definition.name === pipeline && !d.enabled)) return [];
      const definition = (await history.definition(pipeline, version)) ?? (await deployedOnLog(log, pipeline, version));
      return definition ? [{ definition: PipelineDefinition.parse(definition), trigger: reason }] : [];
    }
    default:
      return [];
  }
}

/**
 * The pipeline runner: one consumer group that, for each event, finds the
 * enabled pipelines it triggers and runs them on its asset. Asset triggers
 * are checked against the ingest (and the technical metadata), so only the
 * assets a filter selects run. An execution that finished already (a
 * redelivery) is not run again.
 */
export function runPipelines(options: PipelineRunnerOptions): Subscription {
  const { log, history, records, collections, logger } = options;
  const limit = pLimit(options.concurrency);

  async function requestsFor(event: StoredEvent, deployed: Deployed[]): Promise<ExecutionRequest[]> {
    const runs = await triggered(event, deployed, history, log);
    if (!runs.length) return [];
    const ingested = await ingestOf(log, event);
    if (!ingested) return [];
    const record = await records.get(event.assetId);
    const metadata = event.type === 'TechnicalMetadataExtracted' ? event.payload : record?.metadata;
    const values = conditionValues(ingested, metadata);
    if (runs.some(({ definition }) => definition.trigger.on === 'asset' && definition.trigger.filter.collection)) {
      // An addition is judged by the collection it names, not by a record that may not have folded it yet.
      const direct = event.type === 'AssetAddedToCollection' ? [event.payload.collectionId] : (record?.collections ?? []);
      values.collections = await collectionMembership(collections, direct);
    }
    return runs
      .filter(({ definition }) => definition.trigger.on !== 'asset' || passes(definition.trigger.filter, values))
      .map(({ definition, trigger }) => ({ definition, cause: event, trigger, ingested, metadata }));
  }

  async function runOnce(request: ExecutionRequest): Promise<void> {
    const done = await history.execution(executionIdOf(request.cause, request.definition));
    if (done && done.status !== 'running') return;
    await runExecution(request, options);
  }

  const definitions = new Map<string, PipelineDefinition>();
  async function handle(batch: StoredEvent[]): Promise<void> {
    const deployed = await deployedPipelines(history, definitions);
    const byAsset = new Map<string, StoredEvent[]>();
    for (const event of batch) byAsset.set(event.assetId, [...(byAsset.get(event.assetId) ?? []), event]);
    await Promise.all(
      [...byAsset.values()].map((events) =>
        limit(async () => {
          for (const event of events) for (const request of await requestsFor(event, deployed)) await runOnce(request);
        }),
      ),
    );
  }

  const group = options.group ?? PIPELINE_RUNNER_GROUP;
  return log.subscribe({
    group,
    handle,
    onError: (error) => logger.error({ consumer: group, err: error }, 'pipeline batch failed; retrying'),
  });
}
