import type { Role } from '../schemas/principals';

export { ROLES, type Role } from '../schemas/principals';

/**
 * Who is asking: set on every request by authentication before any route runs,
 * and written as the actor of every event the request appends.
 */
export interface Principal {
  /** Stable: "user:<user id>" (a local user, by API key) or "oidc:<issuer>#<sub>". */
  readonly id: string;
  /** Shown in the audit trail and the UI, and the actor of the events the principal appends. */
  readonly name: string;
  readonly kind: 'user' | 'key' | 'oidc';
  readonly roles: readonly Role[];
  readonly groups: readonly string[];
  /** The API key it authenticated with, for a local user. */
  readonly keyId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /**
     * Who the request's credential names now: the principal afresh (a changed
     * role counts), or a rejection once the credential no longer holds (a
     * revoked key, a disabled user, an expired token). For requests that
     * outlive a moment, as an open /live stream does.
     */
    principalNow: () => Promise<Principal>;
  }
}
