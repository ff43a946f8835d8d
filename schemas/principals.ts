import { z } from 'zod';
import { personal } from './personal';

/**
 * The embedded identity store's events (docs/access.md): users, their role and
 * groups, and their API keys, on the log like everything else, so that who may
 * act is audited, replayed and erased the way assets are. Each user's events
 * share one partition: its user id, in the place of an asset id.
 */

/** The roles a principal holds library-wide; collection shares grant more (docs/access.md). */
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Names only the system writes as an actor: no principal may carry one. */
const RESERVED_NAMES = new Set(['medialake', 'anonymous', 's3', '[erased]']);

/** Prefixes of actors the system writes: a sealed value, a pipeline's webhook. */
const RESERVED_PREFIXES = ['sealed:', 'webhook:'];

/** A name as people read it: compatibility forms folded (NFKC), control and invisible format characters (zero-width, bidi) removed, trimmed. */
export const readableName = (name: string): string => name.normalize('NFKC').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();

/** Why a principal may not carry a name, read as people read it: it would pass for the system's own actors. */
export function reservedName(name: string): string | undefined {
  const readable = readableName(name).toLowerCase();
  if (RESERVED_NAMES.has(readable)) return `the name ${readable} is reserved for the system`;
  const prefix = RESERVED_PREFIXES.find((reserved) => readable.startsWith(reserved));
  return prefix && `a name cannot start with "${prefix}"`;
}

/** A user's name, as they sign events: personal data, sealed on the log. */
export const UserName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((name, context) => {
    const reserved = reservedName(name);
    if (reserved) context.addIssue({ code: 'custom', message: reserved });
  });

/**
 * A new user's name: a UserName with nothing a reader cannot see (control
 * characters, bidi overrides, zero-width marks), which would let one actor
 * pass for another in the audit trail. The events keep UserName: names given
 * before this check still fold.
 */
export const NewUserName = UserName.refine((name) => readableName(name) === name.normalize('NFKC').trim(), {
  message: 'a name without control characters or invisible formatting (bidi overrides, zero-width marks)',
});

export const GroupName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.@-]{0,99}$/, 'group names are 1–100 letters, digits, space _ . @ -');

/** The partition of a user's events: `user-` and 16 hex digits, never derived from the name (which erasure must be able to remove). */
export const USER_ID = /^user-[0-9a-f]{16}$/;

/** An API key's public half, shown by `users list` and named by `keys revoke`. */
export const KEY_ID = /^[0-9a-f]{12}$/;

export const UserAdded = z.object({
  name: personal(UserName),
  role: Role,
  groups: z.array(GroupName).max(50),
});

/** A user's role or groups changed: fields present are set, absent ones stay. */
export const UserRoleChanged = z
  .object({ role: Role.optional(), groups: z.array(GroupName).max(50).optional() })
  .refine((change) => change.role !== undefined || change.groups !== undefined, { message: 'a change sets the role, the groups or both' });

export const UserDisabled = z.object({ reason: z.string().max(1000).optional() });

/** Only the SHA-256 of the key's secret: the key itself is shown once, when it is made. */
export const ApiKeyCreated = z.object({
  keyId: z.string().regex(KEY_ID),
  secretSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ApiKeyRevoked = z.object({ keyId: z.string().regex(KEY_ID) });

export const principalSchemas = { UserAdded, UserRoleChanged, UserDisabled, ApiKeyCreated, ApiKeyRevoked } as const;

export const PRINCIPAL_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(principalSchemas));
