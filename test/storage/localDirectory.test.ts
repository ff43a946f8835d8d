import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LocalDirectoryStore } from '../../storage/localDirectory';
import { temporaryDirectory } from '../support/fixtures';
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
