import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { draft, type StoredEvent } from '../schemas/envelope';
import { pipelineSubject, type EventType, type PayloadOf } from '../schemas/events';
import { derivedEventId } from '../schemas/ids';
import type { PipelineDefinition } from '../schemas/pipelines';
import type { Catalogue } from '../processors/pipelines/catalogue';
import { collectionIdOf, collectionMembership, isUnknownCollection, type CollectionLookup } from '../processors/pipelines/collectionMembership';
import { checkDefinition, InvalidPipelineError } from '../processors/pipelines/definitionCheck';
import { isDefaultPipeline, SHIPPED_DEFAULTS, type DeployedDefault } from '../processors/pipelines/defaults';
import type { Processor } from '../processors/processor';
import { isExpectedVersionConflict, type EventLog } from '../log/eventLog';
import { checkDrafts, EventTooLargeError } from '../log/eventRecord';
import { readWatermarkImage, isWatermarkImageError } from '../processors/watermark';
import { watermarkNode } from '../processors/pipelines/nodes/watermark';
import { addToCollectionNode } from '../processors/pipelines/nodes/addToCollection';
import { conditionValues, passes } from '../processors/pipelines/conditions';
import type { AssetRecords } from '../projections/assets/assetRecords';
import type { AssetRecord } from '../projections/assetRecord';
import type { PipelineHistory } from '../projections/pipelines/pipelineHistory';
import { AssetNotFoundError, type CommandContext } from './commands';
import { requestReprocessing } from './reprocess';

/**
 * What users ask of pipelines (deploy, enable, disable, run, backfill), as
 * events: the definition events under the pipeline's subject, checked
 * against the log (not the projection, which may lag), run requests on the
 * assets, where the pipeline runner takes them.
 */
export interface PipelineCommandContext extends CommandContext {
  catalogue: Catalogue;
  records: AssetRecords;
  history: PipelineHistory;
  collections: CollectionLookup;
  /** The processors each enabled default pipeline runs: a run or backfill of a default is a reprocess of them. */
  defaults: ReadonlyMap<string, Processor[]>;
}

export class PipelineNotFoundError extends Error {
  readonly code = 'PIPELINE_NOT_FOUND';
  constructor(readonly pipeline: string) {
    super(`there is no pipeline ${pipeline}: deploy one with \`medialake pipelines apply FILE\``);
  }
}

/** A deployment whose version does not move the pipeline on: a new definition needs a higher version. */
export class PipelineVersionError extends Error {
  readonly code = 'PIPELINE_VERSION_CONFLICT';
  constructor(readonly pipeline: string, readonly version: number, readonly deployed: number) {
    super(`${pipeline} is at version ${deployed}: a changed definition needs a version above it, not ${version}`);
  }
}

export class PipelineTriggerError extends Error {
  readonly code = 'PIPELINE_TRIGGER';
  constructor(message: string) {
    super(message);
  }
}

export const isPipelineNotFound = (error: unknown): error is PipelineNotFoundError => error instanceof PipelineNotFoundError;
export const isPipelineVersionConflict = (error: unknown): error is PipelineVersionError => error instanceof PipelineVersionError;
export const isPipelineTriggerError = (error: unknown): error is PipelineTriggerError => error instanceof PipelineTriggerError;

function commandEvent<T extends EventType>(context: CommandContext, type: T, assetId: string, payload: PayloadOf<T>, id: string = randomUUID()) {
  return draft(type, { id, assetId, actor: context.actor, source: context.source, correlationId: context.correlationId ?? randomUUID(), causationId: null, payload } as never);
}

/** The pipeline's last deployment on the log, whether it is enabled, and the subject's version to append against. */
async function deployment(context: Pick<CommandContext, 'log'>, name: string): Promise<{ version: number; deployed?: StoredEvent<'PipelineDeployed'>; enabled: boolean }> {
  const events = await context.log.readAsset(pipelineSubject(name));
  const deployed = events.filter((event): event is StoredEvent<'PipelineDeployed'> => event.type === 'PipelineDeployed').at(-1);
  // The first deployment enables a pipeline; later ones leave it as it is.
  const switched = events.filter((event) => event.type === 'PipelineEnabled' || event.type === 'PipelineDisabled').at(-1);
  return { version: events.at(-1)?.assetVersion ?? 0, deployed, enabled: switched?.type !== 'PipelineDisabled' };
}

