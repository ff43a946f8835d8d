import { execFile } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';
import { CLI, medialake, type Outcome } from './medialakeProcess';

/** Root may write anywhere: there the CLI runs as nobody, for whom a directory of root's is read-only. */
const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function medialakeReadOnly(args: string[]): Promise<Outcome> {
  const env = { ...process.env, MEDIALAKE_ACTOR: 'erin', MEDIALAKE_LOG_LEVEL: 'silent', HOME: '/tmp' };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000, ...asOther }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('a data directory the lake cannot use is named in one line', () => {
  const data = temporaryDirectory();
  const lake = join(data.path, 'lake');
  beforeAll(async () => {
    expect((await medialake(['--data', lake, 'users', 'add', 'someone', '--role', 'viewer'], { MEDIALAKE_LOG_LEVEL: 'silent' })).code).toBe(0);
    chmodSync(data.path, 0o755);
    chmodSync(lake, 0o555);
    writeFileSync(join(data.path, 'afile'), 'not a lake');
  });
  afterAll(() => {
    chmodSync(lake, 0o755);
    data.remove();
  });

  it.each([[['status']], [['search', 'canon']], [['audit', 'verify']], [['users', 'add', 'bob', '--role', 'viewer']]])(
    'one the user may read but not write: %j',
    async (args) => {
      const { code, stdout, stderr } = await medialakeReadOnly(['--data', lake, ...args]);
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: `medialake: the data directory ${lake} is not writable (EACCES): the lake writes there even to read; run as a user that may write it\n`,
      });
    },
  );

  it.each([
    [['users', 'add', 'bob', '--role', 'viewer'], 'a directory'],
    [['status'], 'the directory of an existing lake'],
  ])('a file: %j', async (args, wanted) => {
    const file = join(data.path, 'afile');
    const { code, stdout, stderr } = await medialake(['--data', file, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: `medialake: ${file} is a file, not a directory: give --data (or MEDIALAKE_DATA) ${wanted}\n` });
  });

  it('a path below a file', async () => {
    const below = join(data.path, 'afile', 'lake');
    const { code, stderr } = await medialake(['--data', below, 'users', 'add', 'bob', '--role', 'viewer'], { MEDIALAKE_LOG_LEVEL: 'silent' });
    expect({ code, stderr }).toEqual({ code: 1, stderr: `medialake: the data directory ${below} cannot be made: part of its path is a file, not a directory\n` });
  });
});

describe('a lake restored without its subject keys', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());

  it.each([[['audit']], [['users', 'list']], [['users', 'add', 'bob', '--role', 'viewer']]])(
    'is refused in one line, and no new keys file is made: %j',
    async (args) => {
      const lake = join(data.path, args.join('-'));
      expect((await medialake(['--data', lake, 'users', 'add', 'someone', '--role', 'viewer'], { MEDIALAKE_LOG_LEVEL: 'silent' })).code).toBe(0);
      rmSync(join(lake, 'keys.db'));
      const { code, stdout, stderr } = await medialake(['--data', lake, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `medialake: ${join(lake, 'keys.db')} is missing, and the log holds personal data sealed under its keys: restore it from the backup ` +
          'it was copied with (a new one would make every name on the log read "[erased]" for good)\n',
      });
      expect(existsSync(join(lake, 'keys.db'))).toBe(false);
    },
  );
});
