import type { EventDraft, LogPosition, StoredEvent } from '../schemas/envelope';
import type { AssetHead } from './assetHead';

/**
 * How far a consumer got: per partition, the offset of the last event it
 * handled. A partition it has not seen is read from the start.
 */
export type Positions = Record<string, string>;

/**
 * The asset-event log: the source of truth (law 1). Events of one asset are
 * totally ordered and carry the asset's version (law 3); the log assigns it.
 */
export interface EventLog {
  /**
   * Appends a batch atomically, in order. An event whose id is already on the
   * log is not appended again: the stored one is returned (law 4). With
   * `expectedVersion` every event must belong to one asset, whose current
   * version must equal it, or ExpectedVersionConflictError is thrown.
   */
  append(events: EventDraft[], options?: AppendOptions): Promise<StoredEvent[]>;

  /** Every event, partition by partition, in log order: for replay and audit. */
  readAll(options?: { batchSize?: number }): AsyncIterable<StoredEvent[]>;

  /** Every event of one asset, in version order. */
  readAsset(assetId: string): Promise<StoredEvent[]>;

  /**
   * The event at a place on the log (a stored event's partition and offset,
   * as an asset's head names its live ingest), by one seek, never a scan:
   * undefined where the place holds no event (past the end, or gone with
   * the log's retention).
   */
  readAt(position: LogPosition): Promise<StoredEvent | undefined>;

  /**
   * Where an asset stands (log/assetHead.ts): the version to append against,
   * liveness and content hash, by one lookup, never by reading its history.
   * It holds every append that has returned; an asset with no events is at
   * version 0 and not live. It may be behind by an append in flight, so a
   * command appends with it as `expectedVersion`: a stale head costs a
   * conflict, never a wrong append.
   */
  assetHead(assetId: string): Promise<AssetHead>;

  /** How many events a consumer at these positions has still to handle. */
  lag(positions: Positions): Promise<number>;

  /** The same, per partition: every partition of the log, 0 where it has caught up (for /metrics). */
  partitionLag(positions: Positions): Promise<Record<string, number>>;

  /** Runs a consumer until stopped; see SubscribeOptions. */
  subscribe(options: SubscribeOptions): Subscription;

  /**
   * The partitions where a consumer's position lies at or past the log's end:
   * the offset of an event the log does not hold (a store restored from a
   * later copy than the log, a log made anew). A consumer there handles
   * nothing until its store is rebuilt (PositionPastEndError), and its lag
   * counts the whole partition. A log without offsets (Kinesis) names none.
   */
  partitionsPastEnd(positions: Positions): Promise<string[]>;

  /** Committed positions of a consumer group that lets the log keep them. */
  committed(group: string): Promise<Positions>;

  /**
   * How many members consume a group now, in any process: what a command
   * asks before it runs a group itself, so that it waits on workers that
   * consume it rather than join them (Lake.startForCommand). A member that
   * stopped, or died and lost its membership (Kafka's session timeout, a
   * lease past its time), no longer counts. On the embedded log only the
   * member that holds the group's lease counts (the others wait for it).
   */
  groupMembers(group: string): Promise<number>;

  /** Records an event a consumer gave up on after bounded retries. */
  deadLetter(entry: DeadLetter): Promise<void>;
  /** Dead letters, newest first (then by group and event id): every one, or those the query names, a page at a time. */
  deadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]>;
  /** How many dead letters each group has (groups with none left out): what status and metrics count, without reading every entry. */
  deadLetterCounts(): Promise<Record<string, number>>;
  /** Takes dead letters off the list, once acted on (a reprocess of their asset asked for): each by its group and event. */
  clearDeadLetters(entries: DeadLetterKey[]): Promise<void>;

  close(): Promise<void>;
}

export interface AppendOptions {
  expectedVersion?: number;
}

export interface SubscribeOptions {
  /** The consumer group: one active member per partition at a time. */
  group: string;
  /**
   * Handles one batch, all from one partition; a rejection retries the same
   * batch. A consumer that keeps its own positions (`positions` given) is
   * also handed empty batches that only pass over records holding no event
   * (passedOver): storing what `advance` gives for them moves its position,
   * and so its lag, past those records.
   */
  handle(batch: StoredEvent[]): Promise<void>;
  batchSize?: number;
  /**
   * How long, at most, the consumer may wait after a partial batch for more
   * events to share its next one: a consumer whose cost is per batch (a
   * projection's transaction) asks for longer than one whose work is per
   * event and should start at once. The embedded log's; the others batch as
   * their clients do.
   */
  lingerMs?: number;
  /**
   * Where this group's positions live. Omitted: the log keeps them and commits
   * after each handled batch. Given: the consumer stores them itself together
   * with its effects (law 4), and the log asks it where to resume.
   */
  positions?: () => Promise<Positions>;
  /** Told of a batch that failed, before it is retried. */
  onError?: (error: unknown) => void;
}

