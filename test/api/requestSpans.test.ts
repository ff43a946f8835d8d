import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../api/errors';
import { traceRequests } from '../../api/tracing';
import type { EventLog } from '../../log/eventLog';
import { traceAppends } from '../../log/tracedAppends';

/** The spans of requests and appends, kept in memory: how each ends. */
describe('spans of requests and appends', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const app = Fastify();

  beforeAll(async () => {
    provider.register();
    traceRequests(app);
    // Refuses as access control would, before any handler runs.
    app.addHook('onRequest', async (request) => {
      if (request.headers.authorization === undefined && request.url !== '/open') throw new HttpError(401, 'UNAUTHENTICATED', 'no credential');
    });
    app.get('/open', async () => ({ ok: true }));
    app.get('/broken', async () => {
      throw new Error('the disk is full');
    });
    app.get('/missing', async () => {
      throw new HttpError(404, 'ASSET_NOT_FOUND', 'there is no asset a1');
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await provider.shutdown();
  });

  const spanOf = (name: string) => exporter.getFinishedSpans().find((span) => span.name === name)!;

  it('marks a request the server failed (5xx) failed, with the exception', async () => {
    expect((await app.inject({ url: '/broken', headers: { authorization: 'Bearer x' } })).statusCode).toBe(500);
    const span = spanOf('GET /broken');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
    expect(span.attributes['http.response.status_code']).toBe(500);
  });

  it("leaves a caller's mistake (4xx) unmarked, and gives a request refused before its handler a span too", async () => {
    expect((await app.inject({ url: '/missing', headers: { authorization: 'Bearer x' } })).statusCode).toBe(404);
    expect(spanOf('GET /missing')).toMatchObject({ status: { code: SpanStatusCode.UNSET }, events: [] });
    expect((await app.inject({ url: '/open' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/missing' })).statusCode).toBe(401);
    const refused = exporter.getFinishedSpans().filter((span) => span.name === 'GET /missing').at(-1)!;
    expect(refused.attributes['http.response.status_code']).toBe(401);
    expect((await app.inject({ url: '/nowhere', headers: { authorization: 'Bearer x' } })).statusCode).toBe(404);
    expect(spanOf('GET unmatched').attributes['http.response.status_code']).toBe(404);
  });

  it('marks an append that fails failed, and passes its error on', async () => {
    const refusing = { append: async () => Promise.reject(new Error('SQLITE_FULL: database or disk is full')) } as unknown as EventLog;
    await expect(traceAppends(refusing).append([])).rejects.toThrow('SQLITE_FULL');
    const span = spanOf('append');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });
});
