import type { StoredEvent } from '../schemas/envelope';
import type { EventType } from '../schemas/events';
import { PositionPastEndError, type EventLog, type Positions, type Subscription } from '../log/eventLog';
import type { Logger } from 'pino';
import { measured, noMetrics, type ConsumerMetrics } from '../log/consumerMetrics';
import { contextOf, tracer } from '../schemas/traceContext';

/**
 * What a projection is, apart from where it is stored: a name, the events its
 * fold reads, and a version. Bumping the version says the fold or the stored
 * shape changed, so the live state (built by the old one) must be rebuilt
 * from the log (projections/lifecycle/).
 */
export interface ProjectionDefinition {
  /** As the CLI and API name it ("assets"); its consumer group is `projection:NAME`. */
  readonly name: string;
  readonly version: number;
  /** The event types the fold reads; the others only move its checkpoint. */
  readonly events: readonly EventType[];
  readonly description: string;
}

/**
 * A projection's store: it applies a batch and records how far it got in one
 * step, wherever the backend allows (law 4), and applies an event only when it
 * is newer than what it holds for that asset.
 */
export interface ProjectionStore {
  /** The consumer group name: `projection:NAME`. */
  readonly name: string;
  /**
   * Kept in this host's data directory (a SQLite file), not in a shared
   * engine: on a partitioned log every host folds the whole log into its own
   * copy, in a consumer group of its own (app/lake.ts).
   */
  readonly local?: boolean;
  /**
   * The most events a live batch holds, where not the consumer's default. A
   * store written by requests (a search engine's bulk) takes a rebuild's
   * batch: a consumer that keeps up still takes the few events there are, and
   * one with a backlog (after an outage) drains it in as few requests as a
   * rebuild makes.
   */
  readonly batchSize?: number;
  positions(): Promise<Positions>;
  apply(batch: StoredEvent[]): Promise<void>;
  /**
   * Makes what it has applied visible to reads, where the backend shows it
   * only later (a search engine's refresh interval): called by those that
   * wait for their writes (read-your-writes, waitForIdle), not per batch.
   */
  settle?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long a projection may gather events into one batch while appends keep
 * coming: each batch is a transaction and a commit, and a batch of many
 * events of an asset folds them into one write of its record.
 */
const PROJECTION_LINGER_MS = 100;

/**
 * Applies a batch and records, in the trace of each event that carries one,
 * a span for the projection's part: one per trace, as the batch is one write.
 */
async function applyTraced(store: ProjectionStore, batch: StoredEvent[]): Promise<void> {
  const startTime = Date.now();
  await store.apply(batch);
  const traced = new Map(batch.filter((event) => event.traceparent).map((event) => [event.traceparent, event]));
  for (const event of traced.values()) {
    tracer().startSpan(store.name, { startTime, attributes: { 'medialake.batch.events': batch.length } }, contextOf(event)).end();
  }
}

/** What a projection's consumer does with a failed batch (it is retried): logs it. */
const logFailure = (store: ProjectionStore, logger: Logger) => (error: unknown) =>
  logger.error({ projection: store.name, err: error }, 'projection batch failed; retrying');

/** How a projection's consumer runs, beyond its log and store. */
export interface ProjectionRun {
  /** What a failed batch (retried) is told to: logged unless given. */
  onError?: (error: unknown) => void;
  metrics?: ConsumerMetrics;
  /** The consumer group on the log: the store's name unless given; the store keeps its positions under its own name. */
  group?: string;
}

/** Runs a projection's consumer until stopped. */
export function runProjection(
  log: EventLog,
  store: ProjectionStore,
  logger: Logger,
  { metrics = noMetrics, group = store.name, onError = logFailure(store, logger) }: ProjectionRun = {},
): Subscription {
  return log.subscribe(
    measured(
      {
        group,
        lingerMs: PROJECTION_LINGER_MS,
        batchSize: store.batchSize,
        handle: (batch) => applyTraced(store, batch),
        positions: () => store.positions(),
        onError,
      },
      metrics,
    ),
  );
}

/** How often catchUp asks how far the projection has got. */
const CATCH_UP_POLL_MS = 20;

/**
 * Folds what the log holds into one projection and stops: for a command that
 * reads a projection without running the lake (the CLI's `users`). With
 * `upToCall`, it waits for the events on the log when it is called, not for
 * those appended meanwhile (beside a busy `serve` the log's end keeps moving,
 * and chasing it could wait until the ingest ends); that counts the log's
 * events at each poll, which only an offset-numbered log (SQLite, Kafka) does
 * cheaply. A store past the log's end, which folds nothing until it is
 * rebuilt, fails it with the consumer's words, rather than wait for good.
 */
export async function catchUp(log: EventLog, store: ProjectionStore, logger: Logger, { upToCall = false } = {}): Promise<void> {
  let refused: PositionPastEndError | undefined;
  const logged = logFailure(store, logger);
  const subscription = runProjection(log, store, logger, {
    onError: (error) => {
      if (error instanceof PositionPastEndError) refused = error;
      else logged(error);
    },
  });
  try {
    const atCall = upToCall ? await log.lag({}) : 0;
    const appendedSince = async () => (upToCall ? (await log.lag({})) - atCall : 0);
    while ((await log.lag(await store.positions())) - (await appendedSince()) > 0) {
      if (refused) throw refused;
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    }
  } finally {
    await subscription.stop();
  }
}
