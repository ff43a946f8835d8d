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
