import type { FastifyReply, FastifyRequest } from 'fastify';
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from '../storage/objectStore';
import { errorBody } from './errors';
import { ifRangeHolds, notModified, parseRange, type RangeAsk } from './ranges';

/**
 * Not `immutable`: a rendition keeps its key when it is made again (a
 * reprocess overwrites it), so the bytes behind one URL can change; and a
 * deleted asset's media must stop being served at once. `no-cache` lets a
 * browser keep the bytes and check them on each use with If-None-Match, which
 * costs a head of the object and a 304, never the bytes again. Caching for a
 * year needs URLs that change with the bytes (the ETag in the URL), which is
 * the CDN delivery's part.
 */
const CACHE_CONTROL = 'no-cache';

/** What to serve from the store, and how to call it. */
export interface Servable {
  key: string;
  contentType: string;
  /** More headers for every answer (Content-Disposition). */
  headers?: Record<string, string>;
}

/** The object's tag as an HTTP strong ETag. */
const etagOf = (info: ObjectInfo) => (info.etag ? `"${info.etag}"` : undefined);

/** The headers every answer about an object carries, 304 and 416 included. */
function commonHeaders(info: ObjectInfo, extra: Record<string, string> = {}) {
  return {
    'accept-ranges': 'bytes',
    'cache-control': CACHE_CONTROL,
    // A user's upload is served as its type says, never as what a browser guesses (HTML).
    'x-content-type-options': 'nosniff',
    ...(info.etag && { etag: etagOf(info) }),
    ...(info.lastModified && { 'last-modified': info.lastModified.toUTCString() }),
    ...extra,
  };
}

/** What the request asks for, once the conditions on it are weighed: a Range counts only while If-Range still holds. */
function rangeAsked(request: FastifyRequest, info: ObjectInfo): RangeAsk {
  // Node joins repeated headers into one string; only set-cookie comes as a list.
  const ifRange = request.headers['if-range'] as string | undefined;
  const holds = ifRangeHolds(ifRange, etagOf(info), info.lastModified);
  return holds ? parseRange(request.headers.range, info.size) : { kind: 'whole' };
}

/**
 * Answers GET or HEAD for an object in the store: the whole (200), one byte
 * range (206, read from the store without the rest), 416 for a range past the
 * end, 304 for a copy that is still current. HEAD gets the same headers and
 * no body, and the store is not read.
 */
export async function serveObject(request: FastifyRequest, reply: FastifyReply, store: ObjectStore, object: Servable) {
  const info = await store.head(object.key);
  if (!info) throw new ObjectNotFoundError(object.key);
  reply.headers(commonHeaders(info, object.headers));
  if (notModified(request.headers['if-none-match'], etagOf(info))) return reply.status(304).send();
  const ask = rangeAsked(request, info);
  if (ask.kind === 'unsatisfiable') {
    const message = `the range ${JSON.stringify(request.headers.range?.slice(0, 100))} names no byte of the ${info.size}-byte object: ask for bytes before ${info.size}, or leave out Range for all of it`;
    return reply.status(416).header('content-range', `bytes */${info.size}`).send(errorBody({ code: 'RANGE_NOT_SATISFIABLE', message }));
  }
  const range = ask.kind === 'part' ? ask.range : undefined;
  if (range) reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  reply.type(object.contentType).header('content-length', range ? range.end - range.start + 1 : info.size);
  return reply.send(request.method === 'HEAD' ? undefined : await store.get(object.key, range));
}
