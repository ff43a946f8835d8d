import { z } from 'zod';
import { wholeNumber } from '../../schemas/queryNumbers';
import { ASSET_ID, type StoredEvent } from '../../schemas/envelope';
import { EVENT_TYPES, type EventType } from '../../schemas/events';
import type { ProjectionDefinition, ProjectionStore } from '../projection';

/**
 * Every event as an auditor reads it (who, what, when, from where, why),
 * indexed for the questions an audit asks. A projection like any other, so it
 * works the same on every log backend and is rebuilt from the log.
 */
export const AUDIT_TRAIL: ProjectionDefinition = {
  name: 'audit',
  // 2: listed and paged in the order the projection applied the events (a sequence), not by their time, which
  //    concurrent producers stamp out of the log's order; a cursor names the file whose sequence it is.
  version: 2,
  events: EVENT_TYPES,
  description: 'every event with its actor, source, time and details, for audit queries and SQL',
};

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expects a date like 2024-01-31, or a time like 2024-01-31T09:30:00Z (UTC or with an offset)',
});

/** A list of values, as JSON or comma-separated text (CLI flags, query strings). */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value), z.array(item).min(1));

export const AuditQuery = z.object({
  asset: z.string().regex(ASSET_ID, 'not an asset id').optional(),
  actor: z.string().min(1).max(200).optional(),
  type: list(z.enum(EVENT_TYPES as [EventType, ...EventType[]])).optional(),
  /** A source (api, cli, s3, processor:metadata@1), or a prefix ending in * (processor:*). */
  source: z.string().min(1).max(200).optional(),
  /** From this time on (a date: its start, UTC). */
  from: instant.optional(),
  /** Before this time (a date: up to its end, UTC). */
  to: instant.optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: wholeNumber(z.number().int().min(1).max(1000).default(100)),
  /** The cursor a previous page returned. */
  after: z.string().max(10_000).optional(),
});
export type AuditQuery = z.input<typeof AuditQuery>;

export interface AuditEntry {
  eventId: string;
  /** UTC, ISO 8601. */
  time: string;
  assetId: string;
  assetVersion: number;
  type: EventType;
  actor: string;
  source: string;
  correlationId: string;
  causationId: string | null;
  partition: string;
  offset: string;
  /** The payload, with long vectors summarised. */
  payload: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** The cursor of the next page; absent on the last. */
  next?: string;
}

/** The columns of a read-only SQL answer, and its rows. */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

export interface AuditTrail extends ProjectionStore {
  query(query: AuditQuery): Promise<AuditPage>;
  /** Read-only SQL over the audit table (`audit_events`, SQLite dialect), with named parameters. */
  sql(statement: string, parameters?: Record<string, unknown>): Promise<SqlResult>;
}

/** The most rows one audit SQL statement may give: a larger answer belongs in a paged export (`audit --all`), not in memory at once. */
export const SQL_MAX_ROWS = 100_000;

export class TooManySqlRowsError extends Error {
  readonly code = 'TOO_MANY_ROWS';
  readonly statusCode = 400;
  constructor(limit: number) {
    super(`the statement gives more than ${limit.toLocaleString('en-US')} rows: add a LIMIT or narrow its WHERE (audit --all --format csv exports the whole trail)`);
  }
}

export class ReadOnlySqlError extends Error {
  readonly code = 'READ_ONLY_SQL';
  readonly statusCode = 400;
  constructor() {
    super('audit SQL is read-only: send one SELECT (or WITH … SELECT) statement');
  }
}

export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  readonly statusCode = 400;
  constructor(message = 'the cursor is not one a previous page returned: start again without it') {
    super(message);
  }
}

const VECTOR_SUMMARY_FROM = 16;

/** The payload as the audit keeps it: arrays of many numbers (embedding vectors) are summarised. */
export function auditPayload(event: StoredEvent): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(event.payload as Record<string, unknown>).map(([key, value]) =>
      Array.isArray(value) && value.length >= VECTOR_SUMMARY_FROM && value.every((v) => typeof v === 'number')
        ? [key, `[${value.length} numbers]`]
        : [key, value],
    ),
  );
}

/**
 * Normalises a filter bound to a UTC instant; `to` as a date means the end of
 * that day. Events carry milliseconds, and Date drops the digits past them: a
 * bound between two milliseconds goes up to the next, which keeps `from` (on
 * or after) and `to` (before) meaning what they say.
 */
export function instantOf(value: string, bound: 'from' | 'to'): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (dateOnly && bound === 'to') time.setUTCDate(time.getUTCDate() + 1);
  if (/[1-9]/.test(/\.\d{3}(\d*)/.exec(value)?.[1] ?? '')) time.setTime(time.getTime() + 1);
  return time.toISOString();
}
