import { createHmac, hash } from 'node:crypto';
import { ChainKeyMissingError, ChainKeyring, type ChainKey } from './chainKey';

/**
 * Tamper evidence: each event's link covers the link of the event before it
 * in its partition and the event as stored, so editing, deleting, inserting
 * or reordering a stored event breaks the chain where it was done.
 *
 * Links are signed: HMAC-SHA256 under a key kept outside the log
 * (log/chainKey.ts), so whoever can write the log but not read the key cannot
 * make a link that verifies, and cannot recompute the chain after an edit. A
 * signed link is `k1:KEYID:PREVIOUS:MAC`: the key's id (rotation: old links
 * find their key), the first 128 bits of the previous link's digest, and the
 * MAC over that and the event. Carrying its predecessor's fingerprint lets a
 * link be checked on its own, so an event after a gap that verifies shows
 * events deleted before it, and one that does not was put in there.
 *
 * Links written before the log was signed are unkeyed SHA-256 (64 hex): they
 * still chain, are reported as unsigned, and are accepted only ahead of the
 * first signed link (after it, an unkeyed link is what a forger without the
 * key writes). Dropping events from the end shows only against a recorded
 * head (`anchor`), or on Kafka and Kinesis against the heads Redis keeps.
 * This file is the embedded log's chain, one per partition; Kafka and Kinesis
 * chain each asset's events instead, with the same links (log/assetChains.ts).
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

function canonical(event: ChainedEvent): string {
  return JSON.stringify([
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
}

/**
 * The unkeyed link of logs written before signing: sha256 of the previous
 * link and a canonical serialisation (a JSON array in a fixed order).
 */
export function chainHash(previous: string, event: ChainedEvent): string {
  return hash('sha256', `${previous}\n${canonical(event)}`, 'hex');
}

const SIGNED = 'k1:';

export const isSigned = (link: string | null): link is string => link !== null && link.startsWith(SIGNED);

/** What a link is known by to the one after it: the MAC of a signed link, an unkeyed link itself. */
const fingerprint = (link: string) => (isSigned(link) ? link.slice(-64) : link).slice(0, 32);

const mac = (key: ChainKey, previous: string, event: ChainedEvent) =>
  createHmac('sha256', key.secret).update(`${previous}\n${canonical(event)}`).digest('hex');

/** The signed link of `event` after the link `previous`: it runs for every appended event. */
export function signLink(previous: string, event: ChainedEvent, key: ChainKey): string {
  const before = fingerprint(previous);
  return `${SIGNED}${key.id}:${before}:${mac(key, before, event)}`;
}

/**
 * The key the link after `head` is signed with; none without a keyring. A
 * head signed with a key the ring lacks refuses (ChainKeyMissingError): a
 * link signed with another key would leave the history before it unverifiable
 * for good (a lost chain.key replaced by a new one, a process given an older
 * ring), so the data directory's default key is made only for a chain with no
 * signed link yet.
 */
export function keyAfter(head: string, keys: ChainKeyring | undefined): ChainKey | undefined {
  if (!keys) return undefined;
  if (isSigned(head)) keys.byId(head.slice(SIGNED.length).split(':')[0]!, 'the link an append would follow');
  return keys.signing();
}

/** The link of the next event: signed when the log has a key, unkeyed (as before signing) when it has none. */
export const nextLink = (previous: string, event: ChainedEvent, key?: ChainKey) => (key ? signLink(previous, event, key) : chainHash(previous, event));

/**
 * Checks links against a keyring. A signed link whose key the ring lacks
 * throws ChainKeyMissingError: verification says it cannot vouch, never that
 * the log is intact. The embedded log's walk asks `keyOf` first and decides
 * what such a link means once it has seen the whole partition.
 */
export class LinkCheck {
  /** Keys by id, null where the ring lacks one: looked up once per id, not once per link. */
  private readonly found = new Map<string, ChainKey | null>();

  constructor(private readonly keys: ChainKeyring = new ChainKeyring({})) {}

  /** The configured key a signed link names, or null where the ring lacks it. */
  keyOf(link: string): ChainKey | null {
    const id = link.split(':')[1]!;
    if (!this.found.has(id)) this.found.set(id, configured(this.keys, id));
    return this.found.get(id)!;
  }

  /** A signed link made with the key over the event and the predecessor it names; `where` names it in errors. */
  authentic(link: string | null, event: ChainedEvent, where: string): boolean {
    if (!isSigned(link)) return false;
    const [, keyId, before, made] = link.split(':');
    const key = this.keyOf(link);
    if (!key) throw new ChainKeyMissingError(keyId!, where);
    return made === mac(key, before!, event);
  }

