/** Unit vectors for vector-search tests and benchmarks: constructed, so their neighbours are known. */
export function unit(vector: number[]): Float32Array {
  const norm = Math.hypot(...vector);
  return Float32Array.from(vector, (x) => x / norm);
}

/** A deterministic pseudo-random unit vector (mulberry32). */
export function randomUnit(seed: number, dimensions: number): Float32Array {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return unit(Array.from({ length: dimensions }, next));
}

/**
 * A unit vector whose cosine similarity with the unit vector `center` is
 * `similarity` (to float32's precision), in a pseudo-random direction: vectors
 * built at distinct similarities are ranked, nearest first, by construction.
 */
export function atSimilarity(center: Float32Array, similarity: number, seed: number): Float32Array {
  const direction = randomUnit(seed, center.length);
  const along = direction.reduce((sum, x, i) => sum + x * center[i]!, 0);
  const across = unit(Array.from(direction, (x, i) => x - along * center[i]!));
  const sine = Math.sqrt(1 - similarity * similarity);
  return Float32Array.from(center, (x, i) => similarity * x + sine * across[i]!);
}
