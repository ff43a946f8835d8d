import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
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
  SQL_MAX_ROWS,
  TooManySqlRowsError,
} from './auditTrail';

/**
 * One row per event. `seq` numbers the rows in the order this file applied
 * them, and listings page in that order, not by `time`: time is the producer's
 * clock when it drafted the event, so with several appenders an event that
 * reaches the log later can carry an earlier time (or the same millisecond),
 * and would sort behind a cursor a follower has already passed. `seq` is the
 * rowid: each insert gets the largest so far plus one, the fold never deletes,
 * and batches commit one at a time under the write lock (in every process),
 * so whatever commits after a page was read numbers after all of it.
 * `audit_sequence` holds this file's id, which a cursor carries: a rebuild
 * numbers a new file from 1, and a cursor of the file it replaced means
 * nothing there.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_events (
  seq            INTEGER PRIMARY KEY,
  event_id       TEXT NOT NULL UNIQUE,
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
);
CREATE TABLE IF NOT EXISTS audit_sequence (id TEXT NOT NULL);`;

/** Every column but seq, as version 1 had them. */
const COLUMNS = 'event_id, time, asset_id, asset_version, type, actor, source, correlation_id, causation_id, log_partition, log_offset, payload';

/** The filters' indexes, each ending in the paging order; time is a filter only. The fold only inserts. */
const QUERY_INDEXES = `
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_events (time);
CREATE INDEX IF NOT EXISTS audit_by_asset ON audit_events (asset_id, seq);
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_events (actor, seq);
CREATE INDEX IF NOT EXISTS audit_by_type ON audit_events (type, seq);
CREATE INDEX IF NOT EXISTS audit_by_source ON audit_events (source, seq);
CREATE INDEX IF NOT EXISTS audit_by_causation ON audit_events (causation_id);
CREATE INDEX IF NOT EXISTS audit_by_partition ON audit_events (log_partition, seq);`;

