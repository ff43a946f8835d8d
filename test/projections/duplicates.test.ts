import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import {
  MAX_HASH_DISTANCE,
  embeddingsAgree,
  hammingDistance,
  hashHalves,
  type DuplicateGroups,
} from '../../projections/duplicates/duplicateGroups';
import { SqliteDuplicateGroups } from '../../projections/duplicates/sqlite';
import type { AssetRecord } from '../../projections/assetRecord';
import type { EventDraft, StoredEvent } from '../../schemas/envelope';
import { ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';

// A and B are 3 bits apart, B and C 10, A and C 13 (too far), D far from all.
const HASHES = { 'img-a': '0000000000000000', 'img-b': '0000000000000007', 'img-c': '0000000000001fff', 'img-d': 'ffffffffffffffff' };

const hashed = (assetId: string, hash: string) => resultDraft(assetId, 'PerceptualHashComputed', { algorithm: 'dhash', hash });
const embedded = (assetId: string, vector: number[], model = 'clip') =>
  resultDraft(assetId, 'EmbeddingComputed', { model, revision: 'main', dimensions: vector.length, normalization: 'l2', vector });

describe('near-duplicate rules', () => {
  it('counts differing bits of two 64-bit hashes', () => {
    const distance = (a: string, b: string) => hammingDistance(hashHalves(a), hashHalves(b));
    expect(distance(HASHES['img-a'], HASHES['img-b'])).toBe(3);
    expect(distance(HASHES['img-b'], HASHES['img-c'])).toBe(MAX_HASH_DISTANCE);
    expect(distance(HASHES['img-a'], HASHES['img-c'])).toBe(13);
    expect(distance(HASHES['img-a'], HASHES['img-d'])).toBe(64);
    expect(distance('8000000000000001', '0000000100000000')).toBe(3);
  });

  it('lets same-model embeddings veto a hash match, and only those', () => {
    const vector = (...v: number[]) => Float32Array.from(v);
    const clip = (v: Float32Array) => ({ model: 'clip', revision: 'main', vector: v });
    expect(embeddingsAgree(clip(vector(1, 0)), clip(vector(0.99, Math.sqrt(1 - 0.99 ** 2))))).toBe(true);
    expect(embeddingsAgree(clip(vector(1, 0)), clip(vector(0, 1)))).toBe(false);
    expect(embeddingsAgree(clip(vector(1, 0)), { ...clip(vector(0, 1)), revision: 'v2' })).toBe(true);
    expect(embeddingsAgree(clip(vector(1, 0)), undefined)).toBe(true);
  });
});

describe('near-duplicate groups (SQLite projection)', () => {
  let directory: ReturnType<typeof temporaryDirectory>;
  let log: SqliteEventLog;
  let groups: SqliteDuplicateGroups;
  const opened: DuplicateGroups[] = [];

  const open = (name: string) => {
    const store = new SqliteDuplicateGroups(join(directory.path, name));
    opened.push(store);
    return store;
  };

  async function catchUp(store: DuplicateGroups) {
    const positions = await store.positions();
    for await (const batch of log.readAll({ batchSize: 3 })) {
      const fresh = batch.filter((e) => positions[e.partition] === undefined || BigInt(e.offset) > BigInt(positions[e.partition]!));
      if (fresh.length) await store.apply(fresh);
    }
  }

  async function append(...drafts: EventDraft[]) {
    for (const draft of drafts) await log.append([draft]);
    await catchUp(groups);
  }

  const members = async (assetId: string, store: DuplicateGroups = groups) =>
    (await store.groupOf(assetId))?.assets.map((a) => a.assetId);

  beforeEach(async () => {
    directory = temporaryDirectory();
    log = new SqliteEventLog({ path: join(directory.path, 'log.db') });
    groups = open('duplicates.db');
    await append(...Object.keys(HASHES).map((id) => ingestedDraft(id)));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await log.close();
    directory.remove();
  });

  it('groups close hashes, transitively, under the smallest asset id; a far one stays alone', async () => {
    await append(...Object.entries(HASHES).map(([id, hash]) => hashed(id, hash)));
    expect(await groups.groupOf('img-c')).toEqual({
      groupId: 'img-a',
      assets: ['img-a', 'img-b', 'img-c'].map((id) => ({ assetId: id, originalName: `${id}.jpg`, size: 1 })),
    });
    expect(await groups.groupOf('img-d')).toBeUndefined();
    expect(await groups.list({ limit: 10 })).toEqual({ groups: [await groups.groupOf('img-a')] });
  });

  it('splits a group when the asset that joined it is deleted, and merges it back on re-ingest', async () => {
    await append(...Object.entries(HASHES).map(([id, hash]) => hashed(id, hash)));
    await append(resultDraft('img-b', 'AssetDeleted', {}));
    expect(await members('img-a')).toBeUndefined();
    expect(await members('img-c')).toBeUndefined();
    await append(ingestedDraft('img-b'), hashed('img-b', HASHES['img-b']));
    expect(await members('img-c')).toEqual(['img-a', 'img-b', 'img-c']);
  });

  it('lets embeddings of one model keep apart what the hashes put together', async () => {
    await append(hashed('img-a', HASHES['img-a']), hashed('img-b', HASHES['img-b']));
    expect(await members('img-a')).toEqual(['img-a', 'img-b']);
    await append(embedded('img-a', [1, 0]), embedded('img-b', [0, 1]));
    expect(await members('img-a')).toBeUndefined();
    // Agreeing embeddings of the next model bring them back together.
    await append(embedded('img-a', [1, 0], 'clip-2'), embedded('img-b', [1, 0], 'clip-2'));
    expect(await members('img-a')).toEqual(['img-a', 'img-b']);
  });

  it('ends in the same groups whatever order the facts arrive in, and on replay', async () => {
    const facts = [
      hashed('img-c', HASHES['img-c']),
      embedded('img-b', [0.6, 0.8]),
      hashed('img-a', HASHES['img-a']),
      hashed('img-d', HASHES['img-d']),
      embedded('img-c', [0.6, 0.8]),
      hashed('img-b', HASHES['img-b']),
      embedded('img-a', [0.8, 0.6]),
    ];
    await append(...facts);
    const replayed = open('replayed.db');
    await catchUp(replayed);
    expect(await replayed.list({ limit: 10 })).toEqual(await groups.list({ limit: 10 }));

    await log.close();
    log = new SqliteEventLog({ path: join(directory.path, 'reversed-log.db') });
    groups = open('reversed.db');
    await append(...Object.keys(HASHES).map((id) => ingestedDraft(id)), ...facts.reverse());
    expect(await groups.list({ limit: 10 })).toEqual(await replayed.list({ limit: 10 }));
    // a·b = 0.96, b·c = 1: all three agree with their hashes.
    expect(await members('img-a')).toEqual(['img-a', 'img-b', 'img-c']);
  });

  it('passes over the events it shows nothing of (renditions), its checkpoint with them, and groups the facts that follow', async () => {
    const rendition = (assetId: string) =>
      resultDraft(assetId, 'RenditionCreated', {
        name: 'thumbnail',
        objectKey: `renditions/${assetId}/thumbnail.webp`,
        mimeType: 'image/webp',
        width: 256,
        height: 192,
        size: 100,
        watermarked: false,
      });
    await append(rendition('img-a'), hashed('img-a', HASHES['img-a']), rendition('img-b'), rendition('img-b'), hashed('img-b', HASHES['img-b']));
    expect(await members('img-a')).toEqual(['img-a', 'img-b']);
    await append(rendition('img-b'));
    const last = (await log.readAsset('img-b')).at(-1)!;
    expect(await groups.positions()).toEqual({ [last.partition]: last.offset });
    await append(resultDraft('img-b', 'AssetDeleted', {}));
    expect(await members('img-a')).toBeUndefined();
  });

  it('sees the hashes another process applied to the file in between', async () => {
    await append(hashed('img-a', HASHES['img-a']));
    // A second connection to the file, as another process that held the lease for a while.
    const other = open('duplicates.db');
    await log.append([hashed('img-b', HASHES['img-b'])]);
    await catchUp(other);
    // C is 13 bits from A and 10 from B: it joins them only if this connection sees B.
    await append(hashed('img-c', HASHES['img-c']));
    expect(await members('img-c')).toEqual(['img-a', 'img-b', 'img-c']);
  });

  it('keeps nothing of a batch that failed, in the file or in its copy of the hashes', async () => {
    class FailingGroups extends SqliteDuplicateGroups {
      failing = true;
      protected override save(record: AssetRecord, event: StoredEvent) {
        super.save(record, event);
        if (this.failing && event.type === 'PerceptualHashComputed') throw new Error('the disk is full');
      }
    }
    const failing = new FailingGroups(join(directory.path, 'failing.db'));
    opened.push(failing);
    await catchUp(failing);
    await append(hashed('img-a', HASHES['img-a']));
    failing.failing = false;
    await catchUp(failing);
    await log.append([hashed('img-b', HASHES['img-b'])]);
    failing.failing = true;
    await expect(catchUp(failing)).rejects.toThrow('the disk is full');
    failing.failing = false;
    // B's hash was rolled back: C, 10 bits from B, finds nobody until B is applied.
    await log.append([hashed('img-c', HASHES['img-c'])]);
    const last = async (assetId: string) => (await log.readAsset(assetId)).at(-1)!;
    await failing.apply([await last('img-c')]);
    expect(await members('img-c', failing)).toBeUndefined();
    await failing.apply([await last('img-b')]);
    expect(await members('img-c', failing)).toEqual(['img-a', 'img-b', 'img-c']);
  });

  it('pages through groups', async () => {
    await append(
      ...['p-1', 'p-2', 'q-1', 'q-2', 'r-1', 'r-2'].map((id) => ingestedDraft(id)),
      ...['p-1', 'p-2'].map((id) => hashed(id, '1111111111111111')),
      ...['q-1', 'q-2'].map((id) => hashed(id, '2222222222222222')),
      ...['r-1', 'r-2'].map((id) => hashed(id, '4444444444444444')),
    );
    const first = await groups.list({ limit: 2 });
    expect(first.groups.map((g) => g.groupId)).toEqual(['p-1', 'q-1']);
    const second = await groups.list({ limit: 2, after: first.next });
    expect(second).toEqual({ groups: [await groups.groupOf('r-2')], next: undefined });
  });
});
