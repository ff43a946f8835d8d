import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, answer } from '../api/client';
import { useMe } from '../api/me';
import type { DuplicateGroup, SearchHit } from '../api/types';

interface Neighbour {
  assetId: string;
  name: string;
}

function Strip({ title, neighbours, note }: { title: string; neighbours: Neighbour[]; note?: string }) {
  return (
    <section aria-label={title} className="strip">
      <h3>{title}</h3>
      {note && <p className="note">{note}</p>}
      <ul>
        {neighbours.map(({ assetId, name }) => (
          <li key={assetId}>
            <Link to={`/asset/${assetId}`}>
              <img src={`/assets/${assetId}/renditions/thumbnail`} alt={name} loading="lazy" />
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Assets that look like this one (nearest embeddings, where the lake has a model) and its near-duplicates. */
export function Related({ assetId }: { assetId: string }) {
  const [similar, setSimilar] = useState<Neighbour[]>([]);
  const [similarNote, setSimilarNote] = useState<string>();
  const [duplicates, setDuplicates] = useState<Neighbour[]>([]);
  // A lake with no embedding model has no similar assets to show: they are not asked for (the API would answer 409).
  const semantic = useMe()?.semanticSearch;
  useEffect(() => {
    if (!semantic) return;
    answer<{ hits: SearchHit[] }>(api.GET('/assets/{id}/similar', { params: { path: { id: assetId }, query: { limit: 12 } } }))
      .then(({ hits }) => setSimilar(hits.map((hit) => ({ assetId: hit.assetId, name: hit.title ?? hit.originalName }))))
      .catch((failure: Error) => setSimilarNote(failure.message));
  }, [assetId, semantic]);
  useEffect(() => {
    answer<{ duplicates: DuplicateGroup['assets'] }>(api.GET('/assets/{id}/duplicates', { params: { path: { id: assetId } } }))
      .then((answered) => setDuplicates(answered.duplicates.map((asset) => ({ assetId: asset.assetId, name: asset.originalName }))))
      .catch(() => setDuplicates([]));
  }, [assetId]);
  return (
    <>
      {semantic && <Strip title="Similar" neighbours={similar} note={similarNote} />}
      {duplicates.length > 0 && <Strip title="Near-duplicates" neighbours={duplicates} />}
    </>
  );
}
