import { hash } from 'node:crypto';

/**
 * Tamper evidence: each event's hash covers the hash of the event before it
 * in its partition and the event as stored, so editing, deleting, inserting
 * or reordering a stored event breaks the chain where it was done. The chain
 * proves the log unchanged relative to a head hash kept elsewhere (a ticket,
 * a notary): whoever can rewrite the whole file can recompute every hash, and
 * dropping events from the end shows only against a recorded head (`anchor`).
 * This file is the embedded log's chain, one per partition; Kafka and Kinesis
 * chain each asset's events instead, with the same hash (log/assetChains.ts).
 */
export const GENESIS = '0'.repeat(64);

/** The stored fields a hash covers: the whole event, the payload as the exact text stored. */
export interface ChainedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  assetId: string;
  assetVersion: number;
  time: string;
  actor: string;
  source: string;
  correlationId: string;
  causationId: string | null;
  payload: string;
}

/**
 * sha256 of the previous hash and a canonical serialisation (a JSON array in
 * a fixed order), hashed in one call: it runs for every appended event.
 */
export function chainHash(previous: string, event: ChainedEvent): string {
  const canonical = JSON.stringify([
    event.id,
    event.type,
    event.schemaVersion,
    event.assetId,
    event.assetVersion,
    event.time,
    event.actor,
    event.source,
    event.correlationId,
    event.causationId,
    event.payload,
  ]);
  return hash('sha256', `${previous}\n${canonical}`, 'hex');
}

/** A stored event with its place and its stored hash (null where something wrote it past the log). */
export interface ChainRow extends ChainedEvent {
  offset: number;
  hash: string | null;
}

/** What verification reads of one partition whose offsets count up by one. */
export interface ChainSource {
  partition: string;
  /** Every row, in offset order. */
  rows(): Iterable<ChainRow>;
  /** The rows with offsets in [from, to], in offset order. */
  range(from: number, to: number): ChainRow[];
}

export type BreakKind = 'edited' | 'deleted' | 'inserted' | 'reordered';

export interface ChainBreak {
  kind: BreakKind;
  partition: string;
  /**
   * The offsets concerned (for a deletion from the embedded log: the missing
   * ones). Kafka offsets and Kinesis sequence numbers are strings, as
   * positions give them.
   */
  offsets: (number | string)[];
  /** The events concerned, where there are any. */
  eventIds: string[];
  /** On a log chained per asset (Kafka, Kinesis): the asset, and the versions concerned (for a deletion: the missing ones). */
  assetId?: string;
  versions?: number[];
  message: string;
}

export interface ChainReport {
  partition: string;
  events: number;
  /** Events written before the log kept hashes (Kafka, Kinesis): nothing to check them against. */
  unchained?: number;
  /** The last event and its hash: record it to detect, later, events dropped from the end. */
  head?: { offset: number; eventId: string; hash: string | null };
  breaks: ChainBreak[];
}

/** A head recorded earlier: the event at its offset must still have its hash. */
export interface ChainAnchor {
  offset: number;
  hash: string;
}

const WINDOW = 256;

const links = (previous: ChainRow | undefined, row: ChainRow) =>
  row.hash !== null && row.hash === chainHash(previous ? (previous.hash ?? '') : GENESIS, row);

/** Describes one run of consecutive rows that do not link to the row before them. */
function classify(source: ChainSource, first: number, last: number): ChainBreak {
  const window = source.range(Math.max(0, first - WINDOW), last + WINDOW);
  const start = window.findIndex((row) => row.offset === first);
  const end = window.findIndex((row) => row.offset === last);
  const rows = window.slice(start, end + 1);
  const before = window[start - 1];
  const at = (kind: BreakKind, concerned: ChainRow[], why: string): ChainBreak => ({
    kind,
    partition: source.partition,
    offsets: concerned.map((row) => row.offset),
    eventIds: concerned.map((row) => row.id),
    message: `${kind}: ${concerned.map((row) => `offset ${row.offset} (event ${row.id})`).join(', ')}: ${why}`,
  });

  const expectedOffset = before ? before.offset + 1 : 0;
  if (rows[0]!.offset !== expectedOffset) {
    const missing = Array.from({ length: rows[0]!.offset - expectedOffset }, (_, i) => expectedOffset + i);
    return {
      kind: 'deleted',
      partition: source.partition,
      offsets: missing,
      eventIds: [],
      message: `deleted: offset${missing.length > 1 ? `s ${missing[0]}–${missing.at(-1)} are` : ` ${missing[0]} is`} missing; the chain breaks before offset ${rows[0]!.offset} (event ${rows[0]!.id})`,
    };
  }
  const unhashed = rows.filter((row) => row.hash === null);
  if (unhashed.length) return at('inserted', unhashed, 'written past the log: it has no hash');
  if (rows.length === 1) {
    // The row before this one linked, but this one links to the row before that: that one was put in.
    if (before && links(window[start - 2], rows[0]!)) return at('inserted', [before], 'the event after it chains to the one before it');
    return at('edited', rows, 'its content no longer matches its hash');
  }
  const chainsToSomething = (row: ChainRow) => window.some((other) => other !== row && links(other, row));
  if (rows.every(chainsToSomething)) return at('reordered', rows, 'each chains to an event elsewhere: they are out of the order they were appended in');
  if (links(before, rows[1]!)) return at('inserted', [rows[0]!], 'the event after it chains to the one before it');
  return at('edited', rows.filter((row) => !chainsToSomething(row)), 'its content no longer matches its hash');
}

/** Walks one partition's chain; every break is found and placed (partition, offsets, event ids). */
export function verifyChain(source: ChainSource, anchor?: ChainAnchor): ChainReport {
  const runs: [number, number][] = [];
  let previous: ChainRow | undefined;
  let events = 0;
  let anchorRow: ChainRow | undefined;
  for (const row of source.rows()) {
    const contiguous = row.offset === (previous ? previous.offset + 1 : 0);
    if (!contiguous || !links(previous, row)) {
      const run = runs.at(-1);
      if (run && contiguous && run[1] === previous?.offset) run[1] = row.offset;
      else runs.push([row.offset, row.offset]);
    }
    if (anchor && row.offset === anchor.offset) anchorRow = row;
    previous = row;
    events++;
  }
  const breaks = runs.map(([first, last]) => classify(source, first, last));
  if (anchor && anchorRow?.hash !== anchor.hash) {
    breaks.push({
      kind: anchorRow ? 'edited' : 'deleted',
      partition: source.partition,
      offsets: [anchor.offset],
      eventIds: anchorRow ? [anchorRow.id] : [],
      message: anchorRow
        ? `edited: offset ${anchor.offset} (event ${anchorRow.id}) no longer has the recorded head hash`
        : `deleted: the recorded head at offset ${anchor.offset} is gone: events were dropped from the end`,
    });
  }
  return {
    partition: source.partition,
    events,
    ...(previous && { head: { offset: previous.offset, eventId: previous.id, hash: previous.hash } }),
    breaks,
  };
}

/** A log that keeps a hash chain and can check it. */
export interface TamperEvident {
  verifyChain(anchor?: ChainAnchor): Promise<ChainReport[]>;
}

export function isTamperEvident(log: object): log is TamperEvident {
  return typeof (log as Partial<TamperEvident>).verifyChain === 'function';
}
