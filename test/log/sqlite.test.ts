import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { eventLogContract } from './eventLog.contract';
import { ingestedDraft } from '../support/events';

const directory = temporaryDirectory();
afterAll(() => directory.remove());

eventLogContract('embedded SQLite', {
  open: async (name) => new SqliteEventLog({ path: join(directory.path, `${name}.db`) }),
});

describe('the embedded log file', () => {
  it('takes appends from two connections (a CLI beside a server) without losing or renumbering events', async () => {
    const path = join(directory.path, 'shared.db');
    const [server, cli] = [new SqliteEventLog({ path }), new SqliteEventLog({ path })];
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? server : cli).append([ingestedDraft(`asset-${i % 5}`)])),
      );
      const events = [];
      for await (const batch of server.readAll()) events.push(...batch);
      expect(events.map((e) => Number(e.offset))).toEqual(Array.from({ length: 20 }, (_, i) => i));
      for (let asset = 0; asset < 5; asset++) {
        expect((await cli.readAsset(`asset-${asset}`)).map((e) => e.assetVersion)).toEqual([1, 2, 3, 4]);
      }
    } finally {
      await Promise.all([server.close(), cli.close()]);
    }
  });
});
