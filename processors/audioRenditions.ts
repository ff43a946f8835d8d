import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { StoredEvent } from '../schemas/envelope';
import type { PayloadOf } from '../schemas/events';
import { renditionKey } from '../storage/assetKeys';
import { temporaryName } from '../storage/localDirectory';
import { PEAKS_SAMPLE_RATE, PeaksFold, samplesPerPixelFor, waveformPixels, type Peaks, type WaveformStyle } from './audioPeaks';
import { asBadInput, inputArgs, runMediaTool, streamMediaTool, wholeLength } from './ffmpeg';
import { isTimeBased, mediaProbedFrom, probe, type ProbeOriginal } from './mediaProbe';
import { probeOnce } from './probeOnce';
import { InvalidMediaError, isInvalidMedia, type Processor, type ProcessorResult } from './processor';

export interface AudioRenditionOptions {
  /** The ffmpeg and ffprobe to run (processors/ffmpeg.ts mediaToolPath). */
  ffmpeg: string;
  ffprobe: string;
  /** The thumbnail's box, as for images. */
  thumbnailSize: number;
  /** Where the proxy is encoded before it is stored: the lake's, whose leftovers of a killed process are swept. */
  temporaryDirectory?: string;
  /** For each run of ffmpeg: an hour of audio encodes in well under a minute. */
  timeoutMs?: number;
  /** A reading of the original shared with media-probe and video-renditions (processors/probeOnce.ts); its own when absent. */
  probeOriginal?: ProbeOriginal;
}

/** Light bars on a dark ground: reads in the library grid at thumbnail size. */
export const WAVEFORM: WaveformStyle = { width: 1800, height: 280, background: [24, 28, 36], foreground: [86, 180, 233] };
/** AAC at this rate is transparent enough to listen through, ~1.2 MB a minute. */
const PROXY_BIT_RATE = '160k';
const DEFAULT_TIMEOUT_MS = 20 * 60_000;

/** A failure of ffmpeg on a file ffprobe read: bad input when ffmpeg's words say the file is at fault (processors/ffmpeg.ts). */
const rethrowAsBadInput = (error: unknown): never => {
  throw asBadInput(error);
};

/**
 * Whether the first two audio streams are mono, one a channel, as a
 * broadcast master's or a field recorder's tracks are: played as left and
 * right. Two tracks tagged with different languages are a dub, not a pair:
 * the first plays alone.
 */
export function isMonoPair({ audio }: Pick<PayloadOf<'MediaProbed'>, 'audio'>): boolean {
  const [first, second] = audio;
  if (first?.channels !== 1 || second?.channels !== 1) return false;
  const [a, b] = [first.language, second.language].map((language) => (language === 'und' ? undefined : language));
  return a === undefined || b === undefined || a === b;
}

/**
 * The first audio stream as AAC in an MP4 with its index first (plays while
 * it downloads), mono or stereo as the source (more channels are mixed down
 * to stereo), or the first two mono streams as left and right; encoded into
 * a file, as the MP4 muxer seeks back to write the index.
 */
async function encodeProxy(options: AudioRenditionOptions, location: string, directory: string, source: PayloadOf<'MediaProbed'>): Promise<{ file: string; size: number; durationMs?: number }> {
  const monoPair = isMonoPair(source);
  const path = join(directory, 'proxy.m4a');
  const sound = monoPair ? ['-filter_complex', '[0:a:0][0:a:1]join=inputs=2:channel_layout=stereo[stereo]', '-map', '[stereo]'] : ['-map', '0:a:0', '-af', 'aformat=channel_layouts=mono|stereo'];
  const args = ['-v', 'error', '-nostdin', '-y', ...inputArgs(location), ...sound];
  // The original's tags (title, artist) stay in the record, not in the proxy, as for video; its chapters too: the MP4
  // muxer would write them without their titles, and a chapter track the proxy does not hold.
  args.push('-c:a', 'aac', '-b:a', PROXY_BIT_RATE, '-map_metadata', '-1', '-map_chapters', '-1', '-movflags', '+faststart', '-f', 'mp4', `file:${path}`);
  await runMediaTool('ffmpeg', options.ffmpeg, args, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxOutputBytes: 1024 * 1024 }).catch(rethrowAsBadInput);
  const seconds = mediaProbedFrom(await probe(options.ffprobe, path)).durationSeconds;
  wholeLength(source.durationSeconds, seconds);
  return { file: path, size: (await stat(path)).size, durationMs: seconds === undefined ? undefined : Math.round(seconds * 1000) };
}

/** Peaks from ffmpeg's mono 8 kHz 16-bit decode on stdout, folded as it streams (processors/audioPeaks.ts). */
async function computePeaks(options: AudioRenditionOptions, location: string, durationSeconds: number | undefined): Promise<Peaks> {
  const fold = new PeaksFold(samplesPerPixelFor(durationSeconds));
  const args = ['-v', 'error', '-nostdin', ...inputArgs(location), '-map', '0:a:0', '-ac', '1', '-ar', String(PEAKS_SAMPLE_RATE), '-f', 's16le', 'pipe:1'];
  await streamMediaTool('ffmpeg', options.ffmpeg, args, (chunk) => fold.push(chunk), options.timeoutMs ?? DEFAULT_TIMEOUT_MS).catch(rethrowAsBadInput);
  const peaks = fold.finish();
  if (peaks.length === 0) throw new InvalidMediaError('NO_AUDIO_DECODED', 'ffmpeg decoded no sound: the audio stream is empty, or the file ends before its first sample');
  return peaks;
}

