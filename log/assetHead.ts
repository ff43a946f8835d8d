import type { AssetEvent, LogPosition } from '../schemas/envelope';

/**
 * What commands need to know of an asset before they append to it (its
 * version, whether it is live, which bytes it holds), kept by the log as it
 * appends, so that they look it up instead of replaying the asset's history.
 *
 * Liveness follows the asset's ingests and deletes only: the last of them
 * decides. Other events move the version and nothing else; a re-ingest after
 * a delete makes the asset live again at a later version. Erasure
 * (log/sealedLog.ts) destroys personal values, none of which is here, and
 * every schema version of AssetIngested carries its sha256, so an upcast
 * changes nothing here either.
 *
 * The head names where the live ingest is, so that a command that needs the
 * event itself (reprocessing: its id and payload) reads that one event
 * (EventLog.readAt) instead of the asset's history.
 */
export interface AssetHead {
  /** The version of the asset's last event on the log; 0 while it has none. */
  version: number;
  /** Whether the last of its ingests and deletes is an ingest. */
  live: boolean;
  /** The content hash of that ingest, while the asset is live. */
  sha256?: string;
  /**
   * Where that ingest is on the log, while the asset is live. Absent where a
   * partitioned log's head was kept before heads held it, until the asset's
   * next ingest or delete: the asset's history has it there.
   */
  ingest?: EventPlace;
}

/** Where an event is on the log, and its id: a read at the place checks that it still holds that event. */
export interface EventPlace extends LogPosition {
  eventId: string;
}

/** The head of an asset with no events. */
export const NO_HEAD: AssetHead = Object.freeze({ version: 0, live: false });

type HeadEvent = Pick<AssetEvent, 'id' | 'type' | 'assetVersion' | 'payload'> & LogPosition;

/**
 * The head once `event`, the asset's next version, is on the log at its place. An
 * unknown head (undefined: a head kept since before heads held liveness)
 * stays unknown until an ingest or a delete settles it.
 */
export function nextHead(head: AssetHead, event: HeadEvent): AssetHead;
export function nextHead(head: AssetHead | undefined, event: HeadEvent): AssetHead | undefined;
export function nextHead(head: AssetHead | undefined, event: HeadEvent): AssetHead | undefined {
  const version = event.assetVersion;
  if (event.type === 'AssetIngested') {
    const { sha256 } = event.payload as { sha256: string };
    return { version, live: true, sha256, ingest: { eventId: event.id, partition: event.partition, offset: event.offset } };
  }
  if (event.type === 'AssetDeleted') return { version, live: false };
  return head && { ...head, version };
}

/** The head after an asset's events, in version order: for a log that has only its history to go by. */
export function headOf(events: HeadEvent[]): AssetHead {
  return events.reduce<AssetHead>((head, event) => nextHead(head, event), NO_HEAD);
}
