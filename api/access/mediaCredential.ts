import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ChainKeyMissingError, type ChainKey, type ChainKeyring } from '../../log/chainKey';
import type { Principal } from '../principal';

/**
 * The cookie a browser sends by itself with <img>, <video>, <audio>, <track>
 * and download links, which cannot carry an Authorization header
 * (docs/access.md, "Media in the browser"). Its path keeps it to /assets.
 */
export const MEDIA_COOKIE = 'medialake_media';
export const MEDIA_COOKIE_PATH = '/assets';

/** How long a media credential lasts (seconds); the UI asks for a fresh one every half of it. */
export const MEDIA_TTL_SECONDS = 3600;

/** A media credential this lake did not sign, or one past its expiry: authentication answers 401 with the message. */
export class MediaCredentialRefusedError extends Error {
  readonly code = 'MEDIA_CREDENTIAL_REFUSED';
}

/** What a media credential vouches for: who, until when (seconds since the epoch). */
export interface MediaClaims {
  principal: Principal;
  expires: number;
}

/** Its own key, derived from a chain key: one key per purpose, kept and rotated as the chain key is. */
const mediaKey = (key: ChainKey) => createHmac('sha256', key.secret).update('medialake media credential').digest();

const mac = (key: ChainKey, payload: string) => createHmac('sha256', mediaKey(key)).update(payload).digest();

/**
 * Signs and checks media credentials: `KEY_ID.PAYLOAD.MAC`, the payload the
 * claims as base64url JSON, the MAC an HMAC-SHA256 over the payload with a
 * key derived from the lake's chain keyring (the signing key; any key of the
 * ring verifies, so a rotation keeps credentials already handed out).
 */
export class MediaCredentials {
  constructor(
    private readonly keys: ChainKeyring,
    private readonly now = () => Date.now(),
  ) {}

  /** A credential for the principal, until MEDIA_TTL_SECONDS from now or `notAfter` (seconds since the epoch), whichever is sooner. */
  issue(principal: Principal, notAfter = Number.POSITIVE_INFINITY): { credential: string; expires: number; maxAge: number } {
    const now = Math.floor(this.now() / 1000);
    const expires = Math.min(now + MEDIA_TTL_SECONDS, notAfter);
    const key = this.keys.signing();
    const payload = Buffer.from(JSON.stringify({ p: principal, e: expires })).toString('base64url');
    return { credential: `${key.id}.${payload}.${mac(key, payload).toString('base64url')}`, expires, maxAge: Math.max(0, expires - now) };
  }

  /** The claims of a credential this lake signed and that has not expired. */
  verify(credential: string): MediaClaims {
    const [keyId = '', payload = '', signature = '', ...rest] = credential.split('.');
    const key = this.keyById(keyId);
    const presented = Buffer.from(signature, 'base64url');
    const expected = key && mac(key, payload);
    if (rest.length || !expected || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new MediaCredentialRefusedError('the media credential is not valid: sign in again');
    }
    const { p: principal, e: expires } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { p: Principal; e: number };
    if (expires * 1000 <= this.now()) throw new MediaCredentialRefusedError('the media credential has expired: ask POST /media-credential for a fresh one');
    return { principal, expires };
  }

  private keyById(keyId: string): ChainKey | undefined {
    try {
      return this.keys.byId(keyId, 'a media credential');
    } catch (error) {
      if (error instanceof ChainKeyMissingError) return undefined;
      throw error;
    }
  }
}

/**
 * The media credential a request presents, where one counts: a GET or HEAD of
 * a route that serves media bytes (config `media`), which change nothing.
 * Everywhere else the cookie is not read.
 */
export function mediaCredentialOf(request: FastifyRequest): string | undefined {
  if (!request.routeOptions.config.media || (request.method !== 'GET' && request.method !== 'HEAD')) return undefined;
  const cookies = request.headers.cookie ?? '';
  for (const pair of cookies.split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === MEDIA_COOKIE) return value.join('=');
  }
  return undefined;
}
