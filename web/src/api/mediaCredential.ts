import { useEffect, useState } from 'react';
import { answer, api } from './client';
import { authorization, credential, signInAgain } from './credential';

/**
 * The cookie with which the browser fetches media by itself: <img>, <video>,
 * <audio> and download links cannot send the Authorization header. The API
 * sets it (HttpOnly, SameSite=Strict, /assets only) for an hour, for the key
 * the user signed in with (docs/access.md, "Media in the browser").
 */
export async function renewMediaCredential(): Promise<Date> {
  const { expires } = await answer<{ expires: string }>(api.POST('/media-credential'));
  return new Date(expires);
}

/** A renewal this long before the cookie expires, so that media never meets an expired one. */
const RENEW_BEFORE_MS = 10 * 60_000;
const RETRY_MS = 60_000;

/**
 * Whether the media cookie is set: renewed when the page opens (a reload may
 * find it expired) and again before it expires, while the component is mounted.
 */
export function useMediaCredential(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let mounted = true;
    const renew = async () => {
      // A 401 goes back to sign-in (the client does that); the server out of reach: try again in a while.
      const expires = await renewMediaCredential().catch(() => new Date(Date.now() + RENEW_BEFORE_MS + RETRY_MS));
      if (!mounted) return;
      setReady(true);
      timer = setTimeout(() => void renew(), Math.max(RETRY_MS, expires.getTime() - Date.now() - RENEW_BEFORE_MS));
    };
    void renew();
    return () => {
      mounted = false;
      clearTimeout(timer);
    };
  }, []);
  return ready;
}

/** Signs out: the browser forgets the media cookie, the tab its credential, and the issuer its session where it has a logout endpoint. */
export async function signOut(): Promise<void> {
  if (Object.keys(authorization()).length) await api.DELETE('/media-credential').catch(() => undefined);
  const logoutUrl = credential.logoutUrl();
  if (!logoutUrl) return signInAgain();
  credential.clear();
  location.assign(logoutUrl);
}
