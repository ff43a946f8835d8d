import { randomUUID } from 'node:crypto';
import { draft, type EventDraft, type StoredEvent } from '../../schemas/envelope';
import { SqliteEventLog } from '../../log/sqlite';
import type { EventType, PayloadOf } from '../../schemas/events';

/** A valid AssetIngested draft for log tests that need many small events. */
export function ingestedDraft(assetId: string, overrides: Partial<EventDraft> = {}): EventDraft {
  return {
    ...draft('AssetIngested', {
      id: randomUUID(),
      assetId,
      actor: 'tester',
      source: 'cli',
      correlationId: randomUUID(),
      causationId: null,
      payload: {
        objectKey: `originals/${assetId}/original.jpg`,
        originalName: `${assetId}.jpg`,
        mediaType: 'image',
        mimeType: 'image/jpeg',
        size: 1,
        sha256: '0'.repeat(64),
        origin: { kind: 'upload' },
      },
    }),
    ...overrides,
  } as EventDraft;
}

/** An AssetIngested payload as schema version 1 wrote it: a source path and no origin (read back upcast, with a directory origin). */
export function v1IngestPayload(assetId: string, sourcePath: string): Record<string, unknown> {
  const { origin: _origin, ...payload } = ingestedDraft(assetId).payload as Record<string, unknown>;
  return { ...payload, sourcePath };
}

/** A valid UserMetadataUpdated draft. */
export function editDraft(assetId: string, title: string): EventDraft {
  return draft('UserMetadataUpdated', {
    id: randomUUID(),
    assetId,
    actor: 'tester',
    source: 'api',
    correlationId: randomUUID(),
    causationId: null,
    payload: { title },
  });
}

/** A valid draft of any type, as a processor would append it. */
export function resultDraft<T extends EventType>(assetId: string, type: T, payload: PayloadOf<T>): EventDraft {
  return draft(type, {
    id: randomUUID(),
    assetId,
    actor: 'medialake',
    source: 'processor:test@1',
    correlationId: randomUUID(),
    causationId: null,
    payload,
  } as never);
}

/** Drafts as a log stores them: appended to a fresh embedded log, read back in order. */
export async function storedHistory(path: string, history: EventDraft[]): Promise<StoredEvent[]> {
  const log = new SqliteEventLog({ path });
  try {
    await log.append(history);
    const events: StoredEvent[] = [];
    for await (const batch of log.readAll()) events.push(...batch);
    return events;
  } finally {
    await log.close();
  }
}
