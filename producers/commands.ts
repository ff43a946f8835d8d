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
async function liveVersion(log: EventLog, assetId: string): Promise<number> {
  const { version, live } = await log.assetHead(assetId);
  if (!live) throw new AssetNotFoundError(assetId);
  return version;
}

/** Appends one event a person asked for, against the version they saw (law 3): a concurrent change is a conflict, not a lost update. */
export async function appendCommand<T extends EventType>(
  context: CommandContext,
  type: T,
  assetId: string,
  payload: PayloadOf<T>,
  expectedVersion: number,
): Promise<StoredEvent> {
  const event = draft(type, {
    id: randomUUID(),
    assetId,
    actor: context.actor,
    source: context.source,
    correlationId: context.correlationId ?? randomUUID(),
    causationId: null,
    payload,
  } as never);
  const [stored] = await context.log.append([event], { expectedVersion });
  return stored!;
}

/**
 * Appends a command's event to a live asset: against the version the caller
 * saw, or the current one when the caller gave none.
 */
async function command<T extends 'UserMetadataUpdated' | 'AssetDeleted'>(
  context: CommandContext,
  type: T,
  assetId: string,
  payload: PayloadOf<T>,
  expectedVersion?: number,
): Promise<StoredEvent> {
  const current = await liveVersion(context.log, assetId);
  return appendCommand(context, type, assetId, payload, expectedVersion ?? current);
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
