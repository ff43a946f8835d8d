import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaToolPath } from '../../processors/ffmpeg';
import type { ProcessorInput } from '../../processors/processor';
import { videoRenditionsProcessor } from '../../processors/videoRenditions';
import type { StoredEvent } from '../../schemas/envelope';
import { mediaProbedFrom, probe } from '../../processors/mediaProbe';
import { scrubCues, scrubLayout, videoPlan } from '../../processors/videoPlan';
import { ingestDirectory } from '../../producers/directory';
import type { AssetRecord } from '../../projections/assetRecord';
import type { MediaProbed } from '../../schemas/events';
import type { z } from 'zod';
import { temporaryDirectory } from '../support/fixtures';
import { ingestContext, lakeOverFolder, openTestLake } from '../support/lake';
import { chapterTitles, makeBrowserRecording, makeChapteredMedia, makeDarkLeaderClip, makeStillWithMusic, makeTestMedia, TEST_MEDIA } from '../support/media';

const DARK = 'dark-leader.mp4';
const STILL = 'still-with-music.mp4';
const RECORDED = 'browser-recording.webm';
const LECTURE = 'lecture-with-chapters.mp4';

describe('the scrub strip and the plan, from what ffprobe read', () => {
  it('has one cue a tile, covering the whole duration, each pointing at its tile beside the VTT', () => {
    const layout = scrubLayout(25, { width: 1920, height: 1080 });
    expect(layout).toMatchObject({ intervalSeconds: 2, count: 13, columns: 10, rows: 2, tile: { width: 160, height: 90 } });
    const cues = scrubCues(layout, 25, 'scrub-sprite').split('\n\n');
    expect(cues[0]).toBe('WEBVTT');
    expect(cues[1]).toBe('00:00:00.000 --> 00:00:02.000\nscrub-sprite#xywh=0,0,160,90');
    expect(cues.at(-1)).toBe('00:00:24.000 --> 00:00:25.000\nscrub-sprite#xywh=320,90,160,90\n');
  });

  it('keeps at most a hundred tiles for a long film', () => {
    expect(scrubLayout(3 * 3600, { width: 1280, height: 720 })).toMatchObject({ intervalSeconds: 108, count: 100 });
  });

  it('plans a turned phone video portrait, inside 720p, with square pixels', () => {
    const media = { container: 'mov', durationSeconds: 7, video: [{ index: 0, codec: 'hevc', width: 1920, height: 1080, rotation: 90, variableFrameRate: false, transfer: 'sdr', frameRate: 29.97 }], audio: [], subtitles: [], data: [], coverArt: false, tags: {} } as z.infer<typeof MediaProbed>;
    expect(videoPlan(media, 1280)).toMatchObject({ proxy: { width: 720, height: 1280 }, poster: { width: 720, height: 1280 }, hasAudio: false });
    const anamorphic = { ...media, video: [{ ...media.video[0]!, width: 720, height: 576, displayAspectRatio: '16:9', rotation: 0 as const }] };
    expect(videoPlan(anamorphic, 1280).proxy).toEqual({ width: 1024, height: 576 });
  });
});

