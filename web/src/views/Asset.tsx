import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { mayDo } from '../api/assetActions';
import { assetAtVersion, getAsset } from '../api/assets';
import { useLatestAsking } from '../api/latestAsking';
import type { AssetRecord } from '../api/types';
import { EditForm } from '../components/EditForm';
import { Failures } from '../components/Failures';
import { History } from '../components/History';
import { MediaView } from '../components/MediaView';
import { MetadataTable } from '../components/MetadataTable';
import { Related } from '../components/Related';
import { StatusBadge } from '../components/StatusBadge';
import { ViewHeading } from '../components/ViewHeading';
import { useLiveChanges } from '../live';
import { FavouriteStar } from '../organize/FavouriteStar';

/** The renditions, and the original where the caller may download it (a viewer through a viewer share may not). */
function Downloads({ record }: { record: AssetRecord }) {
  return (
    <section aria-label="Downloads">
      <h3>Downloads</h3>
      <ul className="downloads">
        {mayDo(record, 'downloadOriginal') && (
          <li>
            <a href={`/assets/${record.assetId}/original`} download>
              Original ({record.originalName})
            </a>
          </li>
        )}
        {Object.values(record.renditions).map((rendition) => (
          <li key={rendition.name}>
            <a href={`/assets/${record.assetId}/renditions/${rendition.name}`} download>
              {rendition.name}
            </a>{' '}
            <span className="note">
              {rendition.mimeType}
              {rendition.width ? `, ${rendition.width} × ${rendition.height}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * One asset: its media, metadata, editing, downloads, neighbours and history; it follows the lake as it processes.
 * It offers only what the caller may do with it, as the record's `may` tells (editing, reprocessing, the original).
 * Another asset's view starts afresh: nothing of the one before (its record, an error, a late answer) stands in for it.
 */
export function Asset() {
  const { id = '' } = useParams();
  return <AssetView key={id} id={id} />;
}

function AssetView({ id }: { id: string }) {
  const [record, setRecord] = useState<AssetRecord>();
  const [error, setError] = useState<string>();
  // A load and the live changes ask in turn: an earlier answer arriving late must not replace a later one.
  const ask = useLatestAsking();
  const load = useCallback(
    () => {
      const latest = ask();
      return getAsset(id).then(
        (answered) => latest() && setRecord(answered),
        (failure: Error) => latest() && setError(failure.message),
      );
    },
    [id, ask],
  );
  useEffect(() => void load(), [load]);
  useLiveChanges(async (versions, deleted) => {
    if (deleted.has(id)) return setError('This asset was deleted.');
    const version = versions.get(id);
    if (version === undefined) return;
    const latest = ask();
    const next = await assetAtVersion(id, version);
    if (!latest()) return;
    // Gone from what the caller may see (a share revoked, a removal from the collection): said, not shown as it was.
    if (next) setRecord(next);
    else setError('This asset is no longer there for you: deleted, or no longer shared with you.');
  });

  if (error) return <p role="alert">{error}</p>;
  if (!record) return <p>Loading…</p>;
  return (
    <article className="view asset" aria-label={record.user.title ?? record.originalName}>
      <header>
        <ViewHeading title={record.user.title ?? record.originalName} />
        <FavouriteStar assetId={record.assetId} name={record.user.title ?? record.originalName} />
        <StatusBadge record={record} />
      </header>
      <Failures record={record} mayReprocess={mayDo(record, 'reprocess')} />
      <div className="asset-body">
        <div className="asset-media">
          <MediaView record={record} />
          <Related assetId={record.assetId} />
        </div>
        <div className="asset-side">
          {mayDo(record, 'editMetadata') && <EditForm key={record.assetId} record={record} onSaved={load} />}
          <MetadataTable record={record} />
          <Downloads record={record} />
          <History assetId={record.assetId} version={record.version} />
        </div>
      </div>
    </article>
  );
}
