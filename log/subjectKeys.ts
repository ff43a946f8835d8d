import { createHash, randomBytes } from 'node:crypto';

/** A subject's key: AES-256, and the random id the log names it by (never the subject). */
export interface SubjectKey {
  id: string;
  key: Buffer;
}

/**
 * The keys personal data is sealed under, one per subject (log/sealedLog.ts).
 * Destroying one erases what was sealed under it wherever the log is read,
 * without rewriting the log (law 6). Subjects come normalized (subjectOf).
 */
export interface SubjectKeys {
  /** Each subject's key, made when it has none yet. */
  keysOf(subjects: string[]): Promise<Map<string, SubjectKey>>;
  /** Keys by id; a destroyed one is absent. */
  keysById(ids: string[]): Promise<Map<string, Buffer>>;
  /** Destroys the subject's key for good; false when it had none. */
  destroy(subject: string): Promise<boolean>;
  close(): Promise<void>;
}

export function newSubjectKey(): SubjectKey {
  return { id: randomBytes(16).toString('base64url'), key: randomBytes(32) };
}

/** Stores hold a hash of the subject, not the name: a copy of the store lists no one. */
export function subjectHash(subject: string): string {
  return createHash('sha256').update(subject).digest('hex');
}
