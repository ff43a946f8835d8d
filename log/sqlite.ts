import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { openSqliteDatabase } from './sqliteDatabase';
import { readEvent, type AssetEvent, type EventDraft, type LogPosition, type StoredEvent } from '../schemas/envelope';
import { upcast } from '../schemas/upcasting';
import { NO_HEAD, type AssetHead } from './assetHead';
import {
  ExpectedVersionConflictError,
  totalLag,
  unhandled,
  type AppendOptions,
  type DeadLetter,
  type DeadLetterKey,
  type DeadLetterQuery,
  type EventLog,
  type Positions,
  type SubscribeOptions,
  type Subscription,
} from './eventLog';
import { pollingSubscription, type PollingSource } from './pollingConsumer';
import { processAlive } from './processAlive';
import type { ChainKeyring } from './chainKey';
import { WalCheckpoints } from './walCheckpoints';
import { WalSync } from './walSync';
import { GENESIS, chainHash, keyAfter, nextLink, verifyChain, type ChainAnchor, type ChainReport, type ChainRow, type TamperEvident } from './hashChain';

/**
 * The embedded log: one SQLite file in WAL mode, one partition ("0"), the
 * offset is the row's place in the file. Durability: with `sync: 'full'` (the default)
 * every committed append is fsynced before append() returns, and before this
 * process's consumers see it (log/walSync.ts: the fsync runs off the event
 * loop); 'normal' fsyncs at WAL checkpoints only, so a power cut (not a
 * crash) may lose the last appends. Appends are batched (one transaction per
 * append() call) and group-committed (concurrent calls share one transaction
 * and one fsync).
 * The events this process appended last are kept in memory once committed,
 * so consumers near the end of the log (every live one) read them without a
 * query or a JSON parse each (see `readAfter`).
 */
export interface SqliteLogOptions {
  path: string;
  sync?: 'full' | 'normal';
  /** The keys the hash chain is signed with (log/chainKey.ts); without them new links are unkeyed, as before signing. */
  chainKeys?: ChainKeyring;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  offset          INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  asset_id        TEXT NOT NULL,
  asset_version   INTEGER NOT NULL,
  type            TEXT NOT NULL,
  schema_version  INTEGER NOT NULL,
  time            TEXT NOT NULL,
  actor           TEXT NOT NULL,
  source          TEXT NOT NULL,
  correlation_id  TEXT NOT NULL,
  causation_id    TEXT,
  payload         TEXT NOT NULL,
  hash            TEXT,
  traceparent     TEXT,
  UNIQUE (asset_id, asset_version)
);
CREATE INDEX IF NOT EXISTS events_asset_lifecycle ON events (asset_id, asset_version)
  WHERE type IN ('AssetIngested', 'AssetDeleted');