describe('video renditions through the lake', () => {
  const media = temporaryDirectory('medialake-video-');
  const made = temporaryDirectory('medialake-video-made-');
  const input = temporaryDirectory('medialake-video-in-');
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let byName: Map<string, AssetRecord>;

  beforeAll(async () => {
    await Promise.all([makeTestMedia(media.path), makeDarkLeaderClip(join(input.path, DARK)), makeStillWithMusic(join(input.path, STILL)), makeBrowserRecording(join(input.path, RECORDED)), makeChapteredMedia(join(input.path, LECTURE))]);
    for (const name of [TEST_MEDIA.rotated, TEST_MEDIA.variable, TEST_MEDIA.truncated, TEST_MEDIA.cutOff]) copyFileSync(join(media.path, name), join(input.path, name));
    ({ lake, byName } = await lakeOverFolder(input.path, 60_000));
  }, 90_000);
  afterAll(async () => {
    await lake?.close();
    [media, made, input].forEach((d) => d.remove());
  });

  /** A rendition's bytes, as the store serves them, in a file ffprobe and sharp can read. */
  async function rendition(asset: string, name: string): Promise<string> {
    const { objectKey } = byName.get(asset)!.renditions[name]!;
    const path = join(made.path, `${asset}-${objectKey.split('/').at(-1)}`);
    writeFileSync(path, await lake.store.getBuffer(objectKey));
    return path;
  }
  const probed = async (path: string) => mediaProbedFrom(await probe(mediaToolPath('ffprobe'), path));

  it('makes a thumbnail, poster, scrub strip and proxy, and the video is ready', () => {
    const asset = byName.get(DARK)!;
    expect(asset.status).toBe('ready');
    expect(asset.renditions).toMatchObject({
      thumbnail: { mimeType: 'image/webp', width: 160, height: 120 },
      poster: { mimeType: 'image/jpeg', width: 160, height: 120 },
      'scrub-sprite': { mimeType: 'image/jpeg', width: 320, height: 120 },
      frames: { mimeType: 'image/png', width: 8 * 160, height: 120 },
      'scrub-vtt': { mimeType: 'text/vtt' },
      proxy: { mimeType: 'video/mp4', width: 160, height: 120 },
    });
  });

  it('takes the poster from the picture, not the black first second', async () => {
    const { channels } = await sharp(await rendition(DARK, 'poster')).stats();
    expect(channels[0]!.mean).toBeGreaterThan(60);
  });

  it('cues the sprite over the whole duration, relative to where the VTT is served', async () => {
    const vtt = (await lake.store.getBuffer(byName.get(DARK)!.renditions['scrub-vtt']!.objectKey)).toString();
    expect(vtt).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nscrub-sprite#xywh=0,0,160,120\n\n00:00:02.000 --> 00:00:04.000\nscrub-sprite#xywh=160,0,160,120\n');
    // stats() reads its input, not what extract() makes: extract to a buffer first.
    const tile = async (left: number) => sharp(await sharp(sprite).extract({ left, top: 0, width: 160, height: 120 }).png().toBuffer()).stats();
    const sprite = await rendition(DARK, 'scrub-sprite');
    expect([(await tile(0)).channels[0]!.mean, (await tile(160)).channels[0]!.mean].map((mean) => mean > 60)).toEqual([false, true]);
  });

  it('makes an H.264/AAC proxy within 0.1 s of the source, its index first', async () => {
    const proxy = await probed(await rendition(DARK, 'proxy'));
    expect(proxy.video[0]).toMatchObject({ codec: 'h264', width: 160, height: 120 });
    expect(proxy.audio[0]).toMatchObject({ codec: 'aac', channels: 2 });
    expect(Math.abs(proxy.durationSeconds! - 4)).toBeLessThan(0.1);
    expect(byName.get(DARK)!.renditions.proxy!.durationMs).toBeCloseTo(proxy.durationSeconds! * 1000, -1);
  });

  it('turns a phone’s portrait MOV upright: portrait poster and proxy', async () => {
    const asset = byName.get(TEST_MEDIA.rotated)!;
    expect(asset.status).toBe('ready');
    expect(asset.renditions.poster).toMatchObject({ width: 120, height: 160 });
    expect(await sharp(await rendition(TEST_MEDIA.rotated, 'poster')).metadata()).toMatchObject({ width: 120, height: 160 });
    const proxy = await probed(await rendition(TEST_MEDIA.rotated, 'proxy'));
    expect(proxy.video[0]).toMatchObject({ width: 120, height: 160, rotation: 0 });
  });

  it('keeps a variable-frame-rate video’s length in its proxy', async () => {
    const source = await probed(join(input.path, TEST_MEDIA.variable));
    const proxy = await probed(await rendition(TEST_MEDIA.variable, 'proxy'));
    expect(Math.abs(proxy.durationSeconds! - source.durationSeconds!)).toBeLessThan(0.1);
    expect(proxy.audio).toEqual([]);
  });

  it('carries none of the original\'s tags into the proxy: its title and location are in the record, where redaction reaches', async () => {
    const asset = byName.get(TEST_MEDIA.rotated)!;
    expect(asset.media).toMatchObject({ tags: { title: 'Test clip' }, location: { latitude: 48.8584, longitude: 2.2945 } });
    const proxy = await probed(await rendition(TEST_MEDIA.rotated, 'proxy'));
    expect(proxy.tags ?? {}).toEqual({});
    expect(proxy.location).toBeUndefined();
  });

  it('leaves the chapters out of the proxy, as the tags: the MP4 muxer would write them untitled, beside a chapter track it lacks', async () => {
    expect(byName.get(LECTURE)).toMatchObject({ status: 'ready', failures: [] });
    expect(await chapterTitles(join(input.path, LECTURE))).toEqual(['Intro', 'Interview']);
    expect(await chapterTitles(await rendition(LECTURE, 'proxy'))).toEqual([]);
  });

  it('makes a still with music ready: the poster from its one frame, a proxy as long as the sound, even sides no larger than the picture', async () => {
    const asset = byName.get(STILL)!;
    expect(asset.failures).toEqual([]);
    expect(asset.status).toBe('ready');
    expect(asset.renditions).toMatchObject({ poster: { width: 160, height: 120 }, proxy: { width: 160, height: 120 } });
    expect(await sharp(await rendition(STILL, 'poster')).metadata()).toMatchObject({ width: 160, height: 120 });
    const proxy = await probed(await rendition(STILL, 'proxy'));
    expect(Math.abs(proxy.durationSeconds! - 6)).toBeLessThan(0.1);
  });

  it('measures a browser recording that states no length, and makes it ready with its renditions', async () => {
    const asset = byName.get(RECORDED)!;
    expect(asset.failures).toEqual([]);
    expect(asset.status).toBe('ready');
    expect(asset.media?.durationSeconds).toBeCloseTo(3, 1);
    expect(asset.renditions).toMatchObject({ poster: { width: 160, height: 120 }, 'scrub-vtt': {}, proxy: { width: 160, height: 120 } });
    const proxy = await probed(await rendition(RECORDED, 'proxy'));
    expect(Math.abs(proxy.durationSeconds! - 3)).toBeLessThan(0.1);
  });

  it('ends a truncated MP4 with a failure that says why, and the other videos go on', async () => {
    const asset = byName.get(TEST_MEDIA.truncated)!;
    const failure = asset.failures.find((f) => f.processor.startsWith('processor:video-renditions@'));
    expect(failure).toMatchObject({ code: 'UNREADABLE_MEDIA', retryable: false, attempts: 1, message: expect.stringMatching(/moov atom not found/) });
    expect(Object.keys(asset.renditions)).toEqual([]);
    expect([DARK, TEST_MEDIA.rotated, TEST_MEDIA.variable].map((name) => byName.get(name)!.status)).toEqual(['ready', 'ready', 'ready']);
  });

  it('says an MP4 whose index comes first was cut off, where ffmpeg reads up to the cut and exits 0; its probe stands', async () => {
    const asset = byName.get(TEST_MEDIA.cutOff)!;
    expect(asset.status).toBe('degraded');
    expect(asset.media?.durationSeconds).toBeCloseTo(2, 1);
    const failure = asset.failures.find((f) => f.processor.startsWith('processor:video-renditions@'));
    expect(failure).toMatchObject({ code: 'TRUNCATED_MEDIA', retryable: false, message: expect.stringMatching(/cut off/) });
  });
});

