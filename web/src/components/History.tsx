import { useEffect, useState } from 'react';
import { api, answer } from '../api/client';
import { useLatestAsking } from '../api/latestAsking';
import type { StoredEvent } from '../api/types';

/** What an event did, in a few words: the rendition's name, the processor that failed, the fields edited. */
function summary(event: StoredEvent): string {
  const payload = event.payload as Record<string, unknown>;
  if (event.type === 'RenditionCreated') return String(payload.name);
  if (event.type === 'AssetProcessingFailed') return `${payload.processor}: ${payload.message}`;
  if (event.type === 'UserMetadataUpdated') return Object.keys(payload).join(', ');
  if (event.type === 'AssetIngested') return String(payload.originalName);
  return '';
}

/** The asset's history as the log holds it, oldest first: every event with who, from where and when. */
export function History({ assetId, version }: { assetId: string; version: number }) {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [error, setError] = useState<string>();
  const ask = useLatestAsking();
  useEffect(() => {
    // Each new version asks again, and a processing asset moves on quickly: an earlier, shorter history answering late must not replace a later one.
    const latest = ask();
    answer<{ events: StoredEvent[] }>(api.GET('/assets/{id}/events', { params: { path: { id: assetId } } })).then(
      (answered) => latest() && setEvents(answered.events),
      (failure: Error) => latest() && setError(failure.message),
    );
  }, [assetId, version, ask]);
  return (
    <section aria-label="History">
      <h3>History</h3>
      {error && <p role="alert">{error}</p>}
      <ol className="timeline" data-testid="history">
        {events.map((event) => (
          <li key={event.id} className={`event event-${event.type}`}>
            <time dateTime={event.time}>{new Date(event.time).toLocaleString()}</time>
            <strong>{event.type}</strong> <span className="summary">{summary(event)}</span>
            <span className="who">
              v{event.assetVersion} · {event.actor} · {event.source}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
