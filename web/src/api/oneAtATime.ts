import { useCallback, useRef, useState } from 'react';

/**
 * One change at a time. A double click sends its second request before the
 * first has answered (and before React has drawn the button busy): a second
 * user or key made, a save refused as a conflict with itself. `run` does
 * nothing while an earlier action is out; `busy` marks the controls
 * meanwhile (with `busyMarks`).
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

/**
 * A control's marks while its action is out: `aria-disabled`, never
 * `disabled`, which would drop the keyboard's focus to the page as the
 * control is disabled under it. The control stays focusable and says it is
 * unavailable; `run` ignores its activation meanwhile.
 */
export const busyMarks = (busy: boolean) => ({ 'aria-disabled': busy || undefined });