interface Row {
  seq: number;
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

const STALE_CURSOR =
  'the audit trail was rebuilt since this cursor was handed out, and its order numbered anew: start again without it, or from a time before the last entry you have';

/**
 * A cursor: the id of the file that numbered the rows, the seq of a page's
 * last row, and, per log partition, the furthest offset the pages so far
 * have passed (the highest listing oldest first, the lowest newest first).
 * A file applies each partition in offset order, so what a page passed is,
 * in every partition, the offsets up to (or from) the mark: the same events
 * in every file, though each numbers them in the order it applied them. The
 * seq serves the file that handed the cursor out; another file (another
 * host's copy, a rebuild) goes on from the marks. A cursor of the format
 * before marks ([file, seq]) serves its own file alone.
 */
interface Cursor {
  file: string;
  seq: number;
  marks: Record<string, string>;
}

const encodeCursor = ({ file, seq, marks }: Cursor) => Buffer.from(JSON.stringify([file, seq, marks])).toString('base64url');

function decodeCursor(cursor: string): Cursor {
  try {
    const [file, seq, marks = {}, ...rest] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    const wellFormed =
      typeof file === 'string' && Number.isSafeInteger(seq) && rest.length === 0 && typeof marks === 'object' && marks !== null &&
      Object.values(marks).every((offset) => typeof offset === 'string' && /^\d{1,100}$/.test(offset));
    if (wellFormed) return { file, seq: seq as number, marks: marks as Record<string, string> };
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}

/** Offsets as the log writes them, decimal digits without leading zeros (Kinesis' sequence numbers are longer than a double holds): by length, then as text. */
const offsetBefore = (a: string, b: string) => a.length < b.length || (a.length === b.length && a < b);

/** The marks of two spans of pages together: the furthest in each partition. */
function furthest(a: Record<string, string>, b: Record<string, string>, descending: boolean): Record<string, string> {
  const marks = { ...a };
  for (const [partition, offset] of Object.entries(b)) {
    const mark = marks[partition];
    if (mark === undefined || (descending ? offsetBefore(offset, mark) : offsetBefore(mark, offset))) marks[partition] = offset;
  }
  return marks;
}

/** The SQL of "a page before has passed this row", and its values. */
function passedClause(marks: Record<string, string>, descending: boolean): { sql: string; params: unknown[] } | undefined {
  const partitions = Object.entries(marks);
  if (!partitions.length) return undefined;
  const [shorter, same] = descending ? ['>', '>='] : ['<', '<='];
  const one = `(log_partition = ? AND (length(log_offset) ${shorter} ? OR (length(log_offset) = ? AND log_offset ${same} ?)))`;
  return { sql: `(${partitions.map(() => one).join(' OR ')})`, params: partitions.flatMap(([partition, offset]) => [partition, offset.length, offset.length, offset]) };
}

/** The WHERE clauses of a query's filters, and their values. */
function filtersOf(query: z.output<typeof AuditQuery>): { where: string[]; params: unknown[] } {
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
  return { where, params };
}

/** The audit trail in SQLite: every event once (by id), so replays and redeliveries add nothing. */
export class SqliteAuditTrail extends SqliteProjection implements AuditTrail {
  protected override readonly queryIndexes = QUERY_INDEXES;
  private readonly insert;
  /** This file's id, which its cursors carry. */
  private readonly fileId: string;

  constructor(path: string) {
    super(`projection:${AUDIT_TRAIL.name}`, path, SCHEMA);
    this.upgrade();
    this.db.exec(QUERY_INDEXES);
    const values = COLUMNS.split(',').map(() => '?');
    this.insert = this.db.prepare(`INSERT INTO audit_events (${COLUMNS}) VALUES (${values.join(', ')}) ON CONFLICT (event_id) DO NOTHING`);
    this.fileId = this.identify();
  }

  /**
   * This file's id, made by whichever process opens it first (one statement,
   * so two at once make one). Read first: a reader opening a file whose write
   * lock a rebuild's catch-up holds must not wait for it.
   */
  private identify(): string {
    const read = () => this.db.prepare<[], string>('SELECT id FROM audit_sequence').pluck().get();
    const id = read();
    if (id) return id;
    this.db.prepare('INSERT INTO audit_sequence (id) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM audit_sequence)').run(randomUUID());
    return read()!;
  }

  /**
   * A version-1 file has no seq (it listed by time): its rows are copied into
   * this version's table in rowid order, the order it inserted them (the fold
   * never deleted), so it pages by seq at once; `projections status` still
   * calls it stale, and a rebuild renumbers it from the log.
   */
  private upgrade(): void {
    const hasSeq = () => this.db.prepare("SELECT 1 FROM pragma_table_info('audit_events') WHERE name = 'seq'").get() !== undefined;
    if (hasSeq()) return;
    this.db
      .transaction(() => {
        if (hasSeq()) return; // another process upgraded it meanwhile
        // The old table's indexes go with it, so this version's, of the same names, can be made.
        this.db.exec(`ALTER TABLE audit_events RENAME TO audit_events_v1; ${SCHEMA}
          INSERT INTO audit_events (${COLUMNS}) SELECT ${COLUMNS} FROM audit_events_v1 ORDER BY rowid;
          DROP TABLE audit_events_v1;`);
      })
      .immediate();
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

  /** A page in the order the rows were applied (newest applied first for desc); the time filters only filter. */
  async query(input: AuditQuery): Promise<AuditPage> {
    const query = AuditQuery.parse(input);
    const { where, params } = filtersOf(query);
    const descending = query.order === 'desc';
    const cursor = query.after === undefined ? undefined : decodeCursor(query.after);
    if (cursor?.file === this.fileId) {
      where.push(`seq ${descending ? '<' : '>'} ?`);
      params.push(cursor.seq);
    } else if (cursor && !Object.keys(cursor.marks).length) throw new InvalidCursorError(STALE_CURSOR);
    const passed = cursor && passedClause(cursor.marks, descending);
    if (passed) {
      where.push(`NOT ${passed.sql}`);
      params.push(...passed.params);
    }
    const rows = this.db
      .prepare<unknown[], Row>(`SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${descending ? 'DESC' : 'ASC'} LIMIT ?`)
      .all(...params, query.limit + 1);
    const page = rows.slice(0, query.limit);
    if (rows.length <= query.limit) return { entries: page.map(entryOf) };
    const seq = page.at(-1)!.seq;
    const marks = furthest(cursor?.marks ?? {}, this.marksAt(seq, descending), descending);
    return { entries: page.map(entryOf), next: encodeCursor({ file: this.fileId, seq, marks }) };
  }

  /** Per partition, the furthest offset of the rows up to `seq` (from it, descending): what the pages up to it have passed. */
  private marksAt(seq: number, descending: boolean): Record<string, string> {
    const partitions = this.db.prepare<[], string>('SELECT DISTINCT partition FROM checkpoints').pluck().all();
    const edge = this.db.prepare<[string, number], string>(
      `SELECT log_offset FROM audit_events WHERE log_partition = ? AND seq ${descending ? '>=' : '<='} ? ORDER BY seq ${descending ? 'ASC' : 'DESC'} LIMIT 1`,
    );
    return Object.fromEntries(partitions.flatMap((partition) => {
      const offset = edge.pluck().get(partition, seq);
      return offset === undefined ? [] : [[partition, offset]];
    }));
  }

  /** One read-only statement, its rows read one by one up to SQL_MAX_ROWS: a statement that gives more is refused, not held whole in memory. */
  async sql(statement: string, parameters: Record<string, unknown> = {}): Promise<SqlResult> {
    const prepared = this.db.prepare(statement);
    if (!prepared.readonly || !prepared.reader) throw new ReadOnlySqlError();
    const columns = prepared.columns().map((column) => column.name);
    const rows: unknown[][] = [];
    const reading = Object.keys(parameters).length ? prepared.raw(true).iterate(parameters) : prepared.raw(true).iterate();
    for (const row of reading as Iterable<unknown[]>) {
      if (rows.length === SQL_MAX_ROWS) throw new TooManySqlRowsError(SQL_MAX_ROWS);
      rows.push(row);
    }
    return { columns, rows };
  }
}