CREATE TABLE IF NOT EXISTS checkpoints (
  grp TEXT NOT NULL, partition TEXT NOT NULL, last_offset TEXT NOT NULL,
  PRIMARY KEY (grp, partition)
);
CREATE TABLE IF NOT EXISTS leases (
  grp TEXT PRIMARY KEY, owner TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letters (
  grp TEXT NOT NULL, event_id TEXT NOT NULL, asset_id TEXT NOT NULL, attempts INTEGER NOT NULL,
  error TEXT NOT NULL, time TEXT NOT NULL, PRIMARY KEY (grp, event_id)
);
-- Dead letters are listed newest first, a page at a time: of every group, of one, of one asset.
CREATE INDEX IF NOT EXISTS dead_letters_by_time ON dead_letters (time, grp, event_id);
CREATE INDEX IF NOT EXISTS dead_letters_by_group_time ON dead_letters (grp, time, event_id);
CREATE INDEX IF NOT EXISTS dead_letters_by_asset ON dead_letters (asset_id);`;

/**
 * An asset's head (log/assetHead.ts) by two index seeks: its last version
 * (the unique index on asset and version) and its last ingest or delete,
 * which decides liveness and, when it is an ingest, is the live ingest
 * whose id and offset the head names (events_asset_lifecycle). That index is partial,
 * holding only ingests and deletes, so the events most appends carry
 * (results, edits) cost nothing more to write; SQLite keeps it for every
 * writer of the file, older code included, and CREATE INDEX builds it for a
 * file written before it. Every schema version of AssetIngested has its
 * sha256 at $.sha256: no upcast needed.
 */
const ASSET_HEAD = `
SELECT latest.version, lifecycle.type = 'AssetIngested' AS live,
       CASE lifecycle.type WHEN 'AssetIngested' THEN json_extract(lifecycle.payload, '$.sha256') END AS sha256,
       lifecycle.id AS eventId, lifecycle.offset
FROM (SELECT max(asset_version) AS version FROM events WHERE asset_id = @assetId) AS latest
LEFT JOIN (SELECT type, payload, id, offset FROM events WHERE asset_id = @assetId AND type IN ('AssetIngested', 'AssetDeleted')
           ORDER BY asset_version DESC LIMIT 1) AS lifecycle`;

interface AssetHeadRow {
  version: number | null;
  live: number | null;
  sha256: string | null;
  eventId: string | null;
  offset: number | null;
}

const LEASE_MS = 10_000;
const PARTITION = '0';
/** How many of the events this process appended last stay in memory for consumers. */
const RECENT_EVENTS = 2048;

interface EventRow {
  offset: number;
  id: string;
  asset_id: string;
  asset_version: number;
  type: string;
  schema_version: number;
  time: string;
  actor: string;
  source: string;
  correlation_id: string;
  causation_id: string | null;
  payload: string;
  hash: string | null;
  traceparent: string | null;
}

/** The envelope as stored in a row, its payload still JSON text. */
const storedFields = (row: EventRow) => ({
  id: row.id,
  type: row.type as AssetEvent['type'],
  schemaVersion: row.schema_version,
  assetId: row.asset_id,
  assetVersion: row.asset_version,
  time: row.time,
  actor: row.actor,
  source: row.source,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  ...(row.traceparent && { traceparent: row.traceparent }),
  payload: row.payload,
});

const chainRow = (row: EventRow): ChainRow => ({ offset: row.offset, hash: row.hash, ...storedFields(row) });

/** Rows were validated when appended: reading only upcasts old versions (law 6). */
function toEvent(row: EventRow): StoredEvent {
  // A fresh object either way: placing it adds two fields rather than copying it.
  return Object.assign(upcast({ ...storedFields(row), payload: JSON.parse(row.payload) }), { partition: PARTITION, offset: String(row.offset) }) as StoredEvent;
}

export class SqliteEventLog implements EventLog, PollingSource, TamperEvident {
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  /** group + owner → when the lease this process holds expires. */
  private readonly leasesHeld = new Map<string, number>();
  private readonly queue: {
    job: () => unknown;
    durable: boolean;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
    /** Runs once the job's writes are committed (and durable when it is). */
    committed?: (value: unknown) => void;
  }[] = [];
  /** The group of writes queued now, committed once it settles: close waits for it. */
  private group?: Promise<void>;
  /** With sync: 'full', what fsyncs the WAL before a durable commit is acknowledged. */
  private readonly walSync?: WalSync;
  private readonly checkpoints: WalCheckpoints;
  /**
   * The last offset this process committed, and the last it knows to be on
   * disk: while they differ, its readers stop at the second (a consumer here
   * never acts on an event a power cut could still take back).
   */
  private committedUpTo = -1;
  private syncedUpTo = -1;
  /** Committed events by offset, the last RECENT_EVENTS this process wrote, oldest first. */
  private readonly recent = new Map<number, StoredEvent>();
  private appendedInFlush = false;
  private settledAppends = 0;
  private readonly statements;
  private readonly chainKeys?: ChainKeyring;

  constructor(options: SqliteLogOptions) {
    this.chainKeys = options.chainKeys;
    this.db = openSqliteDatabase(options.path, 'wal');
    // Commits write the WAL; the fsync that makes them durable is WalSync's, off the event loop.
    this.db.pragma('synchronous = NORMAL');
    if (options.sync !== 'normal') this.walSync = new WalSync(`${options.path}-wal`);
    this.checkpoints = new WalCheckpoints(this.db, options.path);
    this.db.exec(SCHEMA);
    this.chainEventsWrittenBeforeHashes();
    this.addTraceColumn();
    this.appended.setMaxListeners(0);
    this.statements = {
      // Positional parameters: binding fourteen named ones from an object costs more than the insert's own work.
      insert: this.db.prepare<[number, string, string, number, string, number, string, string, string, string, string | null, string, string, string | null]>(
        `INSERT INTO events (offset, id, asset_id, asset_version, type, schema_version, time, actor, source, correlation_id, causation_id, payload, hash, traceparent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      ),
      byId: this.db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
      // One index seek per asset for its highest version (null when it has none).
      assetVersions: this.db.prepare<[string], { asset_id: string; v: number | null }>(
        `SELECT value AS asset_id, (SELECT max(asset_version) FROM events WHERE asset_id = value) AS v FROM json_each(?)`,
      ),
      endOffset: this.db.prepare<[], { next: number }>('SELECT coalesce(max(offset) + 1, 0) AS next FROM events'),
      last: this.db.prepare<[], { offset: number; hash: string | null }>('SELECT offset, hash FROM events ORDER BY offset DESC LIMIT 1'),
      readAfter: this.db.prepare<[number, number, number], EventRow>('SELECT * FROM events WHERE offset > ? AND offset <= ? ORDER BY offset LIMIT ?'),
      readAsset: this.db.prepare<[string], EventRow>('SELECT * FROM events WHERE asset_id = ? ORDER BY asset_version'),
      at: this.db.prepare<[number], EventRow>('SELECT * FROM events WHERE offset = ?'),
      assetHead: this.db.prepare<[{ assetId: string }], AssetHeadRow>(ASSET_HEAD),
      committed: this.db.prepare<[string], { partition: string; last_offset: string }>(
        'SELECT partition, last_offset FROM checkpoints WHERE grp = ?',
      ),
      commit: this.db.prepare(
        `INSERT INTO checkpoints (grp, partition, last_offset) VALUES (?, ?, ?)
         ON CONFLICT (grp, partition) DO UPDATE SET last_offset = excluded.last_offset`,
      ),
      lease: this.db.prepare<[string], { owner: string; host: string; pid: number; expires_at: number }>(
        'SELECT owner, host, pid, expires_at FROM leases WHERE grp = ?',
      ),
      takeLease: this.db.prepare(
        `INSERT INTO leases (grp, owner, host, pid, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (grp) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at`,
      ),
      releaseLease: this.db.prepare('DELETE FROM leases WHERE grp = ? AND owner = ?'),
      deadLetter: this.db.prepare(
        `INSERT OR REPLACE INTO dead_letters (grp, event_id, asset_id, attempts, error, time)
         VALUES (@group, @eventId, @assetId, @attempts, @error, @time)`,
      ),
      clearDeadLetter: this.db.prepare<[string, string]>('DELETE FROM dead_letters WHERE grp = ? AND event_id = ?'),
    };
  }

  /** The SQLite handle, for read-only SQL over the log (audit, benchmarks). */
  get database(): Database.Database {
    return this.db;
  }

  /**
   * Group commit: writes that arrive while the event loop is busy (appends,
   * checkpoints, leases, dead letters) share one transaction, so one fsync
   * covers them all. Each keeps its own atomicity (a savepoint): one that
   * fails changes nothing and fails alone. Only a group that holds a durable
   * write (an append, a dead letter) waits for the fsync: a checkpoint or a
   * lease lost to a power cut costs a harmless redelivery, and the next
   * durable commit makes it durable too.
   */
  private write<T>(job: () => T, durable = true, committed?: (value: T) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, durable, resolve: resolve as (value: unknown) => void, reject, committed: committed as (value: unknown) => void });
      if (this.queue.length > 1) return;
      // A long WAL is copied whole first (log/walCheckpoints.ts), the writes queueing meanwhile.
      this.group = (this.checkpoints.drained() ?? Promise.resolve())
        .then(() => nextTurn())
        .then(() => this.flush());
    });
  }

  private flush(): void {
    const writes = this.queue.splice(0);
    let outcomes: ({ value: unknown } | { error: unknown })[];
    try {
      outcomes = this.db
        .transaction(() =>
          writes.map(({ job }) => {
            try {
              return { value: this.db.transaction(job)() };
            } catch (error) {
              return { error };
            }
          }),
        )
        .immediate();
      this.checkpoints.committed();
    } catch (error) {
      outcomes = writes.map(() => ({ error })); // the commit itself failed: nothing was written
    }
    const settle = (unsynced?: unknown) => {
      outcomes.forEach((outcome, i) => {
        const write = writes[i]!;
        if (!('value' in outcome)) return write.reject(outcome.error);
        // Committed, but not known to be on disk: the caller retries, and ids make the retry a no-op.
        if (unsynced !== undefined && write.durable) return write.reject(unsynced);
        write.committed?.(outcome.value);
        write.resolve(outcome.value);
      });
      if (this.appendedInFlush) {
        this.settledAppends++;
        this.appended.emit('append');
      }
      this.appendedInFlush = false;
    };
    if (!this.walSync || !writes.some((w, i) => w.durable && 'value' in outcomes[i]!)) return settle();
    const upTo = (this.committedUpTo = this.statements.last.get()?.offset ?? -1);
    this.walSync.sync().then(
      () => {
        this.syncedUpTo = Math.max(this.syncedUpTo, upTo);
        settle();
      },
      (error: unknown) => settle(error),
    );
  }

  /** The highest offset this process's readers may see now (see committedUpTo). */
  private readableUpTo(): number {
    return this.committedUpTo > this.syncedUpTo ? this.syncedUpTo : Number.MAX_SAFE_INTEGER;
  }

  append(events: EventDraft[], options: AppendOptions = {}): Promise<StoredEvent[]> {
    return this.write(
      () => this.appendOne(events, options),
      true,
      ({ written }) => this.remember(written),
    ).then(({ stored }) => stored);
  }

  /** Keeps committed events for the consumers that read them next; the oldest go first. */
  private remember(written: StoredEvent[]): void {
    if (written.length) this.appendedInFlush = true;
    for (const event of written) this.recent.set(Number(event.offset), event);
    for (const offset of this.recent.keys()) {
      if (this.recent.size <= RECENT_EVENTS) break;
      this.recent.delete(offset);
    }
  }

  /** The stored events in order, and those of them this call wrote (an id already on the log writes nothing). */
  private appendOne(events: EventDraft[], { expectedVersion }: AppendOptions): { stored: StoredEvent[]; written: StoredEvent[] } {
    if (expectedVersion !== undefined && new Set(events.map((e) => e.assetId)).size > 1) {
      throw new Error('an append with an expected version must hold events of one asset');
    }
    const last = this.statements.last.get();
    let offset = last ? last.offset + 1 : 0;
    let previousHash = last?.hash ?? GENESIS;
    // One query for the versions of every asset in the batch, not one per event.
    const assetIds = JSON.stringify([...new Set(events.map((e) => e.assetId))]);
    const versions = new Map(this.statements.assetVersions.all(assetIds).map((row) => [row.asset_id, row.v]));
    const versionOf = (assetId: string) => versions.get(assetId) ?? 0;
    if (expectedVersion !== undefined && events[0]) {
      const actual = versionOf(events[0].assetId);
      if (actual !== expectedVersion) throw new ExpectedVersionConflictError(events[0].assetId, expectedVersion, actual);
    }
    const written: StoredEvent[] = [];
    const key = keyAfter(previousHash, this.chainKeys);
    const stored = events.map((draft) => {
      const assetVersion = versionOf(draft.assetId) + 1;
      const valid = readEvent({ ...draft, assetVersion });
      const payload = JSON.stringify(valid.payload);
      const hash = nextLink(previousHash, { ...valid, payload }, key);
      const { id, assetId, type, schemaVersion, time, actor, source, correlationId, causationId, traceparent } = valid;
      const { changes } = this.statements.insert.run(
        offset, id, assetId, assetVersion, type, schemaVersion, time, actor, source, correlationId, causationId, payload, hash, traceparent ?? null,
      );
      // An id already on the log: nothing was written, and the stored event is the answer (law 4).
      if (changes === 0) return toEvent(this.statements.byId.get(draft.id)!);
      // The validated event is a fresh object: it becomes the stored one in place.
      const event = Object.assign(valid, { partition: PARTITION, offset: String(offset) }) as StoredEvent;
      written.push(event);
      versions.set(draft.assetId, assetVersion);
      previousHash = hash;
      offset++;
      return event;
    });
    return { stored, written };
  }

  /** A log written before events carried trace context gets the column; its events have none. */
  private addTraceColumn(): void {
    const columns = this.db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'events\')').all();
    if (!columns.some((column) => column.name === 'traceparent')) this.db.exec('ALTER TABLE events ADD COLUMN traceparent TEXT');
  }

  /**
   * A log written before events carried hashes gets unkeyed links once, in
   * one transaction: verify reports them as unsigned, and signed links
   * follow from the next append on.
   */
  private chainEventsWrittenBeforeHashes(): void {
    const columns = this.db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'events\')').all();
    if (columns.some((column) => column.name === 'hash')) return;
    this.db.transaction(() => {
      this.db.exec('ALTER TABLE events ADD COLUMN hash TEXT');
      const setHash = this.db.prepare('UPDATE events SET hash = ? WHERE offset = ?');
      let previous = GENESIS;
      const read = this.db.prepare<[number], EventRow>('SELECT * FROM events WHERE offset > ? ORDER BY offset LIMIT 1000');
      for (let rows = read.all(-1); rows.length; rows = read.all(rows.at(-1)!.offset)) {
        for (const row of rows) setHash.run((previous = chainHash(previous, chainRow(row))), row.offset);
      }
    }).immediate();
  }

  /** Walks the hash chain (log/hashChain.ts): every edited, deleted, inserted or reordered event, and where; signed links against the log's keys. */
  async verifyChain(anchor?: ChainAnchor): Promise<ChainReport[]> {
    return verifySqliteChain(this.db, anchor, this.chainKeys);
  }

  async partitionIds(): Promise<string[]> {
    return [PARTITION];
  }

  /**
   * Events after an offset. Those this process appended lately come from
   * memory, as long as they follow on without a gap (another process may
   * have appended in between: the rest is read from the file). They are
   * shared by every reader, so nobody changes them.
   */
  async readAfter(partition: string, after: string | undefined, limit: number): Promise<StoredEvent[]> {
    if (partition !== PARTITION) return [];
    const from = after === undefined ? 0 : Number(after) + 1;
    const upTo = this.readableUpTo();
    const remembered: StoredEvent[] = [];
    for (let event = this.recent.get(from); event && remembered.length < limit && Number(event.offset) <= upTo; event = this.recent.get(from + remembered.length)) {
      remembered.push(event);
    }
    if (remembered.length) return remembered;
    return this.statements.readAfter.all(from - 1, upTo, limit).map(toEvent);
  }

  async *readAll({ batchSize = 1000 } = {}): AsyncIterable<StoredEvent[]> {
    let after: string | undefined;
    for (;;) {
      const batch = await this.readAfter(PARTITION, after, batchSize);
      if (!batch.length) return;
      yield batch;
      after = batch.at(-1)!.offset;
    }
  }

  async readAsset(assetId: string): Promise<StoredEvent[]> {
    return this.statements.readAsset.all(assetId).map(toEvent);
  }

  /** One seek by offset; an event this process appended lately comes from memory. */
  async readAt({ partition, offset }: LogPosition): Promise<StoredEvent | undefined> {
    if (partition !== PARTITION) return undefined;
    const at = Number(offset);
    const remembered = this.recent.get(at);
    if (remembered) return remembered;
    const row = this.statements.at.get(at);
    return row && toEvent(row);
  }

  async assetHead(assetId: string): Promise<AssetHead> {
    const { version, live, sha256, eventId, offset } = this.statements.assetHead.get({ assetId })!;
    if (version === null) return NO_HEAD;
    if (live !== 1) return { version, live: false };
    return { version, live: true, ...(sha256 !== null && { sha256 }), ingest: { eventId: eventId!, partition: PARTITION, offset: String(offset) } };
  }

  async lag(positions: Positions): Promise<number> {
    return totalLag(await this.partitionLag(positions));
  }

  async endOffset(): Promise<bigint> {
    return BigInt(this.statements.endOffset.get()!.next);
  }

  async partitionLag(positions: Positions): Promise<Record<string, number>> {
    const last = positions[PARTITION];
    return { [PARTITION]: unhandled(last === undefined ? 0n : BigInt(last) + 1n, 0n, BigInt(this.statements.endOffset.get()!.next)) };
  }

  async partitionsPastEnd(positions: Positions): Promise<string[]> {
    const last = positions[PARTITION];
    return last !== undefined && BigInt(last) >= (await this.endOffset()) ? [PARTITION] : [];
  }

  async committed(group: string): Promise<Positions> {
    return Object.fromEntries(this.statements.committed.all(group).map((row) => [row.partition, row.last_offset]));
  }

  async commit(group: string, partition: string, offset: string): Promise<void> {
    await this.write(() => this.statements.commit.run(group, partition, offset), false);
  }

  async acquireLease(group: string, owner: string): Promise<boolean> {
    const now = Date.now();
    // Renew only when a third of the lease is used up: a write per poll would cost an fsync per poll.
    if ((this.leasesHeld.get(`${group}\n${owner}`) ?? 0) - now > (2 * LEASE_MS) / 3) return true;
    const host = hostname();
    return this.write(() => {
      const current = this.statements.lease.get(group);
      const free =
        !current ||
        current.owner === owner ||
        current.expires_at < now ||
        (current.host === host && !processAlive(current.pid));
      if (free) {
        this.statements.takeLease.run(group, owner, host, process.pid, now + LEASE_MS);
        this.leasesHeld.set(`${group}\n${owner}`, now + LEASE_MS);
      }
      return free;
    }, false);
  }

  /** One where a live member holds the group's lease (as acquireLease judges it: in time, and its process alive where that can be seen), else none. */
  async groupMembers(group: string): Promise<number> {
    const current = this.statements.lease.get(group);
    const held = current && current.expires_at >= Date.now() && (current.host !== hostname() || processAlive(current.pid));
    return held ? 1 : 0;
  }

  async releaseLease(group: string, owner: string): Promise<void> {
    this.leasesHeld.delete(`${group}\n${owner}`);
    if (this.db.open) this.statements.releaseLease.run(group, owner);
  }

  appendsSettled(): number {
    return this.settledAppends;
  }

  /** A plain timer and listener: every idle consumer waits here after each batch, and AbortSignal.any/timeout cost far more. */
  waitForAppend(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (appended: boolean) => {
        clearTimeout(timer);
        this.appended.off('append', onAppend);
        signal.removeEventListener('abort', onAbort);
        resolve(appended);
      };
      const onAppend = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(onAbort, ms);
      this.appended.on('append', onAppend);
      signal.addEventListener('abort', onAbort);
      if (signal.aborted) onAbort();
    });
  }

  subscribe(options: SubscribeOptions): Subscription {
    return pollingSubscription(this, options, `${hostname()}:${process.pid}:${randomUUID()}`);
  }

  async deadLetter(entry: DeadLetter): Promise<void> {
    await this.write(() => this.statements.deadLetter.run(entry));
  }

  async clearDeadLetters(entries: DeadLetterKey[]): Promise<void> {
    if (entries.length) await this.write(() => entries.forEach(({ group, eventId }) => this.statements.clearDeadLetter.run(group, eventId)));
  }

  async deadLetters({ group, assetId, limit, after }: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    const conditions: [string, ...unknown[]][] = [['1']];
    if (group !== undefined) conditions.push(['grp = ?', group]);
    if (assetId !== undefined) conditions.push(['asset_id = ?', assetId]);
    if (after) conditions.push(['(time, grp, event_id) < (?, ?, ?)', after.time, after.group, after.eventId]);
    return this.db
      .prepare(`SELECT grp AS "group", event_id AS eventId, asset_id AS assetId, attempts, error, time FROM dead_letters
                WHERE ${conditions.map(([sql]) => sql).join(' AND ')} ORDER BY time DESC, grp DESC, event_id DESC LIMIT ?`)
      .all(...conditions.flatMap(([, ...params]) => params), limit ?? -1) as DeadLetter[];
  }

  async deadLetterCounts(): Promise<Record<string, number>> {
    const rows = this.db.prepare<[], { grp: string; n: number }>('SELECT grp, count(*) AS n FROM dead_letters GROUP BY grp').all();
    return Object.fromEntries(rows.map((row) => [row.grp, row.n]));
  }

  async close(): Promise<void> {
    await this.group; // writes already asked for commit before the connection goes
    await this.walSync?.close();
    if (!this.db.open) return;
    this.checkpoints.close();
    this.db.close();
  }
}

