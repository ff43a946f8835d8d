import { extname } from 'node:path';
import type { StoredEvent } from '../schemas/envelope';
import type { PayloadOf } from '../schemas/events';
import type { AudioStream, OtherStream, VideoStream } from '../schemas/mediaStreams';
import { undisguised, undisguisedLines } from '../schemas/shownText';
import type { z } from 'zod';
import { asBadInput, inputArgs, MediaToolUnavailableError, runMediaTool, streamMediaTool } from './ffmpeg';
import { InvalidMediaError, type Processor, type ProcessorResult } from './processor';

type MediaProbed = PayloadOf<'MediaProbed'>;

/** The parts of ffprobe's `-show_format -show_streams` JSON read here; everything may be missing. */
export interface ProbeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  profile?: string;
  width?: number;
  height?: number;
  display_aspect_ratio?: string;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  bits_per_sample?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  time_base?: string;
  color_transfer?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  bit_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

export interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; format_long_name?: string; duration?: string; bit_rate?: string; tags?: Record<string, string> };
}

/** A tag by name, whatever its case (Vorbis comments are upper case, ID3 and MP4 as ffmpeg maps them lower). */
function tag(tags: Record<string, string> | undefined, ...names: string[]): string | undefined {
  for (const name of names) {
    const found = Object.entries(tags ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]?.trim();
    if (found) return found.slice(0, 1000);
  }
  return undefined;
}

