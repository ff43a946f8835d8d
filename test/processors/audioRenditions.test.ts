import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Peaks } from '../../processors/audioPeaks';
import { isMonoPair } from '../../processors/audioRenditions';
import { mediaToolPath } from '../../processors/ffmpeg';
import { mediaProbedFrom, probe } from '../../processors/mediaProbe';
import { ingestDirectory } from '../../producers/directory';
import type { AssetRecord } from '../../projections/assetRecord';
import { temporaryDirectory } from '../support/fixtures';
import { ingestContext, lakeOverFolder, openTestLake } from '../support/lake';
import { AUDIO_MEDIA, LOUD_SECONDS, makeAudioMedia, QUIET_SECONDS } from '../support/audioMedia';
import { chapterTitles, makeChapteredMedia } from '../support/media';

const SECONDS = QUIET_SECONDS + LOUD_SECONDS;
/** A podcast episode with chapters (support/media.ts makeChapteredMedia). */
const EPISODE = 'episode-42.m4a';

describe('audio renditions through the lake', () => {
  const media = temporaryDirectory('medialake-audio-');
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let byName: Map<string, AssetRecord>;

  beforeAll(async () => {
    await Promise.all([makeAudioMedia(media.path), makeChapteredMedia(join(media.path, EPISODE))]);
    ({ lake, byName } = await lakeOverFolder(media.path));
  });
  afterAll(async () => {
    await lake?.close();
    media.remove();
  });

  const rendition = (asset: AssetRecord, name: string) => asset.renditions[name]!;
  const pathOf = (asset: AssetRecord, name: string) => lake.store.localPathOrUrl(rendition(asset, name).objectKey);

  describe.each([
    [AUDIO_MEDIA.wav, 2],
    [AUDIO_MEDIA.mp3, 1],
    [AUDIO_MEDIA.recording, 1],
    [AUDIO_MEDIA.memo, 1],
  ])('%s', (name, channels) => {
    const asset = () => byName.get(name)!;

    it('is ready, with a proxy, a waveform, its peaks and a thumbnail', () => {
      expect(asset()).toMatchObject({ status: 'ready', mediaType: 'audio', failures: [] });
      expect(Object.keys(asset().renditions).sort()).toEqual(['peaks', 'proxy', 'thumbnail', 'waveform']);
    });

    it('plays an AAC proxy in M4A, as many channels as the source, as long as the source within 0.1 s', async () => {
      const proxy = rendition(asset(), 'proxy');
      expect(proxy).toMatchObject({ mimeType: 'audio/mp4', watermarked: false });
      const probed = mediaProbedFrom(await probe(mediaToolPath('ffprobe'), await pathOf(asset(), 'proxy')));
      expect(probed.audio).toEqual([expect.objectContaining({ codec: 'aac', channels })]);
      expect(Math.abs(probed.durationSeconds! - asset().media!.durationSeconds!)).toBeLessThan(0.1);
      expect(Math.abs(probed.durationSeconds! - SECONDS)).toBeLessThan(0.1);
      expect(Math.abs(proxy.durationMs! - SECONDS * 1000)).toBeLessThan(100);
    });

    it('draws a 1800 × 280 PNG waveform and a WebP thumbnail of it inside 256 px', async () => {
      expect(await sharp(await pathOf(asset(), 'waveform')).metadata()).toMatchObject({ format: 'png', width: 1800, height: 280 });
      expect(rendition(asset(), 'waveform')).toMatchObject({ mimeType: 'image/png', width: 1800, height: 280 });
      expect(await sharp(await pathOf(asset(), 'thumbnail')).metadata()).toMatchObject({ format: 'webp', width: 256, height: 40 });
    });

    it('has peaks a web player reads, near zero through the silence and large through the tone', async () => {
      expect(rendition(asset(), 'peaks').mimeType).toBe('application/json');
      const peaks = JSON.parse((await lake.store.getBuffer(rendition(asset(), 'peaks').objectKey)).toString('utf8')) as Peaks;
      expect(peaks).toMatchObject({ version: 2, channels: 1, sample_rate: 8000, samples_per_pixel: 80, bits: 8 });
      expect(peaks.data).toHaveLength(peaks.length * 2);
      // Within 30 ms: AAC pads its last frame to 1024 samples (23 ms at 44.1 kHz).
      expect(Math.abs(peaks.length - (SECONDS * 8000) / 80)).toBeLessThanOrEqual(3);
      const perSecond = 8000 / peaks.samples_per_pixel;
      const quiet = peaks.data.slice(0, 2 * Math.floor(perSecond * QUIET_SECONDS * 0.9));
      // Up to the codec's padding at the end (above).
      const loud = peaks.data.slice(2 * Math.ceil(perSecond * QUIET_SECONDS * 1.1), -2 * 3);
      expect(Math.max(...quiet.map(Math.abs))).toBeLessThanOrEqual(1);
      expect(Math.min(...loud.filter((_, i) => i % 2 === 1))).toBeGreaterThan(30);
    });
  });

  it('leaves the chapters out of the proxy, as its tags: the MP4 muxer would write them untitled, beside a chapter track it lacks', async () => {
    const asset = byName.get(EPISODE)!;
    expect(asset).toMatchObject({ status: 'ready', failures: [] });
    expect(await chapterTitles(join(media.path, EPISODE))).toEqual(['Intro', 'Interview']);
    expect(await chapterTitles(await pathOf(asset, 'proxy'))).toEqual([]);
  });

  it('ends a truncated file with the reason, not retried, while the other files get theirs', async () => {
    const cut = byName.get(AUDIO_MEDIA.truncated)!;
    expect(cut.renditions).toEqual({});
    const failure = cut.failures.find((f) => f.processor === 'processor:audio-renditions@3');
    expect(failure).toMatchObject({ code: 'UNREADABLE_MEDIA', retryable: false, attempts: 1 });
    expect(failure!.message).toMatch(/moov atom not found/);
    expect(byName.get(AUDIO_MEDIA.wav)!.status).toBe('ready');
  });

  it('leaves nothing in the lake’s temporary folder once the proxies are stored', () => {
    expect(readdirSync(lake.temporaryDirectory)).toEqual([]);
  });
});

