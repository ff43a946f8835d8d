import { z } from 'zod';
import { EVENT_TYPES, currentVersions, payloadSchemas, type EventType, type PayloadOf } from './events';
import { upcast } from './upcasting';
import { personal } from './personal';
import { activeTraceparent } from './traceContext';

/** Asset ids are opaque, URL- and key-safe. */
export const ASSET_ID = /^[a-z0-9][a-z0-9_-]{2,127}$/;

/**
 * One envelope for every event (law 8: who, from where, why, when). The one
 * place that reads and validates it: every hop passes the parsed value on.
 */
const envelopeFields = {
  id: z.uuid(),
  schemaVersion: z.number().int().positive(),
  assetId: z.string().regex(ASSET_ID, 'asset ids are 3–128 of a-z 0-9 _ -'),
  assetVersion: z.number().int().positive(),
  time: z.iso.datetime({ offset: true }),
  /** A person (sealed on the log: schemas/personal.ts) or the system (medialake). */
  actor: personal(z.string().min(1).max(200)),
  /** s3 | api | cli | watch | processor:NAME@VERSION */
  source: z.string().min(1).max(200),
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).nullable(),
};

/**
 * The W3C trace context of the work that appended the event
 * (schemas/traceContext.ts), so every processor and projection that handles
 * it joins that trace. Telemetry, not a fact: optional, absent from events
 * written before it or without tracing, and outside the hash chain.
 */
const traceparent = z
  .string()
  .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'a W3C traceparent')
  .optional();

const eventSchemas = EVENT_TYPES.map((type) =>
  z.object({ ...envelopeFields, traceparent, type: z.literal(type), payload: payloadSchemas[type] }),
);

export const AssetEventSchema = z.discriminatedUnion('type', eventSchemas as never as [
  (typeof eventSchemas)[number],
  ...(typeof eventSchemas)[number][],
]);

export type AssetEvent<T extends EventType = EventType> = T extends EventType
  ? { [K in keyof typeof envelopeFields]: z.infer<(typeof envelopeFields)[K]> } & { traceparent?: string; type: T; payload: PayloadOf<T> }
  : never;

/** An event before the log has placed it: the log assigns assetVersion. */
export type EventDraft<T extends EventType = EventType> = T extends EventType
  ? Omit<AssetEvent<T>, 'assetVersion'>
  : never;

/**
 * Where an event sits in the log: its partition and its offset there, both
 * opaque strings whose meaning is the backend's (a SQLite row, a Kafka offset,
 * a Kinesis shard and sequence number).
 */
export type LogPosition = {
  partition: string;
  offset: string;
};

export type StoredEvent<T extends EventType = EventType> = AssetEvent<T> & LogPosition;

export class InvalidEventError extends Error {
  readonly code = 'INVALID_EVENT';
  constructor(
    readonly issues: string,
    readonly eventId?: string,
  ) {
    super(`invalid event${eventId ? ` ${eventId}` : ''}: ${issues}`);
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Validates an event at its current version (what producers and processors write). */
export function validateEvent(candidate: unknown): AssetEvent {
  const parsed = AssetEventSchema.safeParse(candidate);
  if (!parsed.success) throw new InvalidEventError(describe(parsed.error), (candidate as { id?: string })?.id);
  const event = parsed.data as AssetEvent;
  if (event.schemaVersion !== currentVersions[event.type]) {
    throw new InvalidEventError(
      `${event.type} is written at schemaVersion ${currentVersions[event.type]}, not ${event.schemaVersion}`,
      event.id,
    );
  }
  return event;
}

/** Reads a stored event of any version as the current one (law 6). */
export function readEvent(stored: unknown): AssetEvent {
  return validateEvent(upcast(stored as { type: EventType; schemaVersion: number; payload: unknown }));
}

/** Builds a draft at the current schema version of its type, in the trace of the work that builds it. */
export function draft<T extends EventType>(
  type: T,
  fields: Omit<EventDraft<T>, 'type' | 'schemaVersion' | 'time'> & { time?: string },
): EventDraft<T> {
  const trace = activeTraceparent();
  return {
    time: new Date().toISOString(),
    ...(trace && { traceparent: trace }),
    ...fields,
    type,
    schemaVersion: currentVersions[type],
  } as EventDraft<T>;
}

export function isEvent<T extends EventType>(event: AssetEvent, type: T): event is AssetEvent<T> {
  return event.type === type;
}
