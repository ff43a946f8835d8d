import { afterEach, describe, expect, it } from 'vitest';
import { ConsumersFailingError } from '../../app/lake';
import { ingestedDraft } from '../support/events';
import { openTestLake } from '../support/lake';

describe('waiting for the lake to catch up', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>> | undefined;
  afterEach(async () => lake?.close());

  it('gives up, naming the consumer and its error, when a consumer fails every batch (a full disk), instead of waiting for good', async () => {
    lake = await openTestLake();
    const cameras = lake.cameras as unknown as { apply: () => Promise<void> };
    cameras.apply = () => Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    lake.start();
    await lake.log.append([ingestedDraft('asset-a')]);

    const waited = lake.waitForIdle({ givesUpAfterMs: 1_000 });
    await expect(waited).rejects.toThrow(ConsumersFailingError);
    await expect(waited).rejects.toThrow(/^projection:cameras failed every batch for 1 s \(last: database or disk is full\)/);
    // Status tells it too (GET /status, `medialake status`), and the consumers that do not fail say nothing of it.
    const consumers = await lake.consumers();
    expect(consumers.find((c) => c.group === 'projection:cameras')?.failing).toEqual({ since: expect.any(String), code: 'SQLITE_FULL' });
    expect(consumers.filter((c) => c.failing).map((c) => c.group)).toEqual(['projection:cameras']);
  }, 30_000);
});
