import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { fixture } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { addTestUser, adminApi, fetchAs } from '../support/principals';

/** The samples of one metric in a Prometheus text exposition: labels as text → value. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = line.match(/^([a-z_]+)(\{[^}]*\})? (\S+)$/);
    if (match?.[1] === name) found.set(match[2] ?? '', Number(match[3]));
  }
  return found;
}

describe('GET /metrics', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let base: string;
  let text: string;
  let fetch: typeof globalThis.fetch;

  const upload = (bytes: Buffer, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    return fetch(`${base}/assets`, { method: 'POST', body: form });
  };

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    ({ app, fetch } = await adminApi(lake));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { assetId } = (await (await upload(readFileSync(fixture('jpg/Canon_40D.jpg')), 'Canon_40D.jpg')).json()) as { assetId: string };
    await upload(readFileSync(fixture('jpg/corrupted.jpg')), 'corrupted.jpg');
    await lake.waitForIdle({ timeoutMs: 60_000 });
    expect((await fetch(`${base}/assets/${assetId}`)).status).toBe(200);
    expect((await fetch(`${base}/assets/no-such-asset`)).status).toBe(404);
    const stale = { method: 'PATCH', headers: { 'content-type': 'application/json', 'if-match': '"999"' }, body: JSON.stringify({ title: 'stale' }) };
    expect((await fetch(`${base}/assets/${assetId}`, stale)).status).toBe(409);
    expect((await fetch(`${base}/no/such/route`)).status).toBe(404);
    // Prometheus scrapes with the key of a user in the metrics group; a viewer outside it may not.
    const scraper = fetchAs(await addTestUser(lake, 'prometheus', 'viewer', ['metrics']));
    expect((await fetchAs(await addTestUser(lake, 'someone', 'viewer'))(`${base}/metrics`)).status).toBe(403);
    const response = await scraper(`${base}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    text = await response.text();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await lake?.close();
  });

  it('counts HTTP requests by route pattern and status, never by raw URL', () => {
    const requests = samples(text, 'medialake_http_requests_total');
    expect(requests.get('{method="POST",route="/assets",status="201"}')).toBe(2);
    expect(requests.get('{method="GET",route="/assets/:id",status="200"}')).toBe(1);
    expect(requests.get('{method="GET",route="/metrics",status="403"}')).toBe(1);
    expect(requests.get('{method="GET",route="/assets/:id",status="404"}')).toBe(1);
    expect(requests.get('{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).not.toContain('no-such-asset');
    // A 404 or a 409 is the caller's doing: engine errors count answers of 500 and up.
    expect([...samples(text, 'medialake_engine_errors_total').keys()].filter((labels) => labels.includes('component="api"'))).toEqual([]);
    expect(samples(text, 'medialake_http_request_duration_seconds_count').get('{method="POST",route="/assets"}')).toBe(2);
  });

  it('counts the events each consumer handled and how long each processor took', () => {
    const events = samples(text, 'medialake_consumer_events_total');
    expect(events.get('{consumer="processor:metadata"}')).toBeGreaterThanOrEqual(2);
    expect(events.get('{consumer="projection:assets"}')).toBeGreaterThanOrEqual(2);
    expect(events.get('{consumer="pipelines"}')).toBeGreaterThanOrEqual(2);
    const durations = samples(text, 'medialake_processor_duration_seconds_count');
    expect(durations.get('{processor="renditions",outcome="ok"}')).toBe(1);
    expect(durations.get('{processor="renditions",outcome="failed"}')).toBe(1);
  });

  it('counts what processors gave up on, and the dead letters on the log', () => {
    const failures = samples(text, 'medialake_processor_failures_total');
    expect(failures.get('{processor="renditions",code="UNREADABLE_IMAGE"}')).toBe(1);
    const deadLetters = samples(text, 'medialake_dead_letters');
    expect(deadLetters.get('{consumer="processor:renditions"}')).toBe(1);
    expect(deadLetters.get('{consumer="projection:assets"}')).toBe(0);
  });

  it('reports every consumer lag per partition, read from the log: 0 once caught up', async () => {
    const lag = samples(text, 'medialake_consumer_lag_events');
    expect(lag.get('{consumer="projection:search",partition="0"}')).toBe(0);
    expect(lag.get('{consumer="processor:renditions",partition="0"}')).toBe(0);
    expect(lag.size).toBe((await lake.consumers()).length);
    expect(lag.size).toBeGreaterThan(lake.processors.length);
  });

  it('exposes the process metrics (resident memory), as text the OpenAPI document declares', async () => {
    expect(samples(text, 'process_resident_memory_bytes').get('')).toBeGreaterThan(0);
    expect(text).toMatch(/^# HELP /);
    const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, { get: { responses: Record<string, { content: object }> } }> };
    expect(Object.keys(openapi.paths['/metrics']!.get.responses['200']!.content)).toEqual(['text/plain']);
  });
});

describe('a worker (serve --role processors or projections)', () => {
  it('answers /health, /status and /metrics, and nothing of the API', async () => {
    const lake = await openTestLake();
    const fetch = fetchAs(await addTestUser(lake, 'admin', 'admin'));
    const app = await buildServer(lake, { role: 'processors' });
    try {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      expect((await globalThis.fetch(`${base}/health`)).status).toBe(200);
      expect((await globalThis.fetch(`${base}/status`)).status).toBe(401);
      expect((await fetch(`${base}/status`)).status).toBe(200);
      // Not started: its lag is the user's events, which no processor has read.
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^medialake_consumer_lag_events\{consumer="processor:metadata",partition="0"\} [1-9]/m);
      expect((await fetch(`${base}/assets`)).status).toBe(404);
      expect((await fetch(`${base}/openapi.json`)).status).toBe(404);
    } finally {
      await app.close();
      await lake.close();
    }
  });
});
