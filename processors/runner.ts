import { createReadStream } from 'node:fs';
import pLimit from 'p-limit';
import pRetry from 'p-retry';
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { draft, type EventDraft, type StoredEvent } from '../schemas/envelope';
import { currentVersions } from '../schemas/events';
import { derivedEventId } from '../schemas/ids';
import type { EventLog, Subscription } from '../log/eventLog';
import { measured, noMetrics, type ConsumerMetrics } from '../log/consumerMetrics';
import { isExhaustion } from '../storage/exhaustion';
import type { ObjectStore } from '../storage/objectStore';
import { InvalidMediaError, isInvalidMedia, type Processor, type ProcessorInput, type ProcessorResult } from './processor';
import { SharedInputs, type OriginalRef } from './readOnce';
import { contextOf, tracer } from '../schemas/traceContext';

export interface RunnerOptions {
  log: EventLog;
  store: ObjectStore;
  logger: Logger;
  concurrency: number;
  attempts: number;
  backoffMs: number;
  maxInputBytes: number;
  /** Decompression-bomb guard of the shared decode. */
  maxInputPixels: number;
  /** The shared decode's box: the largest rendition's. */
  proxySize: number;
  /** Where events handled, durations and dead letters are counted (app/metrics.ts); none when absent. */
  metrics?: ConsumerMetrics;
}

/**
 * A processor's batch is this many rounds of its concurrency: a member
 * finishes its batch before it lets a rebalance go on (a scaled-out worker
 * died, or joined), so a batch of slow events (renditions, transcodes) is
 * kept short; a commit per batch is small next to the work.
 */
const BATCH_ROUNDS = 4;

export const groupOf = (processor: Pick<Processor, 'name'>) => `processor:${processor.name}`;
export const sourceOf = (processor: Pick<Processor, 'name' | 'version'>) => `processor:${processor.name}@${processor.version}`;

/** Derived events get ids from their cause, the processor and their place in the result (law 4). */
function derive(processor: Processor, cause: StoredEvent, result: ProcessorResult): EventDraft[] {
  return result.events.map(({ type, payload }, index) =>
    draft(type, {
      id: derivedEventId(cause.id, sourceOf(processor), index),
      assetId: cause.assetId,
      actor: 'medialake',
      source: sourceOf(processor),
      correlationId: cause.correlationId,
      causationId: cause.id,
      payload,
    } as never),
  );
}

function failure(processor: Processor, cause: StoredEvent, error: unknown, attempts: number): EventDraft<'AssetProcessingFailed'> {
  const invalid = isInvalidMedia(error);
  return draft('AssetProcessingFailed', {
    id: derivedEventId(cause.id, sourceOf(processor), 'failed'),
    assetId: cause.assetId,
    actor: 'medialake',
    source: sourceOf(processor),
    correlationId: cause.correlationId,
    causationId: cause.id,
    payload: {
      processor: sourceOf(processor),
      causeEventId: cause.id,
      code: invalid ? error.code : ((error as { code?: string }).code ?? 'PROCESSING_ERROR'),
      message: (error as Error)?.message ?? String(error),
      attempts,
      retryable: !invalid,
    },
  });
}

/**
 * Bad input is expected (law 7): one warning line with its code and reason,
 * no stack, which would only point into the decoder. Anything else is a
 * fault to investigate and keeps its stack.
 */
function logFailure(logger: Logger, context: object, error: unknown): void {
  if (isInvalidMedia(error)) logger.warn({ ...context, code: error.code, reason: error.message.replace(/\s+/g, ' ') }, 'cannot process this file');
  else logger.error({ ...context, err: error }, 'processing failed');
}

/**
 * What a processor is handed for an event: a reprocess request that names it
 * is the ingest it carries, under the request's id, so the results derive new
 * ids from the request and go on the log beside the earlier ones.
 */
function asCause(processor: Processor, event: StoredEvent): StoredEvent | undefined {
  if (event.type !== 'ReprocessRequested') return event;
  if (!event.payload.processors.includes(processor.name)) return undefined;
  const { ingested } = event.payload;
  return { ...event, type: 'AssetIngested', schemaVersion: currentVersions.AssetIngested, payload: ingested } as StoredEvent;
}

/** The cause the processor handles for an event, or undefined when it takes none. */
function taken(processor: Processor, event: StoredEvent): StoredEvent | undefined {
  const cause = asCause(processor, event);
  return cause && processor.accepts(cause) ? cause : undefined;
}

/** Reads each original once for all the processors of this process, and decodes it once for those that want pixels. */
function sharedInputs(options: RunnerOptions): SharedInputs {
  return new SharedInputs(
    async ({ objectKey, size, rendition }) => {
      if (!rendition && size > options.maxInputBytes) throw new InvalidMediaError('TOO_LARGE', `${size} bytes is over the ${options.maxInputBytes}-byte limit`);
      return options.store.getBuffer(objectKey);
    },
    { maxInputPixels: options.maxInputPixels, box: options.proxySize },
  );
}

const noOriginal = (event: StoredEvent) => () => Promise.reject(new Error(`${event.type} names no original`));

/**
 * The object an event brings its processors: an ingest's original, or a
 * rendition (keyed by its event: a reprocess writes the same key anew).
 */
function objectOf(event: StoredEvent): OriginalRef | undefined {
  if (event.type === 'AssetIngested') return event.payload;
  if (event.type === 'RenditionCreated') return { objectKey: event.payload.objectKey, sha256: event.id, size: event.payload.size, rendition: true };
  return undefined;
}

