import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { assetAtVersion, listAssets, listsBefore, type Listing } from '../api/assets';
import type { AssetRecord } from '../api/types';
import { AssetGrid, recordItem } from '../components/AssetGrid';
import { remember } from '../historyMemory';
import { ViewHeading } from '../components/ViewHeading';
import { useLiveChanges } from '../live';
import { SelectionBar } from '../organize/SelectionBar';
import { useSelection } from '../organize/selection';

/** The orders the library offers, by "sort order" (the API's parameters). */
const ORDERS: Record<`${Listing['sort']} ${Listing['order']}`, string> = {
  'ingested desc': 'Newest added first',
  'ingested asc': 'Oldest added first',
  'captured desc': 'Newest taken first',
  'captured asc': 'Oldest taken first',
};

/** The order the URL holds (?sort=captured&order=asc), the API's default (newest ingested first) otherwise. */
function listingOf(params: URLSearchParams): Listing {
  return { sort: params.get('sort') === 'captured' ? 'captured' : 'ingested', order: params.get('order') === 'asc' ? 'asc' : 'desc' };
}

/**
 * `records` with `record` at its place in the listing, replacing an older
 * version of it. Past the last loaded record it is left to a later page,
 * unless every page is loaded.
 */
function placed(records: AssetRecord[], record: AssetRecord, listing: Listing, complete: boolean): AssetRecord[] {
  if (records.some((known) => known.assetId === record.assetId && known.version >= record.version)) return records;
  const others = records.filter((known) => known.assetId !== record.assetId);
  const at = others.findIndex((known) => listsBefore(record, known, listing));
  if (at === -1) return complete ? [...others, record] : others;
  return [...others.slice(0, at), record, ...others.slice(at)];
}

/** Every asset in the chosen order (kept in the URL), page by page as the user scrolls. */
export function Library() {
  const [params, setParams] = useSearchParams();
  const listing = listingOf(params);
  const entry = useLocation().key;
  const choose = (value: string) => {
    const [sort, order] = value.split(' ');
    const next = new URLSearchParams(params);
    if (sort === 'captured') next.set('sort', sort);
    else next.delete('sort');
    if (order === 'asc') next.set('order', order);
    else next.delete('order');
    setParams(next);
  };
  return (
    <section className="view library" aria-label="Library">
      <div className="library-bar">
        <ViewHeading title="Library" />
        <label>
          Sort
          <select value={`${listing.sort} ${listing.order}`} onChange={(event) => choose(event.target.value)}>
            {Object.entries(ORDERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Listed key={`${listing.sort} ${listing.order}`} listing={listing} entry={entry} />
    </section>
  );
}

/** The pages a listing had loaded, by the history entry it was shown in. */
interface LoadedPages {
  records: AssetRecord[];
  next?: string;
  done: boolean;
}
const loadedPages = new Map<string, LoadedPages>();

/**
 * The assets of one listing; new and changed assets take their place as the
 * lake processes them. Going back to it (from an asset opened in it) shows the
 * pages it had loaded, scrolled where it was, and its first page is read again
 * for what changed meanwhile.
 */
function Listed({ listing, entry }: { listing: Listing; entry: string }) {
  const [restored] = useState(() => loadedPages.get(entry));
  const [records, setRecords] = useState<AssetRecord[]>(restored?.records ?? []);
  const [next, setNext] = useState<string | undefined>(restored?.next);
  const [done, setDone] = useState(restored?.done ?? false);
  const shown = useRef<LoadedPages>(undefined);
  shown.current = { records, next, done };
  useEffect(() => () => remember(loadedPages, entry, shown.current!), [entry]);
  const [error, setError] = useState<string>();
  /** A page that failed (a dropped connection, the rate limit): paging waits for Try again. */
  const [failed, setFailed] = useState(false);
  const loading = useRef(false);
  const complete = useRef(false);
  complete.current = done;

  const loadMore = useCallback(async () => {
    if (loading.current || done) return;
    loading.current = true;
    try {
      const page = await listAssets(listing, next);
      setRecords((current) => {
        const known = new Set(current.map((record) => record.assetId));
        return [...current, ...page.assets.filter((record) => !known.has(record.assetId))];
      });
      setNext(page.next);
      setDone(!page.next);
    } catch (failure) {
      setError((failure as Error).message);
      setFailed(true);
    } finally {
      loading.current = false;
    }
  }, [next, done]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!restored) return void loadMore();
    // What arrived or changed while the listing was away: its first page, each record put at its place.
    void listAssets(listing).then(
      (page) => setRecords((current) => page.assets.reduce((placedSoFar, record) => placed(placedSoFar, record, listing, complete.current), current)),
      () => undefined,
    );
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const retry = () => {
    setError(undefined);
    setFailed(false);
    void loadMore();
  };

  useLiveChanges((versions, deleted) => {
    if (deleted.size) setRecords((current) => current.filter((known) => !deleted.has(known.assetId)));
    for (const [assetId, version] of versions) {
      if (deleted.has(assetId)) continue;
      void assetAtVersion(assetId, version).then((record) =>
        setRecords((current) =>
          !record || record.status === 'deleted'
            ? current.filter((known) => known.assetId !== assetId)
            : placed(current, record, listing, complete.current),
        ),
      );
    }
  });

  const selection = useSelection(useMemo(() => records.map((record) => record.assetId), [records]));
  return (
    <>
      {error && (
        <p role="alert">
          {error}{' '}
          <button type="button" onClick={retry}>
            Try again
          </button>
        </p>
      )}
      <SelectionBar selection={selection} />
      <AssetGrid items={records.map(recordItem)} hasMore={!done && !failed} onEnd={loadMore} selection={selection} scrollKey={entry} />
    </>
  );
}
