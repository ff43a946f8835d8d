import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import type { EmbeddingModel, VectorIndex, VectorQuery } from '../../projections/vectors/vectorIndex';
import type { EventDraft } from '../../schemas/envelope';
import { ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { unit } from '../support/vectors';

/**
 * The VectorIndex contract: constructed vectors whose nearest neighbours are
 * known, filters, exclusion, two models apart, deletes, ties and replay. Every
 * backend gives the same answers (scores to 5 places: engines compute in float32).
 */

export const CLIP: EmbeddingModel = { id: 'clip', revision: 'main' };
export const OTHER: EmbeddingModel = { id: 'other-clip', revision: 'v2' };
const D = 8;

/** A unit vector at `degrees` in the plane of the first two axes: neighbours are the nearest angles. */
export function atAngle(degrees: number): number[] {
  const radians = (degrees * Math.PI) / 180;
  return [Math.cos(radians), Math.sin(radians), ...new Array(D - 2).fill(0)];
}


export const embedding = (assetId: string, vector: number[], model = CLIP) =>
  resultDraft(assetId, 'EmbeddingComputed', {
    model: model.id,
    revision: model.revision,
    dimensions: vector.length,
    normalization: 'l2',
    vector,
  });

/** Scores rounded to what two engines agree on. */
export const rounded = (result: Awaited<ReturnType<VectorIndex['knn']>>) => ({
  ...result,
  hits: result.hits.map((hit) => ({ ...hit, score: Number(hit.score.toFixed(5)) })),
});

/** `open` gives a fresh, empty index on each call. */
export function vectorIndexContract(name: string, open: () => Promise<VectorIndex>): void {
  describe(`VectorIndex contract: ${name}`, () => {
    let directory: ReturnType<typeof temporaryDirectory>;
    let log: SqliteEventLog;
    let index: VectorIndex;
    const opened: VectorIndex[] = [];

    const fresh = async () => {
      const store = await open();
      opened.push(store);
      return store;
    };

    /** Appends, then lets the index catch up as its consumer would. */
    async function append(...drafts: EventDraft[]) {
      await log.append(drafts);
      await catchUp(index);
    }

    async function catchUp(store: VectorIndex) {
      const positions = await store.positions();
      for await (const batch of log.readAll({ batchSize: 7 })) {
        const unseen = batch.filter((e) => positions[e.partition] === undefined || BigInt(e.offset) > BigInt(positions[e.partition]!));
        if (unseen.length) await store.apply(unseen);
      }
    }

    const ids = async (query: VectorQuery) => (await index.knn(query)).hits.map((h) => h.assetId);

    beforeEach(async () => {
      directory = temporaryDirectory();
      log = new SqliteEventLog({ path: join(directory.path, 'log.db') });
      index = await fresh();
      // Ten images at 0°, 10°, …, 90°.
      for (let i = 0; i < 10; i++) {
        await log.append([ingestedDraft(`img-${i}`), embedding(`img-${i}`, atAngle(i * 10))]);
      }
      await catchUp(index);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await log.close();
      directory.remove();
    });

    it('returns the nearest by cosine similarity, nearest first, and counts the space', async () => {
      const result = await index.knn({ model: CLIP, vector: unit(atAngle(32)), k: 4 });
      expect(result.total).toBe(10);
      expect(result.hits.map((h) => h.assetId)).toEqual(['img-3', 'img-4', 'img-2', 'img-5']);
      expect(result.hits[0]).toMatchObject({ assetId: 'img-3', originalName: 'img-3.jpg', mediaType: 'image', size: 1 });
      expect(result.hits[0]!.score).toBeCloseTo(Math.cos((2 * Math.PI) / 180), 5);
    });

    it('leaves out the asset asked about, and applies the search filters', async () => {
      expect(await ids({ model: CLIP, vector: unit(atAngle(31)), k: 2, exclude: 'img-3' })).toEqual(['img-4', 'img-2']);
      await append(
        resultDraft('img-4', 'TechnicalMetadataExtracted', {
          format: 'jpeg',
          make: 'Canon',
          model: 'Canon EOS 40D',
          capturedAt: '2008-05-30T15:56:01',
          sha256: '0'.repeat(64),
          size: 1,
          warnings: [],
        }),
        ingestedDraft('big-one', { payload: { ...ingestedDraft('x').payload, size: 5_000_000, mediaType: 'image' } } as never),
        embedding('big-one', atAngle(31)),
      );
      const query = { model: CLIP, vector: unit(atAngle(30)), k: 5 };
      expect(await ids({ ...query, filter: { make: 'canon' } })).toEqual(['img-4']);
      expect(await ids({ ...query, filter: { model: 'CANON eos 40d' } })).toEqual(['img-4']);
      expect(await ids({ ...query, filter: { from: '2008-05-30', to: '2008-05-30' } })).toEqual(['img-4']);
      expect(await ids({ ...query, filter: { minSize: 1000 } })).toEqual(['big-one']);
      expect(await ids({ ...query, filter: { type: 'video' } })).toEqual([]);
      expect((await index.knn({ ...query, filter: { maxSize: 1000 } })).total).toBe(10);
      expect((await index.knn({ ...query, filter: { maxSize: 1000 }, exclude: 'img-0' })).total).toBe(9);
    });

    it('compares make, model and codec filters case folded, as keyword search does', async () => {
      const camera = (assetId: string, make: string, model: string) =>
        resultDraft(assetId, 'TechnicalMetadataExtracted', { format: 'jpeg', make, model, sha256: '0'.repeat(64), size: 1, warnings: [] });
      const film = ingestedDraft('film');
      const probed = {
        container: 'matroska,webm', durationSeconds: 9, subtitles: [], data: [], coverArt: false, tags: {},
        video: [{ index: 0, codec: 'ProRes', width: 640, height: 360, rotation: 0, variableFrameRate: false, transfer: 'sdr' }], audio: [],
      };
      await append(
        camera('img-4', 'ÉCLAIR', 'Straße S'),
        camera('img-5', 'éclair', 'ACL'),
        { ...film, payload: { ...film.payload, mediaType: 'video', mimeType: 'video/x-matroska', originalName: 'film.mkv' } } as never,
        resultDraft('film', 'MediaProbed', probed as never),
        embedding('film', atAngle(31)),
      );
      const query = { model: CLIP, vector: unit(atAngle(40)), k: 5 };
      expect(await ids({ ...query, filter: { make: 'Éclair' } })).toEqual(['img-4', 'img-5']);
      expect(await ids({ ...query, filter: { model: 'STRASSE S' } })).toEqual(['img-4']);
      expect(await ids({ ...query, filter: { codec: 'prores' } })).toEqual(['film']);
    });

    it('applies the video filters and dates to an embedded video, as keyword search does', async () => {
      const video = ingestedDraft('film');
      const probed = {
        container: 'mov,mp4,m4a,3gp,3g2,mj2', durationSeconds: 90, createdAt: '2015-06-01T12:00:00.000000Z',
        video: [{ index: 0, codec: 'h264', width: 1920, height: 1080, rotation: 0, variableFrameRate: false, transfer: 'sdr' }], audio: [{ index: 1, codec: 'aac', channels: 2, sampleRate: 48000 }], subtitles: [], data: [], coverArt: false, tags: {},
      };
      await append(
        { ...video, payload: { ...video.payload, mediaType: 'video', mimeType: 'video/mp4', originalName: 'film.mp4' } } as never,
        resultDraft('film', 'MediaProbed', probed as never),
        embedding('film', atAngle(31)),
      );
      const query = { model: CLIP, vector: unit(atAngle(31)), k: 1 };
      expect(await ids({ ...query, filter: { type: 'video' } })).toEqual(['film']);
      expect(await ids({ ...query, filter: { minDuration: 60 } })).toEqual(['film']);
      expect(await ids({ ...query, filter: { resolution: 'fhd' } })).toEqual(['film']);
      expect(await ids({ ...query, filter: { codec: 'AAC' } })).toEqual(['film']);
      expect(await ids({ ...query, filter: { from: '2015-06-01', to: '2015-06-01' } })).toEqual(['film']);
    });

    it('keeps each model in its own space: both coexist, a query names one', async () => {
      await append(embedding('img-0', atAngle(90), OTHER), embedding('img-9', atAngle(0), OTHER));
      expect(await ids({ model: OTHER, vector: unit(atAngle(0)), k: 5 })).toEqual(['img-9', 'img-0']);
      expect(await ids({ model: CLIP, vector: unit(atAngle(0)), k: 2 })).toEqual(['img-0', 'img-1']);
      expect(await index.models()).toEqual([
        { ...CLIP, dimensions: D, count: 10 },
        { ...OTHER, dimensions: D, count: 2 },
      ]);
      expect(Array.from((await index.vectorOf('img-9', OTHER))!)).toEqual(Array.from(Float32Array.from(atAngle(0))));
      expect(await index.vectorOf('img-1', OTHER)).toBeUndefined();
      expect(await index.knn({ model: { id: 'never-used', revision: 'main' }, vector: unit(atAngle(0)), k: 3 })).toEqual({ total: 0, hits: [] });
    });

    it('drops a deleted asset, and a re-ingested one has no vector until it is embedded again', async () => {
      const query = { model: CLIP, vector: unit(atAngle(0)), k: 2 };
      expect(await ids(query)).toEqual(['img-0', 'img-1']);
      await append(resultDraft('img-0', 'AssetDeleted', {}));
      expect(await ids(query)).toEqual(['img-1', 'img-2']);
      expect(await index.vectorOf('img-0', CLIP)).toBeUndefined();
      expect((await index.knn(query)).total).toBe(9);
      await append(ingestedDraft('img-0'));
      expect(await ids(query)).toEqual(['img-1', 'img-2']);
      await append(embedding('img-0', atAngle(1)));
      expect(await ids(query)).toEqual(['img-0', 'img-1']);
    });

    it('orders equal scores (identical images) by asset id, every time', async () => {
      await append(ingestedDraft('copy-b'), embedding('copy-b', atAngle(50)), ingestedDraft('copy-a'), embedding('copy-a', atAngle(50)));
      expect(await ids({ model: CLIP, vector: unit(atAngle(50)), k: 3 })).toEqual(['copy-a', 'copy-b', 'img-5']);
    });

    it('applies a redelivered batch as a no-op', async () => {
      const before = await index.knn({ model: CLIP, vector: unit(atAngle(20)), k: 10 });
      for await (const batch of log.readAll({ batchSize: 5 })) await index.apply(batch);
      expect(rounded(await index.knn({ model: CLIP, vector: unit(atAngle(20)), k: 10 }))).toEqual(rounded(before));
    });

    it('answers after a rebuild from the log exactly as the live index does (replay)', async () => {
      await append(resultDraft('img-2', 'AssetDeleted', {}), embedding('img-7', atAngle(33)), embedding('img-1', atAngle(1), OTHER));
      const rebuilt = await fresh();
      await catchUp(rebuilt);
      for (const angle of [0, 33, 77]) {
        for (const model of [CLIP, OTHER]) {
          const query = { model, vector: unit(atAngle(angle)), k: 10 };
          expect(rounded(await rebuilt.knn(query))).toEqual(rounded(await index.knn(query)));
        }
      }
      expect(await rebuilt.models()).toEqual(await index.models());
    });
  });
}
