import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { assetAtVersion, listAssets } from '../api/assets';
import type { AssetRecord } from '../api/types';
import { AssetGrid, recordItem } from '../components/AssetGrid';
import { useLiveChanges } from '../live';
import { SelectionBar } from '../organize/SelectionBar';
import { useSelection } from '../organize/selection';

/** Every asset, newest ingest first, page by page as the user scrolls; new and changed assets show as the lake processes them. */
export function Library() {
  const [records, setRecords] = useState<AssetRecord[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();
  const loading = useRef(false);

  const loadMore = useCallback(async () => {
    if (loading.current || done) return;
    loading.current = true;
    try {
      const page = await listAssets(next);
      setRecords((current) => {
        const known = new Set(current.map((record) => record.assetId));
        return [...current, ...page.assets.filter((record) => !known.has(record.assetId))];
      });
      setNext(page.next);
      setDone(!page.next);
    } catch (failure) {
      setError((failure as Error).message);
      setDone(true);
    } finally {
      loading.current = false;
    }
  }, [next, done]);

  useEffect(() => void loadMore(), []); // eslint-disable-line react-hooks/exhaustive-deps

  useLiveChanges((versions) => {
    for (const [assetId, version] of versions) {
      void assetAtVersion(assetId, version).then((record) =>
        setRecords((current) => {
          if (!record || record.status === 'deleted') return current.filter((known) => known.assetId !== assetId);
          if (!current.some((known) => known.assetId === assetId)) return [record, ...current];
          return current.map((known) => (known.assetId === assetId && known.version < record.version ? record : known));
        }),
      );
    }
  });

  const selection = useSelection(useMemo(() => records.map((record) => record.assetId), [records]));
  return (
    <section className="view library" aria-label="Library">
      {error && <p role="alert">{error}</p>}
      <SelectionBar selection={selection} />
      <AssetGrid items={records.map(recordItem)} hasMore={!done} onEnd={loadMore} selection={selection} />
    </section>
  );
}