/** A positive finite number from ffprobe's strings ("48000", "2.000000"), else undefined ("N/A", "0"). */
function positive(value: string | number | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

const wholePositive = (value: string | number | undefined) => {
  const n = positive(value);
  return n === undefined ? undefined : Math.round(n);
};

/** "30000/1001" → 29.97…; "0/0" → undefined. */
function rational(value: string | undefined): number | undefined {
  const [numerator, denominator] = (value ?? '').split('/').map(Number);
  return positive(numerator !== undefined && denominator ? numerator / denominator : undefined);
}

function language(tags: Record<string, string> | undefined): string | undefined {
  const found = tag(tags, 'language');
  return found && found !== 'und' ? found.slice(0, 16) : undefined;
}

/**
 * Clockwise degrees to show the picture upright: ffprobe ≥ 5 gives the
 * display matrix's rotation (counter-clockwise, so negated); older ones a
 * `rotate` tag that is already clockwise.
 */
function rotation(stream: ProbeStream): 0 | 90 | 180 | 270 {
  const matrix = stream.side_data_list?.find((side) => side.side_data_type === 'Display Matrix' && typeof side.rotation === 'number');
  const clockwise = matrix ? -matrix.rotation! : Number(tag(stream.tags, 'rotate') ?? 0);
  const quarterTurns = Math.round((Number.isFinite(clockwise) ? clockwise : 0) / 90);
  return ((((quarterTurns % 4) + 4) % 4) * 90) as 0 | 90 | 180 | 270;
}

/** Bits per sample: as the stream states it, else from the pixel format's name (yuv420p10le: 10; p010le: 10; yuv420p: 8). */
function videoBitDepth(stream: ProbeStream): number | undefined {
  const stated = wholePositive(stream.bits_per_raw_sample);
  if (stated) return stated;
  const format = stream.pix_fmt;
  if (!format) return undefined;
  const deep = /(?:p|gray)(\d{1,2})(?:le|be)$/.exec(format) ?? /^p0(\d\d)/.exec(format);
  if (deep) return Number(deep[1]);
  // Formats with no depth in their name and no byte order are 8-bit (yuv420p, nv12, rgb24); others (rgb48le) are left unsaid.
  return /(le|be)$/.test(format) ? undefined : 8;
}

const TRANSFERS: Record<string, z.infer<typeof VideoStream>['transfer']> = { smpte2084: 'pq', 'arib-std-b67': 'hlg' };

/**
 * An average that no frames can have: more than twice the base rate, or the
 * stream's clock (1/time_base) itself, as ffprobe gives for raw DV (60000
 * where the frames are 25 a second): an artefact of the timestamps, not a rate.
 */
function implausibleAverage(stream: ProbeStream, average: number, base: number | undefined): boolean {
  const clock = rational(stream.time_base);
  return (base !== undefined && average > 2 * base) || (clock !== undefined && Math.abs(average * clock - 1) < 1e-6);
}

/** Within 1 %. */
const near = (a: number, b: number) => Math.abs(a - b) / b <= 0.01;

/**
 * A frame rate is variable when the average is more than 1 % off the base
 * rate, or off half of it: H.264 in MPEG-TS states its field rate as the
 * base (50 for 25 frames a second). An implausible average is no reading of either.
 */
function frameRates(stream: ProbeStream): { frameRate?: number; variableFrameRate: boolean } {
  const base = rational(stream.r_frame_rate);
  const stated = rational(stream.avg_frame_rate);
  const average = stated !== undefined && implausibleAverage(stream, stated, base) ? undefined : stated;
  const variableFrameRate = base !== undefined && average !== undefined && !near(average, base) && !near(average, base / 2);
  return { frameRate: average ?? base, variableFrameRate };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function videoStream(stream: ProbeStream): z.infer<typeof VideoStream> | undefined {
  const [width, height] = [wholePositive(stream.width), wholePositive(stream.height)];
  if (!width || !height) return undefined; // a stream with no picture size says nothing useful
  return withoutUndefined({
    index: stream.index ?? 0,
    codec: stream.codec_name ?? stream.codec_tag_string ?? 'unknown',
    profile: stream.profile,
    width,
    height,
    displayAspectRatio: stream.display_aspect_ratio && stream.display_aspect_ratio !== '0:1' ? stream.display_aspect_ratio : undefined,
    rotation: rotation(stream),
    ...frameRates(stream),
    bitDepth: videoBitDepth(stream),
    pixelFormat: stream.pix_fmt,
    transfer: TRANSFERS[stream.color_transfer ?? ''] ?? 'sdr',
    colorTransfer: stream.color_transfer && stream.color_transfer !== 'unknown' ? stream.color_transfer : undefined,
    bitRate: wholePositive(stream.bit_rate),
    language: language(stream.tags),
  });
}

/** `fileLanguage`: the file's language, for a stream that states none (audioLanguage). */
function audioStream(stream: ProbeStream, fileLanguage?: string): z.infer<typeof AudioStream> | undefined {
  const [channels, sampleRate] = [wholePositive(stream.channels), wholePositive(stream.sample_rate)];
  if (!channels || !sampleRate) return undefined;
  return withoutUndefined({
    index: stream.index ?? 0,
    codec: stream.codec_name ?? stream.codec_tag_string ?? 'unknown',
    profile: stream.profile,
    channels,
    channelLayout: stream.channel_layout,
    sampleRate,
    bitDepth: wholePositive(stream.bits_per_raw_sample) ?? wholePositive(stream.bits_per_sample),
    bitRate: wholePositive(stream.bit_rate),
    language: language(stream.tags) ?? fileLanguage,
  });
}

/**
 * The language a file states for its sound: MP3 (ID3 TLAN) and FLAC (a
 * LANGUAGE comment) state it for the file, not a stream. It is the sound's
 * only where the file has one audio stream; of several, it cannot say which.
 */
function audioLanguage(format: Record<string, string> | undefined, audio: ProbeStream[]): string | undefined {
  return audio.length === 1 ? language(format) : undefined;
}

function otherStream(stream: ProbeStream): z.infer<typeof OtherStream> {
  return withoutUndefined({
    index: stream.index ?? 0,
    codec: stream.codec_name ?? stream.codec_tag_string,
    language: language(stream.tags),
    title: tag(stream.tags, 'title', 'handler_name'),
  });
}

/** Decimal degrees from an ISO 6709 part: ±DD.D, ±DDMM.M or ±DDMMSS.S (±DDD… for longitude). */
function sexagesimal(part: string, degreeDigits: number): number {
  const sign = part.startsWith('-') ? -1 : 1;
  const [whole, fraction = ''] = part.slice(1).split('.');
  const digits = whole!.length - degreeDigits; // 0, 2 or 4: how many digits of minutes and seconds follow
  const value = Number(`${whole}.${fraction}`) / 10 ** digits;
  if (digits === 0) return sign * value;
  const degrees = Math.trunc(value);
  const rest = (value - degrees) * 100;
  const minutes = digits === 2 ? rest : Math.trunc(rest);
  const seconds = digits === 4 ? (rest - minutes) * 100 : 0;
  return sign * (degrees + minutes / 60 + seconds / 3600);
}

/** "+48.8584+002.2945+035.000/" (ISO 6709, as QuickTime and MP4 keep it) → signed decimal degrees and metres. */
export function iso6709(text: string | undefined): MediaProbed['location'] {
  const match = /^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  const latitude = sexagesimal(match[1]!, 2);
  const longitude = sexagesimal(match[2]!, 3);
  if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) return undefined;
  return withoutUndefined({ latitude, longitude, altitude: match[3] ? Number(match[3]) : undefined });
}

/**
 * A broadcast WAV's recording time: ffprobe gives its bext origination date
 * as `date` (2018-03-02) and its time alone as `creation_time` (09:08:07).
 * Joined with no offset, as bext states no zone: a time on the recorder's
 * clock, written as a photo's capture date without an offset is
 * (processors/metadata.ts), so it sorts and filters with them.
 */
function originationTime(format: Record<string, string> | undefined): string | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/.exec(tag(format, 'date') ?? '');
  const time = /^\d{2}:\d{2}:\d{2}$/.exec(tag(format, 'creation_time') ?? '');
  return day && time ? `${day[0]}T${time[0]}` : undefined;
}

