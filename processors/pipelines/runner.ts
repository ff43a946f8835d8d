import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { StoredEvent } from '../../schemas/envelope';
import { pipelineSubject, type PayloadOf } from '../../schemas/events';
import { PipelineDefinition } from '../../schemas/pipelines';
import { measured, noMetrics, type ConsumerMetrics } from '../../log/consumerMetrics';
import type { EventLog, Positions, Subscription } from '../../log/eventLog';
import { liveIngest } from '../../producers/reprocess';
import type { AssetRecords } from '../../projections/assets/assetRecords';
import type { PipelineHistory } from '../../projections/pipelines/pipelineHistory';
import { collectionMembership } from './collectionMembership';
import { conditionValues, passes } from './conditions';
import { isDefaultPipeline } from './defaults';
import { ASSET_DELETED, executionIdOf, refuseExecution, runExecution, type ExecutionOptions, type ExecutionRequest } from './execution';

export interface PipelineRunnerOptions extends ExecutionOptions {
  /** Where the deployed definitions are read, at every batch: a deployment takes effect without a restart. */
  history: PipelineHistory;
  /** Technical metadata and collections for conditions and HTTP nodes, where the triggering event does not carry them. */
  records: AssetRecords;
  /** Assets run at once; each asset's executions run one after another, in log order. */
  concurrency: number;
  /** The consumer group, when not PIPELINE_RUNNER_GROUP (a benchmark's runs each start from the log's beginning). */
  group?: string;
  /** What /metrics counts of the runner's consumer group, as of any consumer's. */
  metrics?: ConsumerMetrics;
}

export const PIPELINE_RUNNER_GROUP = 'pipelines';

type Deployed = { definition: PipelineDefinition; enabled: boolean };

/**
 * How many pipelines deep a chain of executions may run on an asset, each
 * triggered by what the one before made (its end, a collection it added to):
 * pipelines that trigger one another would otherwise run without end. The
 * execution past it is recorded as failed with TRIGGER_CHAIN_TOO_LONG, and
 * its end triggers nothing.
 */
export const MAX_TRIGGER_CHAIN = 8;
const CHAIN_TOO_LONG = 'TRIGGER_CHAIN_TOO_LONG';

/**
 * How long a batch waits for the pipeline history to fold it (HISTORY_POLL_MS
 * apart) before it runs with the pipelines as the history holds them.
 */
const HISTORY_WAIT_MS = 30_000;
const HISTORY_POLL_MS = 20;

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

/**
 * The asset an event is about, as ingested: the event itself, or the live
 * ingest its head names. Undefined where the asset is deleted by now (a
 * runner on a backlog comes to its ingest after its delete), or where the
 * ingest is not the live one (deleted and ingested again later, which
 * triggers on its own): nothing runs on it.
 */
async function ingestOf(log: EventLog, event: StoredEvent): Promise<PayloadOf<'AssetIngested'> | undefined> {
  const head = await log.assetHead(event.assetId);
  if (!head.live) return undefined;
  if (event.type === 'AssetIngested') return head.ingest && head.ingest.eventId !== event.id ? undefined : event.payload;
  return (await liveIngest(log, event.assetId, head))?.payload;
}

/** The events under a pipeline's subject that say what is deployed and whether it is enabled. */
type DefinitionEvent = StoredEvent<'PipelineDeployed'> | StoredEvent<'PipelineEnabled'> | StoredEvent<'PipelineDisabled'>;
const isDefinitionEvent = (event: StoredEvent): event is DefinitionEvent =>
  event.type === 'PipelineDeployed' || event.type === 'PipelineEnabled' || event.type === 'PipelineDisabled';

/** A version's definition from its deployment on the log, for a run asked for before the history projection folded the deployment. */
async function deployedOnLog(log: EventLog, pipeline: string, version: number): Promise<unknown> {
  const deployment = (await log.readAsset(pipelineSubject(pipeline))).find((e) => e.type === 'PipelineDeployed' && e.payload.version === version);
  return deployment?.type === 'PipelineDeployed' ? deployment.payload.definition : undefined;
}

interface Triggered {
  definition: PipelineDefinition;
  trigger: ExecutionRequest['trigger'];
  enabled: boolean;
}

/**
 * The pipelines an event triggers (the ingest aside), disabled ones marked,
 * and the definition a run request names: `deployed` as they stood before
 * the event, `now` as the history holds them.
 */