/**
 * The collections a definition names (its trigger's filter, its
 * add-to-collection nodes) are there, each by its place; each is pinned to
 * its id in the definition as stored, so a second collection given the
 * name, or the named one renamed, changes nothing of what the pipeline
 * takes or adds to. (A definition deployed before ids were pinned keeps
 * its name, matched by name as then: conditions.ts.)
 */
async function collectionProblems(definition: PipelineDefinition, collections: CollectionLookup): Promise<string[]> {
  const named: [string, { collection: string }][] = definition.nodes.flatMap((node, index) =>
    node.type === addToCollectionNode.type ? [[`nodes[${index}].parameters.collection`, node.parameters as { collection: string }] as [string, { collection: string }]] : [],
  );
  const { trigger } = definition;
  if (trigger.on === 'asset' && trigger.filter.collection) named.unshift(['trigger.filter.collection', trigger.filter as { collection: string }]);
  const problems: string[] = [];
  for (const [place, holder] of named) {
    await collectionIdOf(collections, holder.collection).then(
      (id) => void (holder.collection = id),
      (error: unknown) => {
        if (!isUnknownCollection(error)) throw error;
        problems.push(`${place}: ${error.message}`);
      },
    );
  }
  return problems;
}

/** The watermark images a definition names are files the lake reads, and images: a missing one would fail every execution. */
async function watermarkProblems(definition: PipelineDefinition): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, node] of definition.nodes.entries()) {
    const { image } = node.parameters as { image?: string };
    if (node.type !== watermarkNode.type || !image) continue;
    await readWatermarkImage(image).catch((error: unknown) => {
      if (!isWatermarkImageError(error)) throw error;
      problems.push(`nodes[${index}].parameters.image: ${error.message}`);
    });
  }
  return problems;
}

/**
 * The largest event a deployment may be: the smallest record the log's
 * backends take (Kafka's RECORD_LIMIT, 1,000,000 bytes, under Kinesis's
 * 1 MiB less its partition key). A definition of at most
 * DEFINITION_MAX_BYTES as text can be larger stored, with every default
 * filled in and the event's envelope around it.
 */
export const DEPLOYMENT_MAX_BYTES = 1_000_000;

function deploymentEvent(context: CommandContext, definition: PipelineDefinition) {
  const { name, version } = definition;
  return commandEvent(context, 'PipelineDeployed', pipelineSubject(name), { name, version, definition });
}

/** The deployment's event fits a record of every log backend, or the problem saying by how much it does not. */
function sizeProblems(context: CommandContext, definition: PipelineDefinition): string[] {
  try {
    checkDrafts([deploymentEvent(context, definition)], DEPLOYMENT_MAX_BYTES);
    return [];
  } catch (error) {
    if (!(error instanceof EventTooLargeError)) throw error;
    return [`(root): the definition as stored, with its defaults filled in, makes a ${error.bytes}-byte deployment event, over the ${DEPLOYMENT_MAX_BYTES} bytes a log record holds: fewer or smaller nodes`];
  }
}

/**
 * Pipelines a trigger names that are not deployed: no refusal (two
 * pipelines that trigger each other are deployed one before the other),
 * but worth a word, as a misspelt name would never run.
 */
export async function pipelineWarnings(context: Pick<PipelineCommandContext, 'log'>, definition: PipelineDefinition): Promise<string[]> {
  const { trigger } = definition;
  if (trigger.on !== 'pipeline' || (await deployment(context, trigger.pipeline)).deployed) return [];
  return [`trigger.pipeline: there is no pipeline "${trigger.pipeline}" deployed yet: this one runs once one of that name is, and never if the name is misspelt`];
}

/**
 * The whole check before a deployment, for `POST /pipelines/check` and
 * deployPipeline alike: the definition against the catalogue
 * (checkDefinition), then against the lake (its collections, its watermark
 * files), then the size of the event it makes. Every problem is named by
 * its place (InvalidPipelineError); the definition comes back as it would
 * be stored.
 */
export async function checkPipeline(context: PipelineCommandContext, candidate: unknown): Promise<PipelineDefinition> {
  const definition = checkDefinition(candidate, context.catalogue);
  const problems = [...(await collectionProblems(definition, context.collections)), ...(await watermarkProblems(definition))];
  if (!problems.length) problems.push(...sizeProblems(context, definition));
  if (problems.length) throw new InvalidPipelineError(problems);
  return definition;
}

export interface DeployResult {
  name: string;
  version: number;
  /** False when the same version with the same definition was deployed already. */
  deployed: boolean;
  /** What is worth a word and no refusal (pipelineWarnings), when there is any. */
  warnings?: string[];
}

