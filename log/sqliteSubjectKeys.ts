import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { openReadOnly, openSqliteDatabase } from './sqliteDatabase';
import { newSubjectKey, subjectHash, type SubjectKey, type SubjectKeys } from './subjectKeys';

/** The log holds values sealed under subject keys, and the file of those keys is not there. */
export class SubjectKeysMissingError extends Error {
  readonly code = 'SUBJECT_KEYS_MISSING';
  constructor(path: string) {
    super(
      `${path} is missing, and the log holds personal data sealed under its keys: restore it from the backup it was copied with ` +
        '(a new one would make every name on the log read "[erased]" for good)',
    );
  }
}

/**
 * The subject keys of the embedded log at `logPath`, refused where their file
 * is gone but the log names people: a backup restored without it, a file
 * deleted by mistake. Made anew, it would hold none of their keys, and every
 * sealed value would read as erased.
 */
export function openSqliteSubjectKeys(path: string, logPath: string): SqliteSubjectKeys {
  if (!existsSync(path) && logSealsPersonalData(logPath)) throw new SubjectKeysMissingError(path);
  return new SqliteSubjectKeys(path);
}

/** Whether any event of the log at `path` holds a sealed value: its actor, or a name in its payload. */
function logSealsPersonalData(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = openReadOnly(path);
  try {
    const sealed = "SELECT 1 FROM events WHERE actor LIKE 'sealed:%' OR payload LIKE '%\"sealed:v1:%' LIMIT 1";
    return db.prepare(sealed).get() !== undefined;
  } catch (error) {
    // No events table: no log yet. Anything else (a busy or damaged file) is no proof that the log names no one.
    if (/no such table/.test((error as Error).message)) return false;
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Subject keys of the embedded lake, in their own SQLite file beside the log.
 * secure_delete overwrites a destroyed key's bytes, and the rollback journal
 * (not WAL) leaves no older copy of the page once the delete commits.
 */
export class SqliteSubjectKeys implements SubjectKeys {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(path: string) {
    this.db = openSqliteDatabase(path, 'delete');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS subject_keys (
      subject_hash TEXT PRIMARY KEY,
      key_id       TEXT NOT NULL UNIQUE,
      key          BLOB NOT NULL
    )`);
    this.statements = {
      bySubject: this.db.prepare<[string], { key_id: string; key: Buffer }>('SELECT key_id, key FROM subject_keys WHERE subject_hash = ?'),
      byId: this.db.prepare<[string], { key: Buffer }>('SELECT key FROM subject_keys WHERE key_id = ?'),
      insert: this.db.prepare('INSERT OR IGNORE INTO subject_keys (subject_hash, key_id, key) VALUES (?, ?, ?)'),
      remove: this.db.prepare('DELETE FROM subject_keys WHERE subject_hash = ?'),
    };
  }

  async keysOf(subjects: string[]): Promise<Map<string, SubjectKey>> {
    const keys = new Map<string, SubjectKey>();
    const find = (subject: string) => {
      const row = this.statements.bySubject.get(subjectHash(subject));
      if (row) keys.set(subject, { id: row.key_id, key: row.key });
    };
    subjects.forEach(find);
    const missing = subjects.filter((subject) => !keys.has(subject));
    // Only a new subject costs a write; another process may make the same one first (OR IGNORE, then read back).
    if (missing.length) {
      this.db.transaction(() => missing.forEach((subject) => {
        const made = newSubjectKey();
        this.statements.insert.run(subjectHash(subject), made.id, made.key);
        find(subject);
      })).immediate();
    }
    return keys;
  }

  async keysById(ids: string[]): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    for (const id of ids) {
      const row = this.statements.byId.get(id);
      if (row) keys.set(id, row.key);
    }
    return keys;
  }

  async destroy(subject: string): Promise<boolean> {
    return this.statements.remove.run(subjectHash(subject)).changes > 0;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