async function triggered(event: StoredEvent, deployed: Deployed[], now: Deployed[], history: PipelineHistory, log: EventLog): Promise<Triggered[]> {
  switch (event.type) {
    case 'AssetIngested':
    case 'TechnicalMetadataExtracted':
    case 'AssetAddedToCollection': {
      const on = ASSET_TRIGGER_EVENTS[event.type];
      // Never on what the pipeline made itself: an add-to-collection node behind a collection trigger would run it again and again.
      const ownEvent = (d: PipelineDefinition) => event.source.startsWith(`pipeline:${d.name}@`);
      return deployed
        .filter(({ definition: d }) => d.trigger.on === 'asset' && d.trigger.event === on && !ownEvent(d))
        .map(({ definition, enabled }) => ({ definition, enabled, trigger: 'asset' }));
    }
    case 'PipelineExecutionFinished': {
      const { pipeline, status, error } = event.payload;
      // An execution stopped by its asset's delete is no failure to follow up: the asset is gone.
      if (error?.code === CHAIN_TOO_LONG || error?.code === ASSET_DELETED) return [];
      return deployed
        .filter(({ definition: d }) => d.trigger.on === 'pipeline' && d.trigger.pipeline === pipeline && d.trigger.status === status)
        .map(({ definition, enabled }) => ({ definition, enabled, trigger: 'pipeline' }));
    }
    case 'PipelineRunRequested': {
      const { pipeline, version, reason } = event.payload;
      // Disabling stops what was asked before it too (a backfill under way): it is the pipeline's stop button.
      const enabled = ![...deployed, ...now].some((d) => d.definition.name === pipeline && !d.enabled);
      const definition = (await history.definition(pipeline, version)) ?? (await deployedOnLog(log, pipeline, version));
      return definition ? [{ definition: PipelineDefinition.parse(definition), trigger: reason, enabled }] : [];
    }
    default:
      return [];
  }
}

/**
 * How many executions deep the chain that made `event` is: 0 for an event no
 * pipeline made; else one more than the chain of the event that started the
 * execution that made it (a node's results and an execution's end are caused
 * by the execution's start, which is caused by what triggered it).
 */
