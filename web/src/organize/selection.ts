import { useCallback, useRef, useState } from 'react';

/** Which assets of a grid are selected; `toggle` with `range` extends from the last one toggled, as shift-click does in a file manager. */
export interface Selection {
  selected: ReadonlySet<string>;
  toggle(assetId: string, range: boolean): void;
  clear(): void;
}

/** A selection over `order`, the grid's assets as shown. */
export function useSelection(order: readonly string[]): Selection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | undefined>(undefined);
  const toggle = useCallback(
    (assetId: string, range: boolean) => {
      const from = anchor.current === undefined ? -1 : order.indexOf(anchor.current);
      const to = order.indexOf(assetId);
      const span = range && from >= 0 && to >= 0 ? order.slice(Math.min(from, to), Math.max(from, to) + 1) : [assetId];
      setSelected((current) => {
        const on = !current.has(assetId);
        const next = new Set(current);
        for (const id of span) if (on) next.add(id); else next.delete(id);
        return next;
      });
      anchor.current = assetId;
    },
    [order],
  );
  const clear = useCallback(() => setSelected(new Set()), []);
  return { selected, toggle, clear };
}