function createdAt(format: Record<string, string> | undefined, streams: ProbeStream[]): string | undefined {
  // QuickTime's creationdate keeps the local offset; creation_time is UTC.
  const found = originationTime(format) ?? tag(format, 'com.apple.quicktime.creationdate', 'creation_time') ?? streams.map((s) => tag(s.tags, 'creation_time')).find(Boolean);
  if (!found || Number.isNaN(Date.parse(found)) || found.startsWith('1970-01-01') || found.startsWith('1904-01-01')) return undefined;
  // Apple writes the offset as +0100: written +01:00, as photos' capture dates are, it sorts and filters with them.
  return found.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

/**
 * Ogg keeps its comments on the stream, other containers on the file: the
 * file's win. They are shown as a file's name is (the record, search
 * results), so cleaned as names are of what would disguise them (a bell, a
 * right-to-left override); a comment keeps its lines.
 */
function descriptiveTags(format: Record<string, string> | undefined, streams: ProbeStream[]): MediaProbed['tags'] {
  const sources = [format, ...streams.filter((s) => s.codec_type === 'audio').map((s) => s.tags)];
  const first = (clean: (text: string) => string, ...names: string[]) => sources.map((tags) => clean(tag(tags, ...names) ?? '').trim()).find(Boolean);
  const line = (...names: string[]) => first(undisguised, ...names);
  return withoutUndefined({
    title: line('title'),
    artist: line('artist'),
    album: line('album'),
    albumArtist: line('album_artist', 'albumartist'),
    genre: line('genre'),
    date: line('date', 'year'),
    comment: first(undisguisedLines, 'comment', 'description'),
  });
}

/** ffprobe's JSON → the MediaProbed payload. Pure: tested on recorded output. */
export function mediaProbedFrom(probe: ProbeOutput): MediaProbed {
  const streams = probe.streams ?? [];
  const format = probe.format ?? {};
  const ofType = (type: string) => streams.filter((s) => s.codec_type === type);
  const pictures = ofType('video').filter((s) => s.disposition?.attached_pic === 1);
  const audio = ofType('audio');
  const fileLanguage = audioLanguage(format.tags, audio);
  const defined = <T>(values: (T | undefined)[]) => values.filter((v): v is T => v !== undefined);
  const durations = streams.map((s) => positive(s.duration));
  return withoutUndefined({
    container: format.format_name || 'unknown',
    containerName: format.format_long_name || undefined,
    durationSeconds: positive(format.duration) ?? (defined(durations).length ? Math.max(...defined(durations)) : undefined),
    bitRate: wholePositive(format.bit_rate),
    video: defined(ofType('video').filter((s) => !pictures.includes(s)).map(videoStream)),
    audio: defined(audio.map((stream) => audioStream(stream, fileLanguage))),
    subtitles: ofType('subtitle').map(otherStream),
    data: ofType('data').map(otherStream),
    coverArt: pictures.length > 0,
    createdAt: createdAt(format.tags, streams),
    location: iso6709(tag(format.tags, 'com.apple.quicktime.location.ISO6709', 'location', 'location-eng')),
    tags: descriptiveTags(format.tags, streams),
  });
}

/** Names that say time-based media: a file so named whose bytes nobody recognised is probed, and fails with the reason if it is not media. */
const TIME_BASED_EXTENSIONS = new Set([
  '.mp4', '.m4v', '.mov', '.qt', '.mkv', '.mka', '.webm', '.avi', '.mts', '.m2ts', '.ts', '.mpg', '.mpeg', '.vob', '.m2v', '.h264', '.264', '.hevc', '.h265', '.mxf', '.dv', '.dif', '.3gp',
  '.wav', '.rf64', '.bw64', '.w64', '.caf', '.mp3', '.m4a', '.aac', '.ac3', '.eac3', '.flac', '.ogg', '.oga', '.opus', '.aif', '.aiff', '.au', '.wma', '.wmv',
]);

/** Whether a file of no recognised type goes by a name that says video or audio (the asset record waits for its probe). */
export const isTimeBasedName = (originalName: string) => TIME_BASED_EXTENSIONS.has(extname(originalName).toLowerCase());

/**
 * Whether the video and audio processors read an ingest: video and audio,
 * and a file of no recognised type named as time-based media, whose probe
 * says which it is (its record takes that type).
 */
export function isTimeBased(payload: PayloadOf<'AssetIngested'>): boolean {
  if (payload.mediaType === 'video' || payload.mediaType === 'audio') return true;
  return payload.mediaType === 'other' && isTimeBasedName(payload.originalName);
}

/** ffprobe's reading of the original an ingest names, shared by the processors of one process that read it (processors/probeOnce.ts). */
export type ProbeOriginal = (cause: StoredEvent, location: string) => Promise<ProbeOutput>;

/** Reads ffprobe's JSON for an original at a path or URL; bad input is an InvalidMediaError, a missing or broken ffprobe a MediaToolUnavailableError. */
export async function probe(ffprobe: string, location: string, timeoutMs = 120_000): Promise<ProbeOutput> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...inputArgs(location)];
  const stdout = await runMediaTool('ffprobe', ffprobe, args, { timeoutMs, maxOutputBytes: 16 * 1024 * 1024 }).catch((error: unknown) => {
    throw asBadInput(error);
  });
  let output: ProbeOutput;
  try {
    output = JSON.parse(stdout) as ProbeOutput;
  } catch {
    throw new MediaToolUnavailableError('ffprobe', ffprobe, 'did not answer with JSON, as ffprobe does');
  }
  const states = statesDuration(output);
  if (states && !estimatesDuration(output)) return output;
  const packets = await packetLengths(ffprobe, location, output.streams ?? [], timeoutMs);
  // A file that states no length: where its last packet ends, else (no timestamps: a raw stream) its longest stream.
  const measured = states ? packets.longestStream : (packets.lastEnd ?? packets.longestStream);
  return measured === undefined ? output : { ...output, format: { ...output.format, duration: measured.toFixed(6) } };
}

