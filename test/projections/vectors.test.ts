import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { MemoryVectors } from '../../projections/vectors/memoryVectors';
import { SqliteVectorIndex } from '../../projections/vectors/sqlite';
import { ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { CLIP, atAngle, embedding, vectorIndexContract } from './vectors.contract';
import { randomUnit, unit } from '../support/vectors';

describe('exact nearest neighbours in memory', () => {
  it('finds the k nearest of random vectors exactly as a full sort does', () => {
    const vectors = new MemoryVectors<null>(64);
    const all = Array.from({ length: 2000 }, (_, i) => ({ id: `v${i}`, vector: randomUnit(i + 1, 64) }));
    for (const { id, vector } of all) vectors.set(id, vector, null);
    const query = randomUnit(99_999, 64);
    const dot = (v: Float32Array) => v.reduce((sum, x, i) => sum + x * query[i]!, 0);
    const expected = all.map(({ id, vector }) => ({ id, score: dot(vector) })).sort((a, b) => b.score - a.score);
    const { total, neighbours } = vectors.nearest(query, 10);
    expect(total).toBe(2000);
    expect(neighbours.map((n) => n.id)).toEqual(expected.slice(0, 10).map((e) => e.id));
    neighbours.forEach((n, i) => expect(n.score).toBeCloseTo(expected[i]!.score, 5));
  });

  it('replaces, deletes (the last row moves into the hole) and grows past its first capacity', () => {
    const vectors = new MemoryVectors<string>(2);
    for (let i = 0; i < 3000; i++) vectors.set(`v${i}`, unit([1, i]), `value ${i}`);
    vectors.set('v0', unit([0, 1]), 'moved'); // replaced: now the same as the query
    vectors.delete('v1');
    vectors.delete('v2999');
    vectors.delete('missing');
    expect(vectors.size).toBe(2998);
    const { neighbours } = vectors.nearest(unit([0, 1]), 1);
    expect(neighbours[0]).toMatchObject({ id: 'v0', value: 'moved' });
    expect(neighbours[0]!.score).toBeCloseTo(1, 6);
    const ids = vectors.nearest(unit([1, 0]), 3000).neighbours.map((n) => n.id);
    expect(ids).toHaveLength(2998);
    expect(ids).not.toContain('v1');
    expect(ids).not.toContain('v2999');
  });
});

describe('the embedded vector index (SQLite projection)', () => {
  const directory = temporaryDirectory();
  let n = 0;
  afterAll(() => directory.remove());

  vectorIndexContract('SQLite', async () => new SqliteVectorIndex(join(directory.path, `vectors-${n++}.db`)));

  describe('one file, two connections', () => {
    let log: SqliteEventLog;
    let path: string;
    const opened: SqliteVectorIndex[] = [];
    beforeEach(() => {
      log = new SqliteEventLog({ path: join(directory.path, `log-${n}.db`) });
      path = join(directory.path, `shared-${n++}.db`);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await log.close();
    });
    const open = () => {
      const store = new SqliteVectorIndex(path);
      opened.push(store);
      return store;
    };
    async function catchUp(store: SqliteVectorIndex) {
      const positions = await store.positions();
      for await (const batch of log.readAll()) {
        const unseen = batch.filter((e) => positions[e.partition] === undefined || BigInt(e.offset) > BigInt(positions[e.partition]!));
        if (unseen.length) await store.apply(unseen);
      }
    }

    it('sees what another process applied to the same file', async () => {
      const index = open();
      for (let i = 0; i < 10; i++) await log.append([ingestedDraft(`img-${i}`), embedding(`img-${i}`, atAngle(i * 10))]);
      await catchUp(index);
      const query = { model: CLIP, vector: unit(atAngle(45)), k: 1 };
      const ids = async () => (await index.knn(query)).hits.map((h) => h.assetId);
      expect(await ids()).toEqual(['img-4']); // loads this connection's copy
      const other = open(); // the same file, as a second process would open it
      await log.append([ingestedDraft('new-one'), embedding('new-one', atAngle(45))]);
      await catchUp(other);
      expect(await ids()).toEqual(['new-one']);
    });
  });
});
