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
  // The title (and a photo's description) the media's own tags give stay redacted once the asset's were, read again later or not (as in the record).
  const everRedacted = new Set(events.flatMap((event) => (event.type === 'AssetTextRedacted' ? event.payload.fields : [])));
  const shown = events.map((event, index) => withoutText(event, redactedLater[index]!, everRedacted));
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

function withoutText(event: StoredEvent, fields: Set<RedactableField>, everRedacted: Set<RedactableField>): StoredEvent {
  if (event.type === 'MediaProbed' && everRedacted.has('title') && event.payload.tags.title !== undefined) {
    return { ...event, payload: { ...event.payload, tags: { ...event.payload.tags, title: REDACTED } } };
  }
  if (event.type === 'TechnicalMetadataExtracted' && (event.payload.xmp || event.payload.iptc)) {
    const { xmp, iptc } = event.payload;
    return { ...event, payload: { ...event.payload, ...(xmp && { xmp: redactedEmbedded(xmp, everRedacted) }), ...(iptc && { iptc: redactedEmbedded(iptc, everRedacted) }) } };
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

/** A photo's own XMP or IPTC text with the redacted title and description read as redacted. */
function redactedEmbedded<T extends { title?: unknown; description?: unknown }>(block: T, redacted: Set<RedactableField>): T {
  const shown = { ...block };
  for (const field of ['title', 'description'] as const) if (redacted.has(field) && shown[field] !== undefined) shown[field] = REDACTED as T[typeof field];
  return shown;
}

/** Whether a viewer who sees these collections reads an event of an asset they may see: their own favourites, the memberships of those collections. */
export function viewerMayRead(event: StoredEvent, visibility: readonly string[], principalId: string): boolean {
  if (FAVOURITES.has(event.type)) return (event.payload as { principalId: string }).principalId === principalId;
  if (MEMBERSHIPS.has(event.type)) return visibility.includes((event.payload as { collectionId: string }).collectionId);
  return true;
}
