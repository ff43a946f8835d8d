import { describe, expect, it } from 'vitest';
import { IdRows, idHash } from '../../projections/duplicates/idRows';

/** A table and the ids array it reads, kept as MemoryHashes keeps them: the last row moves into a deleted one's place. */
function table() {
  const ids: string[] = [];
  const rows = new IdRows(ids);
  const model = new Map<string, number>();
  return {
    rows,
    model,
    add(id: string) {
      ids.push(id);
      rows.set(id, ids.length - 1);
      model.set(id, ids.length - 1);
    },
    remove(id: string) {
      const row = model.get(id)!;
      rows.delete(id);
      model.delete(id);
      const last = ids.length - 1;
      if (row !== last) {
        ids[row] = ids[last]!;
        rows.set(ids[row]!, row);
        model.set(ids[row]!, row);
      }
      ids.pop();
    },
  };
}

describe('IdRows', () => {
  it('gives back every row it was given, through growth, and nothing for an absent id', () => {
    const { rows, add } = table();
    for (let i = 0; i < 5_000; i++) add(`asset-${i}`);
    for (let i = 0; i < 5_000; i++) expect(rows.get(`asset-${i}`)).toBe(i);
    expect(rows.get('asset-5000')).toBeUndefined();
    expect(rows.get('')).toBeUndefined();
  });

  it('agrees with a Map through random adds and deletes (moved rows, probe runs closed behind deletes)', () => {
    const { rows, model, add, remove } = table();
    let state = 7;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % 3_000;
    for (let step = 0; step < 30_000; step++) {
      const id = `a${next()}`;
      if (model.has(id)) remove(id);
      else add(id);
    }
    for (let n = 0; n < 3_000; n++) expect(rows.get(`a${n}`)).toBe(model.get(`a${n}`));
  });

  it('tells apart ids with the same hash', () => {
    // Two asset ids with the same hash: the slot's hash matches, and the row's id tells them apart.
    const [first, second] = ['abb2c953ea3d785bacf6e28d982b57dfb', 'a9065f5a6c679213ea40c7a12b73032a2'];
    expect(idHash(first)).toBe(idHash(second));
    const { rows, add, remove } = table();
    add(first);
    expect(rows.get(second)).toBeUndefined();
    add(second);
    expect([rows.get(first), rows.get(second)]).toEqual([0, 1]);
    remove(first); // the second's slot moves back into the first's, and its row into row 0
    expect([rows.get(first), rows.get(second)]).toEqual([undefined, 0]);
  });
});
