import type { AssetHead } from '../log/assetHead';
import type { EventLog } from '../log/eventLog';

/**
 * An asset's version, and whether it is live: it has events and the last of
 * its ingests and deletes is an ingest (whose content hash comes along). Read
 * from the log, the source of truth, since projections may lag behind it: its
 * head of the asset, one lookup, not a replay of the asset's history.
 */
export function assetLifecycle(log: EventLog, assetId: string): Promise<AssetHead> {
  return log.assetHead(assetId);
}
