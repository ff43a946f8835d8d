import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { fromDecoded } from '../../processors/decodedImage';
import { meanDirection } from '../../processors/embeddings';
import { mediaToolPath } from '../../processors/ffmpeg';
import { representativeFrames } from '../../processors/videoFrames';
import { ingestDirectory } from '../../producers/directory';
import { TINY_CLIP, fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { BRANDED, makeBrandedVideos, makeDarkLeaderClip } from '../support/media';

const DARK = 'dark-leader.mp4';
const PHOTO = 'canon.jpg';
const frames = representativeFrames({ ffmpeg: mediaToolPath('ffmpeg'), ffprobe: mediaToolPath('ffprobe') });

describe('the representative frames of a video', () => {
  const media = temporaryDirectory('medialake-frames-');
  beforeAll(() => makeDarkLeaderClip(join(media.path, DARK)));
  afterAll(() => media.remove());

  it('are four frames of the scene, none from the black first second', async () => {
    const taken = await frames(join(media.path, DARK));
    expect(taken).toHaveLength(4);
    for (const frame of taken) expect(frame.seconds).toBeGreaterThan(1);
    expect(taken.map((frame) => frame.seconds)).toEqual([...taken.map((frame) => frame.seconds)].sort((a, b) => a - b));
  });

  it('are the same frames whether the video is decoded once or read by seeks (as one over a minute is)', async () => {
    const bySeeking = representativeFrames({ ffmpeg: mediaToolPath('ffmpeg'), ffprobe: mediaToolPath('ffprobe') }, 0);
    const [once, seeking] = await Promise.all([frames(join(media.path, DARK)), bySeeking(join(media.path, DARK))]);
    expect(seeking.map((frame) => frame.seconds)).toEqual(once.map((frame) => frame.seconds));
    seeking.forEach((frame, i) => expect(frame.image.data.equals(once[i]!.image.data)).toBe(true));
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
