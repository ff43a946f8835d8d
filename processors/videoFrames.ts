import pLimit from 'p-limit';
import { fromDecoded, type DecodedImage } from './decodedImage';
import { asBadInput, inputArgs, streamMediaTool } from './ffmpeg';
import { mediaProbedFrom, probe } from './mediaProbe';
import { InvalidMediaError } from './processor';
import type { StoredEvent } from '../schemas/envelope';
import { videoPlan, type Size } from './videoPlan';

/** One frame of a video, upright, inside FRAME_EDGE × FRAME_EDGE, and the time it was looked for at. */
export interface VideoFrame {
  seconds: number;
  image: DecodedImage;
}

/** The frames a video's perceptual hash and embedding are made from, nearest the start first. */
export type RepresentativeFrames = (location: string) => Promise<VideoFrame[]>;

/** Whether a processor of pictures takes an event: every image's ingest, and every video's where it can take frames. */
export function isPictureIngest(event: StoredEvent, frames: RepresentativeFrames | undefined): boolean {
  if (event.type !== 'AssetIngested') return false;
  return event.payload.mediaType === 'image' || (frames !== undefined && event.payload.mediaType === 'video');
}

/** Candidates looked at: the middles of this many equal slices of the video after its first tenth. */
const CANDIDATES = 8;
/** Frames kept of the candidates that are not blank, spread evenly over them. */
export const FRAMES_KEPT = 4;
/** Large enough for CLIP's 224-pixel input and a 9×8 hash, small enough to be cheap to pass around. */
const FRAME_EDGE = 256;
/** A frame whose grey levels vary less than this (of 255) is one colour: black, white, a flat fade. */
const MIN_CONTRAST = 12;
/** A frame darker than this on average is a fade to or from black. */
const MIN_BRIGHTNESS = 24;
/**
 * Up to this length a video is decoded once, start to end, for its
 * candidates; past it each candidate is a seek, which decodes from the
 * keyframe before it. Eight seeks cost up to eight keyframe intervals (a
 * few seconds each, 10 s at x264's default): more than one pass over a short clip.
 */
export const ONE_PASS_SECONDS = 60;
/** Seeks run two at a time. */
const PARALLEL_SEEKS = 2;
const TIMEOUT_MS = 120_000;

/** When the candidates are taken: past black leaders, count-downs and fade-ins, as the poster is (videoCommands.ts). */
export function candidateTimes(durationSeconds: number): number[] {
  const start = durationSeconds * 0.1;
  const slice = (durationSeconds - start) / CANDIDATES;
  return Array.from({ length: CANDIDATES }, (_, i) => start + (i + 0.5) * slice);
}

/** Which frames one ffmpeg run writes: `count` of them, from a seek to `from` (else the start), picked by a `select` filter (else each). */
interface FrameRead {
  from?: number;
  count: number;
  select?: string;
}

/** Runs ffmpeg on the original's picture, upright at `size`, and returns the frames it writes as raw RGB. */
async function decodeFrames(ffmpeg: string, location: string, size: Size, read: FrameRead): Promise<DecodedImage[]> {
  const seek = read.from === undefined ? [] : ['-ss', read.from.toFixed(3)];
  const filter = [read.select, `scale=${size.width}:${size.height},setsar=1`].filter(Boolean).join(',');
  const args = ['-nostdin', '-v', 'error', ...seek, ...inputArgs(location), '-map', '0:v:0', '-frames:v', String(read.count), '-vf', filter, '-vsync', 'vfr', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'];
  const chunks: Buffer[] = [];
  await streamMediaTool('ffmpeg', ffmpeg, args, (chunk) => chunks.push(chunk), TIMEOUT_MS).catch((error: unknown) => {
    throw asBadInput(error);
  });
  const all = Buffer.concat(chunks);
  const frameBytes = size.width * size.height * 3;
  return Array.from({ length: Math.floor(all.length / frameBytes) }, (_, i) => ({
    data: all.subarray(i * frameBytes, (i + 1) * frameBytes),
    ...size,
    channels: 3 as const,
  }));
}

/** Every candidate in one decode: the first frame at or after each time (as the scrub sprite picks its tiles). */
async function framesInOnePass(ffmpeg: string, location: string, size: Size, times: number[]): Promise<VideoFrame[]> {
  const slice = times.length > 1 ? times[1]! - times[0]! : 1;
  const select = `select='gte(t\\,${times[0]!.toFixed(3)}+selected_n*${slice.toFixed(3)})'`;
  const images = await decodeFrames(ffmpeg, location, size, { count: times.length, select });
  return images.map((image, i) => ({ seconds: times[i]!, image }));
}

/** Each candidate by a seek of its own; a time past the stream's last frame gives none. */
async function framesBySeeking(ffmpeg: string, location: string, size: Size, times: number[]): Promise<VideoFrame[]> {
  const limit = pLimit(PARALLEL_SEEKS);
  const taken = await Promise.all(times.map((seconds) => limit(async () => ({ seconds, images: await decodeFrames(ffmpeg, location, size, { from: seconds, count: 1 }) }))));
  return taken.flatMap(({ seconds, images }) => images.map((image) => ({ seconds, image })));
}

/** One colour, or too dark to show anything: a frame that stands for no scene. */
async function isBlank(image: DecodedImage): Promise<boolean> {
  const [grey] = (await fromDecoded(image).greyscale().stats()).channels;
  return grey!.stdev < MIN_CONTRAST || grey!.mean < MIN_BRIGHTNESS;
}

/** `count` of `items`, spread evenly from the first. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

/**
 * Representative frames of a video: CANDIDATES frames after its first
 * tenth (in one decode of a short video, by seeks in a long one, which is
 * never decoded whole), the blank ones left out, FRAMES_KEPT of the rest. A
 * video with nothing but blank frames is represented by them. ffmpeg reads
 * the original where it lies. A frame's `seconds` is its candidate's time:
 * the frame is the first at or after it.
 */
export function representativeFrames(tools: { ffmpeg: string; ffprobe: string }, onePassSeconds = ONE_PASS_SECONDS): RepresentativeFrames {
  return async (location) => {
    const plan = videoPlan(mediaProbedFrom(await probe(tools.ffprobe, location)), FRAME_EDGE);
    const read = plan.durationSeconds <= onePassSeconds ? framesInOnePass : framesBySeeking;
    const frames = await read(tools.ffmpeg, location, plan.poster, candidateTimes(plan.durationSeconds));
    if (!frames.length) throw new InvalidMediaError('NO_FRAMES', `no frame could be read from the video (${plan.durationSeconds} s stated)`);
    const blank = await Promise.all(frames.map((frame) => isBlank(frame.image)));
    const scenes = frames.filter((_, i) => !blank[i]);
    return spread(scenes.length ? scenes : frames, FRAMES_KEPT);
  };
}
