import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { draft, type EventDraft, type StoredEvent } from '../../schemas/envelope';
import type { EventType, PayloadOf } from '../../schemas/events';
import { derivedEventId } from '../../schemas/ids';
import type { PipelineDefinition, PipelineNode } from '../../schemas/pipelines';
import type { AssetHead } from '../../log/assetHead';
import { isExpectedVersionConflict, type EventLog } from '../../log/eventLog';
import type { ObjectStore } from '../../storage/objectStore';
import { isSecretNotFound, type SecretStore } from '../../storage/secretStore';
import type { DecodeOptions } from '../decodedImage';
import { InvalidMediaError, isInvalidMedia, type ProcessorInput } from '../processor';
import { inputOf } from '../readOnce';
import type { Catalogue } from './catalogue';
import type { CollectionLookup } from './collectionMembership';
import { conditionValues, holds } from './conditions';
import { topologicalOrder } from './definitionCheck';
import { isNodeError, NodeError, type NodeContext, type NodeResult, type PipelineImage } from './node';
import { retryWaits } from './retryPolicy';

export interface ExecutionOptions {
  log: EventLog;
  store: ObjectStore;
  logger: Logger;
  catalogue: Catalogue;
  secrets: SecretStore;
  collections: CollectionLookup;
  /** Pipelines decode originals up to this box: large enough for any rendition a definition may ask for. */
  decode: DecodeOptions;
  maxInputBytes: number;
}

/** One run of a pipeline version on an asset, and what started it. */
export interface ExecutionRequest {
  definition: PipelineDefinition;
  cause: StoredEvent;
  trigger: PayloadOf<'PipelineExecutionStarted'>['trigger']['kind'];
  ingested: PayloadOf<'AssetIngested'>;
  metadata?: PayloadOf<'TechnicalMetadataExtracted'>;
}

/** Why an execution ends without running its nodes (processors/pipelines/runner.ts): it is recorded as failed with this error. */
export type Refusal = NonNullable<PayloadOf<'PipelineExecutionFinished'>['error']>;

/** `pipeline:NAME@VERSION`: the source of its events, as processors' are `processor:NAME@VERSION`. */
export const pipelineSource = (definition: Pick<PipelineDefinition, 'name' | 'version'>) => `pipeline:${definition.name}@${definition.version}`;

/** The same cause and pipeline version always make the same execution, so a redelivery appends nothing twice (law 4). */
export const executionIdOf = (cause: Pick<StoredEvent, 'id'>, definition: Pick<PipelineDefinition, 'name' | 'version'>) =>
  derivedEventId(cause.id, pipelineSource(definition));

interface NodeState {
  status: 'succeeded' | 'failed' | 'skipped';
  outputs?: Record<string, unknown>;
  image?: PipelineImage;
}

/** An execution whose asset was deleted while it ran (or before it began) ends with this code: nothing to act on, nothing tried again. */
export const ASSET_DELETED = 'ASSET_DELETED';

/** The asset an execution runs on was deleted: what the execution did not finish stays undone, and what it had just written goes. */
export class AssetDeletedError extends NodeError {
  constructor(assetId: string) {
    super(ASSET_DELETED, `the asset ${assetId} was deleted while the pipeline ran on it: the execution stopped there, and nothing needs doing`, false);
  }
}

/**
 * Whether the asset an execution runs on is gone: deleted, or deleted and
 * ingested again (a later ingest, whose own triggers run on it), as the
 * asset's head says, compared with the ingest it had when the execution began.
 */
interface AssetWatch {
  gone(head: AssetHead): boolean;
  deleted(): Promise<boolean>;
}

async function watchAsset(log: EventLog, assetId: string): Promise<AssetWatch> {
  const { ingest } = await log.assetHead(assetId);
  const gone = (head: AssetHead) => !head.live || (ingest !== undefined && head.ingest !== undefined && head.ingest.eventId !== ingest.eventId);
  return { gone, deleted: async () => gone(await log.assetHead(assetId)) };
}

/** Conflicts in a row an append of a node's results takes (other appends to the asset in between) before the batch fails and is handed over again. */
const MAX_APPEND_CONFLICTS = 100;

