import type { ProjectionStore } from '../projection';
import type { Visible } from '../search/searchIndex';

/**
 * Near-duplicate groups. Two live assets are duplicates when their perceptual
 * hashes are close (at most MAX_HASH_DISTANCE bits apart, one quarter at most
 * MAX_QUARTER_DISTANCE) and, when both have an embedding of the same model,
 * their embeddings agree. A hash that tells nothing of its picture (a flat
 * one: tellsThePicture) is not grouped by. That relation chains (A like B, B like C, C
 * nothing like A), so a group is not a connected component of it but one
 * representative and the duplicates that chose it (representatives.ts):
 * - taken in asset id order, an asset is a representative unless one of its
 *   duplicates with a smaller id is one;
 * - every other asset that has a duplicate therefore has a representative
 *   among its duplicates, and joins the nearest one (fewest differing bits,
 *   then the least id);
 * - a group is named by its representative, which is in it, and exists while
 *   somebody has joined it.
 * Every member is a duplicate of the representative, so any two members'
 * hashes are at most 2 × MAX_HASH_DISTANCE bits apart. The groups are a
 * function of the live hashes, vectors and asset ids alone, not of the order
 * the facts arrived in: a rebuild gives the live groups whatever the
 * interleaving of assets across partitions (law 5). It is a projection and not
 * an event, because membership depends on other assets; the facts (hashes,
 * vectors) are events.
 */
export interface DuplicateGroups extends ProjectionStore {
  /**
   * The group an asset is in, with only the members `within` the given
   * collections when there are some; undefined when it has no near-duplicate,
   * is a representative nobody joined, or fewer than two members are visible.
   */
  groupOf(assetId: string, visible?: Visible): Promise<DuplicateGroup | undefined>;
  /**
   * Groups by id; `after` is the cursor a previous page returned. With
   * `within`, only the groups with two or more members in those collections,
   * and only those members: the query filters, so a page holds `limit` groups
   * whenever that many follow.
   */
  list(options: DuplicatePage): Promise<{ groups: DuplicateGroup[]; next?: string }>;
}

export interface DuplicatePage extends Visible {
  limit: number;
  after?: string;
}

export interface DuplicateGroup {
  groupId: string;
  /** By asset id. */
  assets: { assetId: string; originalName: string; size: number }[];
}

/**
 * Hashes at most this many bits apart (of 64) are candidates. Re-encoded and
 * resized copies of the sample photos are 0–7 apart, different photos 15
 * or more (measured on test/fixtures/images).
 */
export const MAX_HASH_DISTANCE = 10;

/**
 * …provided one of their quarters (16 bits, two rows of dHash's 8×8 grid)
 * differs in at most this many bits. Every pair at most 7 bits apart has such
 * a quarter (four quarters differing in 2 or more make 8), and so does every
 * re-encoded, resized or cropped copy of the sample photos up to 10 apart: an
 * edit moves the bits of some rows, not of all. It is what lets the lookup of
 * close hashes (memoryHashes.ts) read 17 of the 65,536 values of each quarter
 * instead of every hash.
 */
export const MAX_QUARTER_DISTANCE = 1;

/**
 * Candidates whose embeddings (same model) are less similar than this are not
 * duplicates: it keeps apart different pictures with similar light and shapes,
 * which a 64-bit hash can confuse. CLIP puts copies of a picture above 0.95.
 */
export const MIN_SIMILARITY = 0.9;

/**
 * Whether a hash tells anything of its picture. dHash sets a bit where a pixel
 * is brighter than its right neighbour: a flat picture (a black frame, a white
 * page, a smooth sky) sets none, and one brightening steadily across, all. A
 * hash within MAX_HASH_DISTANCE of either would make a black frame and a
 * white one duplicates: such pictures have no hash to group by.
 */
export function tellsThePicture(hash: [number, number]): boolean {
  const bits = bitCount(hash[0]) + bitCount(hash[1]);
  return bits > MAX_HASH_DISTANCE && bits < 64 - MAX_HASH_DISTANCE;
}

/** A 64-bit hash in 16 hex digits, as two unsigned 32-bit halves. */
export function hashHalves(hex: string): [number, number] {
  return [Number.parseInt(hex.slice(0, 8), 16), Number.parseInt(hex.slice(8, 16), 16)];
}

/** Bits set in a 32-bit value. */
export function bitCount(value: number): number {
  let v = value >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Bits that differ between two hashes given as halves. */
export function hammingDistance(a: [number, number], b: [number, number]): number {
  return bitCount(a[0] ^ b[0]) + bitCount(a[1] ^ b[1]);
}

/** A quarter of a hash given as halves: 0 and 1 are the high half's, 2 and 3 the low half's, high bits first. */
export function quarterOf([high, low]: [number, number], quarter: number): number {
  const half = quarter < 2 ? high : low;
  return quarter % 2 === 0 ? half >>> 16 : half & 0xffff;
}

/** The first quarter in which two hashes differ in at most MAX_QUARTER_DISTANCE bits; -1 when none does. */
export function firstCloseQuarter(a: [number, number], b: [number, number]): number {
  const difference: [number, number] = [a[0] ^ b[0], a[1] ^ b[1]];
  for (let quarter = 0; quarter < 4; quarter++) if (bitCount(quarterOf(difference, quarter)) <= MAX_QUARTER_DISTANCE) return quarter;
  return -1;
}

/** Whether two hashes are close enough for their assets to be duplicates (embeddings aside). */
export function hashesClose(a: [number, number], b: [number, number]): boolean {
  return hammingDistance(a, b) <= MAX_HASH_DISTANCE && firstCloseQuarter(a, b) >= 0;
}

export interface Embedding {
  model: string;
  revision: string;
  vector: Float32Array;
}

/** Whether two hash candidates are duplicates: yes, unless same-model embeddings say they differ. */
export function embeddingsAgree(a: Embedding | undefined, b: Embedding | undefined): boolean {
  if (!a || !b || a.model !== b.model || a.revision !== b.revision) return true;
  let similarity = 0;
  for (let i = 0; i < a.vector.length; i++) similarity += a.vector[i]! * b.vector[i]!;
  return similarity >= MIN_SIMILARITY;
}
