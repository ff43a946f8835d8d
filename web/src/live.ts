import { useEffect, useRef } from 'react';
import { authorization, signInAgain } from './api/credential';
import type { paths } from './api/schema';

/** What GET /live tells of each event appended to the log. */
export type LiveEvent = paths['/live']['get']['responses']['200']['content']['text/event-stream'];

type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();
const RECONNECT_MS = 2000;

/** The `data:` of each complete frame in `text`, and what is left of an incomplete one. */
function frames(text: string): { events: LiveEvent[]; rest: string } {
  const parts = text.split('\n\n');
  const rest = parts.pop() ?? '';
  const events = parts.flatMap((frame) => {
    const data = frame.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
    return data.length ? [JSON.parse(data.join('\n')) as LiveEvent] : [];
  });
  return { events, rest };
}

/**
 * One stream for the whole page, read with fetch rather than EventSource,
 * which cannot send the Authorization header; it reconnects when dropped.
 */
async function follow(): Promise<void> {
  for (;;) {
    try {
      const response = await fetch('/live', { headers: { ...authorization(), accept: 'text/event-stream' } });
      if (response.status === 401) return signInAgain();
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const { events, rest } = frames(buffered + value);
        buffered = rest;
        for (const event of events) for (const listener of listeners) listener(event);
      }
    } catch {
      // Dropped (the server restarted, the network went): try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}

let following = false;

/**
 * How long changes are gathered before they are handed on: a bulk ingest
 * appends several events per asset in quick succession, which become one
 * read of each asset, not one per event.
 */
const GATHER_MS = 250;

/**
 * Calls `onChanges` with the assets that changed (each with the latest
 * version the log gave it), and those deleted (no record to ask for: a
 * deleted asset answers 404, as one not folded yet does), while the
 * component is mounted.
 */
export function useLiveChanges(onChanges: (versions: Map<string, number>, deleted: ReadonlySet<string>) => void): void {
  const latest = useRef(onChanges);
  latest.current = onChanges;
  useEffect(() => {
    if (!following) {
      following = true;
      void follow();
    }
    let gathered = new Map<string, number>();
    let deleted = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener: Listener = (event) => {
      gathered.set(event.assetId, Math.max(event.assetVersion, gathered.get(event.assetId) ?? 0));
      if (event.type === 'AssetDeleted') deleted.add(event.assetId);
      else if (event.type === 'AssetIngested') deleted.delete(event.assetId); // the same bytes brought back
      timer ??= setTimeout(() => {
        const [changes, gone] = [gathered, deleted];
        [gathered, deleted] = [new Map(), new Set()];
        timer = undefined;
        latest.current(changes, gone);
      }, GATHER_MS);
    };
    listeners.add(listener);
    return () => {
      clearTimeout(timer);
      listeners.delete(listener);
    };
  }, []);
}