/**
 * Appends a node's results only while the asset is live: against the head
 * read just before (optimistic concurrency, law 3), so a delete between the
 * read and the append costs a conflict and a second look, never a result
 * after the AssetDeleted. Found deleted, the objects the node just wrote are
 * removed (`removeWritten`): the cleanup that followed the delete may have
 * listed the asset's objects before they were there.
 */
async function appendWhileLive(log: EventLog, assetId: string, watch: AssetWatch, events: EventDraft[], removeWritten: () => Promise<void>): Promise<void> {
  for (let conflicts = 0; ; conflicts++) {
    const head = await log.assetHead(assetId);
    if (watch.gone(head)) {
      // Deleted and ingested again, the objects are the live asset's keys: its own executions write them again.
      if (!head.live) await removeWritten();
      throw new AssetDeletedError(assetId);
    }
    try {
      await log.append(events, { expectedVersion: head.version });
      return;
    } catch (error) {
      if (!isExpectedVersionConflict(error) || conflicts >= MAX_APPEND_CONFLICTS) throw error;
    }
  }
}

const errorOf = (error: unknown): PayloadOf<'PipelineNodeFinished'>['error'] => {
  const code = isNodeError(error) || isInvalidMedia(error) ? error.code : ((error as { code?: string })?.code ?? 'NODE_ERROR');
  const response = isNodeError(error) ? error.response : undefined;
  return { code, message: ((error as Error)?.message ?? String(error)).slice(0, 2000), ...(response && { status: response.status, body: response.body }) };
};

/** A try that takes longer than its limit is aborted and counts as a failed try. */
async function withTimeout<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new NodeError('TIMEOUT', `the try took longer than ${timeoutMs} ms`, true);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a pipeline's nodes on an asset: every node whose predecessors are done
 * runs, those with no edge between them at once; a node runs when it has no
 * incoming edge or one from a succeeded node whose condition holds, else it
 * is skipped. Each try, success and failure is an event on the asset, the
 * nodes' results are today's asset events caused by the execution's start,
 * and every id derives from the execution, so a second run of the same
 * execution appends nothing new. The first node to fail for good ends it.
 */
export async function runExecution(request: ExecutionRequest, options: ExecutionOptions): Promise<PayloadOf<'PipelineExecutionFinished'>> {
  const { definition, cause } = request;
  const { executionId, execution, event, started } = executionEvents(request);
  const began = performance.now();
  const watch = await watchAsset(options.log, cause.assetId);
  await options.log.append([started]);

  const input = originalInput(request.ingested, options);
  const states = new Map<string, NodeState>();
  const byId = new Map(definition.nodes.map((node) => [node.id, node]));
  const { order } = topologicalOrder([...byId.keys()], definition.edges);
  const incoming = (id: string) => definition.edges.filter((edge) => edge.to === id);
  let failed: { node?: string; error: PayloadOf<'PipelineNodeFinished'>['error'] } | undefined;

  while (!failed && states.size < order.length) {
    // A deleted asset gets no further node: its results would follow the AssetDeleted.
    if (await watch.deleted()) {
      failed = { error: errorOf(new AssetDeletedError(cause.assetId)) };
      break;
    }
    const ready = order.filter((id) => !states.has(id) && incoming(id).every((edge) => states.has(edge.from)));
    await Promise.all(
      ready.map(async (id) => {
        const node = byId.get(id)!;
        const edges = incoming(id);
        const values = conditionValues(request.ingested, request.metadata, Object.fromEntries([...states].map(([key, state]) => [key, state.outputs])));
        const active = !edges.length || edges.some((edge) => states.get(edge.from)!.status === 'succeeded' && (!edge.when || holds(edge.when, values)));
        const inherited = edges.map((edge) => states.get(edge.from)!.image).find(Boolean);
        if (!active) {
          states.set(id, { status: 'skipped', image: inherited });
          await options.log.append([event('PipelineNodeFinished', derivedEventId(executionId, id, 'finished'), { ...execution, node: id, type: node.type, status: 'skipped', attempts: 0, durationMs: 0 })]);
          return;
        }
        const state = await runNode(node, { ...request, executionId, input, inherited, event, watch }, options);
        states.set(id, state.state);
        if (state.state.status === 'failed') failed ??= { node: id, error: state.error };
      }),
    );
  }

  const outputs = Object.fromEntries(
    definition.emits.map((path) => {
      const [, id, output] = path.split('.');
      return [path, states.get(id!)?.outputs?.[output!] ?? null];
    }),
  );
  const finished: PayloadOf<'PipelineExecutionFinished'> = {
    ...execution,
    status: failed ? 'failed' : 'completed',
    durationMs: Math.round(performance.now() - began),
    outputs,
    ...(failed && { ...(failed.node && { failedNode: failed.node }), error: failed.error }),
  };
  await options.log.append([event('PipelineExecutionFinished', derivedEventId(executionId, 'finished'), finished)]);
  const log = { pipeline: definition.name, version: definition.version, executionId, assetId: cause.assetId, status: finished.status };
  if (failed?.error?.code === ASSET_DELETED) options.logger.info({ ...log, node: failed.node, code: ASSET_DELETED }, 'pipeline execution stopped: its asset was deleted');
  else if (failed) options.logger.warn({ ...log, node: failed.node, code: failed.error?.code, reason: failed.error?.message }, 'pipeline execution failed');
  else options.logger.info(log, 'pipeline execution completed');
  return finished;
}

