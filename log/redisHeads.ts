import type { AssetEvent } from '../schemas/envelope';
import type { ChainHead } from './assetChains';
import { NO_HEAD, nextHead, type AssetHead } from './assetHead';
import { chainedFields, type HashedEvent } from './eventRecord';
import { GENESIS, chainHash } from './hashChain';

/**
 * The head Redis keeps of each asset (the log's `heads` hash), set by the
 * commit that puts the asset's last events on the log (log/redisAppends.ts).
 * One value answers both what verification ends the asset's chain at
 * (log/assetChains.ts) and what commands ask before they append
 * (log/assetHead.ts): "VERSION HASH LIFE", LIFE being `live:SHA256` or
 * `gone`. A head written before heads held liveness has no LIFE: the
 * asset's liveness is unknown there until its next ingest or delete.
 */
export interface StoredHead extends ChainHead {
  /** Undefined: unknown, see above. */
  asset?: AssetHead;
}

const LIVE = 'live:';
const GONE = 'gone';

export function parseStoredHead(value: string): StoredHead {
  const [version, hash, life] = value.split(' ');
  const head = { version: Number(version), hash: hash! };
  if (life === undefined) return head;
  const live = life.startsWith(LIVE);
  return { ...head, asset: { version: head.version, live, ...(live && { sha256: life.slice(LIVE.length) }) } };
}

function formatStoredHead({ version, hash, asset }: StoredHead): string {
  if (!asset) return `${version} ${hash}`;
  return `${version} ${hash} ${asset.live ? `${LIVE}${asset.sha256}` : GONE}`;
}

/**
 * Where an asset's next events start from: the head the reservation handed
 * out, '' before its first hashed event. Without one, an asset whose first
 * event is at version 1 has nothing before it; one further on has events
 * written before the log kept hashes, of unknown liveness.
 */
function startingHead(head: string, first: AssetEvent): StoredHead {
  if (head) return parseStoredHead(head);
  return { version: 0, hash: GENESIS, ...(first.assetVersion === 1 && { asset: NO_HEAD }) };
}

/**
 * Each event with its hash, and each asset's new head as the commit stores
 * it, following on from the heads the reservation handed out; `events` holds
 * each asset's in version order. A recovery, given the same head and outbox,
 * computes the same.
 */
export function extendHeads(events: AssetEvent[], heads: Map<string, string>): { hashed: HashedEvent[]; heads: Map<string, string> } {
  const tips = new Map<string, StoredHead>();
  const hashed = events.map((event) => {
    const tip = tips.get(event.assetId) ?? startingHead(heads.get(event.assetId) ?? '', event);
    const hash = chainHash(tip.hash, chainedFields(event));
    tips.set(event.assetId, { version: event.assetVersion, hash, asset: nextHead(tip.asset, event) });
    return { ...event, hash };
  });
  return { hashed, heads: new Map([...tips].map(([assetId, tip]) => [assetId, formatStoredHead(tip)])) };
}
