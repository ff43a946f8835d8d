import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { validateEvent, type EventDraft, type StoredEvent } from '../schemas/envelope';
import { ERASED, SEALED, mapPersonal, personalValues, subjectOf } from '../schemas/personal';
import type { EventLog, SubscribeOptions } from './eventLog';
import type { SubjectKey, SubjectKeys } from './subjectKeys';

/**
 * Crypto-shredding (law 6): every personal value (schemas/personal.ts) is
 * sealed with AES-256-GCM under its subject's key before it reaches the log,
 * and opened as it is read. `eraseSubject` destroys the key: from then on the
 * value reads as "[erased]" everywhere, so projections rebuilt afterwards hold
 * no trace of it, while the log, and its hash chain, stay exactly as written.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealedValueError extends Error {
  readonly code = 'SEALED_VALUE_UNREADABLE';
  constructor(eventId: string) {
    super(`a sealed value of event ${eventId} does not open with its key: the log or the key store was altered (run medialake audit verify)`);
  }
}

/** The event id is authenticated with the value, so a sealed value moved to another event does not open. */
function seal(value: string, key: SubjectKey, eventId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv).setAAD(Buffer.from(eventId));
  const data = Buffer.concat([iv, cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `sealed:v1:${key.id}:${data.toString('base64url')}`;
}

const keyIdOf = (value: string): string | undefined => (SEALED.test(value) ? value.split(':')[2] : undefined);

function open(value: string, key: Buffer, eventId: string): string {
  const data = Buffer.from(value.split(':')[3]!, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES)).setAAD(Buffer.from(eventId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedValueError(eventId);
  }
}

/** How many opened values an opener remembers. */
const OPENED_MAX = 10_000;

/**
 * Opens the sealed values of events. The consumers of a process read the
 * same events, so what it opened is remembered (by event and sealed value)
 * and decrypted once; but keys are looked up on every read, so a value
 * whose key is gone reads as erased at once.
 */
function opener(keys: SubjectKeys) {
  const opened = new Map<string, string>();
  const openOnce = (value: string, key: Buffer, eventId: string): string => {
    const remembered = opened.get(`${eventId}:${value}`);
    if (remembered !== undefined) return remembered;
    const plain = open(value, key, eventId);
    if (opened.size >= OPENED_MAX) opened.clear();
    opened.set(`${eventId}:${value}`, plain);
    return plain;
  };
  return async <E extends StoredEvent>(events: E[]): Promise<E[]> => {
    const ids = new Set(events.flatMap((event) => personalValues(event).flatMap((value) => keyIdOf(value) ?? [])));
    if (!ids.size) return events;
    const found = await keys.keysById([...ids]);
    return events.map((event) =>
      mapPersonal(event, (value) => {
        const id = keyIdOf(value);
        if (id === undefined) return value;
        const key = found.get(id);
        return key ? openOnce(value, key, event.id) : ERASED;
      }),
    );
  };
}

async function sealDrafts(drafts: EventDraft[], keys: SubjectKeys): Promise<EventDraft[]> {
  const values = drafts.map(personalValues);
  if (!values.some((personal) => personal.length)) return drafts;
  // Validated as written: once sealed, a value's length no longer shows.
  const plain = drafts.map((draft, i) => {
    if (!values[i]!.length) return draft;
    const { assetVersion: _placed, ...valid } = validateEvent({ ...draft, assetVersion: 1 });
    return valid as EventDraft;
  });
  const subjects = new Set(values.flat().map(subjectOf));
  const found = await keys.keysOf([...subjects]);
  return plain.map((draft) =>
    mapPersonal(draft, (value) => {
      const key = found.get(subjectOf(value));
      if (!key) throw new Error('a subject key vanished while it was being made: append again');
      return seal(value, key, draft.id);
    }),
  );
}

async function* openBatches(batches: AsyncIterable<StoredEvent[]>, openEvents: ReturnType<typeof opener>): AsyncIterable<StoredEvent[]> {
  for await (const batch of batches) yield await openEvents(batch);
}

/**
 * The log with personal data sealed on the way in and opened on the way out.
 * Everything else the backend offers (lag, checkpoints, its hash chain, …)
 * passes through to it unchanged.
 */
export function sealPersonalData(log: EventLog, keys: SubjectKeys): EventLog {
  const readAfter = (log as Partial<{ readAfter(...args: unknown[]): Promise<StoredEvent[]> }>).readAfter;
  const openEvents = opener(keys);
  const sealed: Partial<EventLog> & Record<string, unknown> = {
    append: async (drafts, options) => openEvents(await log.append(await sealDrafts(drafts, keys), options)),
    readAll: (options) => openBatches(log.readAll(options), openEvents),
    readAsset: async (assetId) => openEvents(await log.readAsset(assetId)),
    subscribe: (options: SubscribeOptions) => log.subscribe({ ...options, handle: async (batch) => options.handle(await openEvents(batch)) }),
    close: async () => {
      await log.close();
      await keys.close();
    },
    ...(readAfter && { readAfter: async (...args: unknown[]) => openEvents(await readAfter.apply(log, args)) }),
  };
  return new Proxy(log, {
    get(target, property) {
      if (Object.hasOwn(sealed, property)) return sealed[property as string];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    // Replacing a method of the sealed log (a test counting reads) replaces the sealed one.
    set(target, property, value) {
      if (Object.hasOwn(sealed, property)) sealed[property as string] = value;
      else Reflect.set(target, property, value, target);
      return true;
    },
  });
}

/** Destroys the key of the subject this value names; false when it had none. */
export function eraseSubject(keys: SubjectKeys, subject: string): Promise<boolean> {
  return keys.destroy(subjectOf(subject));
}
