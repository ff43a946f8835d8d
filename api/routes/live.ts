import { viewerMayRead } from '../assetHistory';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { access } from '../access/accessControl';
import { advance, type Positions, type Subscription } from '../../log/eventLog';
import type { AssetRecord } from '../../projections/assetRecord';
import type { StoredEvent } from '../../schemas/envelope';
import { PRINCIPAL_EVENT_TYPES } from '../../schemas/principals';
import type { Principal } from '../principal';
import { mayView, visibilityOf } from '../visibility';

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

/** A stream's credential is checked again before a batch once this long has passed: a revoked key, a disabled user, an expired token or another role counts within it. */
const RECHECK_MS = 1_000;

/** An open stream: whom it tells, as of when. */
interface Listener {
  principal: Principal;
  principalNow: () => Promise<Principal>;
  checkedAt: number;
}

const frame = (event: LiveEvent) => `id: ${event.id}\nevent: asset\ndata: ${JSON.stringify(event)}\n\n`;

const frames = (batch: StoredEvent[]) =>
  batch.map(({ id, assetId, type, assetVersion, time }) => frame({ id, assetId, type, assetVersion, time })).join('');

/** The records of a batch's assets, read once for all the streams that need them. */
async function recordsOf(lake: Lake, batch: StoredEvent[]): Promise<Map<string, AssetRecord | undefined>> {
  const ids = [...new Set(batch.map((event) => event.assetId))];
  return new Map(await Promise.all(ids.map(async (id) => [id, await lake.records.get(id)] as const)));
}

/** The principal a stream tells now; undefined, and the stream ended, once its credential no longer holds. */
async function listening(stream: ServerResponse, listener: Listener): Promise<Principal | undefined> {
  if (Date.now() - listener.checkedAt < RECHECK_MS) return listener.principal;
  try {
    listener.principal = await listener.principalNow();
    listener.checkedAt = Date.now();
    return listener.principal;
  } catch {
    stream.end();
    return undefined;
  }
}

/**
 * One subscription to the log for every open stream of this server, made when
 * the first opens. It is a consumer without a group of its own on the log: it
 * keeps its positions in memory, starting where the asset records stand, so
 * it tells what happens from now on and leaves nothing behind. Each stream
 * tells only of the assets its principal may see (api/visibility.ts), asked
 * again for every batch, so a revoked share counts on a stream already open,
 * and its credential is checked again (RECHECK_MS). Changes to users and keys
 * are told to no stream: GET /users is where admins read them.
 */
function liveFeed(lake: Lake) {
  const streams = new Map<ServerResponse, Listener>();
  let subscription: Subscription | undefined;
  let positions: Positions | undefined;
  let starting: Promise<void> | undefined;
  const send = async (appended: StoredEvent[]) => {
    const batch = appended.filter((event) => !PRINCIPAL_EVENT_TYPES.has(event.type));
    if (!batch.length) return;
    const everything = frames(batch);
    let records: Promise<Map<string, AssetRecord | undefined>> | undefined;
    for (const [stream, listener] of streams) {
      const principal = await listening(stream, listener);
      if (!principal) {
        streams.delete(stream);
        continue;
      }
      const visibility = await visibilityOf(lake, principal);
      if (visibility === 'all') {
        stream.write(everything);
        continue;
      }
      const known = await (records ??= recordsOf(lake, batch));
      const seen = batch.filter((event) => {
        const record = known.get(event.assetId);
        return record !== undefined && mayView(visibility, record) && viewerMayRead(event, visibility, principal.id);
      });
      if (seen.length) stream.write(frames(seen));
    }
  };
  return {
    /**
     * Reading from where the asset records stand when the first stream opens.
     * Awaited before a stream's answer starts: what its caller appends once
     * it has the answer comes after the feed's start, so it is told.
     */
    started: () =>
      (starting ??= (async () => {
        positions = await lake.records.positions();
        subscription = lake.log.subscribe({
          group: `live:${randomUUID()}`,
          positions: async () => positions ?? {},
          lingerMs: 50,
          handle: async (batch) => {
            positions = advance(positions ?? {}, batch);
            await send(batch);
          },
          onError: (error) => lake.logger.warn({ err: error }, 'live stream could not send a batch'),
        });
      })().catch((error: unknown) => {
        starting = undefined; // the next stream tries again
        throw error;
      })),
    add: (stream: ServerResponse, principal: Principal, principalNow: () => Promise<Principal>) => void streams.set(stream, { principal, principalNow, checkedAt: Date.now() }),
    remove: (stream: ServerResponse) => streams.delete(stream),
    async close() {
      for (const stream of streams.keys()) {
        stream.end();
        // The server closes the connections idle when it closes; this one, its last chunk not yet flushed, would not be, and would hold the close for its keep-alive timeout (72 s).
        stream.socket?.end();
      }
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
          operationId: 'streamLiveEvents',
          summary:
            'Server-sent events (text/event-stream): one `asset` event per event appended to the log from now on (of the assets the caller may see), its data ' +
            '{id, assetId, type, assetVersion, time}; a comment line every 15 s keeps the stream open. Read the asset for what changed.',
          produces: ['text/event-stream'],
          response: { 200: LiveEvent.describe('the data of each event, one JSON object per `data:` line') },
        },
      },
      async (request, reply) => {
        reply.hijack();
        await feed.started();
        const stream = reply.raw;
        stream.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
        stream.write(': medialake live\n\n');
        const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
        stream.once('close', () => {
          clearInterval(heartbeat);
          feed.remove(stream);
        });
        feed.add(stream, request.principal, request.principalNow);
      },
    );
  };
