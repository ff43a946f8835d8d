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

/** A deterministic stream of standard normal numbers (mulberry32 and Box–Muller). */
function normals(seed: number): () => number {
  let state = seed;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Unit vectors shaped like a photo library's image embeddings, for
 * benchmarks: bursts of about `burst` similar shots around a centre, in a
 * space whose variance falls off over its dimensions as a power law (a few
 * directions carry most of it, as in CLIP's). Uniform random vectors are not
 * that: at 512 dimensions every pair is about equally far apart, which no
 * embedding model gives, and an approximate index recalls less there than
 * on any real library. Vector `i` is the same whatever else is drawn.
 */
export function libraryVectors(count: number, dimensions: number, seed = 1, burst = 50): (i: number) => Float32Array {
  const scale = Float32Array.from({ length: dimensions }, (_, j) => 1 / Math.sqrt(j + 1));
  const centres = Math.max(1, Math.ceil(count / burst));
  const centre = (c: number) => {
    const next = normals(seed * 1_000_003 + c);
    return Float32Array.from(scale, (s) => next() * s);
  };
  const made = new Map<number, Float32Array>();
  return (i) => {
    const c = (Math.imul(i + seed, 2_654_435_761) >>> 0) % centres; // a hash: shots of a burst need not be neighbours in i
    const base = made.get(c) ?? made.set(c, centre(c)).get(c)!;
    const next = normals(seed * 7_919 + 1_000_000_007 + i);
    return unit(Array.from(base, (x, j) => x + 0.7 * next() * scale[j]!));
  };
}
