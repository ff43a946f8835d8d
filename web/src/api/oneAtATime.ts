import { useCallback, useRef, useState } from 'react';

/**
 * One change at a time. A double click sends its second request before the
 * first has answered (and before React has drawn the button disabled): a
 * second user or key made, a save refused as a conflict with itself. `run`
 * does nothing while an earlier action is out; `busy` disables the controls
 * meanwhile.
 */
export function useOneAtATime(): { busy: boolean; run: (action: () => Promise<unknown>) => Promise<void> } {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await action();
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, run };
}
