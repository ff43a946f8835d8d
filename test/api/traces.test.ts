import { readFileSync } from 'node:fs';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { fixture } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { adminApi } from '../support/principals';

describe('a trace of one upload', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let assetId: string;
  let brokenId: string;

  beforeAll(async () => {
    // What app/telemetry.ts sets up for a collector, with the spans kept here instead.
    provider.register();
    lake = await openTestLake();
    lake.start();
    let fetch: typeof globalThis.fetch;
    ({ app, fetch } = await adminApi(lake));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const form = new FormData();
    form.append('file', new Blob([readFileSync(fixture('jpg/Canon_40D.jpg'))]), 'Canon_40D.jpg');
    ({ assetId } = (await (await fetch(`${base}/assets`, { method: 'POST', body: form })).json()) as { assetId: string });
    const broken = new FormData();
    broken.append('file', new Blob(['not a picture at all']), 'broken.jpg');
    ({ assetId: brokenId } = (await (await fetch(`${base}/assets`, { method: 'POST', body: broken })).json()) as { assetId: string });
    await lake.waitForIdle({ timeoutMs: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await lake?.close();
    await provider.shutdown();
  });

  it('holds the request, the append, every processor that took the upload and every projection, in one trace', async () => {
    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.name === 'POST /assets')!;
    expect(request).toBeDefined();
    const inTrace = spans.filter((span) => span.spanContext().traceId === request.spanContext().traceId);
    const names = new Set(inTrace.map((span) => span.name));
    for (const name of ['append', 'processor:metadata', 'processor:renditions', 'processor:perceptual-hash']) expect(names).toContain(name);
    for (const name of ['assets', 'search', 'duplicates', 'cameras', 'audit', 'vectors']) expect(names).toContain(`projection:${name}`);
    // The processors' appends, in the trace too: the derived events carried it on.
    expect(inTrace.filter((span) => span.name === 'append').length).toBeGreaterThan(1);
  });

  it("marks a processor's span failed when it gives up on the event, with why", () => {
    const failed = exporter.getFinishedSpans().find((span) => span.name === 'processor:metadata' && span.attributes['medialake.asset.id'] === brokenId)!;
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UNREADABLE_IMAGE' });
    expect(failed.events.map((event) => event.name)).toContain('exception');
    const succeeded = exporter.getFinishedSpans().find((span) => span.name === 'processor:metadata' && span.attributes['medialake.asset.id'] === assetId)!;
    expect(succeeded.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('writes the trace context into the events on the log, the derived ones included', async () => {
    const events = await lake.log.readAsset(assetId);
    const traceIds = new Set(events.map((event) => event.traceparent?.split('-')[1]));
    expect(events.length).toBeGreaterThan(3);
    expect(traceIds.size).toBe(1);
    expect([...traceIds][0]).toMatch(/^[0-9a-f]{32}$/);
  });
});
