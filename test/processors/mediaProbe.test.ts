import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaToolPath } from '../../processors/ffmpeg';
import { iso6709, mediaProbedFrom, probe, type ProbeOutput } from '../../processors/mediaProbe';
import { ingestDirectory } from '../../producers/directory';
import type { AssetRecord } from '../../projections/assetRecord';
import { MediaProbed } from '../../schemas/events';
import { S3ObjectStore } from '../../storage/s3';
import { startS3 } from '../engines/s3';
import { temporaryDirectory } from '../support/fixtures';
import { ingestContext, lakeOverFolder, openTestLake } from '../support/lake';
import { makeMxfMaster, makeTaggedAudio, makeTestMedia, makeTransportStream, TAGGED_AUDIO, TEST_MEDIA } from '../support/media';

/** Noise named as an MP3. */
const NOISE = 'noise.mp3';
const BROADCAST = 'evening-news.ts';
const MASTER = 'master.mxf';

/** ffprobe 6 on an iPhone's HDR portrait video (trimmed to the fields read): HEVC Main 10, HLG, a display matrix, QuickTime keys. */
const IPHONE_HDR: ProbeOutput = {
  streams: [
    {
      index: 0, codec_name: 'hevc', codec_type: 'video', profile: 'Main 10', width: 1920, height: 1080,
      display_aspect_ratio: '16:9', pix_fmt: 'yuv420p10le', color_transfer: 'arib-std-b67',
      r_frame_rate: '30/1', avg_frame_rate: '30/1', bit_rate: '9857000',
      tags: { language: 'und', handler_name: 'Core Media Video' },
      side_data_list: [{ side_data_type: 'DOVI configuration record' }, { side_data_type: 'Display Matrix', rotation: -90 }],
    },
    { index: 1, codec_name: 'aac', codec_type: 'audio', profile: 'LC', sample_rate: '44100', channels: 2, channel_layout: 'stereo', bit_rate: '160000', tags: { language: 'und' } },
    { index: 2, codec_type: 'data', codec_tag_string: 'mebx', tags: { handler_name: 'Core Media Metadata' } },
  ],
  format: {
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2', format_long_name: 'QuickTime / MOV', duration: '7.466667', bit_rate: '10112345',
    tags: {
      creation_time: '2023-07-14T17:02:11.000000Z',
      'com.apple.quicktime.location.ISO6709': '+51.5007-000.1246+012.345/',
      'com.apple.quicktime.make': 'Apple',
      'com.apple.quicktime.creationdate': '2023-07-14T18:02:10+0100',
    },
  },
};

/** ffprobe on a Matroska film (ffmpeg 4-style rotate tag, PQ, subtitles) and on a FLAC and an MP3 with cover art. */
const MATROSKA: ProbeOutput = {
  streams: [
    { index: 0, codec_name: 'hevc', codec_type: 'video', width: 3840, height: 2160, pix_fmt: 'yuv420p10le', color_transfer: 'smpte2084', r_frame_rate: '24000/1001', avg_frame_rate: '24000/1001', tags: { rotate: '180' } },
    { index: 1, codec_name: 'eac3', codec_type: 'audio', sample_rate: '48000', channels: 6, channel_layout: '5.1(side)', tags: { language: 'ger' } },
    { index: 2, codec_name: 'subrip', codec_type: 'subtitle', tags: { language: 'eng', title: 'English (SDH)' } },
  ],
  format: { format_name: 'matroska,webm', duration: '5400.021000' },
};
const FLAC: ProbeOutput = {
  streams: [{ index: 0, codec_name: 'flac', codec_type: 'audio', sample_rate: '96000', channels: 2, channel_layout: 'stereo', bits_per_raw_sample: '24' }],
  format: { format_name: 'flac', duration: '241.5', tags: { TITLE: 'So What', ARTIST: 'Miles Davis', ALBUM: 'Kind of Blue', DATE: '1959' } },
};
const MP3_WITH_COVER: ProbeOutput = {
  streams: [
    { index: 0, codec_name: 'mp3', codec_type: 'audio', sample_rate: '44100', channels: 2, channel_layout: 'stereo', bit_rate: '320000' },
    { index: 1, codec_name: 'mjpeg', codec_type: 'video', width: 600, height: 600, pix_fmt: 'yuvj420p', disposition: { attached_pic: 1 } },
  ],
  format: { format_name: 'mp3', duration: '180.0', tags: { title: 'Track', artist: 'Band', album_artist: 'Various' } },
};

