import { useEffect, useSyncExternalStore } from 'react';
import { api, answer } from '../api/client';

/**
 * The signed-in user's favourites, one copy for the whole page: every star
 * shows the same state, and a change shows on all of them at once.
 */
let favourites: ReadonlySet<string> = new Set();
let loaded: Promise<void> | undefined;
const listeners = new Set<() => void>();

function publish(next: ReadonlySet<string>): void {
  favourites = next;
  for (const listener of listeners) listener();
}

function load(): Promise<void> {
  loaded ??= answer<{ assetIds: string[] }>(api.GET('/favourites')).then(
    (answered) => publish(new Set(answered.assetIds)),
    () => (loaded = undefined),
  );
  return loaded;
}

const subscribe = (listener: () => void) => (listeners.add(listener), () => void listeners.delete(listener));

/** The favourites' ids, loaded on first use. */
export function useFavourites(): ReadonlySet<string> {
  useEffect(() => void load(), []);
  return useSyncExternalStore(subscribe, () => favourites);
}

/** Stars or unstars an asset: shown at once, and put back if the API refuses. */
export async function setFavourite(assetId: string, on: boolean): Promise<void> {
  const before = favourites;
  // Latest first, as the API lists them.
  const next = new Set(on ? [assetId, ...before] : before);
  if (!on) next.delete(assetId);
  publish(next);
  const params = { params: { path: { id: assetId } } };
  try {
    await answer(on ? api.PUT('/favourites/{id}', params) : api.DELETE('/favourites/{id}', params));
  } catch (error) {
    publish(before);
    throw error;
  }
}
