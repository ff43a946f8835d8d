import { FAVOURITE_EVENTS, MEMBERSHIP_EVENTS, type EventType, type PayloadOf } from '../schemas/events';
import type { StoredEvent } from '../schemas/envelope';
import { REDACTED, redactedName, redactedOrigin } from '../projections/assetRecord';
import type { Visibility } from './visibility';

type RedactableField = PayloadOf<'AssetTextRedacted'>['fields'][number];

const FAVOURITES = new Set<EventType>(FAVOURITE_EVENTS);
const MEMBERSHIPS = new Set<EventType>(MEMBERSHIP_EVENTS);

/**
 * An asset's history as the API shows it: a view of the asset like its
 * record. The log keeps every event as written (law 6) and the audit trail
 * shows them so, to those who may read it; here
 * - the text a later AssetTextRedacted names reads as redacted in the events
 *   before it, as in the record;
 * - a caller who sees only what is shared with them reads their own
 *   favourites alone, the memberships of the collections they see alone, and
 *   no path or key the file came from (shownRecord's rule).
 */
export function shownHistory(events: StoredEvent[], visibility: Visibility, principalId: string): StoredEvent[] {
  const redactedLater = fieldsRedactedAfter(events);
  // The title the media's own tags give stays redacted once the asset's title was, read again later or not (as in the record).
  const titleRedacted = events.some((event) => event.type === 'AssetTextRedacted' && event.payload.fields.includes('title'));
  const shown = events.map((event, index) => withoutText(event, redactedLater[index]!, titleRedacted));
  if (visibility === 'all') return shown;
  return shown.filter((event) => viewerMayRead(event, visibility, principalId)).map((event) =>
    event.type === 'AssetIngested' ? { ...event, payload: { ...event.payload, origin: redactedOrigin(event.payload.origin) } } : event,
  );
}

/** For each event, the fields an AssetTextRedacted after it names. */
function fieldsRedactedAfter(events: StoredEvent[]): Set<RedactableField>[] {
  const after: Set<RedactableField>[] = [];
  let fields = new Set<RedactableField>();
  for (let index = events.length - 1; index >= 0; index--) {
    after[index] = fields;
    const event = events[index]!;
    if (event.type === 'AssetTextRedacted') fields = new Set([...fields, ...event.payload.fields]);
  }
  return after;
}

function withoutText(event: StoredEvent, fields: Set<RedactableField>, titleRedacted: boolean): StoredEvent {
  if (event.type === 'MediaProbed' && titleRedacted && event.payload.tags.title !== undefined) {
    return { ...event, payload: { ...event.payload, tags: { ...event.payload.tags, title: REDACTED } } };
  }
  if (event.type === 'AssetIngested' && fields.has('originalName')) {
    return { ...event, payload: { ...event.payload, originalName: redactedName(event.payload), origin: redactedOrigin(event.payload.origin) } };
  }
  if (event.type === 'UserMetadataUpdated') {
    const payload = { ...event.payload };
    for (const field of ['title', 'description'] as const) if (fields.has(field) && typeof payload[field] === 'string') payload[field] = REDACTED;
    return { ...event, payload };
  }
  return event;
}

/** Whether a viewer who sees these collections reads an event of an asset they may see: their own favourites, the memberships of those collections. */
export function viewerMayRead(event: StoredEvent, visibility: readonly string[], principalId: string): boolean {
  if (FAVOURITES.has(event.type)) return (event.payload as { principalId: string }).principalId === principalId;
  if (MEMBERSHIPS.has(event.type)) return visibility.includes((event.payload as { collectionId: string }).collectionId);
  return true;
}
