import type { StoredEvent } from '../../schemas/envelope';
import { SqliteProjection } from '../sqliteProjection';
import {
  AUDIT_TRAIL,
  AuditQuery,
  InvalidCursorError,
  ReadOnlySqlError,
  auditPayload,
  instantOf,
  type AuditEntry,
  type AuditPage,
  type AuditTrail,
  type SqlResult,
} from './auditTrail';

/** One row per event; an index per filter, each ending in the paging order. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_events (
  event_id       TEXT PRIMARY KEY,
  time           TEXT NOT NULL,
  asset_id       TEXT NOT NULL,
  asset_version  INTEGER NOT NULL,
  type           TEXT NOT NULL,
  actor          TEXT NOT NULL,
  source         TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  causation_id   TEXT,
  log_partition  TEXT NOT NULL,
  log_offset     TEXT NOT NULL,
  payload        TEXT NOT NULL
);`;

/** The filters' indexes: the fold only inserts. */
const QUERY_INDEXES = `
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_events (time, event_id);
CREATE INDEX IF NOT EXISTS audit_by_asset ON audit_events (asset_id, time, event_id);
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_events (actor, time, event_id);
CREATE INDEX IF NOT EXISTS audit_by_type ON audit_events (type, time, event_id);
CREATE INDEX IF NOT EXISTS audit_by_source ON audit_events (source, time, event_id);
CREATE INDEX IF NOT EXISTS audit_by_causation ON audit_events (causation_id);`;

interface Row {
  event_id: string;
  time: string;
  asset_id: string;
  asset_version: number;
  type: AuditEntry['type'];
  actor: string;
  source: string;
  correlation_id: string;
  causation_id: string | null;
  log_partition: string;
  log_offset: string;
  payload: string;
}

const entryOf = (row: Row): AuditEntry => ({
  eventId: row.event_id,
  time: row.time,
  assetId: row.asset_id,
  assetVersion: row.asset_version,
  type: row.type,
  actor: row.actor,
  source: row.source,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  partition: row.log_partition,
  offset: row.log_offset,
  payload: JSON.parse(row.payload),
});

const encodeCursor = (row: Row) => Buffer.from(JSON.stringify([row.time, row.event_id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}

/** The audit trail in SQLite: every event once (by id), so replays and redeliveries add nothing. */
export class SqliteAuditTrail extends SqliteProjection implements AuditTrail {
  private readonly insert;

  constructor(path: string) {
    super(`projection:${AUDIT_TRAIL.name}`, path, SCHEMA, QUERY_INDEXES);
    this.insert = this.db.prepare(
      `INSERT INTO audit_events (event_id, time, asset_id, asset_version, type, actor, source, correlation_id, causation_id,
         log_partition, log_offset, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
    );
  }

  protected applyBatch(batch: StoredEvent[]): void {
    for (const event of batch) this.applyEvent(event);
  }

  private applyEvent(event: StoredEvent): void {
    this.insert.run(
      event.id,
      new Date(event.time).toISOString(),
      event.assetId,
      event.assetVersion,
      event.type,
      event.actor,
      event.source,
      event.correlationId,
      event.causationId,
      event.partition,
      event.offset,
      JSON.stringify(auditPayload(event)),
    );
  }

  async query(input: AuditQuery): Promise<AuditPage> {
    const query = AuditQuery.parse(input);
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.asset) filter('asset_id = ?', query.asset);
    if (query.actor) filter('actor = ?', query.actor);
    if (query.type) filter(`type IN (${query.type.map(() => '?').join(', ')})`, ...query.type);
    if (query.source?.endsWith('*')) filter("source LIKE ? ESCAPE '\\'", `${query.source.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`);
    else if (query.source) filter('source = ?', query.source);
    if (query.from) filter('time >= ?', instantOf(query.from, 'from'));
    if (query.to) filter('time < ?', instantOf(query.to, 'to'));
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    if (query.after) filter(`(time, event_id) ${query.order === 'desc' ? '<' : '>'} (?, ?)`, ...decodeCursor(query.after));
    const rows = this.db
      .prepare<unknown[], Row>(
        `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY time ${direction}, event_id ${direction} LIMIT ?`,
      )
      .all(...params, query.limit + 1);
    const page = rows.slice(0, query.limit);
    return { entries: page.map(entryOf), ...(rows.length > query.limit && { next: encodeCursor(page.at(-1)!) }) };
  }

  async sql(statement: string, parameters: Record<string, unknown> = {}): Promise<SqlResult> {
    const prepared = this.db.prepare(statement);
    if (!prepared.readonly || !prepared.reader) throw new ReadOnlySqlError();
    const columns = prepared.columns().map((column) => column.name);
    const rows = (Object.keys(parameters).length ? prepared.raw(true).all(parameters) : prepared.raw(true).all()) as unknown[][];
    return { columns, rows };
  }
}
