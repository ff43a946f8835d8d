import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../schemas/envelope';
import type { ShareRole, ShareSubject } from '../schemas/events';
import type { Collections } from '../projections/collections/collections';
import type { PrincipalDirectory } from '../projections/principals/principalDirectory';
import { readableName, USER_ID } from '../schemas/principals';
import { appendCommand, command, liveVersion, type CommandContext } from './commands';

/**
 * The commands on collections: each checks what the collections projection
 * holds (the caller waits for it after every command, so it holds the
 * caller's own writes) and appends one event against the stream's version,
 * so two racing commands on one collection cannot both pass their check.
 */

export class CollectionNotFoundError extends Error {
  readonly code = 'COLLECTION_NOT_FOUND';
  constructor(readonly collectionId: string) {
    super(`there is no collection ${collectionId}`);
  }
}

export function isCollectionNotFound(error: unknown): error is CollectionNotFoundError {
  return error instanceof CollectionNotFoundError;
}

/** A change the collections as they stand refuse: a cycle of nesting, or a delete that would orphan nested collections. */
export class CollectionConflictError extends Error {
  constructor(
    readonly code: 'COLLECTION_CYCLE' | 'COLLECTION_HAS_CHILDREN',
    readonly collectionId: string,
    message: string,
  ) {
    super(message);
  }
}

export function isCollectionConflict(error: unknown): error is CollectionConflictError {
  return error instanceof CollectionConflictError;
}

