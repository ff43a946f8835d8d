import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { perceptualHashProcessor } from '../../processors/perceptualHash';
import { inputOf } from '../../processors/readOnce';
import {
  MAX_HASH_DISTANCE,
  embeddingsAgree,
  hammingDistance,
  hashHalves,
  hashesClose,
  tellsThePicture,
  type DuplicateGroups,
} from '../../projections/duplicates/duplicateGroups';
import { regroup, type GroupingState } from '../../projections/duplicates/representatives';
import { SqliteDuplicateGroups } from '../../projections/duplicates/sqlite';
import type { AssetRecord } from '../../projections/assetRecord';
import type { EventDraft, StoredEvent } from '../../schemas/envelope';
import { assetIdForContent, sha256Hex } from '../../schemas/ids';
import { ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { eventLoopTurns } from '../support/eventLoopTurns';
import { randomStream } from '../support/randomStream';

// A and B are 6 bits apart, B and C 5, A and C 11 (too far), D far from all; A, B and C differ in their last quarter only.
// (0, 3f, 7ff and all ones, each XORed with a5a5…: distances stay, and every hash tells its picture, as a flat one would not.)
const HASHES = { 'img-a': 'a5a5a5a5a5a5a5a5', 'img-b': 'a5a5a5a5a5a5a59a', 'img-c': 'a5a5a5a5a5a5a25a', 'img-d': '5a5a5a5a5a5a5a5a' };

const hashed = (assetId: string, hash: string) => resultDraft(assetId, 'PerceptualHashComputed', { algorithm: 'dhash', hash });
const embedded = (assetId: string, vector: number[], model = 'clip') =>
  resultDraft(assetId, 'EmbeddingComputed', { model, revision: 'main', dimensions: vector.length, normalization: 'l2', vector });

const distance = (a: string, b: string) => hammingDistance(hashHalves(a), hashHalves(b));

/** The grouping rule's state in memory, over a graph of duplicates (with their distances) that a test edits. */
class GraphState implements GroupingState {
  readonly edges = new Map<string, Map<string, number>>();
  private readonly members = new Set<string>();
  private readonly groups = new Map<string, string>();

  /** Gives an asset new duplicates, as a new hash does (none: as a delete does). */
  connect(assetId: string, duplicates: Map<string, number>): void {
    for (const other of this.edges.get(assetId)?.keys() ?? []) this.edges.get(other)!.delete(assetId);
    this.edges.set(assetId, new Map(duplicates));
    for (const [other, distance] of duplicates) {
      if (!this.edges.has(other)) this.edges.set(other, new Map());
      this.edges.get(other)!.set(assetId, distance);
    }
  }

  groupIds(ids: string[]): Record<string, string> {
    return Object.fromEntries(ids.filter((id) => this.groups.has(id)).map((id) => [id, this.groups.get(id)!]));
  }

  duplicatesOf(assetId: string) {
    return [...(this.edges.get(assetId) ?? [])].map(([id, distance]) => ({ assetId: id, distance, representative: !this.members.has(id) }));
  }
  representativeDuplicatesOf(assetId: string) {
    return [...(this.edges.get(assetId) ?? [])].filter(([id]) => !this.members.has(id)).map(([id, distance]) => ({ assetId: id, distance, representative: true }));
  }
  isRepresentative(assetId: string) {
    return !this.members.has(assetId);
  }
  setRepresentative(assetId: string, representative: boolean) {
    if (representative) this.members.delete(assetId);
    else this.members.add(assetId);
  }
  groupIdOf(assetId: string) {
    return this.groups.get(assetId);
  }
  setGroupId(assetId: string, groupId: string | undefined) {
    if (groupId) this.groups.set(assetId, groupId);
    else this.groups.delete(assetId);
  }
  hasMembers(representative: string) {
    return [...this.groups].some(([id, groupId]) => groupId === representative && id !== representative);
  }
  distanceBetween(a: string, b: string) {
    return this.edges.get(a)?.get(b);
  }
}

/** The rule of duplicateGroups.ts computed from scratch: the group of each asset that has one. */
function groupsAfresh(edges: Map<string, Map<string, number>>, ids: string[]): Record<string, string> {
  const duplicates = (id: string) => [...(edges.get(id) ?? [])];
  const representatives = new Set<string>();
  for (const id of [...ids].sort()) if (!duplicates(id).some(([other]) => other < id && representatives.has(other))) representatives.add(id);
  const groups: Record<string, string> = {};
  for (const id of ids.filter((i) => !representatives.has(i))) {
    const [nearest] = duplicates(id)
      .filter(([other]) => representatives.has(other))
      .sort(([a, da], [b, db]) => da - db || (a < b ? -1 : 1));
    groups[id] = groups[nearest![0]] = nearest![0];
  }
  return Object.fromEntries(ids.filter((id) => groups[id]).map((id) => [id, groups[id]!]));
}


/** The hash the perceptual-hash processor gives an image. */
async function processedHash(bytes: Buffer): Promise<string> {
  const ingested = { type: 'AssetIngested', payload: { mediaType: 'image' } } as StoredEvent;
  const { events } = await perceptualHashProcessor().process(ingested, inputOf(bytes, { maxInputPixels: 100_000_000, box: 1280 }));
  return (events[0]!.payload as { hash: string }).hash;
}

/** A value from 0 to `below` - 1 that depends on `n` and `k` only, to draw reproducible pictures. */
const pick = (n: number, k: number, below: number) => ((Math.imul(n + 1, 2654435761) ^ Math.imul(k + 1, 40503)) >>> 0) % below;

/** A picture drawn for the tests (1600×1200, a JPEG): six ellipses on a vertical gradient, all chosen by `n`. */
async function drawnPicture(n: number): Promise<Buffer> {
  const ellipses = Array.from(
    { length: 6 },
    (_, e) =>
      `<ellipse cx="${pick(n, 5 * e, 640)}" cy="${pick(n, 5 * e + 1, 480)}" rx="${40 + pick(n, 5 * e + 2, 160)}" ry="${40 + pick(n, 5 * e + 3, 120)}"
        fill="hsl(${pick(n, 5 * e + 4, 360)},60%,${25 + pick(n, e, 50)}%)"/>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200" viewBox="0 0 640 480">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="hsl(${pick(n, 99, 360)},50%,70%)"/><stop offset="1" stop-color="hsl(${pick(n, 98, 360)},40%,30%)"/>
    </linearGradient></defs>
    <rect width="640" height="480" fill="url(#g)"/>${ellipses.join('')}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}

/** What a library gathers of one picture: re-encodes, resizes and slight crops, by name. */
async function copiesOf(original: Buffer): Promise<Record<string, Buffer>> {
  return {
    original,
    'quality-40': await sharp(original).jpeg({ quality: 40 }).toBuffer(),
    webp: await sharp(original).webp({ quality: 60 }).toBuffer(),
    '800-wide': await sharp(original).resize({ width: 800 }).jpeg({ quality: 85 }).toBuffer(),
    '200-wide': await sharp(original).resize({ width: 200 }).jpeg({ quality: 75 }).toBuffer(),
    'cropped-all-round': await sharp(original).extract({ left: 24, top: 18, width: 1552, height: 1164 }).jpeg({ quality: 85 }).toBuffer(),
    'cropped-left-and-bottom': await sharp(original).extract({ left: 32, top: 0, width: 1568, height: 1176 }).jpeg({ quality: 85 }).toBuffer(),
  };
}

/** The n-th of many distinct pictures on one gradient (640×480, a JPEG): three shapes of their own and their number. */
async function numberedPicture(n: number): Promise<Buffer> {
  const fill = (k: number) => `hsl(${pick(n, k, 360)},70%,${30 + pick(n, k + 1, 40)}%)`;
  const shapes = [0, 10, 20].map((k) =>
    pick(n, k + 9, 2) === 0
      ? `<circle cx="${pick(n, k + 1, 640)}" cy="${pick(n, k + 2, 480)}" r="${50 + pick(n, k + 3, 100)}" fill="${fill(k + 4)}"/>`
      : `<rect x="${pick(n, k + 1, 560)}" y="${pick(n, k + 2, 400)}" width="${80 + pick(n, k + 3, 200)}" height="${80 + pick(n, k + 5, 160)}" fill="${fill(k + 4)}"/>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#5a7a9a"/><stop offset="1" stop-color="#8aa0b0"/></linearGradient></defs>
    <rect width="640" height="480" fill="url(#g)"/>${shapes.join('')}
    <text x="20" y="460" font-size="48" font-family="sans-serif" fill="#000">#${n}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

const NUMBERED_PICTURES = 200;
let numbered: Promise<{ assetId: string; hash: string }[]> | undefined;

/** The numbered pictures as assets (ids from their bytes, as ingest makes them) and their hashes; drawn once per file. */
function numberedPictures(): Promise<{ assetId: string; hash: string }[]> {
  numbered ??= Promise.all(
    Array.from({ length: NUMBERED_PICTURES }, async (_, n) => {
      const bytes = await numberedPicture(n);
      return { assetId: assetIdForContent(sha256Hex(bytes)), hash: await processedHash(bytes) };
    }),
  );
  return numbered;
}

/** The largest connected component of the close-hash relation: what groups would be if they followed chains. */
function largestChain(hashes: [number, number][]): number {
  const component = hashes.map((_, i) => i);
  const root = (i: number): number => (component[i] === i ? i : (component[i] = root(component[i]!)));
  for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) if (hashesClose(hashes[i]!, hashes[j]!)) component[root(i)] = root(j);
  const sizes = new Map<number, number>();
  for (let i = 0; i < hashes.length; i++) sizes.set(root(i), (sizes.get(root(i)) ?? 0) + 1);
  return Math.max(...sizes.values());
}

/**
 * The events of a log in another interleaving of its assets, as another
 * partitioning meets them: each asset's events in their order, the next one
 * taken from the asset `choose` picks among those with events left.
 */
function interleaved(events: StoredEvent[], choose: (assetsLeft: number) => number): StoredEvent[] {
  const byAsset = new Map<string, StoredEvent[]>();
  for (const event of events) byAsset.set(event.assetId, [...(byAsset.get(event.assetId) ?? []), event]);
  const queues = [...byAsset.values()];
  const mixed: StoredEvent[] = [];
  while (queues.length > 0) {
    const at = choose(queues.length);
    mixed.push(queues[at]!.shift()!);
    if (queues[at]!.length === 0) queues.splice(at, 1);
  }
  return mixed;
}

describe('near-duplicate rules', () => {
  it('counts differing bits of two 64-bit hashes', () => {
    expect(distance(HASHES['img-a'], HASHES['img-b'])).toBe(6);
    expect(distance(HASHES['img-b'], HASHES['img-c'])).toBe(5);
    expect(distance(HASHES['img-a'], HASHES['img-c'])).toBe(MAX_HASH_DISTANCE + 1);
    expect(distance(HASHES['img-a'], HASHES['img-d'])).toBe(64);
    expect(distance('8000000000000001', '0000000100000000')).toBe(3);
  });

  it('calls hashes close when at most 10 bits apart with one quarter at most 1 bit apart', () => {
    const close = (a: string, b: string) => hashesClose(hashHalves(a), hashHalves(b));
    expect(close(HASHES['img-a'], HASHES['img-b'])).toBe(true);
    expect(close(HASHES['img-a'], HASHES['img-c'])).toBe(false); // 11 bits
    expect(close('0000000000000000', '0007000700030001')).toBe(true); // 9 bits, the last quarter 1
    expect(close('0000000000000000', '0007000700030003')).toBe(false); // 10 bits, every quarter 2 or more
    expect(close('0000000000000000', '0001000300070007')).toBe(true); // 9 bits, the first quarter 1
  });

  it('lets same-model embeddings veto a hash match, and only those', () => {
    const vector = (...v: number[]) => Float32Array.from(v);
    const clip = (v: Float32Array) => ({ model: 'clip', revision: 'main', vector: v });
    expect(embeddingsAgree(clip(vector(1, 0)), clip(vector(0.99, Math.sqrt(1 - 0.99 ** 2))))).toBe(true);
    expect(embeddingsAgree(clip(vector(1, 0)), clip(vector(0, 1)))).toBe(false);
    expect(embeddingsAgree(clip(vector(1, 0)), { ...clip(vector(0, 1)), revision: 'v2' })).toBe(true);
    expect(embeddingsAgree(clip(vector(1, 0)), undefined)).toBe(true);
  });

  it('keeps representatives and groups as the rule computes them afresh, through any sequence of changes', () => {
    const random = randomStream(7);
    const state = new GraphState();
    const ids = Array.from({ length: 30 }, (_, i) => `x${String((i * 7) % 30).padStart(2, '0')}`);
    for (let change = 0; change < 400; change++) {
      const assetId = ids[random() % ids.length]!;
      // A new hash (new duplicates at new distances), or a delete (none).
      const duplicates = new Map<string, number>();
      if (random() % 5 !== 0) for (const other of ids) if (other !== assetId && random() % 7 === 0) duplicates.set(other, random() % 11);
      const before = [...(state.edges.get(assetId)?.keys() ?? [])];
      state.connect(assetId, duplicates);
      regroup(state, assetId, before, [...duplicates.keys()]);
      expect(state.groupIds(ids), `after change ${change}`).toEqual(groupsAfresh(state.edges, ids));
    }
  });
  it('lets an asset join a large group by reading the duplicates of itself alone', () => {
    const state = new GraphState();
    const read: string[] = [];
    const duplicatesOf = state.duplicatesOf.bind(state);
    state.duplicatesOf = (assetId: string) => (read.push(assetId), duplicatesOf(assetId));
    const copies = Array.from({ length: 100 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    for (const [i, assetId] of copies.entries()) {
      const earlier = copies.slice(0, i);
      state.connect(assetId, new Map(earlier.map((other) => [other, 0])));
      read.length = 0;
      regroup(state, assetId, [], earlier);
      if (i > 0) expect(read, `copy ${i}`).toEqual([assetId]);
    }
    expect(new Set(Object.values(state.groupIds(copies)))).toEqual(new Set(['c000']));
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

  it('groups an asset with its nearest representative, under the representative id, and does not chain', async () => {
    await append(...Object.entries(HASHES).map(([id, hash]) => hashed(id, hash)));
    // A and C are representatives (C's only smaller duplicate, B, is not one); B joins C, 5 bits away, not A, 6.
    expect(await groups.groupOf('img-b')).toEqual({
      groupId: 'img-c',
      assets: ['img-b', 'img-c'].map((id) => ({ assetId: id, originalName: `${id}.jpg`, size: 1 })),
    });
    expect(await groups.groupOf('img-a')).toBeUndefined();
    expect(await groups.groupOf('img-d')).toBeUndefined();
    expect(await groups.list({ limit: 10 })).toEqual({ groups: [await groups.groupOf('img-c')] });
  });

  it('loads its memory of a large file a range of rows at a time after opening, the event loop turning between, and groups with it', async () => {
    // A library of 25,000 hashed assets, written straight into the file; one is a near-copy of img-a (1 bit apart).
    const path = join(directory.path, 'large.db');
    await new SqliteDuplicateGroups(path).close();
    const raw = new Database(path);
    const insert = raw.prepare("INSERT INTO duplicate_assets (asset_id, version, live, record, hash_hi, hash_lo) VALUES (?, 1, 1, '{}', ?, ?)");
    const random = randomStream();
    raw.transaction(() => {
      for (let n = 0; n < 25_000; n++) insert.run(`library-${n}`, random(), random());
      insert.run('near-a', ...hashHalves('a5a5a5a5a5a5a5a4'));
    })();
    raw.close();
    const large = open('large.db');
    await log.append([hashed('img-a', HASHES['img-a'])]);

    const turns = eventLoopTurns();
    let turnsWhileApplying: number;
    try {
      await catchUp(large);
    } finally {
      turnsWhileApplying = turns.stop();
    }

    expect(turnsWhileApplying).toBeGreaterThanOrEqual(2); // three ranges of 10,000 rows
    expect((await large.groupOf('img-a'))?.assets.map((a) => a.assetId).sort()).toEqual(['img-a', 'near-a']);
  });

  it('groups no flat pictures: a black frame, a white page and a red card hash alike, and are no duplicates', async () => {
    const flat = await Promise.all(
      ['#000000', '#ffffff', '#cc0000'].map(async (background) =>
        processedHash(await sharp({ create: { width: 640, height: 480, channels: 3, background } }).jpeg().toBuffer()),
      ),
    );
    expect(flat.every((hash) => !tellsThePicture(hashHalves(hash)))).toBe(true);
    const ids = ['flat-black', 'flat-white', 'flat-red'];
    await append(...ids.map((id) => ingestedDraft(id)), ...ids.map((id, i) => hashed(id, flat[i]!)));
    for (const id of ids) expect(await members(id)).toBeUndefined();
    expect(await groups.list({ limit: 10 })).toEqual({ groups: [] });
  });

  it('dissolves a group when the asset that joined it is deleted, and forms it again on re-ingest', async () => {
    await append(...Object.entries(HASHES).map(([id, hash]) => hashed(id, hash)));
    await append(resultDraft('img-b', 'AssetDeleted', {}));
    expect(await members('img-c')).toBeUndefined();
    await append(ingestedDraft('img-b'), hashed('img-b', HASHES['img-b']));
    expect(await members('img-c')).toEqual(['img-b', 'img-c']);
    // Ingested again with other bytes, B has no hash until the processor says: C is alone again.
    await append(ingestedDraft('img-b'));
    expect(await members('img-c')).toBeUndefined();
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

  it('keeps the vetoes of a file that stored every close pair, and reads the other pairs from the hashes', async () => {
    await append(...['img-a', 'img-b', 'img-c'].map((id) => hashed(id, HASHES[id as keyof typeof HASHES])));
    await append(embedded('img-b', [1, 0]), embedded('img-c', [0, 1]));
    expect(await members('img-b')).toEqual(['img-a', 'img-b']);
    expect(await members('img-c')).toBeUndefined();
    await groups.close();
    // The file as a store that kept every close pair wrote it: B–C vetoed, A–B a duplicate.
    const file = new Database(join(directory.path, 'duplicates.db'));
    file.exec(`DROP TABLE duplicate_vetoes;
      CREATE TABLE duplicate_pairs (a TEXT NOT NULL, b TEXT NOT NULL, distance INTEGER NOT NULL, duplicate INTEGER NOT NULL, PRIMARY KEY (a, b));
      INSERT INTO duplicate_pairs VALUES ('img-a', 'img-b', 6, 1), ('img-b', 'img-c', 5, 0);`);
    file.close();
    groups = open('duplicates.db');
    // A leaves: C would join B, 5 bits away, were their embeddings not apart.
    await append(resultDraft('img-a', 'AssetDeleted', {}));
    expect(await members('img-b')).toBeUndefined();
    expect(await members('img-c')).toBeUndefined();
    expect(new Database(join(directory.path, 'duplicates.db')).prepare("SELECT name FROM sqlite_master WHERE name LIKE 'duplicate_pairs%'").all()).toEqual([]);
  });

  it('holds the groups the rule computes afresh after every batch of hashes, deletes, re-ingests and vetoing embeddings in a crowded neighbourhood', async () => {
    const random = randomStream(5);
    const ids = Array.from({ length: 40 }, (_, i) => `p${String((i * 17) % 40).padStart(2, '0')}`);
    const toHex = ([high, low]: [number, number]) => (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
    // Every hash within a few bits of one centre: many close pairs, chains, flips.
    const nearCentre = (): [number, number] => {
      let hash: [number, number] = [0x0f0f0f0f, 0x33333333];
      for (let flips = random() % 9; flips > 0; flips--) {
        const bit = random() % 64;
        hash = bit < 32 ? [(hash[0] ^ (1 << bit)) >>> 0, hash[1]] : [hash[0], (hash[1] ^ (1 << (bit - 32))) >>> 0];
      }
      return hash;
    };
    const hashes = new Map<string, [number, number]>();
    const vectors = new Map<string, number[]>();
    const deleted = new Set<string>();
    const seen = { grouped: 0, vetoed: 0 };
    await append(...ids.map((id) => ingestedDraft(id)));
    for (let step = 0; step < 25; step++) {
      const drafts: EventDraft[] = [];
      for (let change = 0; change < 6; change++) {
        const id = ids[random() % ids.length]!;
        const roll = random() % 10;
        if (deleted.has(id)) {
          drafts.push(ingestedDraft(id));
          deleted.delete(id);
        } else if (roll < 6) {
          const hash = nearCentre();
          drafts.push(hashed(id, toHex(hash)));
          hashes.set(id, hash);
        } else if (roll < 8) {
          const angle = ((random() % 4) * Math.PI) / 8; // 0, 22.5, 45 or 67.5 degrees: cosines below 0.9 veto
          const vector = [Math.cos(angle), Math.sin(angle)];
          drafts.push(embedded(id, vector));
          vectors.set(id, vector);
        } else {
          drafts.push(resultDraft(id, 'AssetDeleted', {}));
          deleted.add(id);
          hashes.delete(id);
          vectors.delete(id);
        }
        if (drafts.at(-1)!.type === 'AssetIngested') (hashes.delete(id), vectors.delete(id));
      }
      for (const draft of drafts) await log.append([draft]);
      await catchUp(groups);

      const edges = new Map<string, Map<string, number>>();
      for (const [a, hashA] of hashes) {
        edges.set(a, new Map());
        for (const [b, hashB] of hashes) {
          const [va, vb] = [vectors.get(a), vectors.get(b)];
          const agree = !va || !vb || va[0]! * vb[0]! + va[1]! * vb[1]! >= 0.9;
          if (a !== b && hashesClose(hashA, hashB) && agree) edges.get(a)!.set(b, hammingDistance(hashA, hashB));
          if (a !== b && hashesClose(hashA, hashB) && !agree) seen.vetoed++;
        }
      }
      const expected = groupsAfresh(edges, [...hashes.keys()]);
      seen.grouped = Math.max(seen.grouped, Object.keys(expected).length);
      const held = Object.fromEntries(
        (await Promise.all(ids.map(async (id) => [id, (await groups.groupOf(id))?.groupId] as const))).filter(([, groupId]) => groupId),
      );
      expect(held, `after step ${step}`).toEqual(expected);
    }
    // The sequence was worth checking: many assets in groups at once, and pairs kept apart by their embeddings.
    expect(seen.grouped).toBeGreaterThan(15);
    expect(seen.vetoed).toBeGreaterThan(10);
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
    // a·b = 0.96, b·c = 1: the embeddings agree with the hashes.
    expect(await members('img-c')).toEqual(['img-b', 'img-c']);
  });

  it('groups the re-encoded, resized and slightly cropped copies of a picture, one group per picture', async () => {
    const assets = new Map<string, string[]>();
    for (const picture of [0, 1]) {
      for (const [name, bytes] of Object.entries(await copiesOf(await drawnPicture(picture)))) {
        const assetId = `picture-${picture}-${name}`;
        await append(ingestedDraft(assetId), hashed(assetId, await processedHash(bytes)));
        assets.set(`picture-${picture}`, [...(assets.get(`picture-${picture}`) ?? []), assetId]);
      }
    }
    const { groups: found } = await groups.list({ limit: 10 });
    expect(found.map((group) => group.assets.map((asset) => asset.assetId))).toEqual([...assets.values()].map((ids) => ids.sort()));
  });

  it('keeps apart distinct pictures drawn on one gradient, though their hashes chain: no group wider than 2 × MAX_HASH_DISTANCE', async () => {
    const pictures = await numberedPictures();
    await append(...pictures.map(({ assetId }) => ingestedDraft(assetId)), ...pictures.map(({ assetId, hash }) => hashed(assetId, hash)));
    const hashOf = new Map(pictures.map(({ assetId, hash }) => [assetId, hash]));
    // The close-hash relation links most of the pictures into one chain.
    expect(largestChain(pictures.map(({ hash }) => hashHalves(hash)))).toBeGreaterThan(NUMBERED_PICTURES / 2);
    const { groups: found } = await groups.list({ limit: 1000 });
    for (const { groupId, assets } of found) {
      const ids = assets.map((asset) => asset.assetId);
      expect(ids).toContain(groupId);
      for (const a of ids) for (const b of ids) expect(distance(hashOf.get(a)!, hashOf.get(b)!)).toBeLessThanOrEqual(2 * MAX_HASH_DISTANCE);
    }
    expect(Math.max(...found.map((group) => group.assets.length))).toBeLessThanOrEqual(NUMBERED_PICTURES / 10);
  });

  it('rebuilds the groups it holds live from the same events met in other interleavings of the assets', async () => {
    const pictures = await numberedPictures();
    const random = randomStream(11);
    await append(...pictures.map(({ assetId }) => ingestedDraft(assetId)), ...pictures.map(({ assetId, hash }) => hashed(assetId, hash)));
    // Deletes, re-ingests (hashed again or not yet) and embeddings that veto some pairs.
    const some = (every: number, from = 0) => pictures.filter((_, i) => i % every === from);
    await append(...some(9).map(({ assetId }) => resultDraft(assetId, 'AssetDeleted', {})));
    await append(...some(18).flatMap(({ assetId, hash }) => [ingestedDraft(assetId), hashed(assetId, hash)]), ...some(27, 4).map(({ assetId }) => ingestedDraft(assetId)));
    const angles = some(3, 1).map(() => ((random() % 8) * Math.PI) / 16);
    await append(...some(3, 1).map(({ assetId }, i) => embedded(assetId, [Math.cos(angles[i]!), Math.sin(angles[i]!)])));
    const live = await groups.list({ limit: 1000 });
    expect(live.groups.length).toBeGreaterThan(5);

    const events: StoredEvent[] = [];
    for await (const batch of log.readAll()) events.push(...batch);
    const lastAssetFirst = (assetsLeft: number) => assetsLeft - 1;
    const anyAsset = (assetsLeft: number) => random() % assetsLeft;
    for (const [name, choose] of Object.entries({ lastAssetFirst, anyAsset })) {
      const rebuilt = open(`${name}.db`);
      const order = interleaved(events, choose);
      for (let at = 0; at < order.length; at += 50) await rebuilt.apply(order.slice(at, at + 50));
      expect(await rebuilt.list({ limit: 1000 }), name).toEqual(live);
    }
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
    // C is 11 bits from A and 5 from B: B joins C only if this connection sees B.
    await append(hashed('img-c', HASHES['img-c']));
    expect(await members('img-c')).toEqual(['img-b', 'img-c']);
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
    // B's hash was rolled back: C, 5 bits from B and 11 from A, finds nobody until B is applied.
    await log.append([hashed('img-c', HASHES['img-c'])]);
    const last = async (assetId: string) => (await log.readAsset(assetId)).at(-1)!;
    await failing.apply([await last('img-c')]);
    expect(await members('img-c', failing)).toBeUndefined();
    await failing.apply([await last('img-b')]);
    expect(await members('img-c', failing)).toEqual(['img-b', 'img-c']);
  });

  it('opens a file of its previous version, stale until a rebuild replaces it, and keeps applying to it', async () => {
    const path = join(directory.path, 'version-1.db');
    const previous = new Database(path);
    previous.exec(`
      CREATE TABLE duplicate_assets (asset_id TEXT PRIMARY KEY, version INTEGER NOT NULL, live INTEGER NOT NULL, record TEXT NOT NULL,
        hash_hi INTEGER, hash_lo INTEGER, model TEXT, revision TEXT, vector BLOB, group_id TEXT);
      CREATE TABLE duplicate_pairs (a TEXT NOT NULL, b TEXT NOT NULL, duplicate INTEGER NOT NULL, PRIMARY KEY (a, b));`);
    previous.close();
    const reopened = open('version-1.db');
    await append(hashed('img-a', HASHES['img-a']), hashed('img-b', HASHES['img-b']));
    await catchUp(reopened);
    expect(await members('img-a', reopened)).toEqual(['img-a', 'img-b']);
  });

  it("pages a viewer's groups inside the query: full pages, only the members they see, every visible group once", async () => {
    const collection = (digit: string) => `c${digit.repeat(32)}`;
    const [shared, alsoShared, hidden] = [collection('1'), collection('2'), collection('3')];
    const within = [shared, alsoShared];
    // The collections of each member, by group kind (i % 5): interleaved, so a page filtered after reading would come short.
    const kinds: string[][][] = [
      [[shared], [shared]], // visible
      [[alsoShared], [hidden]], // one member visible: not a group to the viewer
      [[shared], [alsoShared, hidden], [hidden]], // visible: its first two members
      [[], []], // in no collection
      [[hidden], [hidden]], // hidden
    ];
    const hashes = Array.from({ length: 16 }, (_, i) => createHash('sha256').update(`group ${i}`).digest('hex').slice(0, 16));
    expect(hashes.filter((a, i) => hashes.some((b, j) => i !== j && hashesClose(hashHalves(a), hashHalves(b))))).toEqual([]);
    const layout = hashes.map((hash, i) => ({ hash, members: kinds[i % 5]!.map((collections, j) => ({ assetId: `g${String(i).padStart(2, '0')}-${j}`, collections })) }));
    const members = layout.flatMap((group) => group.members.map((member) => ({ ...member, hash: group.hash })));
    await append(
      ...members.map(({ assetId }) => ingestedDraft(assetId)),
      ...members.flatMap(({ assetId, collections }) => collections.map((collectionId) => resultDraft(assetId, 'AssetAddedToCollection', { collectionId }))),
      ...members.map(({ assetId, hash }) => hashed(assetId, hash)),
      // Group 10 was visible; one of its members leaves the shared collection.
      resultDraft('g10-1', 'AssetRemovedFromCollection', { collectionId: shared }),
    );
    layout[10]!.members[1]!.collections = [];
    const expected = layout
      .map((group) => ({ groupId: group.members[0]!.assetId, assets: group.members.filter((m) => m.collections.some((c) => within.includes(c))).map((m) => m.assetId) }))
      .filter((group) => group.assets.length > 1);
    expect(expected.map((group) => group.groupId)).toEqual(['g00-0', 'g02-0', 'g05-0', 'g07-0', 'g12-0', 'g15-0']);

    async function pages(store: DuplicateGroups, limit: number) {
      const read: { groupId: string; assets: string[] }[][] = [];
      let after: string | undefined;
      do {
        const page = await store.list({ limit, after, within });
        read.push(page.groups.map((group) => ({ groupId: group.groupId, assets: group.assets.map((a) => a.assetId) })));
        after = page.next;
      } while (after);
      return read;
    }
    for (const limit of [1, 2, 4]) {
      const read = await pages(groups, limit);
      expect(read.slice(0, -1).every((page) => page.length === limit), `limit ${limit}`).toBe(true);
      expect(read.flat(), `limit ${limit}`).toEqual(expected);
    }
    expect((await groups.groupOf('g02-1', { within }))?.assets.map((a) => a.assetId)).toEqual(['g02-0', 'g02-1']);
    expect(await groups.groupOf('g01-0', { within })).toBeUndefined();
    expect(await groups.groupOf('g10-0', { within })).toBeUndefined();
    expect((await groups.groupOf('g10-0'))?.assets.map((a) => a.assetId)).toEqual(['g10-0', 'g10-1']);
    expect((await groups.list({ limit: 100 })).groups).toHaveLength(16);

    const rebuilt = open('rebuilt.db');
    await catchUp(rebuilt);
    expect(await pages(rebuilt, 2)).toEqual(await pages(groups, 2));
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