  /** `link` is the event's link after `previous`: signed, authentic and naming it; unkeyed, the hash of both. */
  follows(previous: string, link: string | null, event: ChainedEvent, where: string): boolean {
    if (!isSigned(link)) return link !== null && link === chainHash(previous, event);
    return link.split(':')[2] === fingerprint(previous) && this.authentic(link, event, where);
  }
}

function configured(keys: ChainKeyring, id: string): ChainKey | null {
  try {
    return keys.byId(id, `chain key ${id}`);
  } catch (error) {
    if (error instanceof ChainKeyMissingError) return null;
    throw error;
  }
}

/** A stored event with its place and its stored hash (null where something wrote it past the log). */
export interface ChainRow extends ChainedEvent {
  offset: number;
  hash: string | null;
}

/** What verification reads of one partition whose offsets count up by one. */
export interface ChainSource {
  partition: string;
  /** Every row, in offset order, a page at a time (a long log is read between other work: log/sqlite.ts). */
  pages(): AsyncIterable<ChainRow[]>;
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
  /** Events whose links were written before the log was signed (unkeyed), and the last offset among them: "unsigned up to offset N". */
  unsigned?: { events: number; upTo: number | string };
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

const where = (row: ChainRow) => `offset ${row.offset} (event ${row.id})`;

const keyIdOf = (row: ChainRow) => row.hash!.split(':')[1]!;

/**
 * What links to what on one partition: a signed link must be authentic and
 * name its predecessor; an unkeyed one must hash from it, and is accepted
 * only ahead of the first signed link (`signedFrom`, known once the walk
 * has passed it).
 *
 * A signed link naming a key the ring lacks links to nothing; what it means
 * is known once the walk is done. Keys are only ever added to a keyring (old
 * ones stay to verify), so a ring that holds the key of a later link held
 * every key the log signed with before it: an unknown key id ahead of such a
 * link was never a writer's, it is forged. From the first unknown key after
 * the last link signed with a configured one (`unchecked`), the links may be
 * signed with a key newer than this ring, or with none it will ever hold:
 * they cannot be checked here.
 */
class PartitionLinks {
  signedFrom?: number;
  unchecked?: ChainRow;

  constructor(private readonly check: LinkCheck) {}

  /** Notes where signing starts and whose keys sign; every row, in offset order. */
  see(row: ChainRow): void {
    if (!isSigned(row.hash)) return;
    this.signedFrom ??= row.offset;
    if (this.check.keyOf(row.hash)) this.unchecked = undefined;
    else this.unchecked ??= row;
  }

  unknownKey(row: ChainRow): boolean {
    return isSigned(row.hash) && !this.check.keyOf(row.hash);
  }

  /** Unkeyed where the log was already signed: what someone without the key writes. */
  downgraded(row: ChainRow): boolean {
    return this.signedFrom !== undefined && row.offset > this.signedFrom && !isSigned(row.hash);
  }

  links(previous: ChainRow | undefined, row: ChainRow): boolean {
    if (this.downgraded(row) || this.unknownKey(row)) return false;
    return this.check.follows(previous ? (previous.hash ?? '') : GENESIS, row.hash, row, where(row));
  }

