import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { newGeneration } from '../../projections/lifecycle/generations';
import { RebuildableSqliteVectorIndex } from '../../projections/lifecycle/rebuildableSqliteStores';
import { VECTOR_INDEX } from '../../projections/registry';
import { HnswGraph } from '../../projections/vectors/hnswGraph';
import { MemoryVectors } from '../../projections/vectors/memoryVectors';
import { SqliteVectorIndex } from '../../projections/vectors/sqlite';
import type { SearchFilter, VectorIndex } from '../../projections/vectors/vectorIndex';
import { DEFAULT_APPROXIMATE } from '../../projections/vectors/vectorSpace';
import type { EventDraft } from '../../schemas/envelope';
import { ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { readers, rebuilderContract } from './rebuilder.contract';
import { CLIP, atAngle, embedding, vectorIndexContract } from './vectors.contract';
import { atSimilarity, randomUnit, unit } from '../support/vectors';

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
  // The same answers when every space has a graph and every query that more than one row passes walks it.
  vectorIndexContract('SQLite, HNSW from the first vector', async () =>
    new SqliteVectorIndex(join(directory.path, `vectors-${n++}.db`), { ...DEFAULT_APPROXIMATE, from: 1 }),
  );

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

/** One data directory per store: its generation files, their graph folders and the catalog. */
rebuilderContract('embedded SQLite (vector index, HNSW from 4 vectors)', {
  async open() {
    const data = temporaryDirectory();
    const directory = mkdtempSync(join(data.path, 'data-'));
    const open = (path: string) => new SqliteVectorIndex(path, { ...DEFAULT_APPROXIMATE, from: 4 });
    const store = new RebuildableSqliteVectorIndex({ directory, definition: VECTOR_INDEX, open });
    // vectors.db and vectors.db.graphs are the initial generation, vectors.GENERATION.db(.graphs) every later one:
    // a graph folder left behind by a generation that is gone shows up as a generation.
    const generations = async () => [
      ...new Set(readdirSync(directory).flatMap((file) => file.match(/^vectors(?:\.(.+?))?\.db(?:\.graphs)?$/)?.slice(1).map((g) => g ?? 'initial') ?? [])),
    ].sort();
    return { store, generations };
  },
  read: readers.vectorIndex,
});

describe('the HNSW graph of a large space', () => {
  const D = 32;
  const SETTINGS = { ...DEFAULT_APPROXIMATE, from: 200 };
  const CENTRES = [0, 1, 2].map((c) => randomUnit(500_000 + c, D));
  const pad = (n: number) => String(n).padStart(3, '0');
  /** Around each centre, 20 images at similarities 0.990, 0.988, …, the odd ones large: nearest first by construction. */
  const near = (c: number, j: number) => ({ id: `near-${c}-${pad(j)}`, similarity: 0.99 - 0.002 * j, size: j % 2 ? 5000 : 1 });
  /** Around centre 0, 300 Canon images at 0.95 down to 0.8: further than its 20 near ones, nearer than anything else. */
  const canon = (i: number) => ({ id: `canon-${pad(i)}`, similarity: 0.95 - 0.0005 * i });
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const RANDOM = 1500; // random 32-dimensional vectors: similarities to a centre stay under 0.7

  const directory = temporaryDirectory();
  let log: SqliteEventLog;
  let n = 0;
  const opened: VectorIndex[] = [];
  afterAll(() => directory.remove());
  beforeEach(() => {
    log = new SqliteEventLog({ path: join(directory.path, `graph-log-${n++}.db`) });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await log.close();
  });

  const image = (assetId: string, vector: Float32Array, size = 1): EventDraft[] => {
    const ingested = ingestedDraft(assetId);
    return [{ ...ingested, payload: { ...ingested.payload, size } } as EventDraft, embedding(assetId, Array.from(vector))];
  };
  const shotOnCanon = (assetId: string) =>
    resultDraft(assetId, 'TechnicalMetadataExtracted', { format: 'jpeg', make: 'Canon', model: 'EOS', sha256: '0'.repeat(64), size: 1, warnings: [] });

  function library(): EventDraft[] {
    const nearOnes = CENTRES.flatMap((centre, c) =>
      range(0, 20).flatMap((j) => image(near(c, j).id, atSimilarity(centre, near(c, j).similarity, 1000 * c + j), near(c, j).size)),
    );
    const canons = range(0, 300).flatMap((i) => [...image(canon(i).id, atSimilarity(CENTRES[0]!, canon(i).similarity, 7000 + i)), shotOnCanon(canon(i).id)]);
    const randoms = range(0, RANDOM).flatMap((i) => image(`random-${i}`, randomUnit(i + 1, D)));
    return [...nearOnes, ...canons, ...randoms];
  }

  const openIndex = (name = `graph-${n++}.db`) => {
    const store = new SqliteVectorIndex(join(directory.path, name), SETTINGS);
    opened.push(store);
    return store;
  };
  async function catchUp(store: VectorIndex) {
    const positions = await store.positions();
    for await (const batch of log.readAll({ batchSize: 500 })) {
      const unseen = batch.filter((e) => positions[e.partition] === undefined || BigInt(e.offset) > BigInt(positions[e.partition]!));
      if (unseen.length) await store.apply(unseen);
    }
  }
  async function built(name?: string) {
    await log.append(library());
    const store = openIndex(name);
    await catchUp(store);
    await store.knn({ model: CLIP, vector: CENTRES[0]!, k: 1 }); // loads the space, which starts its graph
    await store.settled();
    return store;
  }
  const ids = async (store: VectorIndex, c: number, k: number, filter?: SearchFilter, exact?: boolean) =>
    (await store.knn({ model: CLIP, vector: CENTRES[c]!, k, filter, exact })).hits.map((hit) => hit.assetId);
  const nearIds = (c: number, js: number[]) => js.map((j) => near(c, j).id);

  it('finds the same nearest images as the exact scan, through the graph', async () => {
    const store = await built();
    const walks = vi.spyOn(HnswGraph.prototype, 'search');
    for (const c of [0, 1, 2]) {
      expect(await ids(store, c, 20)).toEqual(nearIds(c, range(0, 20)));
      expect(await ids(store, c, 20, undefined, true)).toEqual(nearIds(c, range(0, 20)));
    }
    expect(await ids(store, 0, 25)).toEqual([...nearIds(0, range(0, 20)), ...range(0, 5).map((i) => canon(i).id)]);
    expect(walks).toHaveBeenCalledTimes(4); // the exact queries scanned
    const result = await store.knn({ model: CLIP, vector: CENTRES[1]!, k: 3, exclude: near(1, 0).id });
    expect(result.hits.map((hit) => hit.assetId)).toEqual(nearIds(1, [1, 2, 3]));
    expect(result.total).toBe(60 + 300 + RANDOM - 1);
    expect(result.hits[0]!.score).toBeCloseTo(near(1, 1).similarity, 5);
  });

  it('applies the filters: k hits whenever k images pass, through the graph or, for a few, by a scan', async () => {
    const store = await built();
    const walks = vi.spyOn(HnswGraph.prototype, 'search');
    // 300 Canon images pass: more than the threshold, so the graph walks past the others to find them.
    const canons = await store.knn({ model: CLIP, vector: CENTRES[0]!, k: 10, filter: { make: 'canon' } });
    expect(canons.total).toBe(300);
    expect(canons.hits.map((hit) => hit.assetId)).toEqual(range(0, 10).map((i) => canon(i).id));
    expect(walks).toHaveBeenLastCalledWith(CENTRES[0], 186); // unfiltered, deep enough (1,860 × 3 × 10 / 300) to meet about 30
    // 100 of them would take 1,860 unfiltered candidates, more than 1,000: the walk itself applies the filter.
    const more = await store.knn({ model: CLIP, vector: CENTRES[0]!, k: 100, filter: { make: 'canon' } });
    expect(more.hits.map((hit) => hit.assetId)).toEqual(range(0, 100).map((i) => canon(i).id));
    expect(walks).toHaveBeenLastCalledWith(CENTRES[0], 100, expect.any(Function));
    expect(walks).toHaveBeenCalledTimes(2);
    // 30 large images pass: scanned, exactly.
    const large = await store.knn({ model: CLIP, vector: CENTRES[2]!, k: 40, filter: { minSize: 1000 } });
    expect(large.total).toBe(30);
    expect(large.hits).toHaveLength(30);
    expect(large.hits.slice(0, 10).map((hit) => hit.assetId)).toEqual(nearIds(2, [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]));
    expect(walks).toHaveBeenCalledTimes(2);
  });

  it('scans when the graph’s walk comes back with fewer than k that pass', async () => {
    const store = await built();
    vi.spyOn(HnswGraph.prototype, 'search').mockReturnValue([canon(3).id]);
    const canons = await store.knn({ model: CLIP, vector: CENTRES[0]!, k: 10, filter: { make: 'canon' } });
    expect(canons.hits.map((hit) => hit.assetId)).toEqual(range(0, 10).map((i) => canon(i).id));
  });

  it('forgets deleted images and moves re-embedded ones', async () => {
    const store = await built();
    await log.append([
      resultDraft(near(0, 0).id, 'AssetDeleted', {}),
      resultDraft(near(0, 1).id, 'AssetDeleted', {}),
      embedding(near(0, 2).id, Array.from(randomUnit(424_242, D))), // now far from everything
      embedding('random-7', Array.from(atSimilarity(CENTRES[0]!, 0.995, 99))), // now the nearest
    ]);
    await catchUp(store);
    const expected = ['random-7', ...nearIds(0, range(3, 20))];
    expect(await ids(store, 0, 18)).toEqual(expected);
    expect(await ids(store, 0, 18, undefined, true)).toEqual(expected);
    expect((await store.knn({ model: CLIP, vector: CENTRES[0]!, k: 1 })).total).toBe(60 + 300 + RANDOM - 2);
  });

  it('writes its graph beside the file and reads it back on open, with the changes made since', async () => {
    const first = await built('kept.db');
    const before = await ids(first, 1, 20);
    await first.close();
    expect(existsSync(join(directory.path, 'kept.db.graphs'))).toBe(true);
    await log.append([resultDraft(near(1, 0).id, 'AssetDeleted', {}), ...image('newcomer', atSimilarity(CENTRES[1]!, 0.999, 5))]);

    const built_ = vi.spyOn(HnswGraph, 'create');
    const reopened = openIndex('kept.db');
    await catchUp(reopened); // applied before the space is loaded: the graph catches up when it is read
    expect(await ids(reopened, 1, 20)).toEqual(['newcomer', ...before.slice(1)]);
    await reopened.settled();
    expect(built_).not.toHaveBeenCalled();
  });

  it('builds its graph again when the graph beside the file belongs to an earlier file of that name', async () => {
    const first = await built('again.db');
    await first.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(directory.path, `again.db${suffix}`), { force: true });
    await log.append(image('odd-one', atSimilarity(CENTRES[2]!, 0.9999, 11)));

    const made = vi.spyOn(HnswGraph, 'create');
    const again = openIndex('again.db'); // a new file: the old graph's labels and vectors are not its own
    await catchUp(again);
    expect(await ids(again, 2, 1)).toEqual(['odd-one']);
    await again.settled();
    expect(made).toHaveBeenCalledTimes(1);
    expect(await ids(again, 2, 3)).toEqual(['odd-one', ...nearIds(2, [0, 1])]);
  });

  it('answers after a rebuild as before, and the replaced generation’s graph goes with its file', async () => {
    const data = mkdtempSync(join(directory.path, 'rebuilt-'));
    const store = new RebuildableSqliteVectorIndex({ directory: data, definition: VECTOR_INDEX, open: (path) => new SqliteVectorIndex(path, SETTINGS) });
    opened.push(store);
    await log.append(library());
    await catchUp(store);
    const before = await Promise.all([0, 1, 2].map((c) => ids(store, c, 20)));
    await store.close(); // writes the initial generation's graph
    expect(readdirSync(data)).toContain('vectors.db.graphs');
    const reopened = new RebuildableSqliteVectorIndex({ directory: data, definition: VECTOR_INDEX, open: (path) => new SqliteVectorIndex(path, SETTINGS) });
    opened.push(reopened);

    const walks = vi.spyOn(HnswGraph.prototype, 'search');
    const done = await reopened.rebuilder.rebuild(log, {
      generation: newGeneration(VECTOR_INDEX.version),
      batchSize: 200,
      catchUpTimeoutMs: 30_000,
      onProgress: () => undefined,
    });

    expect(await Promise.all([0, 1, 2].map((c) => ids(reopened, c, 20)))).toEqual(before);
    expect(walks).toHaveBeenCalledTimes(3); // the new generation went live with its graph built
    expect(readdirSync(data).filter((file) => file.startsWith('vectors.db'))).toEqual([]);
    await reopened.close();
    expect(readdirSync(data)).toContain(`vectors.${done.generation}.db.graphs`);
  });
});
