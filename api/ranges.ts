import type { ByteRange } from '../storage/objectStore';

/** What a request asks of a representation of `size` bytes. */
export type RangeAsk = { kind: 'whole' } | { kind: 'part'; range: ByteRange } | { kind: 'unsatisfiable' };

const WHOLE: RangeAsk = { kind: 'whole' };
const UNSATISFIABLE: RangeAsk = { kind: 'unsatisfiable' };
/** `first-last`, `first-` or `-suffixLength` (RFC 9110 §14.1.1). */
const RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * One range spec against `size` bytes; undefined when it is not valid syntax
 * (a last byte before the first one is invalid too, not unsatisfiable).
 */
function askOf(spec: string, size: number): RangeAsk | undefined {
  const [, first = '', last = ''] = RANGE_SPEC.exec(spec) ?? [];
  if (!first && !last) return undefined;
  if (!first) {
    const length = Number(last);
    // A suffix longer than the representation is all of it.
    return length > 0 && size > 0 ? { kind: 'part', range: { start: Math.max(0, size - length), end: size - 1 } } : UNSATISFIABLE;
  }
  const start = Number(first);
  const end = last ? Number(last) : Infinity;
  if (end < start) return undefined;
  return start < size ? { kind: 'part', range: { start, end: Math.min(end, size - 1) } } : UNSATISFIABLE;
}

/**
 * The Range header, read strictly by RFC 9110 §14.2. A header that is not a
 * valid `bytes=` range set is ignored: the answer is the whole representation
 * (200), as RFC 9110 has it. So is one that asks for several ranges, which a
 * server may answer whole: that spares a multipart/byteranges body that no
 * player needs, since a browser's <video> asks for one range at a time.
 * (`range-parser`, which express uses, reads "bytes=abc" or "bytes=5-2" as
 * unsatisfiable and a suffix longer than the object as unsatisfiable too,
 * where RFC 9110 says ignore and serve all of it.)
 */
export function parseRange(header: string | undefined, size: number): RangeAsk {
  const set = /^bytes=(.*)$/i.exec(header ?? '')?.[1];
  // A list may hold empty elements ("bytes=0-9,"), which do not count.
  const specs = set?.split(',').map((spec) => spec.trim()).filter(Boolean) ?? [];
  return specs.length === 1 ? (askOf(specs[0]!, size) ?? WHOLE) : WHOLE;
}

/** An HTTP date to the whole second, as Last-Modified carries it. */
const toSecond = (time: Date) => Math.floor(time.getTime() / 1000) * 1000;

/**
 * Whether a Range still applies under If-Range (RFC 9110 §13.1.5): only while
 * the client's validator names the current representation, so that parts of
 * two versions are never stitched together. An entity tag is compared
 * strongly (a weak one never matches); a date must equal Last-Modified.
 */
export function ifRangeHolds(ifRange: string | undefined, etag: string | undefined, lastModified: Date | undefined): boolean {
  if (ifRange === undefined) return true;
  if (/^(W\/)?"/.test(ifRange)) return etag !== undefined && ifRange === etag;
  return lastModified !== undefined && Date.parse(ifRange) === toSecond(lastModified);
}

/** Whether the client's copy is current: If-None-Match names the current ETag, compared weakly (RFC 9110 §13.1.2). Then 304. */
export function notModified(ifNoneMatch: string | undefined, etag: string | undefined): boolean {
  if (ifNoneMatch === undefined || etag === undefined) return false;
  const weakly = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => weakly(tag) === weakly(etag));
}