describe('ffprobe JSON → MediaProbed', () => {
  it('reads a phone video: HEVC 10-bit HLG turned 90° clockwise, its local recording time and where it was made', () => {
    const probed = MediaProbed.parse(mediaProbedFrom(IPHONE_HDR));
    expect(probed).toMatchObject({ container: 'mov,mp4,m4a,3gp,3g2,mj2', containerName: 'QuickTime / MOV', durationSeconds: 7.466667, bitRate: 10112345 });
    expect(probed.video).toEqual([
      {
        index: 0, codec: 'hevc', profile: 'Main 10', width: 1920, height: 1080, displayAspectRatio: '16:9', rotation: 90, frameRate: 30,
        variableFrameRate: false, bitDepth: 10, pixelFormat: 'yuv420p10le', transfer: 'hlg', colorTransfer: 'arib-std-b67', bitRate: 9857000,
      },
    ]);
    expect(probed.audio).toEqual([{ index: 1, codec: 'aac', profile: 'LC', channels: 2, channelLayout: 'stereo', sampleRate: 44100, bitRate: 160000 }]);
    expect(probed.data).toEqual([{ index: 2, codec: 'mebx', title: 'Core Media Metadata' }]);
    expect(probed.createdAt).toBe('2023-07-14T18:02:10+01:00');
    expect(probed.location).toEqual({ latitude: 51.5007, longitude: -0.1246, altitude: 12.345 });
  });

  it('reads a film: PQ, an older ffprobe’s rotate tag, 5.1 audio and subtitles with their languages', () => {
    const probed = MediaProbed.parse(mediaProbedFrom(MATROSKA));
    expect(probed.video[0]).toMatchObject({ rotation: 180, transfer: 'pq', bitDepth: 10, variableFrameRate: false });
    expect(probed.video[0]!.frameRate).toBeCloseTo(23.976, 3);
    expect(probed.audio[0]).toMatchObject({ channels: 6, channelLayout: '5.1(side)', language: 'ger' });
    expect(probed.subtitles).toEqual([{ index: 2, codec: 'subrip', language: 'eng', title: 'English (SDH)' }]);
  });

  it('reads music tags whatever their case, and keeps cover art out of the video streams', () => {
    expect(mediaProbedFrom(FLAC)).toMatchObject({ tags: { title: 'So What', artist: 'Miles Davis', album: 'Kind of Blue', date: '1959' }, coverArt: false });
    expect(mediaProbedFrom(FLAC).audio[0]).toMatchObject({ sampleRate: 96000, bitDepth: 24 });
    expect(mediaProbedFrom(MP3_WITH_COVER)).toMatchObject({ video: [], coverArt: true, tags: { title: 'Track', albumArtist: 'Various' } });
  });

  it.each([
    ['+48.8584+002.2945/', { latitude: 48.8584, longitude: 2.2945 }],
    ['-33.8568+151.2153+004.5/', { latitude: -33.8568, longitude: 151.2153, altitude: 4.5 }],
    ['+4851.504+00217.670/', { latitude: 48 + 51.504 / 60, longitude: 2 + 17.67 / 60 }],
    ['+485130.24-0021740.2/', { latitude: 48 + 51 / 60 + 30.24 / 3600, longitude: -(2 + 17 / 60 + 40.2 / 3600) }],
  ])('reads the ISO 6709 location %s as signed decimal degrees', (text, expected) => {
    const location = iso6709(text)!;
    expect(location.latitude).toBeCloseTo(expected.latitude, 6);
    expect(location.longitude).toBeCloseTo(expected.longitude, 6);
    expect(location.altitude).toBe((expected as { altitude?: number }).altitude);
  });

  it.each(['', 'somewhere', '+95.0+010.0/'])('has no location for %j', (text) => {
    expect(iso6709(text)).toBeUndefined();
  });
});

