import { readEvent, type LogPosition } from '../schemas/envelope';
import { chainedFields, type StoredRecord } from './eventRecord';
import type { ChainKeyring } from './chainKey';
import { GENESIS, LinkCheck, chainHash, isSigned, type BreakKind, type ChainAnchor, type ChainBreak, type ChainedEvent, type ChainReport } from './hashChain';

/**
 * Tamper evidence on the partitioned logs (Kafka, Kinesis). Producers in
 * several processes write to a partition in an order nobody knows before it
 * is written, so there is no one chain per partition to extend; but the
 * Redis coordinator appends each asset's events one after another, in
 * version order (log/redisAppends.ts). So the chain is per asset: an
 * event's hash covers the hash of its asset's previous version (GENESIS for
 * the first) and the event as stored, and Redis keeps each asset's head (the
 * version and hash of its last event), so events dropped from an asset's end
 * show too. Links are signed (log/hashChain.ts) with a key neither the log
 * nor Redis holds, so rewriting both still leaves links that do not verify;
 * an asset's unkeyed links count as unsigned ahead of its first signed one,
 * and as forged after it.
 */

/** A stored record as verification reads it: the fields its hash covers, its hash (null: written before hashes), its place. */
export interface ChainLink extends ChainedEvent, LogPosition {
  hash: string | null;
}

/** A record as stored, for verification: its chained fields, hash and place. Throws for a record that is no event. */
function decodeLink(data: Uint8Array, position: LogPosition): ChainLink {
  const stored = JSON.parse(Buffer.from(data).toString('utf8')) as Parameters<typeof chainedFields>[0] & { hash?: unknown };
  const link = { ...chainedFields(stored), hash: typeof stored.hash === 'string' ? stored.hash : null, ...position };
  readEvent(stored); // an event of some schema version, or it throws
  return link;
}

/** An asset's last event as Redis records it. */
export interface ChainHead {
  version: number;
  hash: string;
}

/** What the coordinator's appends (log/redisAppends.ts) know of the chains. */
export interface ChainHeads {
  /** Each asset's head: read before and after the records, so appends during the check count as neither deleted nor inserted. */
  heads(): Promise<Map<string, ChainHead>>;
  /** The ids of an asset's events reserved and not yet committed (an append in flight, or one left to the recovery). */
  inFlight(assetId: string): Promise<Set<string>>;
  head(assetId: string): Promise<ChainHead | undefined>;
  /** Where an asset's events went: names the partition of an asset none of whose events is left. */
  placements(assetId: string): Promise<LogPosition[]>;
  /** The keys the links are signed with. */
  readonly chainKeys: ChainKeyring;
}

export class AnchorNotApplicableError extends Error {
  readonly code = 'ANCHOR_NOT_APPLICABLE';
  constructor() {
    super('--anchor is for the embedded log: Kafka and Kinesis end each asset\'s chain at the head Redis keeps, so run verify without it');
  }
}

/** What the check keeps of an event it took: where it is, not what it says (a log holds more than memory). */
type Placed = Pick<ChainLink, 'id' | 'assetId' | 'assetVersion' | 'partition' | 'offset' | 'hash'>;

const place = (link: Placed) => `partition ${link.partition} offset ${link.offset}`;
const describe = (link: Placed) => `asset ${link.assetId} version ${link.assetVersion} at ${place(link)} (event ${link.id})`;

function at(kind: BreakKind, link: Placed, why: string): ChainBreak {
  return {
    kind,
    partition: link.partition,
    offsets: [link.offset],
    eventIds: [link.id],
    assetId: link.assetId,
    versions: [link.assetVersion],
    message: `${kind}: ${describe(link)}: ${why}`,
  };
}

function missing(assetId: string, partition: string, from: number, to: number, where: string): ChainBreak {
  const versions = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  return {
    kind: 'deleted',
    partition,
    offsets: [],
    eventIds: [],
    assetId,
    versions,
    message: `deleted: asset ${assetId} version${from === to ? ` ${from} is` : `s ${from}–${to} are`} missing ${where}`,
  };
}

interface Accepted {
  link: Placed;
  hash: string | null;
  /** The link it follows, and the unkeyed hash of its content after it: a copy must give the same, and have the same link or one that follows the same. */
  previous: string;
  digest: string;
}

/**
 * One asset's events in log order, checked as they come. An event that
 * extends the chain (next version, hash over the last hash and itself) is
 * taken; a copy of a taken event must be that event (a producer that crashed
 * before its commit produces it again); an event that links to nothing yet
 * waits for the end, when it is found reordered, edited, or after a gap.
 */
