import { afterEach, describe, expect, it, vi } from 'vitest';
import { LakeMetrics } from '../../app/metrics';

const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/** Which consumers of a process count as failing: what /status shows, what `--wait` gives up on, and what stops a write waiting for a projection. */
describe('consumers that fail every batch', () => {
  afterEach(() => vi.useRealTimers());

  it('count as failing while they keep failing, and no longer once they stop, even with nothing to read that would clear the mark', () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    const metrics = new LakeMetrics(async () => []);
    metrics.batchFailed('projection:collections', full);
    vi.advanceTimersByTime(4_000);
    metrics.batchFailed('projection:collections', full);
    vi.advanceTimersByTime(4_000);
    expect(metrics.failingFor(5_000)).toEqual([{ consumer: 'projection:collections', error: full }]);
    expect(metrics.failure('projection:collections')).toEqual({ since: '2026-12-07T12:00:00.000Z', code: 'SQLITE_FULL' });
    // Recovered while idle (its lease or read had failed): no batch with events says so, but it fails no more.
    vi.advanceTimersByTime(15_000);
    expect(metrics.failingFor(5_000)).toEqual([]);
    expect(metrics.failure('projection:collections')).toBeUndefined();
  });
});
