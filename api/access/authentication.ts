import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../../app/config';
import type { ApiKeyEntry, PrincipalDirectory, UserEntry } from '../../projections/principals/principalDirectory';
import { parseApiKey, secretDigest } from '../../producers/principals';
import { ERASED } from '../../schemas/personal';
import { HttpError } from '../errors';
import type { Principal } from '../principal';
import { MediaCredentialRefusedError, type MediaCredentials } from './mediaCredential';
import { oidcVerifier } from './oidc';

/** Compared against when the key id is unknown, so an unknown key costs what a wrong secret does. */
const NO_DIGEST = Buffer.alloc(32);

/** Verified credentials remembered before the memo is started afresh: a bound on its memory. */
const VERIFIED_MAX = 10_000;

export const unauthenticated = (message: string) => new HttpError(401, 'UNAUTHENTICATED', message);

/**
 * Who is asking, from `Authorization: Bearer CREDENTIAL`: a local API key
 * (mlk_…), checked against the principals projection on every request so a
 * revoked key or disabled user is refused at once, or an OIDC token when an
 * issuer is configured. Without a bearer, a media credential where the
 * route counts one (api/access/mediaCredential.ts).
 */
export function authenticator(directory: PrincipalDirectory, auth: Config['auth'], media: MediaCredentials) {
  const { issuer } = auth.oidc;
  const verifyToken = issuer ? oidcVerifier({ ...auth.oidc, issuer }) : undefined;

  /** Credentials whose secret matched a key's digest: that never changes, so the hash is skipped; revocation is still read every time. */
  const verified = new Map<string, string>();

  function secretMatches(credential: string, secret: string, digest: string | undefined): boolean {
    if (digest !== undefined && verified.get(credential) === digest) return true;
    const matches = timingSafeEqual(secretDigest(secret), digest ? Buffer.from(digest, 'hex') : NO_DIGEST);
    if (matches && digest) {
      if (verified.size >= VERIFIED_MAX) verified.clear();
      verified.set(credential, digest);
    }
    return matches;
  }

  async function byApiKey(credential: string): Promise<Principal | undefined> {
    const presented = parseApiKey(credential);
    // A key cut short or with a character more is still meant as a key: say so, rather than blame a JWT's form.
    if (!presented && credential.startsWith('mlk_')) throw unauthenticated('the API key is not valid (not the whole key as it was given out?): create one with `medialake keys create USER`');
    if (!presented) return undefined;
    const user = await directory.userWithKey(presented.keyId);
    const key = user?.keys[presented.keyId];
    const matches = secretMatches(credential, presented.secret, key?.secretSha256);
    if (!user || !key || !matches) throw unauthenticated('the API key is not valid: create one with `medialake keys create USER`');
    return activeUser(presented.keyId, user, key);
  }

  /** A local user as the projection has them now: a revoked key or a disabled user is refused, whichever credential named them. */
  function activeUser(keyId: string, user: UserEntry, key: ApiKeyEntry): Principal {
    if (key.revoked) throw unauthenticated(`the API key ${keyId} was revoked: create another with \`medialake keys create USER\``);
    if (user.disabled || user.name === ERASED) throw unauthenticated('the API key belongs to a disabled user: ask an admin');
    return { id: `user:${user.userId}`, name: user.name, kind: 'user', roles: [user.role], groups: user.groups, keyId };
  }

  /** A media credential's principal: a local user's read afresh (revocation counts at once), an OIDC user's as signed, until it expires. */
  async function byMediaCredential(credential: string): Promise<Principal> {
    let principal: Principal;
    try {
      ({ principal } = media.verify(credential));
    } catch (error) {
      if (error instanceof MediaCredentialRefusedError) throw unauthenticated(error.message);
      throw error;
    }
    if (!principal.keyId) return principal;
    const user = await directory.userWithKey(principal.keyId);
    const key = user?.keys[principal.keyId];
    if (!user || !key) throw unauthenticated('the media credential names an API key this lake does not hold: sign in again');
    return activeUser(principal.keyId, user, key);
  }

  return async (authorization: string | undefined, mediaCredential?: string): Promise<Principal> => {
    const credential = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!credential && mediaCredential) return byMediaCredential(mediaCredential);
    if (!credential) {
      throw unauthenticated('send Authorization: Bearer with an API key (`medialake users add NAME --role admin` makes the first) or an OIDC token');
    }
    const principal = await byApiKey(credential);
    if (principal) return principal;
    if (!verifyToken) throw unauthenticated('the credential is not an API key (mlk_…), and no OIDC issuer is configured (auth.oidc.issuer)');
    try {
      return await verifyToken(credential);
    } catch (error) {
      throw unauthenticated((error as Error).message);
    }
  };
}
