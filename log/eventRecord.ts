import { readEvent, validateEvent, type AssetEvent, type EventDraft, type LogPosition, type StoredEvent } from '../schemas/envelope';
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
}

/** Records as events (readAll of a partitioned log), in batches of at most batchSize. */
export async function* eventBatches(records: AsyncIterable<StoredRecord[]>, batchSize: number): AsyncIterable<StoredEvent[]> {
  for await (const page of records) {
    const events = page.map((record) => decodeEvent(record.data, record));
    for (let i = 0; i < events.length; i += batchSize) yield events.slice(i, i + batchSize);
  }
}

export function decodeEvent(data: Uint8Array, position: LogPosition): StoredEvent {
  // A view of the record's bytes, not a copy of them.
  const event = readEvent(JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')));
  return { ...event, partition: position.partition, offset: position.offset } as StoredEvent;
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
  for (const { data, key, partition, offset } of records) {
    try {
      events.push(decodeEvent(data, { partition, offset }));
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

/**
 * Refuses, before anything is reserved or sent, a batch the log could never
 * take: an invalid event (InvalidEventError) or one over the record limit.
 */
export function checkDrafts(drafts: EventDraft[], recordLimit: number): void {
  for (const draft of drafts) {
    // The widest version the log will give it, so the size check holds once it has one.
    const bytes = encodeEvent({ ...validateEvent({ ...draft, assetVersion: Number.MAX_SAFE_INTEGER }), hash: GENESIS }).length;
    if (bytes > recordLimit) throw new EventTooLargeError(draft.id, bytes, recordLimit);
  }
}
