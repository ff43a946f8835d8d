/**
 * Reproducible, independent 32-bit values: a counter through an integer hash
 * (lowbias32). Consecutive values are unrelated, so pairs of them make
 * uniformly spread 64-bit hashes (a linear congruential or xorshift stream
 * would tie the second half of each to the first).
 */
export function randomStream(seed = 0): () => number {
  let counter = seed;
  return () => {
    let x = counter++;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    return (x ^ (x >>> 16)) >>> 0;
  };
}