/** An execution's id, the fields every event of it carries, its events' drafts (caused by its start unless told), and its start. */
function executionEvents({ definition, cause, trigger }: Pick<ExecutionRequest, 'definition' | 'cause' | 'trigger'>) {
  const executionId = executionIdOf(cause, definition);
  const execution = { executionId, pipeline: definition.name, version: definition.version };
  const startedId = derivedEventId(executionId, 'started');
  const event = <T extends EventType>(type: T, id: string, payload: PayloadOf<T>, causationId = startedId): EventDraft =>
    draft(type, { id, assetId: cause.assetId, actor: 'medialake', source: pipelineSource(definition), correlationId: cause.correlationId, causationId, payload } as never);
  const started = event('PipelineExecutionStarted', startedId, { ...execution, trigger: { kind: trigger, eventId: cause.id } }, cause.id);
  return { executionId, execution, event, started };
}

/**
 * Records an execution that does not run as failed with the refusal's reason,
 * its nodes untouched: started (nothing new where it started before, the id
 * being the same) and finished at once.
 */
export async function refuseExecution(request: Pick<ExecutionRequest, 'definition' | 'cause' | 'trigger'>, refusal: Refusal, options: Pick<ExecutionOptions, 'log' | 'logger'>): Promise<void> {
  const { executionId, execution, event, started } = executionEvents(request);
  const finished = event('PipelineExecutionFinished', derivedEventId(executionId, 'finished'), { ...execution, status: 'failed', durationMs: 0, outputs: {}, error: refusal });
  await options.log.append([started, finished]);
  options.logger.warn({ ...execution, assetId: request.cause.assetId, code: refusal.code, reason: refusal.message }, 'pipeline execution refused');
}

/** The original, read and decoded once for all the nodes of an execution, when one asks. */
function originalInput(ingested: PayloadOf<'AssetIngested'>, options: ExecutionOptions): ProcessorInput {
  let loaded: Promise<ProcessorInput> | undefined;
  const load = () =>
    (loaded ??= (async () => {
      if (ingested.size > options.maxInputBytes) throw new InvalidMediaError('TOO_LARGE', `${ingested.size} bytes is over the ${options.maxInputBytes}-byte limit`);
      return inputOf(await options.store.getBuffer(ingested.objectKey), options.decode);
    })().catch((error: unknown) => {
      // A read that failed is read again by the next try, not failed again from memory.
      loaded = undefined;
      throw error;
    }));
  return {
    original: () => load().then((input) => input.original()),
    image: () => load().then((input) => input.image()),
    originalLocation: () => options.store.localPathOrUrl(ingested.objectKey),
  };
}

