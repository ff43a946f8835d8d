import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { medialake as run } from './medialakeProcess';

describe('medialake collections', () => {
  const data = temporaryDirectory();
  const photos = temporaryDirectory();
  afterAll(() => [data, photos].forEach((directory) => directory.remove()));
  const medialake = (...args: string[]) => run(args, { MEDIALAKE_DATA: data.path, MEDIALAKE_LOG_LEVEL: 'silent' });
  const created = async (...args: string[]) => {
    const outcome = await medialake('collections', 'create', ...args, '--json');
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(outcome.stdout).collectionId as string;
  };

  it('creates, nests, shares and lists collections, and adds ingested assets to them', async () => {
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(photos.path, 'canon.jpg'));
    expect((await medialake('ingest', photos.path, '--wait', '--json')).code).toBe(0);
    const asset = JSON.parse((await medialake('search', '--json', '--limit', '1')).stdout).hits[0].assetId;
    const holiday = await created('Holiday');
    const beach = await created('Beach', '--parent', holiday);
    expect((await medialake('users', 'add', 'bob', '--role', 'viewer')).code).toBe(0);
    const bob = `user:${JSON.parse((await medialake('users', 'list', '--json')).stdout).find((user: { name: string }) => user.name === 'bob').userId}`;
    expect((await medialake('collections', 'share', holiday, '--user', 'bob', '--role', 'editor')).code).toBe(0);
    expect((await medialake('collections', 'add', beach, asset)).stdout).toMatch(/^AssetAddedToCollection: /);
    expect(JSON.parse((await medialake('collections', 'remove', beach, asset, '--json')).stdout)).toEqual({
      type: 'AssetRemovedFromCollection',
      collectionId: beach,
      assetId: asset,
      eventId: expect.any(String),
    });
    expect((await medialake('collections', 'add', beach, asset)).code).toBe(0);
    // Added already, or not in it: nothing appended, and said so.
    expect((await medialake('collections', 'add', beach, asset)).stdout).toBe(`unchanged: ${asset} is in collection ${beach} already\n`);
    expect(JSON.parse((await medialake('collections', 'remove', holiday, asset, '--json')).stdout)).toEqual({ unchanged: `${asset} is not in collection ${holiday} already` });
    const list = JSON.parse((await medialake('collections', 'list', '--json')).stdout);
    expect(list).toEqual([
      expect.objectContaining({ id: beach, name: 'Beach', parentId: holiday, shares: [], createdBy: 'erin' }),
      expect.objectContaining({ id: holiday, name: 'Holiday', parentId: null, shares: [{ subject: { kind: 'principal', id: bob }, role: 'editor' }] }),
    ]);
    expect((await medialake('collections', 'revoke', holiday, '--user', bob)).code).toBe(0);
    expect(JSON.parse((await medialake('collections', 'list', '--json')).stdout)[1].shares).toEqual([]);
  });

  it('says in one line, with a non-zero exit, what it refuses', async () => {
    const holiday = await created('Trip');
    const beach = await created('Dunes', '--parent', holiday);
    for (const [args, message] of [
      [['collections', 'move', holiday, '--parent', beach], /nested under itself/],
      [['collections', 'delete', holiday], /has collections nested under it/],
      [['collections', 'rename', 'c123', 'x'], /is not a collection id/],
      [['collections', 'add', holiday, 'anoasset000'], /there is no asset anoasset000/],
      [['collections', 'share', holiday], /give either --user/],
      [['collections', 'share', holiday, '--user', 'nobody'], /there is no user nobody/],
      [['collections', 'share', holiday, '--user', 'team:press'], /names no principal: a user is user:<userId>/],
      [['collections', 'revoke', holiday, '--group', 'press'], /is not shared with group press/],
      [['collections', 'rename', `c${'0'.repeat(32)}`, 'x'], /there is no collection/],
      [['collections', 'create', ' '], /" " is not a name of 1 to 200 characters/],
      [['collections', 'rename', holiday, ''], /"" is not a name of 1 to 200 characters/],
    ] as const) {
      const outcome = await medialake(...args);
      expect(outcome.code, args.join(' ')).toBe(1);
      expect(outcome.stderr).toMatch(new RegExp(`^medialake: .*${message.source}.*\\n$`));
    }
  });

  it('prints the id of a collection it creates, alone on its line, as its help says', async () => {
    const outcome = await medialake('collections', 'create', 'Printed');
    expect(outcome.code).toBe(0);
    const id = outcome.stdout.trimEnd();
    expect(outcome.stdout).toMatch(/^c[0-9a-f]{32}\n$/);
    expect(JSON.parse((await medialake('collections', 'list', '--json')).stdout)).toContainEqual(expect.objectContaining({ id, name: 'Printed' }));
  });

  it('has --help on every subcommand', async () => {
    for (const command of ['list', 'create', 'rename', 'move', 'delete', 'add', 'remove', 'share', 'revoke']) {
      const { code, stdout } = await medialake('collections', command, '--help');
      expect({ command, code }).toEqual({ command, code: 0 });
      expect(stdout).toMatch(new RegExp(`^Usage: medialake collections ${command}`));
    }
  });
});