/** The waveform picture (PNG) and, from the same pixels, the library's thumbnail (WebP inside the thumbnail box). */
async function drawWaveform(peaks: Peaks, thumbnailSize: number) {
  const raw = { width: WAVEFORM.width, height: WAVEFORM.height, channels: 3 as const };
  const pixels = waveformPixels(peaks, WAVEFORM);
  const [waveform, thumbnail] = await Promise.all([
    sharp(pixels, { raw }).png().toBuffer(),
    sharp(pixels, { raw }).resize({ width: thumbnailSize, height: thumbnailSize, fit: 'inside' }).webp({ quality: 82 }).toBuffer({ resolveWithObject: true }),
  ]);
  return { waveform, thumbnail };
}

/** Both settled before either's failure is thrown: the proxy's ffmpeg must be done with the folder before it is removed. */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

/** A rendition made: in memory (`body`), or in a file the runner streams into the store (`file`, `size`). */
type Made = { name: string; extension: string; mimeType: string; width?: number; height?: number; durationMs?: number } & (
  | { body: Buffer }
  | { file: string; size: number }
);

/** The objects to store and a RenditionCreated for each, in a fixed order (derived event ids are by place). */
function announced(assetId: string, made: Made[]): Pick<ProcessorResult, 'events' | 'objects' | 'files'> {
  const result: Required<Pick<ProcessorResult, 'events' | 'objects' | 'files'>> = { events: [], objects: [], files: [] };
  for (const rendition of made) {
    const { name, extension, mimeType, width, height, durationMs } = rendition;
    const key = renditionKey(assetId, name, extension);
    if ('body' in rendition) result.objects.push({ key, body: rendition.body, contentType: mimeType });
    else result.files.push({ key, file: rendition.file, contentType: mimeType });
    const payload: PayloadOf<'RenditionCreated'> = { name, objectKey: key, mimeType, size: 'body' in rendition ? rendition.body.length : rendition.size, watermarked: false };
    if (width !== undefined && height !== undefined) Object.assign(payload, { width, height });
    if (durationMs !== undefined) payload.durationMs = durationMs;
    result.events.push({ type: 'RenditionCreated', payload });
  }
  return result;
}

/**
 * Audio renditions: a proxy to play (AAC in .m4a), a waveform picture, the
 * waveform's peaks for web players, and a thumbnail for the library grid.
 * ffmpeg reads the original where it lies (a path or a presigned URL), never
 * through memory; the decode for the peaks is folded as it streams.
 *
 * A file ingested as video (its container: WebM, Matroska, MP4) that holds
 * sound alone, as a browser's or a phone's recording does, is audio: these
 * are its renditions (video-renditions leaves it, and the record takes it
 * for audio once media-probe's reading says so).
 */
export function audioRenditionsProcessor(options: AudioRenditionOptions): Processor {
  const probeOriginal = options.probeOriginal ?? probeOnce(options.ffprobe);
  return {
    name: 'audio-renditions',
    // 2: the waveform's scale from the measured length of files with no index (MP3, ADTS AAC); the first two mono
    //    streams played as left and right; files of no recognised type named as media, when their probe finds sound alone.
    // 3: no chapters in the proxy; a partial copy whose header states its whole length (a cut FLAC) is TRUNCATED_MEDIA.
    version: '3',
    // A file of no recognised type named as media (an RF64 or CAF recording that ingest could not place) is audio when its probe finds sound alone.
    accepts: (event) => event.type === 'AssetIngested' && isTimeBased(event.payload),
    async process(event: StoredEvent, input): Promise<ProcessorResult> {
      if (event.type !== 'AssetIngested') return { events: [] };
      // Such a file, like a video, is audio only if its probe says so; that it is no media is media-probe's (or video-renditions') to report.
      const asVideo = event.payload.mediaType !== 'audio';
      // A video that is no media is video-renditions' failure to report, once; a missing ffprobe is retried here too.
      if (event.payload.size === 0) {
        if (asVideo) return { events: [] };
        throw new InvalidMediaError('EMPTY_FILE', 'the file is empty');
      }
      const location = await input.originalLocation();
      const read = await probeOriginal(event, location).catch((error: unknown) => (asVideo && isInvalidMedia(error) ? undefined : Promise.reject(error)));
      if (!read) return { events: [] };
      const source = mediaProbedFrom(read);
      if (asVideo && (source.video.length || !source.audio.length)) return { events: [] };
      if (!source.audio.length) throw new InvalidMediaError('NO_AUDIO_STREAM', `the file (${source.container}) has no audio stream that can be read`);
      const directory = join(options.temporaryDirectory ?? tmpdir(), temporaryName());
      await mkdir(directory, { recursive: true });
      // The runner removes the folder once it has stored the proxy; a failure here removes it at once.
      const dispose = () => rm(directory, { recursive: true, force: true });
      try {
        const [proxy, peaks] = await settledBoth(encodeProxy(options, location, directory, source), computePeaks(options, location, source.durationSeconds));
        const { waveform, thumbnail } = await drawWaveform(peaks, options.thumbnailSize);
        const made = announced(event.assetId, [
          { name: 'proxy', extension: '.m4a', mimeType: 'audio/mp4', ...proxy },
          { name: 'waveform', extension: '.png', mimeType: 'image/png', body: waveform, width: WAVEFORM.width, height: WAVEFORM.height },
          { name: 'peaks', extension: '.json', mimeType: 'application/json', body: Buffer.from(JSON.stringify(peaks)) },
          { name: 'thumbnail', extension: '.webp', mimeType: 'image/webp', body: thumbnail.data, width: thumbnail.info.width, height: thumbnail.info.height },
        ]);
        return { ...made, dispose };
      } catch (error) {
        await dispose();
        throw error;
      }
    },
  };
}
