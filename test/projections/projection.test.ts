import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { advance, type Positions } from '../../log/eventLog';
import { runProjection, type ProjectionStore } from '../../projections/projection';
import type { StoredEvent } from '../../schemas/envelope';
import { ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { waitFor } from '../support/waitFor';

/** A store that only records the size of each batch it is handed. */
function batchRecorder(batchSize?: number): ProjectionStore & { sizes: number[] } {
  let positions: Positions = {};
  const sizes: number[] = [];
  return {
    name: `projection:recorder-${batchSize ?? 'default'}`,
    batchSize,
    sizes,
    positions: async () => positions,
    apply: async (batch: StoredEvent[]) => {
      sizes.push(batch.length);
      positions = advance(positions, batch);
    },
    close: async () => undefined,
  };
}

describe('a projection consumer', () => {
  let directory: ReturnType<typeof temporaryDirectory>;
  let log: SqliteEventLog;

  beforeEach(() => {
    directory = temporaryDirectory();
  });
  afterEach(async () => {
    await log?.close();
    directory.remove();
  });

  it("takes a backlog in batches of the store's batchSize, and the consumer's default where it names none", async () => {
    log = new SqliteEventLog({ path: join(directory.path, 'log.db'), sync: 'normal' });
    await log.append(Array.from({ length: 2500 }, (_, i) => ingestedDraft(`asset-${i}`)));
    const [large, plain] = [batchRecorder(1000), batchRecorder()];
    const consumers = [large, plain].map((store) => runProjection(log, store, pino({ level: 'silent' })));
    const total = (store: { sizes: number[] }) => store.sizes.reduce((sum, size) => sum + size, 0);
    await waitFor('both stores to hold the backlog', () => total(large) === 2500 && total(plain) === 2500);
    await Promise.all(consumers.map((consumer) => consumer.stop()));

    expect(large.sizes).toEqual([1000, 1000, 500]);
    expect(Math.max(...plain.sizes)).toBe(256);
  });
});
