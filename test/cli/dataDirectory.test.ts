import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

  it("one the user may write, holding files of another user's (root's) that they may not", async () => {
    const owned = join(data.path, 'owned');
    expect((await medialake(['--data', owned, 'users', 'add', 'someone', '--role', 'viewer'], { MEDIALAKE_LOG_LEVEL: 'silent' })).code).toBe(0);
    chmodSync(owned, 0o777);
    for (const entry of readdirSync(owned, { withFileTypes: true })) if (entry.isFile()) chmodSync(join(owned, entry.name), 0o444);
    const { code, stdout, stderr } = await medialakeReadOnly(['--data', owned, 'status']);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(new RegExp(`^medialake: ${owned}/\\S+\\.db in the data directory is not writable \\(EACCES\\): the lake writes its files even to read; run as the user that owns them\n$`));
  });

  it("one whose databases the user may write, beside files that are not the lake's to write (a read-only chain key, lost+found)", async () => {
    const mounted = join(data.path, 'mounted');
    expect((await medialake(['--data', mounted, 'users', 'add', 'someone', '--role', 'viewer'], { MEDIALAKE_LOG_LEVEL: 'silent' })).code).toBe(0);
    chmodSync(mounted, 0o777);
    for (const entry of readdirSync(mounted, { withFileTypes: true })) if (entry.isFile()) chmodSync(join(mounted, entry.name), 0o666);
    chmodSync(join(mounted, 'chain.key'), 0o444);
    mkdirSync(join(mounted, 'lost+found'), { mode: 0o700 });
    const { code, stderr } = await medialakeReadOnly(['--data', mounted, 'status']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
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

describe('a lake whose projections are ahead of its log (a log restored from an older copy)', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());

  it('has the commands that read them say so and exit, rather than wait for good', async () => {
    const lake = join(data.path, 'lake');
    const run = (...args: string[]) => medialake(['--data', lake, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
    expect((await run('users', 'add', 'someone', '--role', 'viewer')).code).toBe(0);
    copyFileSync(join(lake, 'log.db'), join(data.path, 'older-log.db'));
    for (const name of ['ann', 'ben', 'cy']) expect((await run('users', 'add', name, '--role', 'viewer')).code).toBe(0);
    expect((await run('audit')).code).toBe(0); // the trail folds every event there is now
    for (const file of ['log.db-wal', 'log.db-shm']) rmSync(join(lake, file), { force: true });
    copyFileSync(join(data.path, 'older-log.db'), join(lake, 'log.db'));

    const { code, stdout, stderr } = await run('audit');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^medialake: projection:audit holds position \d+ of partition 0, past the end of the log \(\d+ events\): .* Rebuild it from the log \(medialake projections rebuild NAME\)\n$/);
  }, 60_000);
});
