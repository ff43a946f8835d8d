/** The roles a principal holds library-wide; collection shares grant more (docs/access.md). */
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is asking: set on every request by authentication before any route runs,
 * and written as the actor of every event the request appends.
 */
export interface Principal {
  /** Stable: "user:<name>", "key:<id>" or "oidc:<issuer>#<sub>". */
  readonly id: string;
  /** Shown in the audit trail and the UI. */
  readonly name: string;
  readonly kind: 'user' | 'key' | 'oidc';
  readonly roles: readonly Role[];
  readonly groups: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}
