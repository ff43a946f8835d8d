/** The API key the user signed in with: for this tab only (sessionStorage), gone when it closes. */
const KEY = 'medialake.credential';

export const credential = {
  get: () => sessionStorage.getItem(KEY),
  set: (value: string) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
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