class AssetChain {
  /** `read`: how many of the asset's records came before it, to tell an event read early from one that waited on an unverified predecessor. */
  private tip = { version: 0, hash: GENESIS, read: -1 };
  private read = 0;
  private readonly taken = new Map<string, Accepted>();
  private readonly byVersion = new Map<number, Placed>();
  private waiting: (ChainLink & { read: number })[] = [];
  private hashed = false;
  /** A signed link was taken: unkeyed links from here on are forged. */
  private signed = false;
  /** Reported as recomputed without the key: the unkeyed links that follow on are that same break. */
  private rewritten = false;
  partition = '';

  constructor(
    readonly assetId: string,
    readonly breaks: ChainBreak[],
    private readonly counts: { unchained(link: ChainLink): void; unsigned(link: ChainLink): void },
    private readonly check: LinkCheck,
  ) {}

  add(link: ChainLink): void {
    this.partition = link.partition;
    const read = this.read++;
    const seen = this.taken.get(link.id);
    if (seen) {
      // The same event, produced again (by a recovery that signs with a newer key, with another link).
      if (chainHash(seen.previous, link) === seen.digest && (link.hash === seen.hash || this.follows(seen.previous, link))) return;
      this.breaks.push(at('edited', link, `a copy of the event at ${place(seen.link)} that differs from it`));
      return;
    }
    if (link.hash === null) {
      // Written before the log kept hashes: only ahead of the asset's first hashed event, in version order.
      if (this.hashed || this.waiting.length || link.assetVersion !== this.tip.version + 1) {
        this.breaks.push(at('inserted', link, 'written past the log: it has no hash'));
        return;
      }
      this.counts.unchained(link);
      this.take(link, read);
      return;
    }
    const holder = this.byVersion.get(link.assetVersion);
    if (holder) {
      this.breaks.push(at('inserted', link, `its version is already event ${holder.id} at ${place(holder)}`));
      return;
    }
    if (this.extends(link)) {
      this.take(link, read);
      this.drain();
    } else this.waiting.push({ ...link, read });
  }

  private follows(previous: string, link: ChainLink): boolean {
    if (!isSigned(link.hash) && this.signed && !this.rewritten) return false;
    return this.check.follows(previous, link.hash, link, describe(link));
  }

  private extends(link: ChainLink): boolean {
    return link.assetVersion === this.tip.version + 1 && this.follows(this.tip.hash, link);
  }

  private take(link: ChainLink, read: number): void {
    const previous = this.tip.hash;
    const { id, assetId, assetVersion, partition, offset, hash } = link;
    const placed = { id, assetId, assetVersion, partition, offset, hash };
    this.taken.set(id, { link: placed, hash, previous, digest: chainHash(previous, link) });
    this.byVersion.set(assetVersion, placed);
    this.tip = { version: link.assetVersion, hash: link.hash ?? previous, read };
    if (link.hash !== null) this.hashed = true;
    if (isSigned(link.hash)) this.signed = true;
    else if (link.hash !== null && !this.signed) this.counts.unsigned(link);
  }

  /** Takes the waiting events that now extend the chain; one read before the event it follows is out of order. */
  private drain(): void {
    for (let i = this.waiting.findIndex((link) => this.extends(link)); i >= 0; i = this.waiting.findIndex((link) => this.extends(link))) {
      const [link] = this.waiting.splice(i, 1);
      if (link!.read < this.tip.read) this.breaks.push(at('reordered', link!, `it is before version ${link!.assetVersion - 1}, which it follows`));
      this.take(link!, link!.read);
    }
  }

  /**
   * Places what still waits, then holds the chain against the head: `before`
   * read ahead of the records (an older version missing means events were
   * dropped from the end), `after` read behind them (a newer version that no
   * append holds was put in past the log).
   */
  async finish(before: ChainHead | undefined, after: ChainHead | undefined, coordinator: ChainHeads): Promise<void> {
    let committed = after?.version ?? 0;
    let beyond = [...this.waiting, ...[...this.taken.values()].map(({ link }) => link)].filter((link) => link.hash !== null && link.assetVersion > committed);
    if (beyond.length) {
      // The outbox first, then the head: an append that commits in between shows in one of them.
      const appending = await coordinator.inFlight(this.assetId);
      committed = Math.max(committed, (await coordinator.head(this.assetId))?.version ?? 0);
      beyond = beyond.filter((link) => link.assetVersion > committed && !appending.has(link.id));
    }
    for (const link of beyond) {
      this.breaks.push(at('inserted', link, `written past the log: the asset's last committed version is ${committed}`));
      this.waiting = this.waiting.filter((other) => other !== link);
    }
    this.settle();
    if (!before) return;
    const last = this.byVersion.get(before.version);
    if (!last) {
      let kept = 0;
      for (const version of this.byVersion.keys()) if (version < before.version && version > kept) kept = version;
      this.breaks.push(missing(this.assetId, this.partition, kept + 1, before.version, 'from the end: dropped after the last event left'));
    } else if (last.hash !== before.hash) {
      this.breaks.push(at('edited', last, "it no longer has the hash of the asset's head"));
    }
  }

