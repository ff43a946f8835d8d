import type { EventLog } from '../log/eventLog';

/**
 * An asset's version, and whether it is live: it has events and the last of
 * its ingests and deletes is an ingest (whose content hash comes along). Read
 * from the log, the source of truth, since projections may lag behind it.
 */
export async function assetLifecycle(
  log: EventLog,
  assetId: string,
): Promise<{ version: number; live: boolean; sha256?: string }> {
  const events = await log.readAsset(assetId);
  const lifecycle = events.filter((e) => e.type === 'AssetIngested' || e.type === 'AssetDeleted').at(-1);
  const live = lifecycle?.type === 'AssetIngested';
  return { version: events.at(-1)?.assetVersion ?? 0, live, ...(live && { sha256: lifecycle.payload.sha256 }) };
}
