import { createHash, randomBytes } from 'node:crypto';
import { ERASED } from '../schemas/personal';
import { KEY_ID, USER_ID, type Role } from '../schemas/principals';
import type { PrincipalDirectory, UserEntry } from '../projections/principals/principalDirectory';
import type { StoredEvent } from '../schemas/envelope';
import { appendCommand, type CommandContext } from './commands';

/**
 * The commands of the embedded identity store: each appends one event to the
 * user's partition, against the version it read (a concurrent change is a
 * conflict, not a lost update). They check names and keys against the
 * principals projection, which the caller brings up to date first.
 */

/** What an API key looks like: a prefix a secret scanner can recognise, the key id, then the secret. */
const API_KEY = /^mlk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export class PrincipalError extends Error {
  constructor(
    readonly code: 'USER_EXISTS' | 'USER_NOT_FOUND' | 'KEY_NOT_FOUND' | 'LAST_ADMIN',
    message: string,
  ) {
    super(message);
  }
}

/** The digest a key's secret is kept as: the secret is 256 random bits, so one SHA-256 is as good as a slow hash. */
export function secretDigest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** The key id and secret of a presented key, or undefined when it is not one of ours. */
export function parseApiKey(credential: string): { keyId: string; secret: string } | undefined {
  const match = API_KEY.exec(credential);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/** The enabled user of a name or a user id (erased users, all named alike, by their id alone). */
async function enabledUser(directory: PrincipalDirectory, nameOrId: string): Promise<UserEntry> {
  if (nameOrId.trim() === ERASED) throw new PrincipalError('USER_NOT_FOUND', `erased users share the name ${ERASED}: give the user id, as medialake users list shows it`);
  const user = USER_ID.test(nameOrId)
    ? (await directory.users()).find((entry) => entry.userId === nameOrId && !entry.disabled)
    : await directory.userNamed(nameOrId);
  if (!user) throw new PrincipalError('USER_NOT_FOUND', `there is no enabled user ${nameOrId}: medialake users list shows them`);
  return user;
}

/** A key made: the key itself goes to the caller once; the event, which holds only its digest, tells when the principals projection has it. */
export interface CreatedKey {
  keyId: string;
  apiKey: string;
  event: StoredEvent;
}

/** A fresh key for the user: the event holds its digest, the caller gets the key itself, once. */
export async function createApiKey(context: CommandContext, user: Pick<UserEntry, 'userId' | 'version'>): Promise<CreatedKey> {
  const keyId = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const event = await appendCommand(context, 'ApiKeyCreated', user.userId, { keyId, secretSha256: secretDigest(secret).toString('hex') }, user.version);
  return { keyId, apiKey: `mlk_${keyId}_${secret}`, event };
}

/** Adds a user with a role and a first API key. */
export async function addUser(
  context: CommandContext,
  directory: PrincipalDirectory,
  user: { name: string; role: Role; groups?: string[] },
): Promise<CreatedKey & { userId: string }> {
  if (await directory.userNamed(user.name)) throw new PrincipalError('USER_EXISTS', `there is already a user ${user.name}: pick another name, or disable that one first`);
  const userId = `user-${randomBytes(8).toString('hex')}`;
  const added = await appendCommand(context, 'UserAdded', userId, { name: user.name, role: user.role, groups: user.groups ?? [] }, 0);
  return { userId, ...(await createApiKey(context, { userId, version: added.assetVersion })) };
}

/**
 * Refuses to take the last enabled admin's role away: the lake would have
 * nobody who may manage users over the API, and no way back but a shell on
 * the host.
 */
async function keepAnAdmin(directory: PrincipalDirectory, user: UserEntry): Promise<void> {
  if (user.role !== 'admin') return;
  const admins = (await directory.users()).filter((other) => other.role === 'admin' && !other.disabled);
  if (admins.length <= 1) throw new PrincipalError('LAST_ADMIN', `${user.name} is the last admin: make another user admin first`);
}

/** Sets a user's role, groups or both: from their next request on. */
export async function changeUser(context: CommandContext, directory: PrincipalDirectory, name: string, change: { role?: Role; groups?: string[] }): Promise<StoredEvent> {
  const user = await enabledUser(directory, name);
  if (change.role && change.role !== 'admin') await keepAnAdmin(directory, user);
  return appendCommand(context, 'UserRoleChanged', user.userId, change, user.version);
}

/** Disables a user: their keys stop working; their history stays. */
export async function disableUser(context: CommandContext, directory: PrincipalDirectory, name: string, reason?: string): Promise<StoredEvent> {
  const user = await enabledUser(directory, name);
  await keepAnAdmin(directory, user);
  return appendCommand(context, 'UserDisabled', user.userId, reason ? { reason } : {}, user.version);
}

export async function createKeyFor(context: CommandContext, directory: PrincipalDirectory, name: string) {
  return createApiKey(context, await enabledUser(directory, name));
}

export async function revokeApiKey(context: CommandContext, directory: PrincipalDirectory, keyId: string): Promise<StoredEvent> {
  const user = KEY_ID.test(keyId) ? await directory.userWithKey(keyId) : undefined;
  const key = user?.keys[keyId];
  if (!user || !key || key.revoked) throw new PrincipalError('KEY_NOT_FOUND', `there is no active key ${keyId}: medialake users list shows each user's keys`);
  return appendCommand(context, 'ApiKeyRevoked', user.userId, { keyId }, user.version);
}
