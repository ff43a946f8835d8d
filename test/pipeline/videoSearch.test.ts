import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { fromDecoded } from '../../processors/decodedImage';
import { meanDirection } from '../../processors/embeddings';
import { mediaToolPath } from '../../processors/ffmpeg';
import { differenceHash, frameMosaic } from '../../processors/perceptualHash';
import type { ProcessorInput } from '../../processors/processor';
import { candidateTimes, framesOfStrip, representativeFrames, representativeOf } from '../../processors/videoFrames';
import { videoRenditionsProcessor } from '../../processors/videoRenditions';
import { mediaProbedFrom, probe } from '../../processors/mediaProbe';
import type { StoredEvent } from '../../schemas/envelope';
import { ingestDirectory } from '../../producers/directory';
import { TINY_CLIP, fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { BRANDED, makeBrandedVideos, makeDarkLeaderClip, makeShortPictureClip } from '../support/media';

const DARK = 'dark-leader.mp4';
const SHORT_PICTURE = 'short-picture.mp4';
const PHOTO = 'canon.jpg';
const tools = { ffmpeg: mediaToolPath('ffmpeg'), ffprobe: mediaToolPath('ffprobe') };
const frames = representativeFrames(tools);
const sameFrames = (a: Awaited<ReturnType<typeof frames>>, b: Awaited<ReturnType<typeof frames>>) => {
  expect(a.map((frame) => frame.candidate)).toEqual(b.map((frame) => frame.candidate));
  a.forEach((frame, i) => expect(frame.image.data.equals(b[i]!.image.data)).toBe(true));
};

/** The frames rendition the video-renditions processor makes of a file, as its representative frames. */
async function framesRenditionOf(path: string, directory: string) {
  const processor = videoRenditionsProcessor({ ...tools, thumbnailSize: 256, proxySize: 1280, temporaryDirectory: directory });
  const event = { type: 'AssetIngested', id: 'e1', assetId: 'a', payload: { mediaType: 'video' } } as StoredEvent;
  const result = await processor.process(event, { originalLocation: async () => path } as unknown as ProcessorInput);
  try {
    return await framesOfStrip(readFileSync(result.files!.find((file) => file.key.endsWith('frames.png'))!.file));
  } finally {
    await result.dispose!();
  }
}

describe('the representative frames of a video', () => {
  const media = temporaryDirectory('medialake-frames-');
  beforeAll(() => Promise.all([makeDarkLeaderClip(join(media.path, DARK)), makeShortPictureClip(join(media.path, SHORT_PICTURE)), makeBrandedVideos(media.path)]));
  afterAll(() => media.remove());

  it('are four frames of the scene, none from the black first second', async () => {
    const taken = await frames(join(media.path, DARK));
    const { durationSeconds } = mediaProbedFrom(await probe(tools.ffprobe, join(media.path, DARK)));
    expect(taken).toHaveLength(4);
    for (const frame of taken) expect(candidateTimes(durationSeconds!)[frame.candidate]).toBeGreaterThan(1);
    expect(taken.map((frame) => frame.candidate)).toEqual([...taken.map((frame) => frame.candidate)].sort((a, b) => a - b));
  });

  it('are the same frames whether the video is decoded once or read by seeks (as one over a minute is)', async () => {
    const bySeeking = representativeFrames(tools, 0);
    const [once, seeking] = await Promise.all([frames(join(media.path, DARK)), bySeeking(join(media.path, DARK))]);
    sameFrames(seeking, once);
  });

  it('are the same frames, pixel for pixel, when taken from the frames rendition of the renditions decode', async () => {
    // 320 × 240 is scaled down to 256 × 192, as most videos are: the scaling must match too.
    for (const name of [DARK, BRANDED.first]) {
      const [decoded, rendition] = await Promise.all([frames(join(media.path, name)), framesRenditionOf(join(media.path, name), media.path)]);
      expect(rendition).toHaveLength(8);
      sameFrames(await representativeOf(rendition), decoded);
    }
  });

  it('leave out black and flat candidates, and keep a scene of green and blue with no red in it', async () => {
    const frame = (candidate: number, pixel: (x: number) => [number, number, number]) => {
      const data = Buffer.alloc(64 * 36 * 3);
      for (let at = 0; at < 64 * 36; at++) data.set(pixel(at % 64), at * 3);
      return { candidate, image: { data, width: 64, height: 36, channels: 3 as const } };
    };
    const forest = frame(0, (x) => [0, 40 + 3 * x, 20 + x]);
    const black = frame(1, () => [8, 8, 8]);
    const flatGrey = frame(2, () => [128, 128, 128]);
    const street = frame(3, (x) => [3 * x, 3 * x, 3 * x]);
    expect((await representativeOf([forest, black, flatGrey, street])).map((kept) => kept.candidate)).toEqual([0, 3]);
  });

  it('refuse a frames rendition that is no picture, as bad input', async () => {
    await expect(framesOfStrip(Buffer.from('not a picture'))).rejects.toMatchObject({ code: 'UNREADABLE_IMAGE' });
  });

  it('leave out the candidates past the end of a picture that stops before the sound', async () => {
    const path = join(media.path, SHORT_PICTURE);
    const [decoded, rendition] = await Promise.all([frames(path), framesRenditionOf(path, media.path)]);
    expect(rendition.map((frame) => frame.candidate)).toEqual([0, 1]);
    sameFrames(await representativeOf(rendition), decoded);
  });
});

/**
 * Videos in semantic search, similar assets and near-duplicate groups, end to
 * end on the tiny CLIP model (its rankings mean nothing: the tests check which
 * vectors are used and which assets are grouped).
 */
describe('videos in semantic search and near-duplicates, on the tiny CLIP model', () => {
  const folder = temporaryDirectory('medialake-video-search-');
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  const ids = new Map<string, string>();
  const nameOf = (assetId: string) => [...ids].find(([, id]) => id === assetId)?.[0];
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).json();

  beforeAll(async () => {
    await makeBrandedVideos(folder.path);
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, PHOTO));
    lake = await openTestLake({ 'embeddings.model': TINY_CLIP, 'embeddings.offline': true, 'embeddings.batchSize': 4 });
    lake.start();
    await ingestDirectory(ingestContext(lake), folder.path);
    await lake.waitForIdle({ timeoutMs: 60_000 });
    for (const asset of (await lake.records.list({ limit: 50 })).assets) ids.set(asset.originalName, asset.assetId);
    ({ app } = await adminApi(lake));
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await lake?.close();
    folder.remove();
  });

  it("hashes a video once, from its frames rendition, as the mosaic of the frames decoded from its original", async () => {
    const events = await lake.log.readAsset(ids.get(BRANDED.first)!);
    const hashes = events.filter((e) => e.type === 'PerceptualHashComputed');
    expect(hashes).toHaveLength(1);
    const cause = events.find((e) => e.id === hashes[0]!.causationId);
    expect(cause?.type === 'RenditionCreated' && cause.payload.name).toBe('frames');
    const expected = await differenceHash(await frameMosaic(await frames(join(folder.path, BRANDED.first))));
    expect(hashes[0]!.type === 'PerceptualHashComputed' && hashes[0]!.payload.hash).toBe(expected);
  });

  it("embeds a video once, as the mean direction of its representative frames' embeddings", async () => {
    const events = await lake.log.readAsset(ids.get(BRANDED.first)!);
    const embeddings = events.filter((e) => e.type === 'EmbeddingComputed');
    expect(embeddings).toHaveLength(1);
    const taken = await frames(join(folder.path, BRANDED.first));
    const pngs = await Promise.all(taken.map((frame) => fromDecoded(frame.image).png().toBuffer()));
    const expected = meanDirection(await Promise.all(pngs.map((png) => lake.embedder!.embedImage(png))));
    const logged = embeddings[0]!.type === 'EmbeddingComputed' ? embeddings[0]!.payload.vector : [];
    expect(logged).toHaveLength(expected.length);
    logged.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    expect(Math.hypot(...logged)).toBeCloseTo(1, 5);
  });

  it('finds videos and photos together by a text, and only videos when filtered to them', async () => {
    const all = await get('/search?mode=semantic&limit=10&q=a%20test%20pattern');
    expect(all.total).toBe(4);
    expect(all.hits.map((hit: { assetId: string }) => nameOf(hit.assetId)).sort()).toEqual([...Object.values(BRANDED), PHOTO].sort());
    const videos = await get('/search?mode=semantic&limit=10&type=video&q=a%20test%20pattern');
    expect(videos.hits.map((hit: { assetId: string }) => nameOf(hit.assetId)).sort()).toEqual([...Object.values(BRANDED)].sort());
  });

  it("gives a video's re-encode as its most similar asset", async () => {
    const { hits } = await get(`/assets/${ids.get(BRANDED.first)}/similar?limit=3`);
    expect(nameOf(hits[0].assetId)).toBe(BRANDED.copy);
    expect(hits[0].score).toBeGreaterThan(0.99);
  });

  it('groups a video with its re-encode, and not with another film behind the same black and card opening', async () => {
    const duplicates = await get(`/assets/${ids.get(BRANDED.copy)}/duplicates`);
    expect(duplicates.duplicates.map((d: { originalName: string }) => d.originalName)).toEqual([BRANDED.first]);
    const groups = (await get('/duplicates')).groups;
    expect(groups).toHaveLength(1);
    expect(groups[0].assets.map((a: { originalName: string }) => a.originalName).sort()).toEqual([BRANDED.copy, BRANDED.first].sort());
    expect((await get(`/assets/${ids.get(BRANDED.second)}/duplicates`)).groupId).toBeNull();
  });
});