  /** The first event of the asset that no longer matches; one whose link was recomputed without the key covers the unkeyed links after it. */
  private edited(link: ChainLink): ChainBreak {
    if (isSigned(link.hash) || !this.signed) return at('edited', link, 'its content no longer matches its hash');
    this.rewritten = true;
    return at('edited', link, "the first event that no longer matches: its link is not signed with the log's key (the asset's chain from here was recomputed without it)");
  }

  /** What waits, in version order: after its predecessor (edited), after a gap (deleted), or on a version taken meanwhile (inserted). */
  private settle(): void {
    while (this.waiting.length) {
      this.waiting.sort((a, b) => a.assetVersion - b.assetVersion);
      const link = this.waiting.shift()!;
      const holder = this.byVersion.get(link.assetVersion);
      if (holder) {
        this.breaks.push(at('inserted', link, `its version is already event ${holder.id} at ${place(holder)}`));
        continue;
      }
      if (link.assetVersion === this.tip.version + 1) this.breaks.push(this.edited(link));
      else this.breaks.push(missing(this.assetId, link.partition, this.tip.version + 1, link.assetVersion - 1, `before ${describe(link)}`));
      // Follow the chain on from the hash it carries, so the events after it are checked.
      this.take(link, link.read);
      this.drain();
    }
  }
}

/** Kafka offsets and Kinesis sequence numbers are decimal strings: compared as numbers of any length. */
const laterOffset = (a: string | number, b: string | number) => {
  const [x, y] = [String(a), String(b)];
  return x.length !== y.length ? x.length > y.length : x > y;
};

/**
 * Reads every record and checks each asset's chain; one report per partition
 * (`partitions`, in the order `records` reads them: parents before children),
 * breaks placed by partition, offset, asset, version and event.
 */
export async function verifyAssetChains(
  partitions: string[],
  records: AsyncIterable<StoredRecord[]>,
  coordinator: ChainHeads,
  anchor?: ChainAnchor,
): Promise<ChainReport[]> {
  if (anchor) throw new AnchorNotApplicableError();
  const reports = new Map<string, Required<Omit<ChainReport, 'head' | 'unsigned'>> & Pick<ChainReport, 'unsigned'>>();
  const report = (partition: string) => {
    let found = reports.get(partition);
    if (!found) reports.set(partition, (found = { partition, events: 0, unchained: 0, breaks: [] }));
    return found;
  };
  const check = new LinkCheck(coordinator.chainKeys);
  for (const partition of partitions) report(partition);

  const before = await coordinator.heads();
  const chains = new Map<string, AssetChain>();
  const breaks: ChainBreak[] = [];
  const counts = {
    unchained: (link: ChainLink) => report(link.partition).unchained++,
    unsigned(link: ChainLink) {
      const found = report(link.partition);
      const upTo = found.unsigned && laterOffset(found.unsigned.upTo, link.offset) ? found.unsigned.upTo : link.offset;
      found.unsigned = { events: (found.unsigned?.events ?? 0) + 1, upTo };
    },
  };
  for await (const page of records) {
    for (const { data, partition, offset } of page) {
      report(partition).events++;
      let link: ChainLink;
      try {
        link = decodeLink(data, { partition, offset });
      } catch (error) {
        breaks.push({ kind: 'inserted', partition, offsets: [offset], eventIds: [], message: `inserted: partition ${partition} offset ${offset}: not an event (${(error as Error).message})` });
        continue;
      }
      let chain = chains.get(link.assetId);
      if (!chain) chains.set(link.assetId, (chain = new AssetChain(link.assetId, breaks, counts, check)));
      chain.add(link);
    }
  }
  const after = await coordinator.heads();
  for (const chain of chains.values()) {
    await chain.finish(before.get(chain.assetId), after.get(chain.assetId), coordinator);
  }
  for (const [assetId, head] of before) {
    if (chains.has(assetId)) continue;
    const partition = (await coordinator.placements(assetId)).at(-1)?.partition ?? 'unknown';
    breaks.push(missing(assetId, partition, 1, head.version, 'from the end: none of its events is left'));
  }
  for (const found of breaks) report(found.partition).breaks.push(found);
  return [...reports.values()];
}