const statesDuration = (output: ProbeOutput) => positive(output.format?.duration) !== undefined || (output.streams ?? []).some((s) => positive(s.duration) !== undefined);

/**
 * Containers with no index, whose stated length ffmpeg guesses: from the bit
 * rate of the first frames (MP3 without a Xing header, ADTS AAC, raw
 * elementary streams), or from the first and last timestamps (MPEG-TS and
 * -PS, where a recording joined to another, or a clock that wrapped, jumps
 * by hours). Their length is measured from their packets instead.
 */
const ESTIMATED_LENGTH_FORMATS = new Set(['mp3', 'aac', 'mpegts', 'mpegtsraw', 'mpeg', 'mpegvideo', 'h264', 'hevc', 'm4v', 'ac3', 'eac3', 'dts', 'truehd', 'loas']);

const estimatesDuration = (output: ProbeOutput) => (output.format?.format_name ?? '').split(',').some((name) => ESTIMATED_LENGTH_FORMATS.has(name));

/**
 * A file's length from its packets, demuxed and not decoded, as ffprobe lists
 * them, held a line at a time:
 * - `longestStream`: for each video (not cover art) and audio stream, the sum
 *   of its packets' durations (a packet that states none counts as the
 *   stream's average), the longest stream's. Timestamps are not read, so a
 *   jump in the clock adds nothing.
 * - `lastEnd`: where the last packet ends, by its timestamp: the length of a
 *   file that states none, as a browser's MediaRecorder or a live stream's
 *   recorder writes WebM (they never go back to the header; nor do their
 *   packets state durations).
 * Either is undefined where no packet gives it. Durations and timestamps are
 * read in ticks of the stream's time base and added up before they become
 * seconds: ffprobe prints seconds to 6 decimals, and an MP3 frame
 * (1152/44100 s) rounded so loses 0.06 s an hour.
 */
