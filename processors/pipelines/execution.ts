import { createReadStream } from 'node:fs';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { draft, type EventDraft, type StoredEvent } from '../../schemas/envelope';
import type { EventType, PayloadOf } from '../../schemas/events';
import { derivedEventId } from '../../schemas/ids';
import type { PipelineDefinition, PipelineNode } from '../../schemas/pipelines';
import type { EventLog } from '../../log/eventLog';
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
  await options.log.append([started]);

  const input = originalInput(request.ingested, options);
  const states = new Map<string, NodeState>();
  const byId = new Map(definition.nodes.map((node) => [node.id, node]));
  const { order } = topologicalOrder([...byId.keys()], definition.edges);
  const incoming = (id: string) => definition.edges.filter((edge) => edge.to === id);
  let failed: { node: string; error: PayloadOf<'PipelineNodeFinished'>['error'] } | undefined;

  while (!failed && states.size < order.length) {
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
        const state = await runNode(node, { ...request, executionId, input, inherited, event }, options);
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
    ...(failed && { failedNode: failed.node, error: failed.error }),
  };
  await options.log.append([event('PipelineExecutionFinished', derivedEventId(executionId, 'finished'), finished)]);
  const log = { pipeline: definition.name, version: definition.version, executionId, assetId: cause.assetId, status: finished.status };
  if (failed) options.logger.warn({ ...log, node: failed.node, code: failed.error?.code, reason: failed.error?.message }, 'pipeline execution failed');
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
    })());
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
  event<T extends EventType>(type: T, id: string, payload: PayloadOf<T>): EventDraft;
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
    attempts++;
    await options.log.append([run.event('PipelineNodeStarted', derivedEventId(run.executionId, node.id, 'started', attempts), { ...execution, node: node.id, type: node.type, attempt: attempts })]);
    return withTimeout(node.timeoutMs, (signal) => type.run(node.parameters as never, context(signal)));
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
    const result = await pRetry(tryOnce, {
      retries: node.retry.attempts - 1,
      minTimeout: node.retry.backoffMs,
      factor: 2,
      // A missing secret or an undecodable original stays so on the next try.
      shouldRetry: ({ error }) => (isNodeError(error) ? error.retryable : !isInvalidMedia(error) && !isSecretNotFound(error)),
    });
    try {
      for (const object of result.objects ?? []) await options.store.put(object.key, object.body, { contentType: object.contentType });
      for (const object of result.files ?? []) await options.store.put(object.key, createReadStream(object.file), { contentType: object.contentType });
    } finally {
      await result.dispose?.();
    }
    const results = (result.events ?? []).map(({ type: eventType, payload }, index) =>
      run.event(eventType, derivedEventId(run.executionId, node.id, index), payload as never),
    );
    await options.log.append([...results, finished('succeeded')]);
    return { state: { status: 'succeeded', outputs: result.outputs ?? {}, image: result.image ?? run.inherited } };
  } catch (error) {
    const recorded = errorOf(error);
    await options.log.append([finished('failed', recorded)]);
    return { state: { status: 'failed' }, error: recorded };
  }
}