/**
 * Rows of the events table a chain walk reads at a time: about 7 ms of
 * hashing, after which the walk lets the event loop turn, so that a lake
 * that verifies its log at start (`serve`) goes on answering and folding
 * meanwhile; each page is its own short read, so no read transaction holds
 * the WAL from being checkpointed for the whole walk.
 */
const CHAIN_PAGE_ROWS = 1000;

/**
 * The chain of the events table of `db`, which this reads only: the log's
 * own connection, or a copy of a log opened read-only (log/sqliteLogFile.ts).
 * The walk ends at the last event there was when it began.
 */
export async function verifySqliteChain(db: Database.Database, anchor?: ChainAnchor, keys?: ChainKeyring): Promise<ChainReport[]> {
  const page = db.prepare<[number, number, number], EventRow>('SELECT * FROM events WHERE offset > ? AND offset <= ? ORDER BY offset LIMIT ?');
  const range = db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE offset BETWEEN ? AND ? ORDER BY offset');
  const head = db.prepare<[], { head: number | null }>('SELECT max(offset) AS head FROM events').get()!.head ?? -1;
  const report = await verifyChain(
    {
      partition: PARTITION,
      async *pages() {
        for (let after = -1; after < head; ) {
          const rows = page.all(after, head, CHAIN_PAGE_ROWS).map(chainRow);
          if (!rows.length) return;
          yield rows;
          after = rows.at(-1)!.offset;
          await nextTurn();
        }
      },
      range: (from, to) => range.all(from, to).map(chainRow),
    },
    anchor,
    keys,
  );
  return [report];
}
