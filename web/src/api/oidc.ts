import { decodeJwt } from 'jose';
import type { paths } from './schema';

/** The issuer's sign-in settings, as GET /auth/config tells them. */
export type OidcSettings = NonNullable<paths['/auth/config']['get']['responses']['200']['content']['application/json']['oidc']>;

/** What the tab remembers across the round trip to the issuer: in sessionStorage, which a redirect keeps and another tab cannot read. */
const PENDING = 'medialake.oidc.pending';
interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

export class SignInError extends Error {}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** 256 random bits: the PKCE verifier (RFC 7636 asks 43–128 characters), the state and the nonce. */
const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

const challengeOf = async (verifier: string) => base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

const callbackUri = () => `${location.origin}/sign-in/callback`;

/**
 * Sends the browser to the issuer's sign-in (authorization code with PKCE,
 * S256), to come back to /sign-in/callback and then to `next`.
 */
export async function beginOidcSignIn(settings: OidcSettings, next: string): Promise<void> {
  const pending: Pending = { state: randomText(), nonce: randomText(), verifier: randomText(), next };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(settings.authorizationEndpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: callbackUri(),
    scope: settings.scopes.join(' '),
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  location.assign(url.href);
}

/** What the pending sign-in becomes once the issuer has answered. */
export interface OidcSignedIn {
  accessToken: string;
  /** Where sign-out ends the issuer's session, if it has one. */
  logoutUrl?: string;
  next: string;
}

function logoutUrlOf(settings: OidcSettings, idToken: string | undefined): string | undefined {
  if (!settings.logoutEndpoint) return undefined;
  const url = new URL(settings.logoutEndpoint);
  const back = `${location.origin}/sign-in`;
  url.searchParams.set('client_id', settings.clientId);
  // OIDC RP-initiated logout names the return address post_logout_redirect_uri; Cognito's /logout, logout_uri.
  url.searchParams.set('post_logout_redirect_uri', back);
  url.searchParams.set('logout_uri', back);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  return url.href;
}

/**
 * The issuer's answer at /sign-in/callback: the state must be the one this
 * tab sent, the code is exchanged with the verifier, and the id token must
 * carry the nonce this tab sent. The pending sign-in is used once.
 */
export async function completeOidcSignIn(settings: OidcSettings, query: URLSearchParams): Promise<OidcSignedIn> {
  const stored = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (query.get('error')) throw new SignInError(`The sign-in service refused: ${query.get('error_description') ?? query.get('error')}.`);
  const pending = stored ? (JSON.parse(stored) as Pending) : undefined;
  if (!pending || query.get('state') !== pending.state) throw new SignInError('This sign-in was not started in this tab (its state does not match): sign in again.');
  const response = await fetch(settings.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: query.get('code') ?? '',
      redirect_uri: callbackUri(),
      client_id: settings.clientId,
      code_verifier: pending.verifier,
    }),
  }).catch(() => undefined);
  if (!response) throw new SignInError('The sign-in service cannot be reached: try again.');
  const tokens = (await response.json().catch(() => ({}))) as { access_token?: string; id_token?: string; error_description?: string; error?: string };
  if (!response.ok || !tokens.access_token) throw new SignInError(`The sign-in service refused the code: ${tokens.error_description ?? tokens.error ?? response.status}.`);
  if (!tokens.id_token || decodeJwt(tokens.id_token).nonce !== pending.nonce) throw new SignInError('The sign-in answer was not for this sign-in (its nonce does not match): sign in again.');
  return { accessToken: tokens.access_token, logoutUrl: logoutUrlOf(settings, tokens.id_token), next: pending.next };
}
