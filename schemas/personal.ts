import { z } from 'zod';

/**
 * Personal data, and how it is stored: sealed under a key of the person it
 * names (log/sealedLog.ts), so that destroying the key erases it everywhere
 * the log is read while the log itself stays as written (law 6).
 *
 * A personal field's value names its subject: an actor, a creator, a person
 * shown. `sealed:v1:KEY_ID:DATA` is what the log holds in its place.
 */
export const SEALED = /^sealed:v1:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{40,}$/;

/** What a personal field reads as once its subject's key is destroyed. */
export const ERASED = '[erased]';

/** Actors that are the system, not a person: never sealed. */
const SYSTEM_ACTORS = new Set(['medialake', 'anonymous', 's3']);

/**
 * A personal field: the plain value as producers write it, or the sealed form
 * the log keeps. The sealed form is checked for shape only; the plain value is
 * validated before it is sealed.
 */
export function personal(plain: z.ZodString) {
  return z.union([plain, z.string().max(16_384).regex(SEALED)]);
}

/** The subject a personal value names: one key for "Jane Doe", "jane  doe " and "JANE DOE". */
export function subjectOf(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * What names one person however the name is cased: case folded, where
 * subjectOf's lower case keeps "Straße" apart from "STRASSE" and "Yılmaz"
 * from "YILMAZ". Subject keys stay under subjectOf (the keys of names already
 * sealed are found by it); an erase looks for every spelling this makes one.
 */
export function subjectFold(value: string): string {
  return subjectOf(value).toUpperCase().toLowerCase().normalize('NFC');
}

interface PersonalEvent {
  type: string;
  actor: string;
  payload: unknown;
}

/**
 * The event with `change` applied to each of its personal values: the actor
 * (unless it is the system), the people a user named in their metadata, and
 * a user's own name (UserAdded).
 * The one place that knows which fields are personal.
 */
export function mapPersonal<E extends PersonalEvent>(event: E, change: (value: string) => string): E {
  const next = SYSTEM_ACTORS.has(event.actor) ? event : { ...event, actor: change(event.actor) };
  if (event.type === 'UserAdded') {
    const payload = event.payload as { name: string };
    return { ...next, payload: { ...payload, name: change(payload.name) } };
  }
  if (event.type !== 'UserMetadataUpdated') return next;
  const { creator, people, ...rest } = event.payload as { creator?: string | null; people?: string[] | null };
  return {
    ...next,
    payload: {
      ...rest,
      ...(creator !== undefined && { creator: creator === null ? null : change(creator) }),
      ...(people !== undefined && { people: people === null ? null : people.map(change) }),
    },
  };
}

/** Every personal value of the event, in the order mapPersonal visits them. */
export function personalValues(event: PersonalEvent): string[] {
  const values: string[] = [];
  mapPersonal(event, (value) => {
    values.push(value);
    return value;
  });
  return values;
}
