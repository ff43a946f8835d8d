/**
 * The bearer the user signed in with (an API key, or an OIDC access token)
 * and, after an OIDC sign-in, where sign-out ends the issuer's session: for
 * this tab only (sessionStorage), gone when it closes (docs/web.md).
 */
const KEY = 'medialake.credential';
const LOGOUT = 'medialake.logout';

export const credential = {
  get: () => sessionStorage.getItem(KEY),
  set: (value: string, logoutUrl?: string) => {
    sessionStorage.setItem(KEY, value);
    if (logoutUrl) sessionStorage.setItem(LOGOUT, logoutUrl);
    else sessionStorage.removeItem(LOGOUT);
  },
  logoutUrl: () => sessionStorage.getItem(LOGOUT),
  clear: () => {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(LOGOUT);
  },
};

/** The Authorization header every API request carries. */
export function authorization(): Record<string, string> {
  const value = credential.get();
  return value ? { authorization: `Bearer ${value}` } : {};
}

/** Back to sign-in, to return here after: on a 401 or on signing out. */
export function signInAgain(): void {
  credential.clear();
  const here = location.pathname + location.search;
  location.assign(here.startsWith('/sign-in') ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`);
}

/**
 * Checks the bearer and gives the browser its media cookie in one request
 * (web/src/api/mediaCredential.ts), then keeps it: what went wrong, in a
 * sentence, or undefined.
 */
export async function signInWith(bearer: string, logoutUrl?: string): Promise<string | undefined> {
  const response = await fetch('/media-credential', { method: 'POST', headers: { authorization: `Bearer ${bearer}` } }).catch(() => undefined);
  if (!response) return 'The server cannot be reached: is medialake serve running?';
  if (response.status === 401 || response.status === 403) return 'The API refused this credential: check it, or ask an admin for access.';
  if (!response.ok) return `The API answered ${response.status}: try again.`;
  credential.set(bearer, logoutUrl);
  return undefined;
}
