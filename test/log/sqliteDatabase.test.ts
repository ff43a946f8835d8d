import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';

const MODULE = fileURLToPath(new URL('../../log/sqliteDatabase.ts', import.meta.url));
const PROCESSES = 8;
const directory = temporaryDirectory();
afterAll(() => directory.remove());

/** A process that waits until `at` (ms since the epoch), then opens `path` in WAL mode and writes a row. */
function opener(path: string, at: number): Promise<string> {
  const script = `import { openSqliteDatabase } from ${JSON.stringify(MODULE)};
    while (Date.now() < ${at});
    const db = openSqliteDatabase(${JSON.stringify(path)}, 'wal');
    db.exec('CREATE TABLE IF NOT EXISTS opened (pid INTEGER)');
    db.prepare('INSERT INTO opened VALUES (?)').run(process.pid);
    db.close();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve(code === 0 ? 'opened' : output.trim().split('\n')[0]!)));
}

describe('a SQLite file that several processes open for the first time at the same moment', () => {
  it('opens in each of them, in WAL mode (changing the mode runs no busy handler: it is retried)', async () => {
    for (let round = 0; round < 3; round++) {
      const path = join(directory.path, `shared-${round}.db`);
      const at = Date.now() + 2_000; // after every process has loaded
      const outcomes = await Promise.all(Array.from({ length: PROCESSES }, () => opener(path, at)));
      expect(outcomes).toEqual(Array(PROCESSES).fill('opened'));
      const db = new Database(path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT count(*) AS n FROM opened').get()).toEqual({ n: PROCESSES });
      db.close();
    }
  }, 60_000);
});
