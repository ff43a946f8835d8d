import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaToolPath, runMediaTool, streamMediaTool } from '../../processors/ffmpeg';
import { mediaProbedFrom, probe, type ProbeOutput } from '../../processors/mediaProbe';
import { foldAsset, type AssetRecord } from '../../projections/assetRecord';
import { temporaryDirectory } from '../support/fixtures';
import { lakeOverFolder, openTestLake } from '../support/lake';
import { DIFFICULT_MEDIA, makeDifficultMedia } from '../support/media';

/** ffprobe 6 on raw PAL DV (trimmed to the fields read): the average frame rate is the stream's clock, 1/time_base. */
const RAW_DV: ProbeOutput = {
  streams: [
    {
      index: 0, codec_name: 'dvvideo', codec_type: 'video', width: 720, height: 576, display_aspect_ratio: '4:3', pix_fmt: 'yuv420p',
      r_frame_rate: '25/1', avg_frame_rate: '60000/1', time_base: '1/60000', duration: '2.000000',
    },
    { index: 1, codec_name: 'pcm_s16le', codec_type: 'audio', sample_rate: '48000', channels: 2, channel_layout: 'stereo', r_frame_rate: '0/0', avg_frame_rate: '0/0', time_base: '1/14112000' },
  ],
  format: { format_name: 'dv', format_long_name: 'DV (Digital Video)', duration: '2.000000' },
};

describe('frame rates ffprobe reads from timestamps alone', () => {
  it('takes raw DV’s base rate where its average is the stream’s clock, and does not call it variable', () => {
    expect(mediaProbedFrom(RAW_DV).video[0]).toMatchObject({ frameRate: 25, variableFrameRate: false });
  });

  it('takes the base rate where the average is more than twice it, and keeps a real variable rate', () => {
    const stream = { ...RAW_DV.streams![0]!, avg_frame_rate: '120/1', time_base: '1/90000' };
    expect(mediaProbedFrom({ ...RAW_DV, streams: [stream] }).video[0]).toMatchObject({ frameRate: 25, variableFrameRate: false });
    const variable = { ...stream, avg_frame_rate: '169/10' };
    expect(mediaProbedFrom({ ...RAW_DV, streams: [variable] }).video[0]).toMatchObject({ frameRate: 16.9, variableFrameRate: true });
  });
});

describe('the record of a file ingest could not place, named as media', () => {
  /** The fields of an event the fold reads. */
  const event = (assetVersion: number, type: string, payload: object) => ({ id: `e${assetVersion}`, assetId: 'a', assetVersion, type, payload, time: '2024-05-01T10:00:00Z' }) as never;
  const ingested = (originalName: string) =>
    event(1, 'AssetIngested', { objectKey: 'originals/a', originalName, mediaType: 'other', mimeType: 'application/octet-stream', size: 10, sha256: 'x', origin: { kind: 'api' } });
  const metadata = event(2, 'TechnicalMetadataExtracted', { sha256: 'x', size: 10 });
  const probedAudio = event(3, 'MediaProbed', { container: 'w64', durationSeconds: 1, video: [], audio: [{ index: 0, codec: 'pcm_s16le', channels: 1, sampleRate: 44100 }], subtitles: [], data: [], coverArt: false, tags: {} });
  const fold = (...events: never[]) => events.reduce<AssetRecord | undefined>((record, e) => foldAsset(record, e), undefined)!;

  it('waits for its probe, then is what the probe found, and waits for that type’s renditions', () => {
    expect(fold(ingested('take 3.w64'), metadata).status).toBe('processing');
    expect(fold(ingested('take 3.w64'), metadata, probedAudio)).toMatchObject({ mediaType: 'audio', status: 'processing' });
    const renditions = ['proxy', 'waveform'].map((name, i) => event(4 + i, 'RenditionCreated', { name, objectKey: `r/${name}`, mimeType: 'audio/mp4', size: 1, watermarked: false }));
    expect(fold(ingested('take 3.w64'), metadata, probedAudio, ...renditions)).toMatchObject({ mediaType: 'audio', status: 'ready' });
  });

  it('is ready with its metadata when its name says nothing of media', () => {
    expect(fold(ingested('notes.bin'), metadata)).toMatchObject({ mediaType: 'other', status: 'ready' });
  });
});