interface NodeRunContext extends ExecutionRequest {
  executionId: string;
  input: ProcessorInput;
  inherited?: PipelineImage;
  watch: AssetWatch;
  event<T extends EventType>(type: T, id: string, payload: PayloadOf<T>): EventDraft;
}

/**
 * Tries `work` as the node's policy says: again after a failure another try
 * can help, after a wait (retryWaits: doubling, cut to MAX_RETRY_WAIT_MS in
 * all, as the waits hold the runner). A missing secret, an undecodable
 * original or a deleted asset stays so on the next try.
 */
async function withRetries<T>(work: () => Promise<T>, policy: PipelineNode['retry']): Promise<T> {
  const waits = retryWaits(policy);
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retryable = isNodeError(error) ? error.retryable : !isInvalidMedia(error) && !isSecretNotFound(error);
      if (!retryable || attempt >= waits.length) throw error;
      await sleep(waits[attempt]!);
    }
  }
}

/** One node with its retry and timeout policy: a started event per try, its results, and a finished event. */
async function runNode(node: PipelineNode, run: NodeRunContext, options: ExecutionOptions): Promise<{ state: NodeState; error?: PayloadOf<'PipelineNodeFinished'>['error'] }> {
  const type = options.catalogue.get(node.type)!;
  const execution = { executionId: run.executionId, pipeline: run.definition.name, version: run.definition.version };
  const began = performance.now();
  let attempts = 0;
  const context = (signal: AbortSignal): NodeContext => ({
    assetId: run.cause.assetId,
    asset: run.ingested,
    metadata: run.metadata,
    input: run.input,
    image: async () => run.inherited ?? run.input.image(),
    originalUrl: async () => {
      const location = await run.input.originalLocation();
      return /^https?:/.test(location) ? location : new URL(`file://${location}`).href;
    },
    secrets: options.secrets,
    collections: options.collections,
    signal,
    execution: { id: run.executionId, pipeline: run.definition.name, version: run.definition.version },
  });
  const tryOnce = async (): Promise<NodeResult> => {
    if (await run.watch.deleted()) throw new AssetDeletedError(run.cause.assetId);
    attempts++;
    await options.log.append([run.event('PipelineNodeStarted', derivedEventId(run.executionId, node.id, 'started', attempts), { ...execution, node: node.id, type: node.type, attempt: attempts })]);
    try {
      return await withTimeout(node.timeoutMs, (signal) => type.run(node.parameters as never, context(signal)));
    } catch (error) {
      // A try that failed as its asset went (its original deleted under it) is no failure to try again.
      if (await run.watch.deleted()) throw new AssetDeletedError(run.cause.assetId);
      throw error;
    }
  };
  const finished = (status: NodeState['status'], error?: PayloadOf<'PipelineNodeFinished'>['error']) =>
    run.event('PipelineNodeFinished', derivedEventId(run.executionId, node.id, 'finished'), {
      ...execution,
      node: node.id,
      type: node.type,
      status,
      attempts,
      durationMs: Math.round(performance.now() - began),
      ...(error && { error }),
    });
  try {
    const result = await withRetries(tryOnce, node.retry);
    const written: string[] = [];
    try {
      if (await run.watch.deleted()) throw new AssetDeletedError(run.cause.assetId);
      for (const object of result.objects ?? []) {
        await options.store.put(object.key, object.body, { contentType: object.contentType });
        written.push(object.key);
      }
      for (const object of result.files ?? []) {
        await options.store.put(object.key, createReadStream(object.file), { contentType: object.contentType });
        written.push(object.key);
      }
    } finally {
      await result.dispose?.();
    }
    const results = (result.events ?? []).map(({ type: eventType, payload }, index) =>
      run.event(eventType, derivedEventId(run.executionId, node.id, index), payload as never),
    );
    await appendWhileLive(options.log, run.cause.assetId, run.watch, [...results, finished('succeeded')], async () => {
      for (const key of written) await options.store.delete(key);
    });
    return { state: { status: 'succeeded', outputs: result.outputs ?? {}, image: result.image ?? run.inherited } };
  } catch (error) {
    const recorded = errorOf(error);
    await options.log.append([finished('failed', recorded)]);
    return { state: { status: 'failed' }, error: recorded };
  }
}