describe('without a working ffmpeg', () => {
  it('fails audio renditions as FFMPEG_UNAVAILABLE, retried, with what to do about it', async () => {
    const [media, only] = [temporaryDirectory('medialake-audio-'), temporaryDirectory('medialake-audio-one-')];
    await makeAudioMedia(media.path);
    copyFileSync(join(media.path, AUDIO_MEDIA.wav), join(only.path, AUDIO_MEDIA.wav));
    const lake = await openTestLake({ 'processors.ffmpeg.path': '/nonexistent/ffmpeg', 'processors.attempts': 2, 'processors.backoffMs': 1 });
    try {
      lake.start();
      await ingestDirectory(ingestContext(lake), only.path);
      await lake.waitForIdle({ timeoutMs: 30_000 });
      const [wav] = (await lake.records.list({ limit: 10 })).assets;
      expect(wav).toMatchObject({ status: 'degraded', renditions: {} });
      expect(wav!.failures).toEqual([
        expect.objectContaining({ processor: 'processor:audio-renditions@3', code: 'FFMPEG_UNAVAILABLE', retryable: true, attempts: 2, message: expect.stringMatching(/MEDIALAKE_FFMPEG/) }),
      ]);
    } finally {
      await lake.close();
      media.remove();
      only.remove();
    }
  });
});

describe('two mono tracks', () => {
  const mono = (language?: string) => ({ index: 1, codec: 'pcm_s24le', channels: 1, sampleRate: 48000, ...(language && { language }) });
  it('are left and right where they are one recording (no language, the same, or undetermined), and not where they are two languages', () => {
    expect(isMonoPair({ audio: [mono(), mono()] })).toBe(true);
    expect(isMonoPair({ audio: [mono('eng'), mono('eng')] })).toBe(true);
    expect(isMonoPair({ audio: [mono('und'), mono('fra')] })).toBe(true);
    expect(isMonoPair({ audio: [mono('eng'), mono('fra')] })).toBe(false);
    expect(isMonoPair({ audio: [mono(), { ...mono(), channels: 2 }] })).toBe(false);
    expect(isMonoPair({ audio: [mono()] })).toBe(false);
  });
});
