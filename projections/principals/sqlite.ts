import type Database from 'better-sqlite3';
import type { StoredEvent } from '../../schemas/envelope';
import { subjectOf } from '../../schemas/personal';
import { SqliteProjection } from '../sqliteProjection';
import { PRINCIPALS, foldUser, type PrincipalDirectory, type UserEntry } from './principalDirectory';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  user_id  TEXT PRIMARY KEY,
  version  INTEGER NOT NULL,
  subject  TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  entry    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_by_subject ON users (subject) WHERE disabled = 0;
CREATE TABLE IF NOT EXISTS api_keys (
  key_id  TEXT PRIMARY KEY,
  user_id TEXT NOT NULL
);`;

/** The queries of the principals table, prepared once per file. */
function prepared(db: Database.Database) {
  return {
    get: db.prepare<[string], { entry: string }>('SELECT entry FROM users WHERE user_id = ?'),
    all: db.prepare<[], { entry: string }>('SELECT entry FROM users ORDER BY rowid'),
    named: db.prepare<[string], { entry: string }>('SELECT entry FROM users WHERE subject = ? AND disabled = 0 LIMIT 1'),
    withKey: db.prepare<[string], { entry: string }>('SELECT u.entry FROM api_keys k JOIN users u USING (user_id) WHERE k.key_id = ?'),
    put: db.prepare(
      `INSERT INTO users (user_id, version, subject, disabled, entry) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, subject = excluded.subject,
         disabled = excluded.disabled, entry = excluded.entry`,
    ),
    putKey: db.prepare('INSERT OR IGNORE INTO api_keys (key_id, user_id) VALUES (?, ?)'),
  };
}

/** The principals in SQLite: a user's entry as JSON, its name's subject and its keys indexed for sign-in. */
export class SqlitePrincipalDirectory extends SqliteProjection implements PrincipalDirectory {
  protected override readonly reads = new Set(PRINCIPALS.events);
  private readonly statements = prepared(this.db);

  constructor(path: string) {
    super(`projection:${PRINCIPALS.name}`, path, SCHEMA);
  }

  protected applyBatch(batch: StoredEvent[]): void {
    for (const event of batch) {
      const row = this.statements.get.get(event.assetId);
      const user = row && (JSON.parse(row.entry) as UserEntry);
      if (user && event.assetVersion <= user.version) continue; // applied already (law 4)
      const next = foldUser(user, event);
      if (!next) continue;
      this.statements.put.run(next.userId, next.version, subjectOf(next.name), next.disabled ? 1 : 0, JSON.stringify(next));
      for (const keyId of Object.keys(next.keys)) this.statements.putKey.run(keyId, next.userId);
    }
  }

  async users(): Promise<UserEntry[]> {
    return this.statements.all.all().map((row) => JSON.parse(row.entry));
  }

  async userNamed(name: string): Promise<UserEntry | undefined> {
    const row = this.statements.named.get(subjectOf(name));
    return row && JSON.parse(row.entry);
  }

  async userWithKey(keyId: string): Promise<UserEntry | undefined> {
    const row = this.statements.withKey.get(keyId);
    return row && JSON.parse(row.entry);
  }
}
