import { useEffect, useMemo, useState } from 'react';
import { getAsset } from '../api/assets';
import { useLatestAsking } from '../api/latestAsking';
import type { AssetRecord } from '../api/types';
import { AssetGrid, recordItem } from '../components/AssetGrid';
import { useFavourites } from '../organize/favourites';
import { SelectionBar } from '../organize/SelectionBar';
import { useSelection } from '../organize/selection';

/** The user's favourites, latest first; unstarring one takes it off. */
export function Favourites() {
  const favourites = useFavourites();
  const [records, setRecords] = useState<AssetRecord[]>([]);
  const [error, setError] = useState<string>();
  const ask = useLatestAsking();
  useEffect(() => {
    // A star taken off while the records load asks again: the late answer, with that asset, must not replace the new one.
    const latest = ask();
    Promise.all([...favourites].map(getAsset)).then(
      (records) => latest() && setRecords(records),
      (failure: Error) => latest() && setError(failure.message),
    );
  }, [favourites, ask]);
  const selection = useSelection(useMemo(() => records.map((record) => record.assetId), [records]));
  return (
    <section className="view favourites" aria-label="Favourites">
      <h2>Favourites</h2>
      {error && <p role="alert">{error}</p>}
      <SelectionBar selection={selection} />
      <AssetGrid
        items={records.map(recordItem)}
        hasMore={false}
        onEnd={() => undefined}
        selection={selection}
      />
    </section>
  );
}