/** A share that names no one it could ever match, or a revoke of a share there is not. */
export class ShareError extends Error {
  constructor(
    readonly code: 'INVALID_SHARE_SUBJECT' | 'SHARE_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export function isShareError(error: unknown): error is ShareError {
  return error instanceof ShareError;
}

/** Principals as authentication names them (api/principal.ts): a local user's id, or an OIDC issuer (a URL, no `#`) and subject. */
const PRINCIPAL_ID = new RegExp(`^(user:${USER_ID.source.slice(1, -1)}|oidc:[^#\\s]+#\\S.*)$`); // USER_ID without its anchors

/** Why a share's subject could never match anyone (a share to it would say nothing), or undefined. */
function subjectProblem({ kind, id }: ShareSubject): string | undefined {
  if (readableName(id) !== id) return `${JSON.stringify(id)} has control characters, invisible formatting or spaces at its ends, which no ${kind} name has`;
  if (kind === 'principal' && !PRINCIPAL_ID.test(id)) {
    return `${id} names no principal: a user is user:<userId> (as GET /users and \`medialake users list\` show the id), an OIDC user oidc:<issuer>#<sub>`;
  }
  return undefined;
}

/**
 * A share's subject as given: a principal named without a kind (no `:`) is
 * the enabled local user of that name, by the principals projection (the
 * caller brings it up to date).
 */
export async function withLocalUser(directory: PrincipalDirectory, subject: ShareSubject): Promise<ShareSubject> {
  if (subject.kind !== 'principal' || subject.id.includes(':')) return subject;
  const user = await directory.userNamed(subject.id);
  if (!user) throw new ShareError('INVALID_SHARE_SUBJECT', `there is no user ${subject.id}: a user is their name (as \`medialake users list\` and GET /users show it), user:<userId> or oidc:<issuer>#<sub>`);
  return { kind: 'principal', id: `user:${user.userId}` };
}

export interface CollectionContext extends CommandContext {
  collections: Collections;
}

/** A new collection id: `c` and 32 hex digits, never an asset's (a… or s…). */
export const newCollectionId = () => `c${randomUUID().replaceAll('-', '')}`;

/**
 * The version a command on a collection appends against: the one the caller
 * expects (If-Match), which the append refuses when the collection has moved
 * on (409), or else the current one.
 */
async function existing(context: CollectionContext, collectionId: string, expected?: number): Promise<number> {
  if (!(await context.collections.get(collectionId))) throw new CollectionNotFoundError(collectionId);
  return expected ?? (await context.log.assetHead(collectionId)).version;
}

export async function createCollection(context: CollectionContext, name: string, parentId: string | null): Promise<StoredEvent> {
  if (parentId !== null) await existing(context, parentId);
  return appendCommand(context, 'CollectionCreated', newCollectionId(), { name, parentId }, 0);
}

export async function renameCollection(context: CollectionContext, collectionId: string, name: string, expected?: number): Promise<StoredEvent> {
  return appendCommand(context, 'CollectionRenamed', collectionId, { name }, await existing(context, collectionId, expected));
}

/** Nests a collection under another, or moves it to the top (null); never under itself or a collection nested under it. */
export async function moveCollection(context: CollectionContext, collectionId: string, parentId: string | null, expected?: number): Promise<StoredEvent> {
  const version = await existing(context, collectionId, expected);
  if (parentId !== null) {
    await existing(context, parentId);
    if (parentId === collectionId || (await context.collections.ancestors(parentId)).includes(collectionId)) {
      throw new CollectionConflictError('COLLECTION_CYCLE', collectionId, `collection ${parentId} is ${collectionId} or nested under it: a collection cannot be nested under itself`);
    }
  }
  return appendCommand(context, 'CollectionMoved', collectionId, { parentId }, version);
}

export async function deleteCollection(context: CollectionContext, collectionId: string, expected?: number): Promise<StoredEvent> {
  const version = await existing(context, collectionId, expected);
  if (await context.collections.hasChildren(collectionId)) {
    throw new CollectionConflictError('COLLECTION_HAS_CHILDREN', collectionId, `collection ${collectionId} has collections nested under it: move or delete them first`);
  }
  return appendCommand(context, 'CollectionDeleted', collectionId, {}, version);
}

export async function shareCollection(context: CollectionContext, collectionId: string, subject: ShareSubject, role: ShareRole): Promise<StoredEvent> {
  const problem = subjectProblem(subject);
  if (problem) throw new ShareError('INVALID_SHARE_SUBJECT', problem);
  return appendCommand(context, 'CollectionShared', collectionId, { subject, role }, await existing(context, collectionId));
}

export async function revokeShare(context: CollectionContext, collectionId: string, subject: ShareSubject): Promise<StoredEvent> {
  const version = await existing(context, collectionId);
  const shares = await context.collections.shares();
  if (!shares.some((share) => share.collectionId === collectionId && share.subject.kind === subject.kind && share.subject.id === subject.id)) {
    throw new ShareError('SHARE_NOT_FOUND', `collection ${collectionId} is not shared with ${subject.kind} ${subject.id}`);
  }
  return appendCommand(context, 'CollectionShareRevoked', collectionId, { subject }, version);
}

/** The pair of events that set and clear a fact about an asset, on its stream. */
type Toggle = readonly ['AssetAddedToCollection', 'AssetRemovedFromCollection'] | readonly ['AssetFavourited', 'AssetUnfavourited'];

/**
 * Appends the event that sets (or clears) a fact about a live asset, unless
 * its stream on the log (not a projection, which may lag) says the fact is so
 * already: then nothing is appended (undefined), since an event that changes
 * nothing would still move the asset's version, which other writers' If-Match
 * holds.
 */
async function toggle(context: CommandContext, assetId: string, [set, cleared]: Toggle, payload: object, on: boolean): Promise<StoredEvent | undefined> {
  await liveVersion(context.log, assetId);
  const same = (event: StoredEvent) => Object.entries(payload).every(([key, value]) => (event.payload as Record<string, unknown>)[key] === value);
  let holds = false;
  for (const event of await context.log.readAsset(assetId)) if ((event.type === set || event.type === cleared) && same(event)) holds = event.type === set;
  if (holds === on) return undefined;
  return command(context, on ? set : cleared, assetId, payload as never);
}

/** Adds (or removes) a live asset to a collection: an event on the asset's stream, ordered with its ingest and delete; undefined where it is so already. */
export async function changeMembership(context: CollectionContext, collectionId: string, assetId: string, member: boolean): Promise<StoredEvent | undefined> {
  await existing(context, collectionId);
  return toggle(context, assetId, ['AssetAddedToCollection', 'AssetRemovedFromCollection'], { collectionId }, member);
}

/** Marks (or unmarks) a principal's favourite; undefined where it is so already. */
export function changeFavourite(context: CommandContext, principalId: string, assetId: string, favourite: boolean): Promise<StoredEvent | undefined> {
  return toggle(context, assetId, ['AssetFavourited', 'AssetUnfavourited'], { principalId }, favourite);
}