async function packetLengths(ffprobe: string, location: string, streams: ProbeStream[], timeoutMs: number): Promise<{ longestStream?: number; lastEnd?: number }> {
  const timeBases = new Map(streams.map((s) => [s.index, rational(s.time_base)]));
  const timed = new Set(streams.filter((s) => (s.codec_type === 'audio' || s.codec_type === 'video') && s.disposition?.attached_pic !== 1).map((s) => s.index));
  const sums = new Map<number, { ticks: number; counted: number; missing: number }>();
  let lastEnd = 0;
  let partial = '';
  const takeLine = (line: string) => {
    // ffprobe writes a packet's fields in its own order, whatever the order asked: stream_index, pts, duration.
    const [index, pts, duration] = line.split(',');
    const stream = Number(index);
    const timeBase = timeBases.get(stream);
    if (!index || !Number.isInteger(stream) || timeBase === undefined) return; // blank lines, the side data ffprobe lists after some packets, a stream with no clock
    const ticks = positive(duration);
    lastEnd = Math.max(lastEnd, (Number(pts) + (ticks ?? 0)) * timeBase || 0);
    if (!timed.has(stream)) return;
    const sum = sums.get(stream) ?? { ticks: 0, counted: 0, missing: 0 };
    if (ticks === undefined) sum.missing += 1;
    else Object.assign(sum, { ticks: sum.ticks + ticks, counted: sum.counted + 1 });
    sums.set(stream, sum);
  };
  const args = ['-v', 'error', '-show_entries', 'packet=stream_index,pts,duration', '-of', 'csv=p=0', ...inputArgs(location)];
  await streamMediaTool('ffprobe', ffprobe, args, (chunk) => {
    const lines = (partial + chunk.toString('latin1')).split('\n');
    partial = lines.pop()!;
    lines.forEach(takeLine);
  }, timeoutMs).catch((error: unknown) => {
    throw asBadInput(error);
  });
  takeLine(partial);
  const lengths = [...sums].filter(([, sum]) => sum.counted > 0).map(([stream, sum]) => sum.ticks * timeBases.get(stream)! * (1 + sum.missing / sum.counted));
  return { longestStream: lengths.length ? Math.max(...lengths) : undefined, lastEnd: lastEnd > 0 ? lastEnd : undefined };
}

/** A file that ffprobe opens but finds nothing in to play is bad input too. */
function playable(payload: MediaProbed): MediaProbed {
  if (payload.video.length || payload.audio.length) return payload;
  throw new InvalidMediaError('NO_MEDIA_STREAMS', `the file (${payload.container}) has no video or audio stream that can be read`);
}

/** Technical metadata of video and audio (MediaProbed): ffprobe reads the original where it lies, never through memory, once for this processor and video-renditions (probeOriginal). */
export function mediaProbeProcessor(probeOriginal: ProbeOriginal): Processor {
  return {
    name: 'media-probe',
    // 2: the length of files with no index (MP3, ADTS AAC, MPEG-TS/PS) measured from their packets, not ffmpeg's guess;
    //    no frame rate from an average that is the stream's clock (raw DV), nor a variable one from a base that is the
    //    field rate (H.264 in MPEG-TS); files of no recognised type named as media.
    // 3: packet lengths added up in ticks (a long MP3 is no longer short); the file's language for its one audio stream;
    //    a broadcast WAV's recording time; tags without disguising characters.
    version: '3',
    accepts: (event) => event.type === 'AssetIngested' && isTimeBased(event.payload),
    async process(event: StoredEvent, input): Promise<ProcessorResult> {
      if (event.type !== 'AssetIngested') return { events: [] };
      if (event.payload.size === 0) throw new InvalidMediaError('EMPTY_FILE', 'the file is empty');
      const output = await probeOriginal(event, await input.originalLocation());
      return { events: [{ type: 'MediaProbed', payload: playable(mediaProbedFrom(output)) }] };
    },
  };
}
