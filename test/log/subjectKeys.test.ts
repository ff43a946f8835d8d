import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubjectKeys } from '../../log/subjectKeys';
import { SqliteSubjectKeys } from '../../log/sqliteSubjectKeys';
import { RedisSubjectKeys } from '../../log/redisSubjectKeys';
import { redisKinds, type RedisClusterEngine } from '../engines/redis';
import { temporaryDirectory } from '../support/fixtures';

/** What every store of subject keys does: one key per subject, shared by every process, gone for good when destroyed. */
function subjectKeysContract(name: string, open: () => Promise<[SubjectKeys, SubjectKeys]>) {
  describe(`subject keys on ${name}`, () => {
    let first: SubjectKeys;
    let second: SubjectKeys;
    beforeAll(async () => {
      [first, second] = await open();
    });
    afterAll(async () => {
      await first.close();
      await second.close();
    });

    it('makes one key per subject, the same one for every process that asks, even at once', async () => {
      const [a, b] = await Promise.all([first.keysOf(['jane doe', 'john roe']), second.keysOf(['jane doe'])]);
      expect(a.get('jane doe')!.id).toBe(b.get('jane doe')!.id);
      expect(a.get('jane doe')!.key.equals(b.get('jane doe')!.key)).toBe(true);
      expect(a.get('jane doe')!.key).toHaveLength(32);
      expect(a.get('john roe')!.id).not.toBe(a.get('jane doe')!.id);
      expect((await first.keysOf(['jane doe'])).get('jane doe')!.id).toBe(a.get('jane doe')!.id);
    });

    it('finds keys by id, and destroys them for good', async () => {
      const jane = (await first.keysOf(['jane doe'])).get('jane doe')!;
      const john = (await first.keysOf(['john roe'])).get('john roe')!;
      expect([...(await second.keysById([jane.id, john.id, 'no-such-key-id-000000'])).keys()].sort()).toEqual([jane.id, john.id].sort());

      expect(await second.destroy('jane doe')).toBe(true);
      expect(await first.destroy('jane doe')).toBe(false);
      expect([...(await first.keysById([jane.id, john.id])).keys()]).toEqual([john.id]);
      // The subject may act again: it gets a new key, and what was erased stays erased.
      const again = (await first.keysOf(['jane doe'])).get('jane doe')!;
      expect(again.id).not.toBe(jane.id);
      expect((await second.keysById([jane.id])).size).toBe(0);
    });
  });
}

describe('the embedded store', () => {
  const directory = temporaryDirectory();
  afterAll(() => directory.remove());
  const path = join(directory.path, 'keys.db');
  subjectKeysContract('SQLite', async () => [new SqliteSubjectKeys(path), new SqliteSubjectKeys(path)]);

  it('leaves no byte of a destroyed key in its file, and never the subject itself', async () => {
    const keys = new SqliteSubjectKeys(join(directory.path, 'shred.db'));
    const { key } = (await keys.keysOf(['alice liddell'])).get('alice liddell')!;
    const file = () => readFileSync(join(directory.path, 'shred.db'));
    expect(file().includes(key)).toBe(true);
    expect(file().includes('alice')).toBe(false);
    await keys.destroy('alice liddell');
    await keys.close();
    expect(file().includes(key)).toBe(false);
  });
});

for (const { engine, present, start, cluster } of redisKinds()) {
  describe.skipIf(!present)(`the ${engine} store`, () => {
    let redis: RedisClusterEngine;
    beforeAll(async () => {
      redis = await start();
    });
    afterAll(() => redis?.stop());
    subjectKeysContract(engine, async () => {
      const target = { url: redis.url, cluster, namespace: `test:${randomUUID()}` };
      return Promise.all([RedisSubjectKeys.connect(target), RedisSubjectKeys.connect(target)]);
    });
  });
}
