import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { catchUp, type ProjectionStore } from '../../projections/projection';
import type { StoredEvent } from '../../schemas/envelope';
import { editDraft } from '../support/events';
import { openTestLake } from '../support/lake';

describe('catching a projection up for a read (the CLI beside a busy serve)', () => {
  it("up to the log's end at the call: returns while another writer outpaces the projection, with every event that was there", async () => {
    const lake = await openTestLake();
    try {
      await lake.log.append(Array.from({ length: 300 }, (_, n) => editDraft(randomUUID(), `title ${n}`)));
      const endAtCall = await lake.log.lag({});
      // A projection slower than the writer beside it: it never finds the log's end.
      const slow = new Proxy(lake.audit, {
        get: (target, name, receiver) =>
          name === 'apply' ? async (batch: StoredEvent[]) => (await sleep(20), target.apply(batch)) : Reflect.get(target, name, receiver),
      }) as ProjectionStore;
      let writing = true;
      const writer = (async () => {
        for (let n = 0; writing; n++) await lake.log.append(Array.from({ length: 200 }, (_, i) => editDraft(randomUUID(), `more ${n}.${i}`)));
      })();
      const caughtUp = await Promise.race([catchUp(lake.log, slow, lake.logger, { upToCall: true }).then(() => true), sleep(30_000, false)]);
      const folded = (await lake.log.lag({})) - (await lake.log.lag(await lake.audit.positions()));
      writing = false;
      await writer;
      expect(caughtUp).toBe(true);
      expect(folded).toBeGreaterThanOrEqual(endAtCall);
    } finally {
      await lake.close();
    }
  }, 60_000);
});
