import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { access } from '../access/accessControl';
import { advance, type Positions, type Subscription } from '../../log/eventLog';
import type { StoredEvent } from '../../schemas/envelope';

/** What a stream tells of each event: enough to know which asset changed and to which version, not its payload. */
const LiveEvent = z.object({
  id: z.string(),
  assetId: z.string(),
  type: z.string(),
  assetVersion: z.number().int(),
  time: z.string(),
});
type LiveEvent = z.infer<typeof LiveEvent>;

/** A comment line this often keeps proxies and browsers from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

const frame = (event: LiveEvent) => `id: ${event.id}\nevent: asset\ndata: ${JSON.stringify(event)}\n\n`;

/**
 * One subscription to the log for every open stream of this server, made when
 * the first opens. It is a consumer without a group of its own on the log: it
 * keeps its positions in memory, starting where the asset records stand, so
 * it tells what happens from now on and leaves nothing behind.
 */
function liveFeed(lake: Lake) {
  const streams = new Set<ServerResponse>();
  let subscription: Subscription | undefined;
  let positions: Positions | undefined;
  const send = (batch: StoredEvent[]) => {
    const text = batch
      .map(({ id, assetId, type, assetVersion, time }) => frame({ id, assetId, type, assetVersion, time }))
      .join('');
    for (const stream of streams) stream.write(text);
  };
  return {
    async open(stream: ServerResponse) {
      streams.add(stream);
      positions ??= await lake.records.positions();
      subscription ??= lake.log.subscribe({
        group: `live:${randomUUID()}`,
        positions: async () => positions ?? {},
        lingerMs: 50,
        handle: async (batch) => {
          positions = advance(positions ?? {}, batch);
          send(batch);
        },
        onError: (error) => lake.logger.warn({ err: error }, 'live stream could not send a batch'),
      });
    },
    remove: (stream: ServerResponse) => streams.delete(stream),
    async close() {
      for (const stream of streams) stream.end();
      streams.clear();
      await subscription?.stop();
    },
  };
}

export const liveRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    const feed = liveFeed(lake);
    // Before the server waits for its connections to end: an open stream never would.
    app.addHook('preClose', feed.close);

    app.get(
      '/live',
      {
        config: access('view'),
        schema: {
          summary:
            'Server-sent events (text/event-stream): one `asset` event per event appended to the log from now on, its data ' +
            '{id, assetId, type, assetVersion, time}; a comment line every 15 s keeps the stream open. Read the asset for what changed.',
          produces: ['text/event-stream'],
          response: { 200: LiveEvent.describe('the data of each event, one JSON object per `data:` line') },
        },
      },
      async (_request, reply) => {
        reply.hijack();
        const stream = reply.raw;
        stream.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
        stream.write(': medialake live\n\n');
        const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
        stream.once('close', () => {
          clearInterval(heartbeat);
          feed.remove(stream);
        });
        await feed.open(stream);
      },
    );
  };
