import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const run = promisify(execFile);
const cli = (...args: string[]) =>
  run(process.execPath, [CLI, ...args], { env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('audit verify --log-file', () => {
  const directory = temporaryDirectory();
  afterAll(() => directory.remove());

  /** Verifies `path`, which is no medialake log: refused in one line, and the file is left as it was. */
  async function refused(path: string, why: string): Promise<void> {
    const before = readFileSync(path);
    const result = await cli('audit', 'verify', '--log-file', path);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`medialake: ${path} ${why}\n`);
    expect(readFileSync(path).equals(before)).toBe(true);
  }

  it('refuses an empty file and creates nothing in it', async () => {
    const path = join(directory.path, 'empty.db');
    writeFileSync(path, '');
    await refused(path, 'is not a medialake log: it has no events table');
  });

  it('refuses another SQLite database, leaving its tables as they were', async () => {
    const path = join(directory.path, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    await refused(path, 'is not a medialake log: it has no events table');
    const tables = new Database(path, { readonly: true });
    expect(tables.prepare('SELECT name FROM sqlite_master').pluck().all()).toEqual(['notes']);
    tables.close();
  });

  it('refuses a file that is not a database at all', async () => {
    const path = join(directory.path, 'notes.txt');
    writeFileSync(path, 'not a database, but long enough that SQLite reads its header and says so\n'.repeat(2));
    await refused(path, 'is not a medialake log: it is not a SQLite database');
  });
});

describe('audit sql --help', () => {
  it('points at docs/audit.md and tells of --format, which is the audit command\'s option', async () => {
    const { code, stdout } = await cli('audit', 'sql', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('docs/audit.md');
    expect(stdout).not.toContain('README');
    expect(stdout).toMatch(/--format table, json or csv \(default table\), the option of `medialake audit`/);
  });
});