/** Runs the processors of this process, each as its own consumer group, sharing the reads and decodes of originals. */
export function runProcessors(processors: Processor[], options: RunnerOptions): Subscription[] {
  const inputs = sharedInputs(options);
  const takers = (event: StoredEvent) => processors.filter((p) => taken(p, event)).map((p) => p.name);
  return processors.map((processor) => consume(processor, options, { inputs, takers }));
}

/** Runs one processor on its own. */
export function runProcessor(processor: Processor, options: RunnerOptions): Subscription {
  return runProcessors([processor], options)[0]!;
}

interface Shared {
  inputs: SharedInputs;
  /** The processors of this process that take an event. */
  takers(event: StoredEvent): string[];
}

/**
 * One processor as its own consumer group: events of one asset in
 * order, different assets concurrently; bounded retries with backoff; a
 * failure event and a dead letter when they run out (law 7).
 */
function consume(processor: Processor, options: RunnerOptions, shared: Shared): Subscription {
  const { log, store, logger, metrics = noMetrics } = options;
  const concurrency = processor.concurrency ?? options.concurrency;
  const limit = pLimit(concurrency);
  const group = groupOf(processor);

  /** The input for one event; released when the processor is done with the event. */
  function inputFor(received: StoredEvent, event: StoredEvent): ProcessorInput & { release(): void } {
    const object = objectOf(event);
    if (!object) return { original: noOriginal(event), image: noOriginal(event), originalLocation: noOriginal(event), release: () => undefined };
    // A location costs nothing to share: each asks the store (a path, or a presigned URL good for an hour).
    return { ...shared.inputs.use(object, processor.name, () => shared.takers(received)), originalLocation: () => store.localPathOrUrl(object.objectKey) };
  }

  async function runOnce(event: StoredEvent, input: ProcessorInput): Promise<void> {
    const result = await processor.process(event, input);
    const written = [...(result.objects ?? []), ...(result.files ?? [])].map((object) => object.key);
    try {
      for (const object of result.objects ?? []) await store.put(object.key, object.body, { contentType: object.contentType });
      for (const object of result.files ?? []) await store.put(object.key, createReadStream(object.file), { contentType: object.contentType });
    } finally {
      await result.dispose?.();
    }
    for (const key of result.deletes ?? []) await store.delete(key);
    if ((written.length || result.events.length) && !(await log.assetHead(event.assetId)).live) {
      // Deleted while this ran: the cleanup may have listed the asset's folders before these writes (after this look,
      // a delete's cleanup comes later and finds them), so they go, and nothing more is said of the asset.
      for (const key of written) await store.delete(key);
      return;
    }
    if (result.events.length) await log.append(derive(processor, event, result));
  }

  /** In a span of the event's trace: the events the processor appends carry it on (schemas/traceContext.ts). */
  async function handleEvent(received: StoredEvent, event: StoredEvent): Promise<void> {
    const input = inputFor(received, event);
    const attributes = { 'medialake.event.id': event.id, 'medialake.asset.id': event.assetId };
    await tracer().startActiveSpan(group, { attributes }, contextOf(received), async (span) => {
      try {
        await handleWithAttempts(event, input, span);
      } finally {
        input.release();
        span.end();
      }
    });
  }

  /**
   * Runs the processor with its retries; one that gives up records why, on
   * the log and on the event's span. One that gave up because the machine ran
   * out of space or file descriptors fails the batch instead, which the
   * consumer retries until they are freed: the asset is not failed for what
   * the machine lacked, and the work resumes by itself.
   */
  async function handleWithAttempts(event: StoredEvent, input: ProcessorInput, span: Span): Promise<void> {
    let attempts = 0;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      await pRetry(() => (attempts++, runOnce(event, input)), {
        retries: options.attempts - 1,
        minTimeout: options.backoffMs,
        factor: 2,
        randomize: true,
        shouldRetry: ({ error }) => !isInvalidMedia(error),
      });
      metrics.processed(processor.name, seconds(), 'ok');
    } catch (error) {
      metrics.processed(processor.name, seconds(), 'failed');
      if (!isInvalidMedia(error) && isExhaustion(error)) {
        span.recordException(error as Error);
        throw error;
      }
      logFailure(logger, { processor: group, assetId: event.assetId, eventId: event.id, attempts }, error);
      const failed = failure(processor, event, error, attempts);
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failed.payload.code });
      await log.append([failed]);
      await log.deadLetter({
        group,
        eventId: event.id,
        assetId: event.assetId,
        attempts,
        error: (error as Error)?.message ?? String(error),
        time: new Date().toISOString(),
      });
      metrics.deadLettered(processor.name, failed.payload.code);
    }
  }

  /** The events of a failed batch that were handled before it failed: its retry passes over them (their results are on the log). */
  const handledBeforeFailing = new Set<string>();

  async function handle(batch: StoredEvent[]): Promise<void> {
    const byAsset = new Map<string, [received: StoredEvent, cause: StoredEvent][]>();
    for (const received of batch) {
      const cause = taken(processor, received);
      if (cause && !handledBeforeFailing.has(received.id)) byAsset.set(cause.assetId, [...(byAsset.get(cause.assetId) ?? []), [received, cause]]);
    }
    // Every asset's work ends before the batch fails, so a retry of the batch does not run beside what is left of it.
    const settled = await Promise.allSettled(
      [...byAsset.values()].map((events) =>
        limit(async () => {
          for (const [received, cause] of events) {
            await handleEvent(received, cause);
            handledBeforeFailing.add(received.id);
          }
        }),
      ),
    );
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    handledBeforeFailing.clear();
  }

  return log.subscribe(
    measured(
      {
        group,
        handle,
        batchSize: BATCH_ROUNDS * concurrency,
        onError: (error) => logger.error({ processor: group, err: error }, 'batch failed; retrying'),
      },
      metrics,
    ),
  );
}
