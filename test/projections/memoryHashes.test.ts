import { describe, expect, it } from 'vitest';
import { MemoryHashes } from '../../projections/duplicates/memoryHashes';
import { hammingDistance } from '../../projections/duplicates/duplicateGroups';

describe('the in-memory copy of the hashes', () => {
  it('finds every hash within the distance, and none further, after updates, removals and growth', () => {
    const hashes = new MemoryHashes();
    const all = new Map<string, [number, number]>();
    // Deterministic pseudo-random hashes, many near one centre, past the first 1024 rows.
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const centre: [number, number] = [0x12345678, 0x9abcdef0];
    for (let i = 0; i < 3000; i++) {
      const near = i % 3 === 0;
      const hash: [number, number] = near ? [centre[0] ^ (1 << next() % 32), centre[1] ^ (next() & 0x0101)] : [next(), next()];
      all.set(`a${i}`, hash);
      hashes.set(`a${i}`, hash);
    }
    for (let i = 0; i < 3000; i += 7) {
      all.delete(`a${i}`);
      hashes.delete(`a${i}`);
    }
    all.set('a1', centre);
    hashes.set('a1', centre);
    hashes.delete('missing');
    const expected = [...all].filter(([id, hash]) => id !== 'a1' && hammingDistance(hash, centre) <= 10).map(([id]) => id);
    expect(expected.length).toBeGreaterThan(500);
    expect(hashes.size).toBe(all.size);
    expect(hashes.within(centre, 10, 'a1').sort()).toEqual(expected.sort());
  });
});