describe('a transcoder that makes the proxy on its own time', () => {
  it('is handed the ingest and the plan, and ffmpeg makes the stills beside its submission', async () => {
    const input = temporaryDirectory('medialake-video-in-');
    const clip = join(input.path, DARK);
    await makeDarkLeaderClip(clip);
    const asked: [string, number][] = [];
    const processor = videoRenditionsProcessor({
      ffmpeg: mediaToolPath('ffmpeg'),
      ffprobe: mediaToolPath('ffprobe'),
      thumbnailSize: 256,
      proxySize: 1280,
      temporaryDirectory: input.path,
      proxyJobs: {
        async submit(cause, plan) {
          asked.push([cause.id, plan.proxy.width]);
          const payload = { service: 'mediaconvert' as const, jobId: 'job-1', rendition: 'proxy', objectKey: 'k', ...plan.proxy, deadline: new Date().toISOString() };
          return { type: 'TranscodeJobSubmitted', payload };
        },
      },
    });
    const event = { type: 'AssetIngested', id: 'e1', assetId: 'a', payload: { mediaType: 'video' } } as StoredEvent;
    const result = await processor.process(event, { originalLocation: async () => clip } as unknown as ProcessorInput);
    try {
      expect(asked).toEqual([['e1', expect.any(Number)]]);
      expect(result.events.map((e) => e.type === 'RenditionCreated' ? e.payload.name : e.type)).toEqual(['thumbnail', 'poster', 'scrub-sprite', 'scrub-vtt', 'TranscodeJobSubmitted', 'frames']);
      expect(result.files!.map((f) => f.key).some((key) => key.includes('proxy'))).toBe(false);
      expect((await sharp(result.files!.find((f) => f.key.endsWith('poster.jpg'))!.file).stats()).channels[0]!.mean).toBeGreaterThan(60);
    } finally {
      await result.dispose!();
      input.remove();
    }
  });
});