  authentic(row: ChainRow): boolean {
    return !this.unknownKey(row) && this.check.authentic(row.hash, row, where(row));
  }
}

/** One run of consecutive rows that do not link to the row before them; `before`: the row the walk read ahead of it. */
interface Run {
  before?: number;
  first: number;
  last: number;
}

/** Describes one run of consecutive rows that do not link to the row before them. */
function classify(source: ChainSource, chain: PartitionLinks, { before: beforeOffset, first, last }: Run): ChainBreak {
  const window = source.range(Math.max(0, (beforeOffset ?? first) - WINDOW), last + WINDOW);
  const start = window.findIndex((row) => row.offset === first);
  const end = window.findIndex((row) => row.offset === last);
  const rows = window.slice(start, end + 1);
  const before = window[start - 1];
  const links = (previous: ChainRow | undefined, row: ChainRow) => chain.links(previous, row);
  const at = (kind: BreakKind, concerned: ChainRow[], why: string): ChainBreak => ({
    kind,
    partition: source.partition,
    offsets: concerned.map((row) => row.offset),
    eventIds: concerned.map((row) => row.id),
    message: `${kind}: ${concerned.map(where).join(', ')}: ${why}`,
  });

  const expectedOffset = before ? before.offset + 1 : 0;
  if (rows[0]!.offset !== expectedOffset) {
    // After a gap, a signed event that verifies was written by the log (events before it are gone); one that does not was put in there.
    if (chain.signedFrom !== undefined && rows[0]!.offset > chain.signedFrom && !chain.authentic(rows[0]!)) {
      return at('inserted', [rows[0]!], `put in at a far offset (after ${before ? `offset ${before.offset}` : 'nothing'}): it is not signed with the log's key`);
    }
    const missing = Array.from({ length: rows[0]!.offset - expectedOffset }, (_, i) => expectedOffset + i);
    return {
      kind: 'deleted',
      partition: source.partition,
      offsets: missing,
      eventIds: [],
      message: `deleted: offset${missing.length > 1 ? `s ${missing[0]}–${missing.at(-1)} are` : ` ${missing[0]} is`} missing; the chain breaks before ${where(rows[0]!)}`,
    };
  }
  // A run holding a link with an unknown key is that link alone (addToRuns); the unchecked end of the partition is never classified.
  if (chain.unknownKey(rows[0]!)) {
    return at('edited', rows, `its link names chain key ${keyIdOf(rows[0]!)}, which is not configured here, yet a later link is signed with a configured key: keys are only added to a keyring, so no writer of this log signed with it`);
  }
  const unhashed = rows.filter((row) => row.hash === null);
  if (unhashed.length) return at('inserted', unhashed, 'written past the log: it has no hash');
  if (rows.every((row) => chain.downgraded(row))) {
    const to = rows.length > 1 ? ` and every link from there to offset ${rows.at(-1)!.offset} was recomputed without it` : '';
    return at('edited', [rows[0]!], `the first event that no longer matches: its link is not signed with the log's key${to}`);
  }
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

/**
 * A row that does not link to the row before it joins the run it follows on
 * from; a link with an unknown key stands alone, as it is judged on its own
 * once the walk knows whether a configured key signs after it.
 */
function addToRuns(runs: Run[], chain: PartitionLinks, previous: ChainRow | undefined, row: ChainRow, contiguous: boolean): void {
  const run = runs.at(-1);
  const alone = chain.unknownKey(row) || (previous !== undefined && chain.unknownKey(previous));
  if (run && contiguous && run.last === previous?.offset && !alone) run.last = row.offset;
  else runs.push({ before: previous?.offset, first: row.offset, last: row.offset });
}

/**
 * The end of a partition signed with a key the ring lacks (PartitionLinks).
 * With no other break, verify cannot vouch for the log: the configuration
 * message. After other breaks the log is shown tampered with already, and
 * throwing would hide them: the unchecked end is listed as one more.
 */
function uncheckedEnd(partition: string, first: ChainRow, head: ChainRow, breaks: ChainBreak[]): ChainBreak {
  if (!breaks.length) throw new ChainKeyMissingError(keyIdOf(first), where(first));
  return {
    kind: 'edited',
    partition,
    offsets: [first.offset],
    eventIds: [first.id],
    message: `edited: ${where(first)}: its link names chain key ${keyIdOf(first)}, which is not configured here, and no link after it is signed with a configured key: nothing from here to offset ${head.offset} can be checked`,
  };
}

function anchorBreak(partition: string, anchor: ChainAnchor, row: ChainRow | undefined): ChainBreak {
  return {
    kind: row ? 'edited' : 'deleted',
    partition,
    offsets: [anchor.offset],
    eventIds: row ? [row.id] : [],
    message: row
      ? `edited: ${where(row)} no longer has the recorded head hash`
      : `deleted: the recorded head at offset ${anchor.offset} is gone: events were dropped from the end`,
  };
}

/**
 * Walks one partition's chain; every break is found and placed (partition,
 * offsets, event ids). `keys` verifies signed links; where the partition
 * ends in links signed with keys it lacks and has no other break, throws
 * ChainKeyMissingError (PartitionLinks, uncheckedEnd).
 */
export async function verifyChain(source: ChainSource, anchor?: ChainAnchor, keys?: ChainKeyring): Promise<ChainReport> {
  const chain = new PartitionLinks(new LinkCheck(keys));
  const runs: Run[] = [];
  let previous: ChainRow | undefined;
  let events = 0;
  let anchorRow: ChainRow | undefined;
  let unsigned: ChainReport['unsigned'];
  for await (const page of source.pages()) {
    for (const row of page) {
      chain.see(row);
      if (!isSigned(row.hash) && chain.signedFrom === undefined) unsigned = { events: (unsigned?.events ?? 0) + 1, upTo: row.offset };
      const contiguous = row.offset === (previous ? previous.offset + 1 : 0);
      if (!contiguous || !chain.links(previous, row)) addToRuns(runs, chain, previous, row, contiguous);
      if (anchor && row.offset === anchor.offset) anchorRow = row;
      previous = row;
      events++;
    }
  }
  const tail = chain.unchecked;
  const breaks = runs.filter((run) => !tail || run.first < tail.offset).map((run) => classify(source, chain, run));
  if (anchor && anchorRow?.hash !== anchor.hash) breaks.push(anchorBreak(source.partition, anchor, anchorRow));
  if (tail) breaks.push(uncheckedEnd(source.partition, tail, previous!, breaks));
  return {
    partition: source.partition,
    events,
    ...(unsigned && { unsigned }),
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
