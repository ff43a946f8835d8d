import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import '../organize/organize.css';
import { useVirtualizer } from '@tanstack/react-virtual';
import { FavouriteStar } from '../organize/FavouriteStar';
import type { Selection } from '../organize/selection';
import type { AssetRecord, SearchHit } from '../api/types';
import { StatusBadge } from './StatusBadge';
import { remember } from '../historyMemory';

/** What a cell shows: a thumbnail (when there is one), a name, and whatever the view adds beneath. */
export interface GridItem {
  assetId: string;
  name: string;
  mediaType: string;
  /** Changes when the asset does, so that its thumbnail is fetched again. */
  version?: number;
  hasThumbnail?: boolean;
  extra?: ReactNode;
}

/** A record's cell: its title or file name, its thumbnail at its version, and its status. */
export const recordItem = (record: AssetRecord): GridItem => ({
  assetId: record.assetId,
  name: record.user.title ?? record.originalName,
  mediaType: record.mediaType,
  version: record.version,
  hasThumbnail: 'thumbnail' in record.renditions,
  extra: <StatusBadge record={record} />,
});

/**
 * A search hit's cell: its title (empty when it has none) or file name. A
 * hit does not say which renditions its asset has; a file of no media type
 * the processors read never has a thumbnail, so none is asked for.
 */
export const hitItem = (hit: SearchHit, extra?: ReactNode): GridItem => ({
  assetId: hit.assetId,
  name: hit.title || hit.originalName,
  mediaType: hit.mediaType,
  ...(hit.mediaType === 'other' && { hasThumbnail: false }),
  extra,
});

/** The cell's size in CSS pixels: the thumbnails are made at 256 px, shown at most this large. */
const CELL = 200;
/** Rows drawn beyond the visible ones, so a quick scroll shows no blank. */
const OVERSCAN = 3;
/** How near the end (in rows) the next page is asked for. */
const PREFETCH_ROWS = 6;

function Thumbnail({ item }: { item: GridItem }) {
  const [missing, setMissing] = useState(item.hasThumbnail === false);
  useEffect(() => setMissing(item.hasThumbnail === false), [item.hasThumbnail, item.version]);
  if (missing) return <div className="placeholder">{item.mediaType}</div>;
  const version = item.version === undefined ? '' : `?v=${item.version}`;
  return (
    <img
      src={`/assets/${item.assetId}/renditions/thumbnail${version}`}
      alt={item.name}
      loading="lazy"
      decoding="async"
      onError={() => setMissing(true)}
    />
  );
}

/** A tile at its place in the grid: the link to the asset, its box to select it (space or click; shift-click selects the range) and its star. */
function Cell({ item, selection, x, y }: { item: GridItem; selection?: Selection; x: number; y: number }) {
  const selected = selection?.selected.has(item.assetId) ?? false;
  return (
    <div className={selected ? 'cell selected' : 'cell'} style={{ width: CELL, height: CELL, transform: `translate(${x}px, ${y}px)` }} data-asset={item.assetId}>
      <Link to={`/asset/${item.assetId}`} className="open">
        <Thumbnail item={item} />
        <span className="name">{item.name}</span>
      </Link>
      <div className="cell-controls">
        {selection && (
          <input
            type="checkbox"
            aria-label={`Select ${item.name}`}
            checked={selected}
            onChange={(event) => selection.toggle(item.assetId, (event.nativeEvent as MouseEvent).shiftKey)}
          />
        )}
        <FavouriteStar assetId={item.assetId} name={item.name} />
      </div>
      {item.extra}
    </div>
  );
}

/** Where grids were scrolled to, by the history entry they were shown in: going back there scrolls there again. */
const scrolledTo = new Map<string, number>();

/**
 * A virtualized grid: only the rows in view (and a few more) are in the DOM,
 * so its cost does not grow with the library; `onEnd` asks for the next page
 * when the last rows come near. With a `selection`, each tile has a box to select it.
 * With a `scrollKey` (the history entry it is shown in), it comes back scrolled
 * where it was left, when its items are there again.
 *
 * The tiles are one list, keyed by asset and each placed at its row and
 * column: a tile that moves (an asset arriving before it, or deleted before
 * it) keeps its element, and the keyboard's focus in it.
 */
export function AssetGrid({
  items,
  hasMore,
  onEnd,
  selection,
  scrollKey,
}: {
  items: GridItem[];
  hasMore: boolean;
  onEnd: () => void;
  selection?: Selection;
  scrollKey?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const initialOffset = useRef((scrollKey && scrolledTo.get(scrollKey)) || 0);
  const offset = useRef(initialOffset.current);
  // Scrolled back once its rows are laid out; the offset is kept from each scroll, as the element is gone when the grid unmounts.
  useLayoutEffect(() => {
    if (scroller.current && initialOffset.current) scroller.current.scrollTop = initialOffset.current;
    return () => void (scrollKey && remember(scrolledTo, scrollKey, offset.current));
  }, [scrollKey]);
  const [columns, setColumns] = useState(4);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setColumns(Math.max(1, Math.floor(element.clientWidth / CELL))));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const rows = Math.ceil(items.length / columns);
  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => scroller.current, estimateSize: () => CELL, overscan: OVERSCAN, initialOffset: initialOffset.current });
  const visible = virtualizer.getVirtualItems();
  const lastRow = visible.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && lastRow >= rows - PREFETCH_ROWS) onEnd();
  }, [hasMore, lastRow, rows, onEnd]);
  return (
    <div ref={scroller} className="grid-scroller" data-testid="grid" onScroll={(event) => (offset.current = event.currentTarget.scrollTop)}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {visible.flatMap((row) =>
          items.slice(row.index * columns, (row.index + 1) * columns).map((item, column) => <Cell key={item.assetId} item={item} selection={selection} x={column * CELL} y={row.start} />),
        )}
      </div>
      {!items.length && <p className="empty">Nothing here yet.</p>}
    </div>
  );
}