async function chainDepth(log: EventLog, event: StoredEvent): Promise<number> {
  if (!event.source.startsWith('pipeline:')) return 0;
  const byId = new Map((await log.readAsset(event.assetId)).map((e) => [e.id, e]));
  let depth = 0;
  for (let made: StoredEvent | undefined = event; made?.source.startsWith('pipeline:') && depth <= MAX_TRIGGER_CHAIN; depth++) {
    const start: StoredEvent | undefined = made.type === 'PipelineExecutionStarted' ? made : byId.get(made.causationId ?? '');
    made = start?.type === 'PipelineExecutionStarted' ? byId.get(start.causationId ?? '') : undefined;
  }
  return depth;
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

  /** Executions the event triggers, to run; those of disabled pipelines that a runner started and never finished are ended here. */
  async function requestsFor(event: StoredEvent, deployed: Deployed[], now: Deployed[]): Promise<ExecutionRequest[]> {
    const disabledNow = (name: string) => now.some(({ definition, enabled }) => definition.name === name && !enabled);
    const runs: Triggered[] = [];
    for (const run of await triggered(event, deployed, now, history, log)) {
      // A trigger that counted before a disable still runs (as it would have on a running lake), unless a runner started it and died: disabled, that one ends.
      const stopped = !run.enabled || disabledNow(run.definition.name);
      if (stopped && (await endIfInterrupted({ ...run, cause: event }))) continue;
      if (run.enabled) runs.push(run);
    }
    if (!runs.length) return [];
    const ingested = await ingestOf(log, event);
    if (!ingested) {
      logger.debug({ assetId: event.assetId, eventId: event.id, pipelines: runs.map(({ definition }) => definition.name) }, 'not run: the asset was deleted since this event');
      return [];
    }
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

  /**
   * A runner that died mid-execution left it running; where the pipeline was
   * disabled before the event came round again, the execution is not run:
   * it is ended as failed, so that it does not read as running for good.
   */
  async function endIfInterrupted(run: Pick<ExecutionRequest, 'definition' | 'cause' | 'trigger'>): Promise<boolean> {
    const execution = await history.execution(executionIdOf(run.cause, run.definition));
    if (execution?.status !== 'running') return false;
    await refuseExecution(run, { code: 'PIPELINE_DISABLED', message: `${run.definition.name} was disabled before this execution ended: enable it and run it again to finish it` }, options);
    return true;
  }

  async function runOnce(request: ExecutionRequest): Promise<void> {
    const done = await history.execution(executionIdOf(request.cause, request.definition));
    if (done && done.status !== 'running') return;
    if ((await chainDepth(log, request.cause)) >= MAX_TRIGGER_CHAIN) {
      const message = `${MAX_TRIGGER_CHAIN} pipelines ran in a row on this asset, each triggered by what the one before made: do pipelines trigger one another in a loop?`;
      return refuseExecution(request, { code: CHAIN_TOO_LONG, message }, options);
    }
    await runExecution(request, options);
  }

  /**
   * Waits until the history has folded the batch in each of its partitions,
   * so that a deployment or a disable appended before an event counts for
   * it, however far the runner runs ahead of the projection (a lake starting
   * on a backlog starts both at once). A history that does not get there in
   * HISTORY_WAIT_MS (its projection stopped) is read as it is, and said so.
   * A runner that stops meanwhile (the lake closing, its projections with it)
   * stops waiting, and the batch fails: it is handed over again at the next start.
   */
  async function historyAtBatch(batch: StoredEvent[]): Promise<void> {
    const last = new Map(batch.map((event) => [event.partition, BigInt(event.offset)]));
    const folded = (positions: Positions) => [...last].every(([partition, offset]) => positions[partition] !== undefined && BigInt(positions[partition]) >= offset);
    for (const deadline = Date.now() + HISTORY_WAIT_MS; !folded(await history.positions()); await sleep(HISTORY_POLL_MS, undefined, { signal: stopping.signal })) {
      if (Date.now() < deadline) continue;
      logger.warn({ consumer: options.group ?? PIPELINE_RUNNER_GROUP, waitedMs: HISTORY_WAIT_MS }, 'the pipeline history has not folded this batch: running it with the pipelines as the history holds them');
      return;
    }
  }

  const definitions = new Map<string, PipelineDefinition>();
  /** Each pipeline's definition events as last read, and the subject's version then: read again only once the subject moved on. */
  const subjects = new Map<string, { version: number; events: DefinitionEvent[] }>();

  /**
   * The pipelines as they stood before each event: the history holds them as
   * of now (at or past the batch's end), which counts a deployment or a
   * disable appended after an event that a runner on a backlog comes to only
   * now. So each pipeline's state before an event is folded from its own
   * definition events that precede it in the event's partition; a pipeline
   * whose subject is on another partition has no order with the event
   * (docs/pipelines.md), and counts as the history holds it.
   */
  async function pipelinesBefore(now: Deployed[]): Promise<(event: StoredEvent) => Deployed[]> {
    const known = await Promise.all(
      now.map(async (current) => {
        const { name } = current.definition;
        const { version } = await log.assetHead(pipelineSubject(name));
        let subject = subjects.get(name);
        if (subject?.version !== version) subjects.set(name, (subject = { version, events: (await log.readAsset(pipelineSubject(name))).filter(isDefinitionEvent) }));
        return { current, events: subject.events };
      }),
    );
    return (event) =>
      known.flatMap(({ current, events }) => {
        if (events[0]?.partition !== event.partition) return [current];
        const before = events.filter((e) => BigInt(e.offset) < BigInt(event.offset));
        const deployment = before.filter((e): e is StoredEvent<'PipelineDeployed'> => e.type === 'PipelineDeployed').at(-1);
        if (!deployment) return [];
        const switched = before.filter((e) => e.type !== 'PipelineDeployed').at(-1);
        const { name, version } = deployment.payload;
        let definition = definitions.get(`${name}@${version}`);
        if (!definition) definitions.set(`${name}@${version}`, (definition = PipelineDefinition.parse(deployment.payload.definition)));
        return [{ definition, enabled: switched?.type !== 'PipelineDisabled' }];
      });
  }

  async function handle(batch: StoredEvent[]): Promise<void> {
    await historyAtBatch(batch);
    const now = await deployedPipelines(history, definitions);
    const deployedBefore = await pipelinesBefore(now);
    const byAsset = new Map<string, StoredEvent[]>();
    for (const event of batch) byAsset.set(event.assetId, [...(byAsset.get(event.assetId) ?? []), event]);
    await Promise.all(
      [...byAsset.values()].map((events) =>
        limit(async () => {
          for (const event of events) for (const request of await requestsFor(event, deployedBefore(event), now)) await runOnce(request);
        }),
      ),
    );
  }

  const group = options.group ?? PIPELINE_RUNNER_GROUP;
  const stopping = new AbortController();
  const subscription = log.subscribe(
    measured(
      {
        group,
        handle,
        onError: (error) => stopping.signal.aborted || logger.error({ consumer: group, err: error }, 'pipeline batch failed; retrying'),
      },
      options.metrics ?? noMetrics,
    ),
  );
  return {
    stop() {
      stopping.abort();
      return subscription.stop();
    },
    ...(subscription.caughtUp && { caughtUp: () => subscription.caughtUp!() }),
  };
}
