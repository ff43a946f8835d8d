import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { eventLogContract } from './eventLog.contract';
import { ingestedDraft } from '../support/events';
import { waitFor } from '../support/waitFor';

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

describe('a subscription on the embedded log', () => {
  it('says it has caught up once it has read to the end, not while a batch is in hand, and never as a member without the lease', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'caught-up.db') });
    let release!: () => void;
    const handled = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const member = log.subscribe({
      group: 'caught-up',
      handle: async (batch) => {
        seen.push(...batch.map((e) => e.assetId));
        await handled;
      },
    });
    try {
      await waitFor('the member to read an empty log to its end', () => member.caughtUp?.() === true);
      await log.append([ingestedDraft('asset-a')]);
      await waitFor('the batch in hand', () => seen.length === 1);
      expect(member.caughtUp?.()).toBe(false);
      const standby = log.subscribe({ group: 'caught-up', handle: async () => undefined });
      release();
      await waitFor('the member to catch up', () => member.caughtUp?.() === true);
      await sleep(100); // the standby has tried for the lease by now
      expect(standby.caughtUp?.()).toBe(false);
      await standby.stop();
    } finally {
      release();
      await member.stop();
      await log.close();
    }
  });
});
