import type { EventLog } from '../log/eventLog';

/**
 * An asset's version, and whether it is live: it has events and the last of
 * its ingests and deletes is an ingest. Read from the log, the source of
 * truth, since projections may lag behind it.
 */
export async function assetLifecycle(log: EventLog, assetId: string): Promise<{ version: number; live: boolean }> {
  const events = await log.readAsset(assetId);
  const lifecycle = events.filter((e) => e.type === 'AssetIngested' || e.type === 'AssetDeleted').at(-1);
  return { version: events.at(-1)?.assetVersion ?? 0, live: lifecycle?.type === 'AssetIngested' };
}
