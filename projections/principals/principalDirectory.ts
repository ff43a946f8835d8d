import type { AssetEvent } from '../../schemas/envelope';
import type { Role } from '../../schemas/principals';
import type { ProjectionDefinition, ProjectionStore } from '../projection';
import { ERASED } from '../../schemas/personal';

/**
 * The local principals: users, their role and groups, and their API keys,
 * folded from the log (schemas/principals.ts). Authentication reads it on
 * every request, so a revoked key or a disabled user is refused as soon as
 * the event is folded in.
 */
export const PRINCIPALS: ProjectionDefinition = {
  name: 'principals',
  version: 1,
  events: ['UserAdded', 'UserRoleChanged', 'UserDisabled', 'ApiKeyCreated', 'ApiKeyRevoked'],
  description: 'local users, their roles and groups, and their API keys (as hashes)',
};

export interface ApiKeyEntry {
  /** The SHA-256 of the key's secret, hex. */
  secretSha256: string;
  revoked: boolean;
  createdAt: string;
}

export interface UserEntry {
  userId: string;
  /** The user's asset version of the last event folded in. */
  version: number;
  name: string;
  role: Role;
  groups: string[];
  disabled: boolean;
  createdAt: string;
  keys: Record<string, ApiKeyEntry>;
}

/**
 * The fold: (user, event) → user, pure (law 5). Events of a user that was
 * never added change nothing; a disabled user keeps its history but signs in
 * no more.
 */
export function foldUser(user: UserEntry | undefined, event: AssetEvent): UserEntry | undefined {
  if (event.type === 'UserAdded') {
    const { name, role, groups } = event.payload;
    // An erased person's account (their name reads "[erased]" once their key is destroyed) is no one's to sign in with.
    return { userId: event.assetId, version: event.assetVersion, name, role, groups, disabled: name === ERASED, createdAt: event.time, keys: {} };
  }
  if (!user) return undefined;
  const next = { ...user, version: event.assetVersion };
  switch (event.type) {
    case 'UserRoleChanged':
      return { ...next, role: event.payload.role ?? user.role, groups: event.payload.groups ?? user.groups };
    case 'UserDisabled':
      return { ...next, disabled: true };
    case 'ApiKeyCreated':
      return { ...next, keys: { ...user.keys, [event.payload.keyId]: { secretSha256: event.payload.secretSha256, revoked: false, createdAt: event.time } } };
    case 'ApiKeyRevoked': {
      const key = user.keys[event.payload.keyId];
      return key ? { ...next, keys: { ...user.keys, [event.payload.keyId]: { ...key, revoked: true } } } : next;
    }
    default:
      return next;
  }
}

export interface PrincipalDirectory extends ProjectionStore {
  users(): Promise<UserEntry[]>;
  /** The enabled user of that name (any case and spacing), if any. */
  userNamed(name: string): Promise<UserEntry | undefined>;
  /** The user who holds the key, revoked or not. */
  userWithKey(keyId: string): Promise<UserEntry | undefined>;
}