describe('a video over processors.maxInputBytes', () => {
  it('is ready all the same: nothing loads it whole, and its metadata keeps the hash ingest computed', async () => {
    const input = temporaryDirectory('medialake-video-in-');
    await makeDarkLeaderClip(join(input.path, DARK));
    const lake = await openTestLake({ 'processors.maxInputBytes': 1024 });
    try {
      lake.start();
      await ingestDirectory(ingestContext(lake), input.path);
      await lake.waitForIdle({ timeoutMs: 30_000 });
      const [asset] = (await lake.records.list({ limit: 10 })).assets;
      expect(asset!.size).toBeGreaterThan(1024);
      expect(asset).toMatchObject({ status: 'ready', failures: [], metadata: { sha256: asset!.sha256, size: asset!.size } });
    } finally {
      await lake.close();
      input.remove();
    }
  });
});

describe('without a working ffmpeg', () => {
  it('fails the renditions as FFMPEG_UNAVAILABLE, retried, with what to do about it (the hash, made from their frames, waits for them)', async () => {
    const input = temporaryDirectory('medialake-video-in-');
    await makeDarkLeaderClip(join(input.path, DARK));
    const lake = await openTestLake({ 'processors.ffmpeg.path': '/nonexistent/ffmpeg', 'processors.attempts': 2, 'processors.backoffMs': 1 });
    try {
      lake.start();
      await ingestDirectory(ingestContext(lake), input.path);
      await lake.waitForIdle({ timeoutMs: 30_000 });
      const [asset] = (await lake.records.list({ limit: 10 })).assets;
      expect(asset).toMatchObject({ status: 'degraded', renditions: {} });
      const unavailable = (processor: string) =>
        expect.objectContaining({ processor, code: 'FFMPEG_UNAVAILABLE', retryable: true, attempts: 2, message: expect.stringMatching(/MEDIALAKE_FFMPEG/) });
      expect(asset!.failures).toEqual([unavailable('processor:video-renditions@4')]);
    } finally {
      await lake.close();
      input.remove();
    }
  });
});
