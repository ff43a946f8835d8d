import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LocalDirectoryStore, temporaryName } from '../../storage/localDirectory';
import { temporaryDirectory } from '../support/fixtures';
import { waitFor } from '../support/waitFor';
import { objectStoreContract } from './objectStore.contract';

const directory = temporaryDirectory();
afterAll(() => directory.remove());
let n = 0;

objectStoreContract('local directory', async () => new LocalDirectoryStore(join(directory.path, `store-${n++}`)));

it('writes nothing outside its root for an escaping key', async () => {
  const root = join(directory.path, 'jail');
  const store = new LocalDirectoryStore(root);
  await expect(store.put('../outside.txt', Buffer.from('x'))).rejects.toThrow();
  expect(existsSync(join(directory.path, 'outside.txt'))).toBe(false);
  expect(existsSync(root) ? readdirSync(root) : []).toEqual([]);
});

it('sweeps writes that a killed process left half done, and only those', async () => {
  const root = join(directory.path, 'swept');
  mkdirSync(join(root, '.partial'), { recursive: true });
  writeFileSync(join(root, '.partial', 'abandoned'), 'half an object');
  writeFileSync(join(root, '.partial', 'in-flight'), 'another process is writing this');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  utimesSync(join(root, '.partial', 'abandoned'), twoHoursAgo, twoHoursAgo);

  const store = new LocalDirectoryStore(root);
  await store.put('a/b.txt', Buffer.from('x'));
  await waitFor('the abandoned write to be swept', () => !existsSync(join(root, '.partial', 'abandoned')));
  expect(readdirSync(join(root, '.partial'))).toEqual(['in-flight']);
  const listed = [];
  for await (const object of store.list('')) listed.push(object.key);
  expect(listed).toEqual(['a/b.txt']);
  await expect(store.put('.partial/x', Buffer.from('x'))).rejects.toThrow(/writes in flight/);
});

it('sweeps at once what a dead process was writing, however recent, and keeps what live processes write', async () => {
  const root = join(directory.path, 'restarted');
  const partial = join(root, '.partial');
  mkdirSync(partial, { recursive: true });
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const mine = temporaryName();
  const kept = [`${process.ppid}.0ther0ne.live`, mine, 'not-a-name-of-ours'];
  for (const name of [`${deadPid}.0dead0ff.killed`, `${process.pid}.0dead0ff.restarted`, ...kept]) writeFileSync(join(partial, name), 'x');

  await new LocalDirectoryStore(root).sweep();
  expect(readdirSync(partial).sort()).toEqual(kept.sort());
  expect(mine.startsWith(`${process.pid}.`)).toBe(true);
});