describe('time-based media through the lake', () => {
  const media = temporaryDirectory('medialake-media-');
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let byName: Map<string, AssetRecord>;

  beforeAll(async () => {
    await makeTestMedia(media.path);
    // Noise named as an MP3 (the same noise every run): ffmpeg's MP3 reader fails on it with words of its own.
    let seed = 1;
    const noise = Buffer.from(Array.from({ length: 5000 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 23));
    writeFileSync(join(media.path, NOISE), noise);
    await Promise.all([makeTransportStream(join(media.path, BROADCAST)), makeMxfMaster(join(media.path, MASTER)), makeTaggedAudio(media.path)]);
    ({ lake, byName } = await lakeOverFolder(media.path));
  });
  afterAll(async () => {
    await lake?.close();
    media.remove();
  });

  const record = (name: string) => byName.get(name)!;

  it('gives an H.264/AAC MP4 its container, duration within a frame, streams, title and creation time', () => {
    const clip = record(TEST_MEDIA.clip);
    expect(clip).toMatchObject({ status: 'ready', mediaType: 'video' });
    expect(Math.abs(clip.media!.durationSeconds! - 2)).toBeLessThan(1 / 25);
    expect(clip.media!.video).toEqual([expect.objectContaining({ codec: 'h264', width: 160, height: 120, frameRate: 25, rotation: 0, bitDepth: 8, transfer: 'sdr', variableFrameRate: false })]);
    expect(clip.media!.audio).toEqual([expect.objectContaining({ codec: 'aac', profile: 'LC', channels: 1, channelLayout: 'mono', sampleRate: 44100 })]);
    expect(clip.media).toMatchObject({ tags: { title: 'Test clip' }, createdAt: '2024-05-01T10:20:30.000000Z' });
  });

  it('reads a broadcast transport stream, whose service table the bundled static programs read without crashing, and makes its renditions', () => {
    const broadcast = record(BROADCAST);
    expect(broadcast).toMatchObject({ status: 'ready', mediaType: 'video', media: { container: expect.stringContaining('mpegts'), video: [{ codec: 'h264' }], audio: [{ codec: 'aac' }] } });
    expect(Math.abs(broadcast.media!.durationSeconds! - 2)).toBeLessThan(0.1);
    expect(Object.keys(broadcast.renditions)).toEqual(expect.arrayContaining(['poster', 'proxy']));
  });

  it('takes an MXF master for a video: probed, with its renditions', () => {
    const master = record(MASTER);
    expect(master).toMatchObject({ status: 'ready', mediaType: 'video', mimeType: 'application/mxf', media: { container: 'mxf', video: [{ codec: 'mpeg2video' }], audio: [{ codec: 'pcm_s16le' }] } });
    expect(Object.keys(master.renditions)).toEqual(expect.arrayContaining(['poster', 'proxy', 'scrub-sprite']));
  });

  it('reads a MOV’s rotation and its QuickTime location', () => {
    const rotated = record(TEST_MEDIA.rotated);
    expect(rotated).toMatchObject({ status: 'ready', mediaType: 'video', media: { video: [{ rotation: 90 }], location: { latitude: 48.8584, longitude: 2.2945 } } });
  });

  it('tells a variable frame rate from a constant one', () => {
    expect(record(TEST_MEDIA.variable).media!.video[0]).toMatchObject({ variableFrameRate: true });
    expect(record(TEST_MEDIA.variable).media!.video[0]!.frameRate).toBeLessThan(20);
  });

  it.each([
    [TEST_MEDIA.wav, { codec: 'pcm_s16le', channels: 2, sampleRate: 44100, bitDepth: 16 }, {}],
    [TEST_MEDIA.mp3, { codec: 'mp3', channels: 1, sampleRate: 44100 }, { title: 'A Tone', artist: 'Sine Band', album: 'Test Signals' }],
    [TEST_MEDIA.flac, { codec: 'flac', channels: 1, sampleRate: 44100, bitDepth: 16 }, { title: 'Lossless Tone' }],
    [TEST_MEDIA.opus, { codec: 'opus', channels: 1, sampleRate: 48000, language: 'fra' }, {}],
  ])('reads the audio file %s', (name, audio, tags) => {
    const asset = record(name);
    expect(asset).toMatchObject({ status: 'ready', mediaType: 'audio', media: { video: [], audio: [audio], tags } });
    expect(asset.media!.durationSeconds).toBeGreaterThan(0.9);
  });

  it.each([
    [TAGGED_AUDIO.arabic, 'ara'],
    [TAGGED_AUDIO.japanese, 'jpn'],
  ])('takes the language %s states for the file as its one audio stream’s', (name, language) => {
    expect(record(name)).toMatchObject({ status: 'ready', media: { audio: [{ language }] } });
  });

  it('records when a broadcast WAV was recorded, on the recorder’s clock (bext states no zone)', () => {
    expect(record(TAGGED_AUDIO.fieldRecording).media).toMatchObject({ createdAt: '2018-03-02T09:08:07' });
  });

  it('keeps tags without the characters that would disguise them, as names are kept; a comment keeps its lines', () => {
    expect(record(TAGGED_AUDIO.disguised).media!.tags).toEqual({ title: 'Safegnp.exe Title', album: 'BellAlbum', comment: 'Recorded live\nSide A\tTrack 1' });
  });

  it.each([
    [TEST_MEDIA.truncated, 'UNREADABLE_MEDIA', /moov atom not found/],
    [TEST_MEDIA.mislabelled, 'UNREADABLE_MEDIA', /Invalid data found/],
    [NOISE, 'UNREADABLE_MEDIA', /cannot be read as video or audio/],
    [TEST_MEDIA.empty, 'EMPTY_FILE', /empty/],
  ])('ends %s with a failure that says why, not retried, and the stream goes on', async (name, code, reason) => {
    const asset = record(name);
    expect(asset.media).toBeUndefined();
    expect(asset.status).toBe('failed');
    const failure = asset.failures.find((f) => f.processor.startsWith('processor:media-probe@'));
    expect(failure).toMatchObject({ code, retryable: false, attempts: 1 });
    expect(failure!.message).toMatch(reason);
    // Whoever may see the asset reads it: it names the file, not where the lake keeps it.
    expect(failure!.message).not.toContain(lake.dataDir);
    const events = await lake.log.readAsset(asset.assetId);
    expect(events.some((event) => event.type === 'MediaProbed')).toBe(false);
  });
});

describe('without a working ffprobe', () => {
  it('fails video and audio as FFPROBE_UNAVAILABLE, retried, with what to do about it', async () => {
    const media = temporaryDirectory('medialake-media-');
    await makeTestMedia(media.path);
    const lake = await openTestLake({ 'processors.ffprobe.path': '/nonexistent/ffprobe', 'processors.attempts': 2, 'processors.backoffMs': 1 });
    try {
      lake.start();
      await ingestDirectory(ingestContext(lake), media.path);
      await lake.waitForIdle({ timeoutMs: 30_000 });
      const { assets } = await lake.records.list({ limit: 100 });
      const clip = assets.find((asset) => asset.originalName === TEST_MEDIA.clip)!;
      expect(clip.status).toBe('failed');
      // Each processor that reads it says so: media-probe, video-renditions, and audio-renditions, which asks whether a video holds sound alone
      // (the perceptual hash waits for the renditions' frames).
      const unavailable = (processor: string) =>
        expect.objectContaining({ processor, code: 'FFPROBE_UNAVAILABLE', retryable: true, attempts: 2, message: expect.stringMatching(/MEDIALAKE_FFPROBE/) });
      const readers = ['media-probe@3', 'video-renditions@4', 'audio-renditions@3'].map((name) => unavailable(`processor:${name}`));
      expect(clip.failures).toEqual(expect.arrayContaining(readers));
      expect(clip.failures).toHaveLength(3);
    } finally {
      await lake.close();
      media.remove();
    }
  });
});

describe('an original in S3', () => {
  it('is probed through a presigned URL, seeking to an index at the end of the file', async () => {
    const [media, engine] = [temporaryDirectory('medialake-media-'), await startS3()];
    try {
      await makeTestMedia(media.path);
      await engine.createBucket('medialake-media');
      const store = new S3ObjectStore({ ...engine.client, bucket: 'medialake-media' });
      await store.put('originals/r/original.mov', readFileSync(join(media.path, TEST_MEDIA.rotated)));

      const probed = mediaProbedFrom(await probe(mediaToolPath('ffprobe'), await store.localPathOrUrl('originals/r/original.mov')));

      expect(probed).toMatchObject({ video: [{ codec: 'h264', rotation: 90 }], location: { latitude: 48.8584 } });
    } finally {
      await engine.stop();
      media.remove();
    }
  });
});
