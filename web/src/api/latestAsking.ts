import { useCallback, useEffect, useRef } from 'react';

/**
 * Only the latest asking's answer may show. A view asks again when what it
 * shows changes (the asset in the path, the URL's search, a filter), after a
 * change of its own, on a timer or a live change, and an earlier question can
 * answer after a later one: its answer must not replace the later one's.
 *
 * `const ask = useLatestAsking()`; each `const latest = ask()` begins an
 * asking, and `latest()` is true while no later asking has begun and the
 * view is still shown.
 */
export function useLatestAsking(): () => () => boolean {
  const askings = useRef(0);
  // Leaving the view drops the answers still out (and React's second mount in development asks again).
  useEffect(
    () => () => {
      askings.current += 1;
    },
    [],
  );
  return useCallback(() => {
    const asking = ++askings.current;
    return () => asking === askings.current;
  }, []);
}