export interface Subscription {
  stop(): Promise<void>;
  /**
   * Whether this member's last read found nothing after its position: a
   * free, local hint that it has caught up (the positions on the log say so
   * for sure). Absent where the backend cannot tell.
   */
  caughtUp?(): boolean;
}

export interface DeadLetter {
  group: string;
  eventId: string;
  assetId: string;
  attempts: number;
  error: string;
  time: string;
}

/** A dead letter is one consumer group's of one event. */
export type DeadLetterKey = Pick<DeadLetter, 'group' | 'eventId'>;

/** Where a dead letter is listed: by its time, newest first, then by group and event id. */
export type DeadLetterPlace = Pick<DeadLetter, 'time' | 'group' | 'eventId'>;

export interface DeadLetterQuery {
  /** One consumer group's (`processor:NAME`). */
  group?: string;
  /** One asset's. */
  assetId?: string;
  /** The most to give (every one when omitted). */
  limit?: number;
  /** Those listed after this place: the next page after one that ended there. */
  after?: DeadLetterPlace;
}

/** Whether a dead letter is listed after a place (deadLetters' order). */
export function listedAfter(entry: DeadLetterPlace, place: DeadLetterPlace): boolean {
  if (entry.time !== place.time) return entry.time < place.time;
  if (entry.group !== place.group) return entry.group < place.group;
  return entry.eventId < place.eventId;
}

/** deadLetters' order, for a backend that sorts in memory. */
export function byListing(a: DeadLetterPlace, b: DeadLetterPlace): number {
  return listedAfter(a, b) ? 1 : listedAfter(b, a) ? -1 : 0;
}

/**
 * A consumer's position is past its partition's end (its store restored from
 * a later copy than the log, the log or topic made anew): it handles nothing
 * until its store is rebuilt, rather than read on from there once the log
 * grows past it and miss what lies between.
 */
export class PositionPastEndError extends Error {
  readonly code = 'POSITION_PAST_END';
}

export class ExpectedVersionConflictError extends Error {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly assetId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    // Collections and users are streams on the log as assets are: the message names the id, not a kind.
    super(`${assetId} is at version ${actual}, not the expected ${expected}: reload it and try again`);
  }
}

export function isExpectedVersionConflict(error: unknown): error is ExpectedVersionConflictError {
  return error instanceof ExpectedVersionConflictError;
}

/** What `lag` answers: the sum of a consumer's lag over the partitions. */
export function totalLag(lags: Record<string, number>): number {
  return Object.values(lags).reduce((sum, lag) => sum + lag, 0);
}

/**
 * A partition's events a consumer has yet to handle, from the next offset it
 * reads and the partition's first and end offsets. A position past the end
 * (a store kept for another log, a log made anew) leaves every event of the
 * partition unhandled: the consumer handles none until its store is rebuilt,
 * and a lag of 0 would call it caught up.
 */
export function unhandled(next: bigint, first: bigint, end: bigint): number {
  if (next > end) return Number(end - first);
  return end > next ? Number(end - next) : 0;
}

/** A batch that reaches past its last event: the place of the last record it passed over. */
interface PassingBatch extends Array<StoredEvent> {
  readonly reached?: LogPosition;
}

/**
 * The batch handed to a consumer that keeps its own positions for records
 * of a partition that hold no event (something else wrote them; each is a
 * dead letter of the group, law 7): no events, and the place of the last
 * such record, which `advance` takes. Without it the consumer would store
 * the offset before them, and its lag would never reach 0 where such a
 * record ends a partition.
 */
export function passedOver(reached: LogPosition): StoredEvent[] {
  return Object.assign([] as StoredEvent[], { reached: { partition: reached.partition, offset: reached.offset } });
}

/** The positions after handling a batch: each partition's last offset in it, or the last record it passed over (passedOver). */
export function advance(positions: Positions, batch: StoredEvent[]): Positions {
  const next = { ...positions };
  for (const event of batch) next[event.partition] = event.offset;
  const { reached } = batch as PassingBatch;
  if (reached) next[reached.partition] = reached.offset;
  return next;
}