/**
 * What deploying a checked definition would do, as the log stands: nothing
 * (the same definition at the deployed version), append it, or refuse it
 * (a changed definition at a version not above the deployed one).
 */
export async function deploymentOutcome(context: Pick<PipelineCommandContext, 'log'>, definition: PipelineDefinition): Promise<{ deploys: boolean; subjectVersion: number; conflict?: PipelineVersionError }> {
  const { name, version } = definition;
  const current = await deployment(context, name);
  const deployed = current.deployed?.payload;
  if (deployed && deployed.version === version && isDeepStrictEqual(deployed.definition, definition)) return { deploys: false, subjectVersion: current.version };
  const conflict = deployed && deployed.version >= version ? new PipelineVersionError(name, version, deployed.version) : undefined;
  return { deploys: !conflict, subjectVersion: current.version, ...(conflict && { conflict }) };
}

/** Checks a definition (JSON or YAML, parsed) and deploys it as its version: new triggers of the pipeline run it from then on. */
export async function deployPipeline(context: PipelineCommandContext, candidate: unknown): Promise<DeployResult> {
  const definition = await checkPipeline(context, candidate);
  const { name, version } = definition;
  const warned = await pipelineWarnings(context, definition);
  const warnings = warned.length ? { warnings: warned } : {};
  const outcome = await deploymentOutcome(context, definition);
  if (outcome.conflict) throw outcome.conflict;
  if (outcome.deploys) await context.log.append([deploymentEvent(context, definition)], { expectedVersion: outcome.subjectVersion });
  return { name, version, deployed: outcome.deploys, ...warnings };
}

/**
 * Deploys each shipped default pipeline whose version the log does not hold
 * yet (nor a later one a user deployed), as the lake (actor `medialake`):
 * once per version, whichever process opens the lake first. A default whose
 * nodes the lake lacks (embeddings without a model) waits for a lake that has them.
 */
export async function deployDefaultPipelines(context: PipelineCommandContext): Promise<string[]> {
  const deployed: string[] = [];
  for (const [name, shipped] of SHIPPED_DEFAULTS) {
    const current = (await deployment(context, name)).deployed?.payload.version ?? 0;
    const lacking = (shipped.nodes as { type: string }[]).some((node) => !context.catalogue.has(node.type));
    if (current >= (shipped.version as number) || lacking) continue;
    try {
      if ((await deployPipeline(context, shipped)).deployed) deployed.push(name);
    } catch (error) {
      // Another process opening the lake deployed it first.
      if (!isExpectedVersionConflict(error)) throw error;
    }
  }
  return deployed;
}

/** The default pipelines' deployed versions on the log (not the projection, which may lag), and whether each is enabled. */
export async function deployedDefaults(log: EventLog): Promise<DeployedDefault[]> {
  const defaults = await Promise.all([...SHIPPED_DEFAULTS.keys()].map((name) => deployment({ log }, name)));
  return defaults.flatMap(({ deployed, enabled }) => (deployed ? [{ definition: deployed.payload.definition as PipelineDefinition, enabled }] : []));
}

export async function setPipelineEnabled(context: CommandContext, name: string, enabled: boolean): Promise<void> {
  const current = await deployment(context, name);
  if (!current.deployed) throw new PipelineNotFoundError(name);
  const event = enabled ? commandEvent(context, 'PipelineEnabled', pipelineSubject(name), { name }) : commandEvent(context, 'PipelineDisabled', pipelineSubject(name), { name });
  await context.log.append([event], { expectedVersion: current.version });
}

async function deployedDefinition(context: CommandContext, name: string): Promise<{ definition: PipelineDefinition; enabled: boolean }> {
  const { deployed, enabled } = await deployment(context, name);
  if (!deployed) throw new PipelineNotFoundError(name);
  return { definition: deployed.payload.definition as PipelineDefinition, enabled };
}

/** The deployed definition of a pipeline that may run now: a disabled one is stopped, by hand and by backfill alike. */
async function runnableDefinition(context: CommandContext, name: string): Promise<PipelineDefinition> {
  const { definition, enabled } = await deployedDefinition(context, name);
  if (!enabled) throw new PipelineTriggerError(`${name} is disabled: enable it to run it`);
  return definition;
}

