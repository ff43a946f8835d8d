import { readEvent, validateEvent, type AssetEvent, type EventDraft, type LogPosition, type StoredEvent } from '../schemas/envelope';
import { eventSchemaId } from '../schemas/jsonSchema';
import type { DeadLetter } from './eventLog';
import { GENESIS, type ChainedEvent } from './hashChain';

/** An event with the hash that chains it to its asset's previous version (log/assetChains.ts). */
export type HashedEvent = AssetEvent & { hash: string };

/**
 * An event as a record of a partitioned log (a Kafka message value, a
 * Kinesis record's data): its envelope as UTF-8 JSON, keyed by asset id,
 * with its `hash` beside the envelope's fields (records written before the
 * logs kept hashes have none). Reading upcasts old schema versions (law 6)
 * and leaves the hash out.
 */
export function encodeEvent(event: AssetEvent | HashedEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}

/**
 * The fields a hash covers, for an event as appended or as stored (parsed,
 * not upcast): the payload's canonical text is its JSON as encodeEvent
 * writes it, which parsing and writing again gives unchanged.
 */
export function chainedFields(event: Omit<ChainedEvent, 'payload' | 'causationId'> & { causationId?: string | null; payload: unknown }): ChainedEvent {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    assetId: event.assetId,
    assetVersion: event.assetVersion,
    time: event.time,
    actor: event.actor,
    source: event.source,
    correlationId: event.correlationId,
    causationId: event.causationId ?? null,
    payload: JSON.stringify(event.payload),
  };
}

/** A record as the log holds it, at its place. */
export interface StoredRecord extends LogPosition {
  data: Uint8Array;
  /** The schema its writer validated it against (eventSchemaId), where the log can carry it (a Kafka header). */
  schemaId?: string;
}

/** Told of a record a read left out because it holds no event, and why. */
export type SkippedRecord = (record: StoredRecord, error: Error) => void;

/**
 * A record as the event it holds, for a read (readAll, readAfter, readAt,
 * readAsset of a partitioned log); undefined where it holds none (something
 * else wrote it to the topic or stream). A read leaves such a record out
 * and goes on (law 7), where decodeEvent would stop a rebuild or a status
 * on it for good. It files no dead letter: a read is no consumer group, is
 * repeated at will (every status asks), and holds no position the record
 * could stop; every group whose consumer passes the record files one
 * (decodeRecords), so it is not lost from sight.
 */
export function eventOfRecord(record: StoredRecord, skipped?: SkippedRecord): StoredEvent | undefined {
  try {
    return decodeEvent(record);
  } catch (error) {
    skipped?.(record, error as Error);
    return undefined;
  }
}

/** The events among records, in order (eventOfRecord): what a read gives of them. */
export function eventsOfRecords(records: StoredRecord[], skipped?: SkippedRecord): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const record of records) {
    const event = eventOfRecord(record, skipped);
    if (event) events.push(event);
  }
  return events;
}

/** Records as events (readAll of a partitioned log), in batches of at most batchSize; records holding no event are left out (eventOfRecord). */
export async function* eventBatches(records: AsyncIterable<StoredRecord[]>, batchSize: number, skipped?: SkippedRecord): AsyncIterable<StoredEvent[]> {
  for await (const page of records) {
    const events = eventsOfRecords(page, skipped);
    for (let i = 0; i < events.length; i += batchSize) yield events.slice(i, i + batchSize);
  }
}

/**
 * A record as the event it holds. One its writer stamped with this build's
 * schema id was validated against this very schema before it was written
 * (checkDrafts gave back what it holds): validating it again could only
 * refuse what the writer refused, at twice the cost of the parse, so it is
 * only parsed. Any other record (an older build's, or one something else
 * wrote) is upcast and validated.
 */
export function decodeEvent({ data, partition, offset, schemaId }: StoredRecord): StoredEvent {
  // Kafka hands a Buffer; of other bytes a view, not a copy.
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const parsed = JSON.parse(bytes.toString('utf8'));
  const event = (schemaId === eventSchemaId() ? withoutHash(parsed) : readEvent(parsed)) as StoredEvent;
  // A fresh object either way: placing it adds two fields, where a copy would cost as much as the parse.
  event.partition = partition;
  event.offset = offset;
  return event;
}

/** The event of a parsed record, in place: the hash is the record's last field, whose removal V8 undoes cheaply. */
function withoutHash(record: Partial<HashedEvent>): AssetEvent {
  delete record.hash;
  return record as AssetEvent;
}

/** A record with the key it was written under (the asset id, if it is an event). */
export interface RawRecord extends StoredRecord {
  key: string;
}

/**
 * Decodes a partition's records for a consumer group. A record that is no
 * event (something else wrote it) becomes a dead letter of the group instead
 * of a partition stuck on it (law 7).
 */
export async function decodeRecords(
  records: RawRecord[],
  group: string,
  deadLetter: (entry: DeadLetter) => Promise<void>,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (const record of records) {
    const { key, partition, offset } = record;
    try {
      events.push(decodeEvent(record));
    } catch (error) {
      await deadLetter({
        group,
        eventId: `record ${partition}/${offset}`,
        assetId: key,
        attempts: 1,
        error: `undecodable record: ${(error as Error).message}`,
        time: new Date().toISOString(),
      });
    }
  }
  return events;
}

export class EventTooLargeError extends Error {
  readonly code = 'EVENT_TOO_LARGE';
  constructor(
    readonly eventId: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`event ${eventId} is ${bytes} bytes, over the log's ${limit}-byte record limit: keep large results in the object store and put their keys in the event`);
  }
}

/** What the hash adds to a record: `,"hash":"…"` after the envelope's fields. */
const HASH_FIELD_BYTES = Buffer.byteLength(`,"hash":${JSON.stringify(GENESIS)}`);

/**
 * Refuses, before anything is reserved or sent, a batch the log could never
 * take: an invalid event (InvalidEventError) or one over the record limit.
 * Gives back the drafts as validated, which is what the log writes: defaults
 * filled in, unknown fields left out, so a record holds exactly what reading
 * it with the same schema would give (decodeEvent).
 */
export function checkDrafts(drafts: EventDraft[], recordLimit: number): EventDraft[] {
  return drafts.map((draft) => {
    // The widest version the log will give it, so the size check holds once it has one.
    const valid = validateEvent({ ...draft, assetVersion: Number.MAX_SAFE_INTEGER });
    // encodeEvent's length, counted without making the record.
    const bytes = Buffer.byteLength(JSON.stringify(valid)) + HASH_FIELD_BYTES;
    if (bytes > recordLimit) throw new EventTooLargeError(draft.id, bytes, recordLimit);
    const { assetVersion: _widest, ...checked } = valid;
    return checked as EventDraft;
  });
}
