import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { validateEvent, type EventDraft, type LogPosition, type StoredEvent } from '../schemas/envelope';
import { ERASED, SEALED, mapPersonal, personalValues, subjectFold, subjectOf } from '../schemas/personal';
import type { AssetHead } from './assetHead';
import type { AppendOptions, DeadLetter, DeadLetterKey, DeadLetterQuery, EventLog, Positions, SubscribeOptions, Subscription } from './eventLog';
import { isTamperEvident, type TamperEvident } from './hashChain';
import type { PollingSource } from './pollingConsumer';
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

/**
 * A sealed value's length in blocks of this many bytes: AES-GCM keeps the
 * plaintext's length, and an erased name's exact length is a clue to whose
 * it was. The padding is NUL characters, which no name holds; values sealed
 * before there was padding have none.
 */
const PADDED_TO = 32;
const padded = (value: string) => {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([bytes, Buffer.alloc(PADDED_TO - (bytes.length % PADDED_TO))]);
};

/** The event id is authenticated with the value, so a sealed value moved to another event does not open. */
function seal(value: string, key: SubjectKey, eventId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv).setAAD(Buffer.from(eventId));
  const data = Buffer.concat([iv, cipher.update(padded(value)), cipher.final(), cipher.getAuthTag()]);
  return `sealed:v1:${key.id}:${data.toString('base64url')}`;
}

const keyIdOf = (value: string): string | undefined => (SEALED.test(value) ? value.split(':')[2] : undefined);

function open(value: string, key: Buffer, eventId: string): string {
  const data = Buffer.from(value.split(':')[3]!, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES)).setAAD(Buffer.from(eventId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8').replace(/\0+$/, '');
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

type OpenEvents = ReturnType<typeof opener>;

async function* openBatches(batches: AsyncIterable<StoredEvent[]>, openEvents: OpenEvents): AsyncIterable<StoredEvent[]> {
  for await (const batch of batches) yield await openEvents(batch);
}

/** A log that reads by position (every backend does): what `projections status` times waits with. */
type ReadsAfter = Pick<PollingSource, 'partitionIds' | 'readAfter'>;

function readsAfter(log: EventLog): log is EventLog & ReadsAfter {
  const candidate = log as Partial<ReadsAfter>;
  return typeof candidate.readAfter === 'function' && typeof candidate.partitionIds === 'function';
}

/**
 * The log with personal data sealed on the way in and opened on the way out:
 * a decorator of the backend's log. What carries events (append, the reads,
 * subscriptions) seals or opens them; the rest is forwarded as it is. The
 * backend's own extras are offered where it has them: its hash chain check
 * (over the log as stored) and reads by position.
 */
export class SealedEventLog implements EventLog, Partial<TamperEvident>, Partial<ReadsAfter> {
  private readonly openEvents: OpenEvents;
  readonly verifyChain?: TamperEvident['verifyChain'];
  readonly partitionIds?: ReadsAfter['partitionIds'];
  readonly readAfter?: ReadsAfter['readAfter'];

  constructor(
    private readonly log: EventLog,
    private readonly keys: SubjectKeys,
  ) {
    this.openEvents = opener(keys);
    if (isTamperEvident(log)) this.verifyChain = (anchor) => log.verifyChain(anchor);
    if (readsAfter(log)) {
      this.partitionIds = () => log.partitionIds();
      this.readAfter = async (partition, after, limit) => this.openEvents(await log.readAfter(partition, after, limit));
    }
  }

  async append(drafts: EventDraft[], options?: AppendOptions): Promise<StoredEvent[]> {
    return this.openEvents(await this.log.append(await sealDrafts(drafts, this.keys), options));
  }

  readAll(options?: { batchSize?: number }): AsyncIterable<StoredEvent[]> {
    return openBatches(this.log.readAll(options), this.openEvents);
  }

  async readAsset(assetId: string): Promise<StoredEvent[]> {
    return this.openEvents(await this.log.readAsset(assetId));
  }

  async readAt(position: LogPosition): Promise<StoredEvent | undefined> {
    const event = await this.log.readAt(position);
    return event && (await this.openEvents([event]))[0];
  }

  /** Nothing personal in a head: forwarded as it is. */
  assetHead(assetId: string): Promise<AssetHead> {
    return this.log.assetHead(assetId);
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.log.subscribe({ ...options, handle: async (batch) => options.handle(await this.openEvents(batch)) });
  }

  lag(positions: Positions): Promise<number> {
    return this.log.lag(positions);
  }

  partitionLag(positions: Positions): Promise<Record<string, number>> {
    return this.log.partitionLag(positions);
  }

  committed(group: string): Promise<Positions> {
    return this.log.committed(group);
  }

  partitionsPastEnd(positions: Positions): Promise<string[]> {
    return this.log.partitionsPastEnd(positions);
  }

  groupMembers(group: string): Promise<number> {
    return this.log.groupMembers(group);
  }

  deadLetter(entry: DeadLetter): Promise<void> {
    return this.log.deadLetter(entry);
  }

  clearDeadLetters(entries: DeadLetterKey[]): Promise<void> {
    return this.log.clearDeadLetters(entries);
  }

  deadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]> {
    return this.log.deadLetters(query);
  }

  deadLetterCounts(): Promise<Record<string, number>> {
    return this.log.deadLetterCounts();
  }

  async close(): Promise<void> {
    await this.log.close();
    await this.keys.close();
  }
}

/** The log with personal data sealed under subject keys (see SealedEventLog). */
export function sealPersonalData(log: EventLog, keys: SubjectKeys): SealedEventLog {
  return new SealedEventLog(log, keys);
}

/**
 * Destroys the keys of each subject, under every spelling of their name the
 * log holds that folds to the same (subjectFold: "STRASSE MANN" erases what
 * "Straße Mann" did); per subject, whether any key was there. Reads the
 * whole log, opened, once.
 */
export async function eraseSubjects(log: EventLog, keys: SubjectKeys, subjects: string[]): Promise<boolean[]> {
  const spellings = subjects.map((subject) => new Set([subjectOf(subject)]));
  const bySubject = new Map(subjects.map((subject, i) => [subjectFold(subject), spellings[i]!]));
  for await (const batch of log.readAll({ batchSize: 1_000 })) {
    for (const value of batch.flatMap(personalValues)) bySubject.get(subjectFold(value))?.add(subjectOf(value));
  }
  const erased: boolean[] = [];
  for (const names of spellings) {
    let destroyed = false;
    for (const name of names) destroyed = (await keys.destroy(name)) || destroyed;
    erased.push(destroyed);
  }
  return erased;
}
