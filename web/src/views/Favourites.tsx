import { useEffect, useMemo, useState } from 'react';
import { getAsset } from '../api/assets';
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
  useEffect(() => {
    // A star taken off while the records load asks again: the late answer, with that asset, must not replace the new one.
    let current = true;
    Promise.all([...favourites].map(getAsset)).then(
      (records) => current && setRecords(records),
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [favourites]);
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
