import { useCallback, useEffect, useState } from 'react';
import { useLatestAsking } from './latestAsking';

/** What a listing paged by cursor shows: the items of the pages read so far, and the cursor of the next (absent after the last). */
export interface CursorPages<T> {
  items?: T[];
  next?: string;
  error?: string;
  /** Reads the next page and adds it to what is shown. */
  more(): void;
}

/**
 * A listing paged by cursor (`next`, then `after`): its first page is read
 * whenever `readPage` changes (a new filter: keep it in useCallback) and
 * replaces what is shown; each later page is added to it. Only the latest
 * asking's answer shows (useLatestAsking): a page asked for under an older
 * filter that answers late is dropped.
 */
export function useCursorPages<T>(readPage: (after?: string) => Promise<{ items: T[]; next?: string }>): CursorPages<T> {
  const [shown, setShown] = useState<{ items: T[]; next?: string }>();
  const [error, setError] = useState<string>();
  const ask = useLatestAsking();
  const load = useCallback(
    (after?: string) => {
      const latest = ask();
      readPage(after).then(
        (page) => latest() && (setError(undefined), setShown((before) => (after && before ? { items: [...before.items, ...page.items], next: page.next } : page))),
        // A first page refused (a filter the API does not take) shows none: the rows of the filter before are not its answer.
        (failure: Error) => latest() && (setError(failure.message), after === undefined && setShown(undefined)),
      );
    },
    [readPage, ask],
  );
  useEffect(() => load(), [load]);
  return { items: shown?.items, next: shown?.next, error, more: () => shown?.next && load(shown.next) };
}