/** What an asset trigger's filter is judged on, for an asset as its record stands. */
async function filterValues(context: PipelineCommandContext, definition: PipelineDefinition, record: AssetRecord) {
  const { objectKey, originalName, mediaType, mimeType, size, sha256, origin } = record;
  const values = conditionValues({ objectKey, originalName, mediaType, mimeType, size, sha256, origin }, record.metadata);
  if (definition.trigger.on === 'asset' && definition.trigger.filter.collection) values.collections = await collectionMembership(context.collections, record.collections ?? []);
  return values;
}

export interface RunRequests {
  pipeline: string;
  version: number;
  requested: string[];
  skipped: { assetId: string; reason: string }[];
}

/**
 * A default pipeline runs as its processors: a run of it is a reprocess
 * (ReprocessRequested) of the processors of its deployed version that are
 * running, on the assets given or on every live asset.
 */
async function reprocessDefault(context: PipelineCommandContext, name: string, assetIds?: string[]): Promise<RunRequests> {
  const { version } = (await deployedDefinition(context, name)).definition;
  const processors = context.defaults.get(name) ?? [];
  if (!processors.length) throw new PipelineTriggerError(`${name} is disabled (or its nodes are not on this lake): enable it to run it`);
  const result = await requestReprocessing({ ...context, processors }, { assetIds, reason: `${name}@${version}` });
  return { pipeline: name, version, requested: result.requested.map((r) => r.assetId), skipped: result.skipped };
}

/** Asks the runner to run the pipeline's deployed version on each asset (by hand or from the inbound webhook). */
export async function requestPipelineRuns(context: PipelineCommandContext, name: string, assetIds: string[], reason: 'manual' | 'webhook'): Promise<RunRequests> {
  if (isDefaultPipeline(name)) return reprocessDefault(context, name, assetIds);
  const definition = await runnableDefinition(context, name);
  const { trigger, version } = definition;
  const result: RunRequests = { pipeline: name, version, requested: [], skipped: [] };
  for (const assetId of assetIds) {
    const head = await context.log.assetHead(assetId);
    if (!head.live) {
      result.skipped.push({ assetId, reason: new AssetNotFoundError(assetId).message });
      continue;
    }
    // The runner runs a pipeline only on what its trigger's filter selects: asked for anything else, it would do nothing without a word.
    if (trigger.on === 'asset') {
      const record = await context.records.get(assetId);
      if (record && !passes(trigger.filter, await filterValues(context, definition, record))) {
        result.skipped.push({ assetId, reason: `the trigger's filter leaves it out (${JSON.stringify(trigger.filter)})` });
        continue;
      }
    }
    await context.log.append([commandEvent(context, 'PipelineRunRequested', assetId, { pipeline: name, version, reason })]);
    result.requested.push(assetId);
  }
  return result;
}

/**
 * Runs the deployed version over history: every live asset its asset trigger
 * selects, except those a completed execution of that version has run on.
 * The request's id derives from the pipeline, version, asset and the
 * version's failed executions there, so a second backfill adds nothing, and
 * one after a failure tries that asset again.
 */
export async function backfillPipeline(context: PipelineCommandContext, name: string): Promise<RunRequests> {
  if (isDefaultPipeline(name)) return reprocessDefault(context, name);
  const definition = await runnableDefinition(context, name);
  const { trigger, version } = definition;
  if (trigger.on !== 'asset') throw new PipelineTriggerError(`${name} is triggered by ${trigger.on}, not by assets: a backfill runs over the assets an asset trigger selects`);
  const result: RunRequests = { pipeline: name, version, requested: [], skipped: [] };
  let after: string | undefined;
  do {
    const page = await context.records.list({ limit: 500, after });
    for (const record of page.assets) {
      const { assetId } = record;
      if (!passes(trigger.filter, await filterValues(context, definition, record))) continue;
      const executions = await context.history.executions({ pipeline: name, version, assetId, limit: 1000 });
      if (executions.some((execution) => execution.status !== 'failed')) {
        result.skipped.push({ assetId, reason: `version ${version} ran on it already` });
        continue;
      }
      const id = derivedEventId('backfill', name, version, assetId, executions.length);
      const before = await context.log.assetHead(assetId);
      const [stored] = await context.log.append([commandEvent(context, 'PipelineRunRequested', assetId, { pipeline: name, version, reason: 'backfill' }, id)]);
      // The log hands back the request already there when an earlier backfill made it.
      if (stored!.assetVersion > before.version) result.requested.push(assetId);
      else result.skipped.push({ assetId, reason: `an earlier backfill asked for version ${version} on it already` });
    }
    after = page.next;
  } while (after);
  return result;
}
