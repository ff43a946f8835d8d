import type { AssetEvent, LogPosition } from '../schemas/envelope';
import type { ChainHead } from './assetChains';
import { NO_HEAD, nextHead, type AssetHead } from './assetHead';
import { chainedFields, type HashedEvent } from './eventRecord';
import type { ChainKeyring } from './chainKey';
import { GENESIS, keyAfter, nextLink } from './hashChain';

/**
 * The head Redis keeps of each asset (the log's `heads` hash), set by the
 * commit that puts the asset's last events on the log (log/redisAppends.ts).
 * One value answers both what verification ends the asset's chain at
 * (log/assetChains.ts) and what commands ask before they append
 * (log/assetHead.ts): "VERSION HASH LIFE", LIFE being
 * `live:SHA256:EVENTID:PARTITION:OFFSET` (the live ingest's content hash,
 * id and place; event ids are UUIDs, and neither Kafka partitions nor
 * Kinesis shard ids and sequence numbers hold a colon) or `gone`.
 * Heads kept by older versions read on: one without LIFE (before heads
 * held liveness) leaves the asset's liveness unknown, and one with
 * `live:SHA256` alone (before heads held the ingest's place) leaves that
 * place unknown, each until the asset's next ingest or delete.
 */
export interface StoredHead extends ChainHead {
  /** Undefined: unknown, see above. */
  asset?: AssetHead;
}

const LIVE = 'live';
const GONE = 'gone';

function parseLife(version: number, life: string): AssetHead {
  const [state, sha256, eventId, partition, offset] = life.split(':');
  if (state !== LIVE) return { version, live: false };
  return { version, live: true, sha256: sha256!, ...(eventId && { ingest: { eventId, partition: partition!, offset: offset! } }) };
}

function formatLife({ live, sha256, ingest }: AssetHead): string {
  if (!live) return GONE;
  return [LIVE, sha256, ...(ingest ? [ingest.eventId, ingest.partition, ingest.offset] : [])].join(':');
}

export function parseStoredHead(value: string): StoredHead {
  const [version, hash, life] = value.split(' ');
  const head = { version: Number(version), hash: hash! };
  return life === undefined ? head : { ...head, asset: parseLife(head.version, life) };
}

function formatStoredHead({ version, hash, asset }: StoredHead): string {
  return asset ? `${version} ${hash} ${formatLife(asset)}` : `${version} ${hash}`;
}

/**
 * Where an asset's next events start from: the head the reservation handed
 * out, '' before its first hashed event. Without one, an asset whose first
 * event is at version 1 has nothing before it; one further on has events
 * written before the log kept hashes, of unknown liveness.
 */
function startingHead(heads: Map<string, string>, first: AssetEvent): StoredHead {
  const head = heads.get(first.assetId);
  if (head) return parseStoredHead(head);
  return { version: 0, hash: GENESIS, ...(first.assetVersion === 1 && { asset: NO_HEAD }) };
}

/**
 * Each event with its link (signed with `key`; unkeyed without one), chained
 * on from the heads the reservation handed out; `events` holds each asset's
 * in version order. A recovery, given the same heads, outbox and key,
 * computes the same links.
 */
export function chainEvents(events: AssetEvent[], heads: Map<string, string>, keys?: ChainKeyring): HashedEvent[] {
  const tips = new Map<string, string>();
  return events.map((event) => {
    const previous = tips.get(event.assetId) ?? startingHead(heads, event).hash;
    const hash = nextLink(previous, chainedFields(event), keyAfter(previous, keys));
    tips.set(event.assetId, hash);
    return { ...event, hash };
  });
}

/**
 * Each asset's new head as the commit stores it, once its hashed events
 * (chainEvents, same heads) are on the log at their places.
 */
export function committedHeads(placed: (HashedEvent & LogPosition)[], heads: Map<string, string>): Map<string, string> {
  const tips = new Map<string, StoredHead>();
  for (const event of placed) {
    const tip = tips.get(event.assetId) ?? startingHead(heads, event);
    tips.set(event.assetId, { version: event.assetVersion, hash: event.hash, asset: nextHead(tip.asset, event) });
  }
  return new Map([...tips].map(([assetId, tip]) => [assetId, formatStoredHead(tip)]));
}
