import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryHashes } from '../../projections/duplicates/memoryHashes';
import { hashesClose } from '../../projections/duplicates/duplicateGroups';
import { WAT_SOURCES, binaryOf, compileWat } from '../../scripts/wasm';
import { randomStream } from '../support/randomStream';

/** `hash` with `bits` random bits flipped (some may land on the same bit twice). */
function flipped(hash: [number, number], bits: number, random: () => number): [number, number] {
  const [high, low] = hash;
  let result: [number, number] = [high, low];
  for (let i = 0; i < bits; i++) {
    const bit = random() % 64;
    result = bit < 32 ? [(result[0] ^ (1 << bit)) >>> 0, result[1]] : [result[0], (result[1] ^ (1 << (bit - 32))) >>> 0];
  }
  return result;
}

/** Checks the index against every hash it holds, and against the marked ones alone, for each of `queries`. */
function expectCloseAsEveryRow(index: MemoryHashes, all: Map<string, [number, number]>, marked: Set<string>, queries: [string, [number, number]][]) {
  expect(index.size).toBe(all.size);
  for (const [queryId, query] of queries) {
    const expected = [...all].filter(([id, hash]) => id !== queryId && hashesClose(hash, query)).map(([id]) => id);
    expect(index.close(query, queryId).sort(), queryId).toEqual(expected.sort());
    expect(index.close(query, queryId, true).sort(), `${queryId} among the marked`).toEqual(expected.filter((id) => marked.has(id)).sort());
  }
}

describe('the in-memory index of the hashes', () => {
  it('finds every close hash and no other, after updates, removals and growth', () => {
    const random = randomStream(1);
    const index = new MemoryHashes();
    const all = new Map<string, [number, number]>();
    const marked = new Set<string>();
    const put = (id: string, hash: [number, number]) => {
      all.set(id, hash);
      index.set(id, hash);
    };
    const mark = (id: string, on: boolean) => {
      index.mark(id, on);
      if (!all.has(id)) return; // no hash: nothing to mark
      if (on) marked.add(id);
      else marked.delete(id);
    };
    // One hash in ten near one centre (0 to 12 bits flipped), the rest anywhere; past the first 1024 rows and blocks.
    const centre: [number, number] = [0x12345678, 0x9abcdef0];
    for (let i = 0; i < 3000; i++) put(`a${i}`, i % 10 === 0 ? flipped(centre, random() % 13, random) : [random(), random()]);
    for (let i = 0; i < 3000; i += 3) mark(`a${i}`, true);
    for (let i = 0; i < 3000; i += 7) {
      all.delete(`a${i}`);
      marked.delete(`a${i}`);
      index.delete(`a${i}`); // the last row, marked or not, moves into its place
    }
    for (let i = 1; i < 3000; i += 29) put(`a${i}`, flipped(centre, random() % 13, random)); // moved to other lists, marks kept
    for (let i = 0; i < 3000; i += 9) mark(`a${i}`, false);
    put('a1', centre);
    mark('a1', true);
    mark('missing', true);
    index.delete('missing');
    const near = [...all.values()].filter((hash) => hashesClose(hash, centre)).length;
    expect(near).toBeGreaterThan(100);
    expect([...marked].filter((id) => hashesClose(all.get(id)!, centre)).length).toBeGreaterThan(30);
    expectCloseAsEveryRow(index, all, marked, [['a1', centre], ...[...all].filter((_, i) => i % 97 === 0)]);
  });

  it('answers the same when most hashes share a quarter value (images of one smooth gradient)', () => {
    const random = randomStream(2);
    const index = new MemoryHashes();
    const all = new Map<string, [number, number]>();
    const marked = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      // All bits 0 but a few: what dHash gives pictures that darken from left to right.
      const hash = flipped([0, 0], random() % 12, random);
      all.set(`g${i}`, hash);
      index.set(`g${i}`, hash);
      if (i % 50 === 0) {
        index.mark(`g${i}`, true);
        marked.add(`g${i}`);
      }
    }
    expectCloseAsEveryRow(index, all, marked, [...all].filter((_, i) => i % 101 === 0));
  });

  it('checks entries with the WebAssembly its text source compiles to (else run npm run wasm)', async () => {
    for (const source of WAT_SOURCES) {
      const committed = readFileSync(binaryOf(source));
      expect(Buffer.compare(committed, Buffer.from(await compileWat(source))), `${binaryOf(source)} is stale: run npm run wasm`).toBe(0);
    }
  });
});
