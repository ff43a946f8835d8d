import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, type ServeRole } from '../../app/config';
import { consumerLagDocuments } from '../../app/consumerLagEmf';
import { openTestLake } from '../support/lake';
import { ingestedDraft } from '../support/events';
import { waitFor } from '../support/waitFor';

const INTERVAL_SECONDS = 60;

interface EmfDocument {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  Role?: string;
  Consumer: string;
  ConsumerLagEvents: number;
}

/** A lake with five ingests on its log, started in `role`, its stdout captured line by line. */
async function startedLake(role: ServeRole, overrides: Record<string, unknown>) {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(...String(chunk).split('\n').filter(Boolean)), true));
  const lake = await openTestLake(overrides);
  await lake.log.append(Array.from({ length: 5 }, (_, i) => ingestedDraft(`asset-${i}`)));
  lake.start(role);
  if (role === 'api') return { lake, lines };
  // The projections fold the ingests; the processors do not run, so their lag stays where it is.
  await waitFor('the projections to catch up', async () => (await lake.consumers()).every((c) => !c.group.startsWith('projection:') || c.lag === 0));
  return { lake, lines };
}

/** Every line parsed as an EMF document, failing on one that is not. */
function documents(lines: string[]): EmfDocument[] {
  return lines.map((line) => JSON.parse(line) as EmfDocument);
}

describe('consumer lag as CloudWatch Embedded Metric Format (telemetry.cloudwatchNamespace)', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('puts a projection in a shared engine under Consumer and no dimension, but not under the Role the workers scale on', () => {
    const consumers = [{ group: 'projection:search', lag: 5 }, { group: 'processor:metadata', lag: 2 }];
    const [search, metadata] = consumerLagDocuments('MediaLake', consumers, new Set(['processor:metadata']), 0) as EmfDocument[];
    expect({ dimensions: search!._aws.CloudWatchMetrics[0]!.Dimensions, role: search!.Role }).toEqual({ dimensions: [['Consumer'], []], role: undefined });
    expect({ dimensions: metadata!._aws.CloudWatchMetrics[0]!.Dimensions, role: metadata!.Role }).toEqual({ dimensions: [['Consumer'], [], ['Role']], role: 'processors' });
  });

  it('writes, each interval, one EMF line on stdout per consumer group the workers share, with the lag lake.consumers() reports', async () => {
    const { lake, lines } = await startedLake('projections', { 'telemetry.cloudwatchNamespace': 'MediaLake', 'telemetry.cloudwatchIntervalSeconds': INTERVAL_SECONDS });
    try {
      // Not the projections in the data directory (every one here): each host folds its own copy, and a new host's
      // lag of the whole log while it does would scale the workers to their most for nothing.
      const consumers = (await lake.consumers()).filter((c) => !c.group.startsWith('projection:'));
      expect(consumers.length).toBeGreaterThan(0);
      expect(consumers.some((c) => c.lag > 0)).toBe(true);
      expect(lines).toEqual([]);

      await vi.advanceTimersByTimeAsync(INTERVAL_SECONDS * 1000);
      await waitFor('the first interval’s lines', () => lines.length === consumers.length);
      const first = documents(lines);
      for (const document of first) {
        const directive = document._aws.CloudWatchMetrics[0]!;
        expect(directive.Namespace).toBe('MediaLake');
        expect(directive.Metrics).toEqual([{ Name: 'ConsumerLagEvents', Unit: 'Count' }]);
        // Per consumer, the same value with no dimension (its Maximum is what infra/ alarms on), and, these being the
        // processors and the pipeline runner, under Role=processors (what infra/ scales the workers on).
        expect(directive.Dimensions).toEqual([['Consumer'], [], ['Role']]);
        expect(document.Role).toBe('processors');
        expect(typeof document._aws.Timestamp).toBe('number');
      }
      expect(Object.fromEntries(first.map((d) => [d.Consumer, d.ConsumerLagEvents]))).toEqual(Object.fromEntries(consumers.map((c) => [c.group, c.lag])));

      await vi.advanceTimersByTimeAsync(INTERVAL_SECONDS * 1000);
      await waitFor('the second interval’s lines', () => lines.length === 2 * consumers.length);
      expect(documents(lines.slice(consumers.length)).map((d) => d.Consumer)).toEqual(consumers.map((c) => c.group));
    } finally {
      await lake.close();
    }
  });

  it('writes nothing without a namespace, nor in the api role, which runs no consumers', async () => {
    for (const [role, overrides] of [
      ['projections', {}],
      ['api', { 'telemetry.cloudwatchNamespace': 'MediaLake' }],
    ] as const) {
      const { lake, lines } = await startedLake(role, overrides);
      try {
        await vi.advanceTimersByTimeAsync(3 * INTERVAL_SECONDS * 1000);
        expect(lines, role).toEqual([]);
      } finally {
        await lake.close();
        vi.restoreAllMocks();
      }
    }
  });

  it('is configured by MEDIALAKE_CLOUDWATCH_NAMESPACE and MEDIALAKE_CLOUDWATCH_INTERVAL_SECONDS, off and every minute by default', () => {
    expect(loadConfig({}, {}).telemetry).toEqual({ cloudwatchIntervalSeconds: 60 });
    const config = loadConfig({}, { MEDIALAKE_CLOUDWATCH_NAMESPACE: 'MediaLake', MEDIALAKE_CLOUDWATCH_INTERVAL_SECONDS: '10' });
    expect(config.telemetry).toMatchObject({ cloudwatchNamespace: 'MediaLake', cloudwatchIntervalSeconds: 10 });
    expect(() => loadConfig({}, { MEDIALAKE_CLOUDWATCH_INTERVAL_SECONDS: '0' })).toThrow(ConfigError);
  });
});
