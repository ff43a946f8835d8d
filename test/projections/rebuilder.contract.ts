import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventLog } from '../../log/eventLog';
import { SqliteEventLog } from '../../log/sqlite';
import type { AssetRecords } from '../../projections/assets/assetRecords';
import { newGeneration, rebuilderOf, type RebuildRunOptions, type Rebuilder } from '../../projections/lifecycle/generations';
import { runProjection, type ProjectionStore } from '../../projections/projection';
import { SearchQuery, type SearchIndex } from '../../projections/search/searchIndex';
import type { VectorIndex } from '../../projections/vectors/vectorIndex';
import type { Collections } from '../../projections/collections/collections';
import type { EventDraft } from '../../schemas/envelope';
import type { PayloadOf } from '../../schemas/events';
import { editDraft, ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { unit } from '../support/vectors';
import { waitFor } from '../support/waitFor';
import { CLIP, OTHER, atAngle, embedding, rounded } from './vectors.contract';
import { unscored } from './search.contract';

/**
 * The Rebuilder contract (projections/lifecycle/generations.ts): every backend
 * that keeps generations passes it (embedded SQLite, OpenSearch search and
 * vector indices, DynamoDB asset records). A rebuild builds a new generation
 * from the log beside the live one, which keeps answering; swaps it in with
 * nothing lost when the log grows meanwhile; drops the old one; and a rebuild
 * that stops drops what it built and changes nothing.
 */
export interface RebuilderFactory<S extends ProjectionStore> {
  /** A fresh, empty store whose live generation is the initial one. */
  open(): Promise<Opened<S>>;
  /** What a reader sees of the store: equal for two stores that hold the same state. */
  read(store: S): Promise<unknown>;
}

export interface Opened<S extends ProjectionStore> {
  store: S;
  /** The generations the backend holds for the store (its files, indices or tables), by generation id, sorted. */
  generations(): Promise<string[]>;
}

/** A model no event of the history names: a rebuild must make its space for an event appended meanwhile. */
const LATE_MODEL = { id: 'late-clip', revision: 'main' };

/** What ffprobe says of a full HD H.264 video of `seconds`. */
const probed = (seconds: number): PayloadOf<'MediaProbed'> => ({
  container: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationSeconds: seconds,
  video: [{ index: 0, codec: 'h264', width: 1920, height: 1080, rotation: 0, variableFrameRate: false, transfer: 'sdr' }],
  audio: [],
  subtitles: [],
  data: [],
  coverArt: false,
  tags: {},
});

/** Collections the history's assets are in, one nested under the other and shared. */
const HOLIDAY = `c${'1'.repeat(32)}`;
const BEACH = `c${'2'.repeat(32)}`;

/** Assets with titles, vectors of two models, video fields, document text and people, some deleted, in collections and favourites: something for every read model. */
function history(): EventDraft[] {
  return [...collectionDrafts(), ...assetDrafts()];
}

function collectionDrafts(): EventDraft[] {
  return [
    resultDraft(HOLIDAY, 'CollectionCreated', { name: 'Holiday', parentId: null }),
    resultDraft(BEACH, 'CollectionCreated', { name: 'Beach', parentId: HOLIDAY }),
    resultDraft(HOLIDAY, 'CollectionShared', { subject: { kind: 'principal', id: 'user:bob' }, role: 'viewer' }),
    resultDraft(BEACH, 'CollectionShared', { subject: { kind: 'group', id: 'darkroom' }, role: 'editor' }),
    resultDraft(HOLIDAY, 'CollectionRenamed', { name: 'Holidays' }),
  ];
}

function assetDrafts(): EventDraft[] {
  return Array.from({ length: 24 }, (_, i) => {
    const assetId = `asset-${String(i).padStart(2, '0')}`;
    return [
      ingestedDraft(assetId),
      editDraft(assetId, `harbour ${i}`),
      ...(i % 6 === 1 ? [resultDraft(assetId, 'MediaProbed', probed(i * 40))] : []),
      ...(i % 6 === 2 ? [resultDraft(assetId, 'DocumentTextExtracted', { text: `logbook page ${i}`, pages: 1, truncated: false })] : []),
      ...(i % 6 === 3 ? [resultDraft(assetId, 'UserMetadataUpdated', { creator: 'Alice Example', people: [`Person ${i}`] })] : []),
      embedding(assetId, atAngle(i * 7)),
      ...(i % 4 === 0 ? [embedding(assetId, atAngle(90 - i), OTHER)] : []),
      ...(i % 3 === 0 ? [resultDraft(assetId, 'AssetAddedToCollection', { collectionId: i % 2 ? HOLIDAY : BEACH })] : []),
      ...(i % 7 === 0 ? [resultDraft(assetId, 'AssetFavourited', { principalId: 'user:bob' })] : []),
      ...(i % 5 === 0 ? [resultDraft(assetId, 'AssetDeleted', {})] : []),
    ];
  }).flat();
}

/** A new asset, as every read model shows it. */
function newAsset(assetId: string, degrees: number, model = CLIP): EventDraft[] {
  return [ingestedDraft(assetId), editDraft(assetId, `pier ${assetId}`), embedding(assetId, atAngle(degrees), model)];
}

/** What a reader sees of each read model with generations, for the factories. */
export const readers = {
  async assetRecords(store: AssetRecords) {
    return { assets: (await store.list({ limit: 1000, includeDeleted: true })).assets, counts: await store.countByStatus() };
  },
  async searchIndex(store: SearchIndex) {
    const queries = [{ limit: 200 }, { q: 'logbook' }, { q: 'alice' }, { resolution: 'fhd' as const, minDuration: 100 }];
    // Scores aside: OpenSearch's term statistics count the replaced versions of documents until segments merge.
    return Promise.all(queries.map(async (query) => unscored(await store.search(SearchQuery.parse(query)))));
  },
  async collections(store: Collections) {
    const holders = [{ id: 'user:bob', groups: [] }, { id: 'user:eve', groups: ['darkroom'] }];
    return {
      collections: await store.list(),
      shared: await Promise.all(holders.map((holder) => store.sharedWith(holder, ['viewer', 'editor']))),
      favourites: await store.favourites('user:bob'),
    };
  },
  async vectorIndex(store: VectorIndex) {
    const models = await store.models();
    const nearest = await Promise.all(models.map(async ({ id, revision }) => rounded(await store.knn({ model: { id, revision }, vector: unit(atAngle(0)), k: 100 }))));
    return { models, nearest };
  },
};

export function rebuilderContract<S extends ProjectionStore>(backend: string, factory: RebuilderFactory<S>): void {
  describe(`Rebuilder contract: ${backend}`, () => {
    let directory: ReturnType<typeof temporaryDirectory>;
    let log: EventLog;
    let opened: S[];
    let live: Opened<S>;
    let rebuilder: Rebuilder;

    const open = async () => {
      const store = await factory.open();
      opened.push(store.store);
      return store;
    };
    const foldLog = async (store: S) => {
      for await (const batch of log.readAll({ batchSize: 50 })) await store.apply(batch);
    };
    /** A store built afresh from the whole log: what the same history must give (law 5). */
    const fromScratch = async () => {
      const { store } = await open();
      await foldLog(store);
      return factory.read(store);
    };
    /** The history, applied to the live store as its consumer would. */
    const applyHistory = async () => {
      await log.append(history());
      await foldLog(live.store);
    };
    const caughtUp = () => waitFor(`${backend} to catch up with the log`, async () => (await log.lag(await live.store.positions())) === 0);
    const rebuild = (options: Partial<RebuildRunOptions> = {}) =>
      rebuilder.rebuild(log, {
        generation: newGeneration(rebuilder.definition.version),
        batchSize: 5,
        catchUpTimeoutMs: 30_000,
        onProgress: () => undefined,
        ...options,
      });

    beforeEach(async () => {
      directory = temporaryDirectory();
      log = new SqliteEventLog({ path: join(directory.path, 'log.db'), sync: 'normal' });
      opened = [];
      live = await open();
      rebuilder = rebuilderOf(live.store)!;
    });
    afterEach(async () => {
      await Promise.all(opened.map((store) => store.close()));
      await log.close();
      directory.remove();
    });

    it('offers its rebuilder, whose live generation is the initial one at the projection’s version', async () => {
      expect(rebuilder).toBeDefined();
      expect(rebuilder.backend).toMatch(/^[a-z]+$/);
      expect(await rebuilder.live()).toMatchObject({ generation: 'initial', version: rebuilder.definition.version });
      expect(await live.generations()).toEqual(['initial']);
    });

    it('builds a new generation beside the live one, which answers as before throughout, then swaps it in and drops the old one', async () => {
      await applyHistory();
      const before = await factory.read(live.store);
      const readsDuring: Promise<unknown>[] = [];

      const done = await rebuild({ onProgress: () => void readsDuring.push(factory.read(live.store)) });

      expect(readsDuring.length).toBeGreaterThanOrEqual(3); // building, catching up, swapping
      for (const read of await Promise.all(readsDuring)) expect(read).toEqual(before);
      expect(done).toMatchObject({ version: rebuilder.definition.version });
      expect(await rebuilder.live()).toEqual(done);
      expect(await live.generations()).toEqual([done.generation]);
      expect(await factory.read(live.store)).toEqual(before);
    });

    it('loses nothing appended while it builds or swaps, and the live consumer goes on in the new generation', async () => {
      await log.append(history());
      const consumer = runProjection(log, live.store, pino({ level: 'silent' }));
      try {
        await caughtUp();
        const appended = new Map<string, Promise<unknown>>();
        const appendOnce = (state: string, events: EventDraft[]) => appended.has(state) || appended.set(state, log.append(events));

        const done = await rebuild({
          onProgress: (state) => {
            if (state === 'building') appendOnce(state, newAsset('late-building', 3, LATE_MODEL));
            if (state === 'swapping') appendOnce(state, [...newAsset('late-swapping', 5), editDraft('asset-01', 'renamed while swapping')]);
          },
        });
        await Promise.all(appended.values());
        await caughtUp();

        expect([...appended.keys()]).toEqual(['building', 'swapping']);
        expect(await rebuilder.live()).toEqual(done);
        expect(await factory.read(live.store)).toEqual(await fromScratch());
        await log.append(newAsset('after', 1));
        await caughtUp();
        expect(await factory.read(live.store)).toEqual(await fromScratch());
      } finally {
        await consumer.stop();
      }
    });

    it('drops what a stopped rebuild built and keeps the live generation serving', async () => {
      await applyHistory();
      const [before, liveBefore] = [await factory.read(live.store), await rebuilder.live()];
      const stop = new AbortController();

      const stopped = rebuild({ signal: stop.signal, onProgress: () => stop.abort() });

      await expect(stopped).rejects.toMatchObject({ code: 'REBUILD_ABORTED' });
      expect(await rebuilder.live()).toEqual(liveBefore);
      expect(await live.generations()).toEqual(['initial']);
      expect(await factory.read(live.store)).toEqual(before);
    });

    it('never discards the live generation', async () => {
      await applyHistory();
      const before = await factory.read(live.store);

      await rebuilder.discard((await rebuilder.live()).generation);

      expect(await live.generations()).toEqual(['initial']);
      expect(await factory.read(live.store)).toEqual(before);
    });
  });
}
