import type { DeadLetter, DeadLetterPlace, EventLog } from '../log/eventLog';
import { InvalidCursorError } from '../projections/audit/auditTrail';
import { cursorOfFields, fieldsOf } from '../projections/listingCursor';

/** A page of dead letters, newest first; `next` names the page after it (absent on the last). */
export interface DeadLetterPage {
  deadLetters: DeadLetter[];
  next?: string;
}

export interface DeadLetterPageQuery {
  group?: string;
  assetId?: string;
  limit: number;
  /** The `next` of the page before. */
  after?: string;
}

/** A dead letter's place as a cursor: base64url of its time, group and event id, one a line. */
const cursorOf = ({ time, group, eventId }: DeadLetterPlace) => cursorOfFields([time, group, eventId]);

function placeOf(cursor: string): DeadLetterPlace {
  const [time, group, eventId] = fieldsOf(cursor, 3) ?? [];
  if (!time || !group || !eventId) throw new InvalidCursorError();
  return { time, group, eventId };
}

/** What `GET /dead-letters` and `medialake dead-letters` list: one more is asked for, to know whether a next page exists. */
export async function deadLetterPage(log: EventLog, { group, assetId, limit, after }: DeadLetterPageQuery): Promise<DeadLetterPage> {
  const found = await log.deadLetters({ group, assetId, limit: limit + 1, after: after === undefined ? undefined : placeOf(after) });
  const deadLetters = found.slice(0, limit);
  return { deadLetters, ...(found.length > limit && { next: cursorOf(deadLetters.at(-1)!) }) };
}
