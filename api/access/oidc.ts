import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../../app/config';
import { readableName, reservedName, ROLES, type Role } from '../../schemas/principals';
import type { Principal } from '../principal';

/** Asymmetric signatures only: `none` and shared-secret HMACs are refused before any key is looked up. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** How long fetched signing keys are trusted before they are fetched again, rotation or not. */
const JWKS_MAX_AGE_MS = 10 * 60_000;

export class TokenRefusedError extends Error {
  readonly code = 'TOKEN_REFUSED';
}

type OidcSettings = Config['auth']['oidc'];

/** A claim as a list of strings: an array, or space- or comma-separated text. */
function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}

function audienceMatches(payload: JWTPayload, audiences: readonly string[]): boolean {
  const claimed = [...listClaim(payload.aud), ...listClaim(payload.client_id)];
  return claimed.some((audience) => audiences.includes(audience));
}

function rolesOf(groups: string[], groupRoles: Record<string, Role>): Role[] {
  const roles = groups.flatMap((group) => groupRoles[group] ?? ((ROLES as readonly string[]).includes(group) ? (group as Role) : []));
  return [...new Set(roles)];
}

/** The reason a person can act on, from jose's error. */
function refusal(error: unknown): TokenRefusedError {
  if (error instanceof TokenRefusedError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRefusedError('the token has expired: sign in again');
  if (error instanceof errors.JWTClaimValidationFailed) return new TokenRefusedError(`the token's ${error.claim} claim is not accepted here (${error.reason})`);
  if (error instanceof errors.JOSEAlgNotAllowed) return new TokenRefusedError('the token is not signed with an accepted algorithm (an asymmetric one)');
  if (error instanceof errors.JWKSNoMatchingKey) return new TokenRefusedError("the token's signing key (kid) is not among the issuer's keys");
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenRefusedError("the token's signature does not verify");
  return new TokenRefusedError(`the token is not a valid signed JWT: ${(error as Error).message}`);
}

/**
 * Verifies OIDC bearer tokens (an Amazon Cognito user pool, or any issuer
 * with a JWKS): signature by a key of the issuer's set (an unknown kid
 * fetches the set again, so rotated keys are picked up), issuer, audience
 * or Cognito's client_id, expiry within a bounded clock skew, and for
 * Cognito the token_use. Groups map to roles.
 */
export function oidcVerifier(settings: OidcSettings & { issuer: string }) {
  const jwksUrl = new URL(settings.jwksUri ?? `${settings.issuer.replace(/\/$/, '')}/.well-known/jwks.json`);
  const keys = createRemoteJWKSet(jwksUrl, { cooldownDuration: settings.jwksCooldownSeconds * 1000, cacheMaxAge: JWKS_MAX_AGE_MS });
  return async (token: string): Promise<Principal> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        algorithms: ALGORITHMS,
        clockTolerance: settings.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      if (!audienceMatches(payload, settings.audiences)) throw new TokenRefusedError('the token is for another audience (aud or client_id)');
      if (payload.token_use !== undefined && payload.token_use !== 'access' && payload.token_use !== 'id') {
        throw new TokenRefusedError(`a ${String(payload.token_use)} token cannot call the API: send an access or id token`);
      }
      // The name as people read it: invisible characters and spaces must not pass a name off as the system's.
      const name = [payload[settings.nameClaim], payload.email, payload.sub]
        .map((value) => (typeof value === 'string' ? readableName(value) : ''))
        .find((value) => value.length > 0)!;
      const reserved = reservedName(name);
      if (reserved) throw new TokenRefusedError(reserved);
      const claimed = listClaim(payload[settings.groupsClaim]);
      // A group that grants a role is the role, not a group to share with: a local user's groups never hold role names either.
      const groups = claimed.filter((group) => rolesOf([group], settings.groupRoles).length === 0);
      return { id: `oidc:${payload.iss}#${payload.sub}`, name: name.slice(0, 200), kind: 'oidc', roles: rolesOf(claimed, settings.groupRoles), groups };
    } catch (error) {
      throw refusal(error);
    }
  };
}
