import type { ProjectionStore } from '../projection';

/**
 * Near-duplicate groups: assets whose perceptual hashes are close and, when
 * both have an embedding of the same model, whose embeddings agree. A group is
 * a connected component of that relation, named by its smallest asset id; it is
 * a projection and not an event, because membership depends on every asset in
 * it, and components do not depend on the order the facts arrived in, so a
 * replay gives the same groups (law 5). The facts (hashes, vectors) are events.
 */
export interface DuplicateGroups extends ProjectionStore {
  /** The group an asset is in; undefined when it has no near-duplicate. */
  groupOf(assetId: string): Promise<DuplicateGroup | undefined>;
  /** Groups by id; `after` is the cursor a previous page returned. */
  list(options: { limit: number; after?: string }): Promise<{ groups: DuplicateGroup[]; next?: string }>;
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
 * Candidates whose embeddings (same model) are less similar than this are not
 * duplicates: it keeps apart different pictures with similar light and shapes,
 * which a 64-bit hash can confuse. CLIP puts copies of a picture above 0.95.
 */
export const MIN_SIMILARITY = 0.9;

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