describe('media whose header misleads, or that needs more than decoding to look right, through the lake', () => {
  const media = temporaryDirectory('medialake-difficult-');
  const made = temporaryDirectory('medialake-difficult-made-');
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let byName: Map<string, AssetRecord>;

  beforeAll(async () => {
    await makeDifficultMedia(media.path);
    ({ lake, byName } = await lakeOverFolder(media.path, 150_000));
  }, 180_000);
  afterAll(async () => {
    await lake?.close();
    [media, made].forEach((d) => d.remove());
  });

  const record = (name: string) => byName.get(name)!;
  /** A rendition's bytes, as the store serves them, in a file ffprobe, ffmpeg and sharp can read. */
  async function rendition(asset: string, name: string): Promise<string> {
    const { objectKey } = record(asset).renditions[name]!;
    const path = join(made.path, `${asset}-${objectKey.split('/').at(-1)}`);
    writeFileSync(path, await lake.store.getBuffer(objectKey));
    return path;
  }
  const probed = async (path: string) => mediaProbedFrom(await probe(mediaToolPath('ffprobe'), path));

  it.each([
    [DIFFICULT_MEDIA.adts, 6],
    [DIFFICULT_MEDIA.mp3, 6],
    [DIFFICULT_MEDIA.joined, 4],
  ])('records the length of %s measured from its packets, as long as its proxy (not ffmpeg’s guess from the header)', async (name, seconds) => {
    const asset = record(name);
    expect(asset.failures).toEqual([]);
    expect(asset.status).toBe('ready');
    expect(Math.abs(asset.media!.durationSeconds! - seconds)).toBeLessThan(0.2);
    const proxy = await probed(await rendition(name, 'proxy'));
    expect(Math.abs(asset.media!.durationSeconds! - proxy.durationSeconds!)).toBeLessThan(0.1);
  });

  it('records a 5 min MP3 without an index as long as its frames, to the millisecond: packet lengths are added up in ticks, not rounded seconds', async () => {
    const asset = record(DIFFICULT_MEDIA.longMp3);
    const args = ['-v', 'error', '-count_packets', '-select_streams', 'a:0', '-show_entries', 'stream=nb_read_packets,sample_rate', '-of', 'json', join(media.path, DIFFICULT_MEDIA.longMp3)];
    const { streams } = JSON.parse(await runMediaTool('ffprobe', mediaToolPath('ffprobe'), args, { timeoutMs: 30_000, maxOutputBytes: 1024 * 1024 })) as { streams: { nb_read_packets: string; sample_rate: string }[] };
    // An MP3 frame (a packet) is 1152 samples.
    const seconds = (Number(streams[0]!.nb_read_packets) * 1152) / Number(streams[0]!.sample_rate);
    expect(seconds).toBeGreaterThan(299);
    expect(Math.abs(asset.media!.durationSeconds! - seconds)).toBeLessThan(0.001);
  });

  it.each([DIFFICULT_MEDIA.cutFlac, DIFFICULT_MEDIA.stubFlac])('ends %s, a FLAC cut off in its header, as unreadable with ffprobe’s words, not retried as a disk fault', (name) => {
    const asset = record(name);
    expect(asset.status).toBe('failed');
    expect(asset.failures.length).toBeGreaterThan(0);
    for (const failure of asset.failures) {
      expect(failure).toMatchObject({ code: 'UNREADABLE_MEDIA', retryable: false, attempts: 1, message: expect.stringMatching(/cannot be read as video or audio: .*Input\/output error/) });
      expect(failure.message).not.toContain(lake.dataDir);
    }
  });

  // ffmpeg reads a partial copy up to the cut, exits 0 and says nothing; its header states the whole length, so the proxy would be short. The probe stands.
  it.each([
    ['MXF', DIFFICULT_MEDIA.cutMxf, 'video-renditions'],
    ['FLAC', DIFFICULT_MEDIA.halfFlac, 'audio-renditions'],
  ])('says a half-copied %s was cut off, with no proxy; its probe stands', (_, name, processor) => {
    const asset = record(name);
    expect(asset.status).toBe('degraded');
    expect(asset.media?.durationSeconds).toBeCloseTo(4, 1);
    const failure = asset.failures.find((f) => f.processor.startsWith(`processor:${processor}@`));
    expect(failure).toMatchObject({ code: 'TRUNCATED_MEDIA', retryable: false, attempts: 1, message: expect.stringMatching(/before the 4\.0 s it states: it was cut off/) });
    expect(asset.renditions.proxy).toBeUndefined();
  });

  it('cues the scrub strip of two joined recordings over their 4 s, not the 2 h their clock jumps', async () => {
    const asset = record(DIFFICULT_MEDIA.joined);
    const vtt = (await lake.store.getBuffer(asset.renditions['scrub-vtt']!.objectKey)).toString();
    // A tile every 2 s over the length recorded (4 s and the AAC encoder's last frames: a third cue of a few hundredths).
    const ends = [...vtt.matchAll(/--> (\d\d):(\d\d):(\d\d\.\d{3})/g)].map(([, h, m, s]) => Number(h) * 3600 + Number(m) * 60 + Number(s));
    expect(ends).toHaveLength(Math.ceil(asset.media!.durationSeconds! / 2));
    expect(ends.length).toBeLessThanOrEqual(3);
    expect(ends.at(-1)).toBeCloseTo(asset.media!.durationSeconds!, 2);
  });

  it.each([
    [DIFFICULT_MEDIA.rf64, 'audio', 'audio/wav'],
    [DIFFICULT_MEDIA.caf, 'audio', 'audio/x-caf'],
    [DIFFICULT_MEDIA.dv, 'video', 'video/x-dv'],
  ])('knows %s for %s by its bytes, and makes it ready with its renditions', (name, mediaType, mimeType) => {
    const asset = record(name);
    expect(asset).toMatchObject({ status: 'ready', mediaType, mimeType, failures: [] });
    expect(Object.keys(asset.renditions)).toEqual(expect.arrayContaining(mediaType === 'video' ? ['thumbnail', 'poster', 'proxy'] : ['proxy', 'waveform']));
  });

  it('takes a file of no recognised type named as media for what its probe finds: a raw H.264 stream is a video, with its renditions', () => {
    const asset = record(DIFFICULT_MEDIA.rawH264);
    expect(asset).toMatchObject({ status: 'ready', mediaType: 'video', mimeType: 'application/octet-stream', failures: [] });
    expect(Math.abs(asset.media!.durationSeconds! - 2)).toBeLessThan(0.1);
    expect(Object.keys(asset.renditions)).toEqual(expect.arrayContaining(['thumbnail', 'poster', 'proxy']));
  });

  it('records raw DV at its 25 frames a second, not variable', () => {
    expect(record(DIFFICULT_MEDIA.dv).media!.video[0]).toMatchObject({ frameRate: 25, variableFrameRate: false });
  });

  it('records H.264 in a transport stream, whose base rate is its field rate, at 25 frames a second, not variable', () => {
    expect(record(DIFFICULT_MEDIA.joined).media!.video[0]).toMatchObject({ frameRate: 25, variableFrameRate: false });
  });

  it('deinterlaces an interlaced source: ffmpeg’s idet sees whole frames in the proxy', async () => {
    // The source, as a check of the test itself: idet sees its combing.
    const source = await idetCounts(join(media.path, DIFFICULT_MEDIA.interlaced));
    expect(source.interlaced).toBeGreaterThan(source.progressive);
    const proxy = await idetCounts(await rendition(DIFFICULT_MEDIA.interlaced, 'proxy'));
    expect(proxy.progressive).toBeGreaterThan(0);
    expect(proxy.interlaced).toBeLessThan(proxy.progressive / 10);
  });

  /** idet's single-frame verdicts on a file, from its per-frame metadata (its summary goes to stderr). */
  async function idetCounts(path: string): Promise<{ interlaced: number; progressive: number }> {
    let text = '';
    const args = ['-v', 'error', '-nostdin', '-i', path, '-vf', 'idet,metadata=mode=print:key=lavfi.idet.single.current_frame:file=-', '-f', 'null', '-'];
    await streamMediaTool('ffmpeg', mediaToolPath('ffmpeg'), args, (chunk) => (text += chunk.toString()), 60_000);
    const verdicts = [...text.matchAll(/current_frame=(\w+)/g)].map((m) => m[1]);
    return { interlaced: verdicts.filter((v) => v === 'tff' || v === 'bff').length, progressive: verdicts.filter((v) => v === 'progressive').length };
  }

  it('tone-maps HDR10 to SDR: a near-white field gives a bright poster and proxy, the proxy tagged BT.709', async () => {
    const poster = await sharp(await rendition(DIFFICULT_MEDIA.pq, 'poster')).greyscale().stats();
    expect(poster.channels[0]!.mean).toBeGreaterThan(180);
    const proxy = await rendition(DIFFICULT_MEDIA.pq, 'proxy');
    const tags = JSON.parse(
      await runMediaTool('ffprobe', mediaToolPath('ffprobe'), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=color_transfer,color_primaries,color_space', '-of', 'json', proxy], {
        timeoutMs: 30_000,
        maxOutputBytes: 1024 * 1024,
      }),
    ) as { streams: Record<string, string>[] };
    expect(tags.streams[0]).toMatchObject({ color_transfer: 'bt709', color_primaries: 'bt709', color_space: 'bt709' });
  });

  it('takes the poster from the picture after a black leader that covers most of its window', async () => {
    const poster = await sharp(await rendition(DIFFICULT_MEDIA.blackLeader, 'poster')).greyscale().stats();
    expect(poster.channels[0]!.mean).toBeGreaterThan(24);
  });

  it('plays two mono tracks as the proxy’s left and right: the two channels differ', async () => {
    const proxy = await rendition(DIFFICULT_MEDIA.monoTracks, 'proxy');
    expect((await probed(proxy)).audio[0]).toMatchObject({ channels: 2 });
    const samples: Buffer[] = [];
    await streamMediaTool('ffmpeg', mediaToolPath('ffmpeg'), ['-v', 'error', '-nostdin', '-i', proxy, '-map', '0:a:0', '-ac', '2', '-f', 's16le', 'pipe:1'], (chunk) => samples.push(chunk), 60_000);
    const pcm = Buffer.concat(samples);
    // Zero crossings a second of each channel: about 880 for the 440 Hz tone, 2000 for the 1 kHz one.
    const crossings = [0, 1].map((channel) => {
      let count = 0;
      for (let i = 4 + channel * 2; i < pcm.length - 1; i += 4) if (pcm.readInt16LE(i) >= 0 !== pcm.readInt16LE(i - 4) >= 0) count += 1;
      return count / (pcm.length / 4 / 44100);
    });
    expect(crossings[0]).toBeGreaterThan(700);
    expect(crossings[0]).toBeLessThan(1100);
    expect(crossings[1]).toBeGreaterThan(1700);
  });
});
