import { useEffect, useMemo, useState } from 'react';
import { getAsset } from '../api/assets';
import { ApiError } from '../api/client';
import { useLatestAsking } from '../api/latestAsking';
import type { AssetRecord } from '../api/types';
import { AssetGrid, recordItem } from '../components/AssetGrid';
import { ViewHeading } from '../components/ViewHeading';
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
    void Promise.allSettled([...favourites].map(getAsset)).then((answers) => {
      if (!latest()) return;
      setRecords(answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : [])));
      // A favourite deleted since is not there any more: the others are shown all the same, and only other failures said.
      const failure = answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected' && !(answer.reason instanceof ApiError && answer.reason.status === 404));
      setError(failure && (failure.reason as Error).message);
    });
  }, [favourites, ask]);
  const selection = useSelection(useMemo(() => records.map((record) => record.assetId), [records]));
  return (
    <section className="view favourites" aria-label="Favourites">
      <ViewHeading title="Favourites" />
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
