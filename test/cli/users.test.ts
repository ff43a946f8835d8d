import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { openLake } from '../../app/lake';
import { buildServer } from '../../api/server';
import { catchUp } from '../../projections/projection';
import { temporaryDirectory } from '../support/fixtures';
import { bearer } from '../support/principals';
import { medialake } from './medialakeProcess';

describe('medialake users and keys: local principals as events on the log', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());
  const cli = (...args: string[]) => medialake(args, { MEDIALAKE_DATA: data.path, MEDIALAKE_LOG_LEVEL: 'silent' });
  const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!;

  /** Calls GET /assets on the lake with each key: the statuses, in order. */
  async function statusesWith(...apiKeys: string[]): Promise<number[]> {
    const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
    await catchUp(lake.log, lake.principals, lake.logger);
    const app = await buildServer(lake);
    try {
      const statuses = [];
      for (const apiKey of apiKeys) statuses.push((await app.inject({ url: '/assets', headers: bearer(apiKey) })).statusCode);
      return statuses;
    } finally {
      await app.close();
      await lake.close();
    }
  }

  it('adds users, prints the key last, lists them, and the keys sign in until revoked or the user is disabled', async () => {
    const ada = await cli('users', 'add', 'Ada Lovelace', '--role', 'admin');
    expect(ada.code).toBe(0);
    const adaKey = lastLine(ada.stdout);
    expect(adaKey).toMatch(/^mlk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const bob = lastLine((await cli('users', 'add', 'bob', '--role', 'viewer', '--group', 'press')).stdout);
    const bobSecond = lastLine((await cli('keys', 'create', 'bob')).stdout);

    const listed = JSON.parse((await cli('users', 'list', '--json')).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ name: 'Ada Lovelace', role: 'admin', groups: [], disabled: false, keys: [expect.objectContaining({ revoked: false })] }),
      expect.objectContaining({ name: 'bob', role: 'viewer', groups: ['press'], keys: [expect.anything(), expect.anything()] }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(adaKey.split('_')[2]); // the secret is never kept, nor its digest shown
    expect((await cli('users', 'list')).stdout).toMatch(/Ada Lovelace\s+admin/);
    expect(await statusesWith(adaKey, bob, bobSecond)).toEqual([200, 200, 200]);

    expect((await cli('keys', 'revoke', bob.split('_')[1]!)).code).toBe(0);
    expect(await statusesWith(bob, bobSecond)).toEqual([401, 200]);
    expect((await cli('users', 'disable', 'bob')).code).toBe(0);
    expect(await statusesWith(bobSecond, adaKey)).toEqual([401, 200]);
    // Not revoked, yet not working: no longer listed as active.
    const table = (await cli('users', 'list')).stdout;
    expect(table).toMatch(/^bob\s+viewer\s+press\s+disabled\s+user-[0-9a-f]{16}\s*$/m);
    expect(table).not.toContain(bobSecond.split('_')[1]);
  });

  it('refuses a taken name, a system name and an unknown key with one line and a non-zero exit', async () => {
    for (const args of [
      ['users', 'add', 'ADA  LOVELACE', '--role', 'viewer'],
      ['users', 'add', 'medialake', '--role', 'admin'],
      ['users', 'add', '[erased]', '--role', 'admin'],
      ['users', 'add', 'carol', '--role', 'owner'],
      ['keys', 'revoke', 'abcdefabcdef'],
      ['users', 'disable', 'nobody'],
    ]) {
      const outcome = await cli(...args);
      expect([args.join(' '), outcome.code]).toEqual([args.join(' '), 1]);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(outcome.stderr).toMatch(/^medialake: /);
    }
  });

  it('audits every change and rebuilds the principals projection to the live state', async () => {
    const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
    try {
      await catchUp(lake.log, lake.audit, lake.logger);
      const { entries } = await lake.audit.query({ type: ['UserAdded', 'UserDisabled', 'ApiKeyCreated', 'ApiKeyRevoked'], limit: 100 });
      expect(entries.map((e) => e.type).sort()).toEqual(
        ['ApiKeyCreated', 'ApiKeyCreated', 'ApiKeyCreated', 'ApiKeyRevoked', 'UserAdded', 'UserAdded', 'UserDisabled'].sort(),
      );
      expect(new Set(entries.map((e) => `${e.actor} via ${e.source}`))).toEqual(new Set(['erin via cli']));
      await catchUp(lake.log, lake.principals, lake.logger);
      const live = await lake.principals.users();
      await lake.projections.rebuildAll(['principals']);
      expect(await lake.principals.users()).toEqual(live);
    } finally {
      await lake.close();
    }
  });

  it("changes a user's role and groups as events; the next request gets the new role", async () => {
    const key = lastLine((await cli('users', 'add', 'carol', '--role', 'viewer')).stdout);
    const audit = async () => {
      const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
      await catchUp(lake.log, lake.principals, lake.logger);
      const app = await buildServer(lake);
      try {
        return (await app.inject({ url: '/audit', headers: bearer(key) })).statusCode;
      } finally {
        await app.close();
        await lake.close();
      }
    };
    expect(await audit()).toBe(403);
    const set = await cli('users', 'set', 'carol', '--role', 'admin', '--group', 'press', '--json');
    expect(set.code).toBe(0);
    expect(await audit()).toBe(200);
    const carol = JSON.parse((await cli('users', 'list', '--json')).stdout).find((user: { name: string }) => user.name === 'carol');
    expect(carol).toMatchObject({ role: 'admin', groups: ['press'] });
    expect(JSON.parse(set.stdout)).toEqual(carol); // --json prints the user as changed, as the list shows them
    expect((await cli('users', 'set', 'carol')).stderr).toMatch(/nothing to change/);
  });

  it('takes a user by id as well as by name; erased users all read [erased], and their accounts are disabled', async () => {
    for (const name of ['dave', 'erin', 'frank']) expect((await cli('users', 'add', name, '--role', 'viewer')).code).toBe(0);
    expect((await cli('erase', 'dave', 'erin')).code).toBe(0);
    const listed = JSON.parse((await cli('users', 'list', '--json')).stdout) as { userId: string; name: string; disabled: boolean }[];
    const erased = listed.filter((user) => user.name === '[erased]');
    expect(erased.map((user) => user.disabled)).toEqual([true, true]);
    const ambiguous = await cli('users', 'disable', '[erased]');
    expect([ambiguous.code, ambiguous.stderr]).toEqual([1, expect.stringMatching(/^medialake: erased users share the name \[erased\]: give the user id/)]);
    const again = await cli('users', 'disable', erased[0]!.userId);
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/^medialake: there is no enabled user /)]);

    const frank = listed.find((user) => user.name === 'frank')!;
    expect((await cli('users', 'disable', frank.userId)).code).toBe(0);
    expect(JSON.parse((await cli('users', 'list', '--json')).stdout).find((user: { userId: string }) => user.userId === frank.userId).disabled).toBe(true);
    expect((await cli('users', 'list')).stdout).toContain(erased[1]!.userId);
  });
});
