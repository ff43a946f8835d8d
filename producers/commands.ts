import { randomUUID } from 'node:crypto';
import { draft, type StoredEvent } from '../schemas/envelope';
import type { EventType, PayloadOf } from '../schemas/events';
import type { EventLog } from '../log/eventLog';

/** Who asks, and under which correlation (law 8). */
export interface CommandContext {
  log: EventLog;
  actor: string;
  source: string;
  correlationId?: string;
}

export class AssetNotFoundError extends Error {
  readonly code = 'ASSET_NOT_FOUND';
  constructor(readonly assetId: string) {
    super(`there is no asset ${assetId}`);
  }
}

export function isAssetNotFound(error: unknown): error is AssetNotFoundError {
  return error instanceof AssetNotFoundError;
}

/** The log decides whether an asset exists, by its head of the asset: projections may lag behind it. */
export async function liveVersion(log: EventLog, assetId: string): Promise<number> {
  const { version, live } = await log.assetHead(assetId);
  if (!live) throw new AssetNotFoundError(assetId);
  return version;
}

/** The event types a user's command appends to a live asset's stream. */
type AssetCommand =
  | 'UserMetadataUpdated'
  | 'AssetDeleted'
  | 'AssetTextRedacted'
  | 'AssetAddedToCollection' | 'AssetRemovedFromCollection' | 'AssetFavourited' | 'AssetUnfavourited';

/**
 * Appends a command's event with optimistic concurrency: against the version
 * the caller saw, or the current one when the caller gave none.
 */
export async function command<T extends AssetCommand>(
  context: CommandContext,
  type: T,
  assetId: string,
  payload: PayloadOf<T>,
  expectedVersion?: number,
): Promise<StoredEvent> {
  const current = await liveVersion(context.log, assetId);
  return appendCommand(context, type, assetId, payload, expectedVersion ?? current);
}

/** Appends one event of a command to a stream (an asset's or a collection's) that must be at `expectedVersion`. */
export async function appendCommand<T extends EventType>(
  context: CommandContext,
  type: T,
  streamId: string,
  payload: PayloadOf<T>,
  expectedVersion: number,
): Promise<StoredEvent> {
  const event = draft(type, {
    id: randomUUID(),
    assetId: streamId,
    actor: context.actor,
    source: context.source,
    correlationId: context.correlationId ?? randomUUID(),
    causationId: null,
    payload,
  } as never);
  const [stored] = await context.log.append([event], { expectedVersion });
  return stored!;
}

export function updateUserMetadata(
  context: CommandContext,
  assetId: string,
  edit: PayloadOf<'UserMetadataUpdated'>,
  expectedVersion?: number,
): Promise<StoredEvent> {
  return command(context, 'UserMetadataUpdated', assetId, edit, expectedVersion);
}

export function deleteAsset(
  context: CommandContext,
  assetId: string,
  reason?: string,
  expectedVersion?: number,
): Promise<StoredEvent> {
  return command(context, 'AssetDeleted', assetId, reason ? { reason } : {}, expectedVersion);
}

/** Takes an asset's title, description or file name out of its record and search; the event names the fields, not their text. */
export function redactText(
  context: CommandContext,
  assetId: string,
  fields: PayloadOf<'AssetTextRedacted'>['fields'],
  expectedVersion?: number,
): Promise<StoredEvent> {
  return command(context, 'AssetTextRedacted', assetId, { fields }, expectedVersion);
}
