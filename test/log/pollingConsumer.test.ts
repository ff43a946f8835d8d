import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { pollingSubscription, type PollingSource } from '../../log/pollingConsumer';
import type { StoredEvent } from '../../schemas/envelope';
import { editDraft } from '../support/events';

/** One partition holding one event, whose lease is always there to take: it records when it was asked for. */
function oneEventSource(leaseAsked: number[]): PollingSource {
  const event = { ...editDraft('asset-1', 'a title'), assetVersion: 1, time: new Date().toISOString(), partition: '0', offset: '0' } as unknown as StoredEvent;
  return {
    partitionIds: async () => ['0'],
    readAfter: async (_partition, after) => (after === undefined ? [event] : []),
    committed: async () => ({}),
    commit: async () => undefined,
    acquireLease: async () => (leaseAsked.push(performance.now()), true),
    releaseLease: async () => undefined,
    endOffset: async () => 1n,
    waitForAppend: async (ms) => (await sleep(Math.min(ms, 50)), false),
    appendsSettled: () => 0,
  };
}

describe('a polling consumer', () => {
  it('renews its lease while a batch takes long to handle, so that no other member takes the group and handles it again', async () => {
    const leaseAsked: number[] = [];
    let handling: { from: number; to: number } | undefined;
    const subscription = pollingSubscription(
      oneEventSource(leaseAsked),
      {
        group: 'pipeline-runner',
        handle: async () => {
          const from = performance.now();
          await sleep(2_600); // a pipeline's call to a slow service
          handling = { from, to: performance.now() };
        },
      },
      'owner-1',
    );
    while (!handling) await sleep(50);
    await subscription.stop();
    const during = leaseAsked.filter((at) => at > handling!.from && at < handling!.to);
    expect(during.length).toBeGreaterThanOrEqual(2);
  });
});
