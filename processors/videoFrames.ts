import pLimit from 'p-limit';
import sharp from 'sharp';
import type { DecodedImage } from './decodedImage';
import { asBadInput, inputArgs, streamMediaTool } from './ffmpeg';
import { mediaProbedFrom, probe } from './mediaProbe';
import { InvalidMediaError, undecodable, type ProcessorInput } from './processor';
import type { StoredEvent } from '../schemas/envelope';
import { FRAME_EDGE, videoPlan, type Size } from './videoPlan';

/** One frame of a video, upright, inside the plan's frame box, and which candidate it is (its place in candidateTimes). */
export interface VideoFrame {
  candidate: number;
  image: DecodedImage;
}

/** The frames a video's perceptual hash and embedding are made from, decoded from the original, nearest the start first. */
export type RepresentativeFrames = (location: string) => Promise<VideoFrame[]>;

/** The rendition the video renditions' decode writes the candidates into (processors/videoRenditions.ts). */
export const FRAMES_RENDITION = 'frames';

/**
 * Whether a processor of pictures takes an event: every image's ingest; a
 * video's frames rendition; and, where it can decode frames itself (a
 * pipeline's node), a video's ingest.
 */
export function isPictureSource(event: StoredEvent, frames: RepresentativeFrames | undefined): boolean {
  if (event.type === 'RenditionCreated') return event.payload.name === FRAMES_RENDITION;
  if (event.type !== 'AssetIngested') return false;
  return event.payload.mediaType === 'image' || (frames !== undefined && event.payload.mediaType === 'video');
}

/** Candidates looked at: the middles of this many equal slices of the video after its first tenth. */
export const CANDIDATES = 8;
/** Frames kept of the candidates that are not blank, spread evenly over them. */
export const FRAMES_KEPT = 4;
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

/** A `select` filter that passes the first frame at or after each candidate time (as the scrub sprite picks its tiles). */
export function candidateSelect(durationSeconds: number): string {
  const times = candidateTimes(durationSeconds);
  const slice = times.length > 1 ? times[1]! - times[0]! : 1;
  return `select='gte(t\\,${times[0]!.toFixed(3)}+selected_n*${slice.toFixed(3)})'`;
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

/** Every candidate in one decode. */
async function framesInOnePass(ffmpeg: string, location: string, size: Size, durationSeconds: number): Promise<VideoFrame[]> {
  const images = await decodeFrames(ffmpeg, location, size, { count: CANDIDATES, select: candidateSelect(durationSeconds) });
  return images.map((image, candidate) => ({ candidate, image }));
}

/** Each candidate by a seek of its own; a time past the stream's last frame gives none. */
async function framesBySeeking(ffmpeg: string, location: string, size: Size, durationSeconds: number): Promise<VideoFrame[]> {
  const limit = pLimit(PARALLEL_SEEKS);
  const seek = (from: number) => limit(() => decodeFrames(ffmpeg, location, size, { from, count: 1 }));
  const taken = await Promise.all(candidateTimes(durationSeconds).map(seek));
  return taken.flatMap((images, candidate) => images.map((image) => ({ candidate, image })));
}

/**
 * The candidates from a frames rendition: a PNG strip of CANDIDATES tiles
 * side by side, in which a tile left transparent is a candidate the video
 * had no frame for (its stream ended first); the rest are opaque RGB.
 */
export async function framesOfStrip(png: Buffer): Promise<VideoFrame[]> {
  const { data, info } = await sharp(png)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: Error) => {
      throw undecodable(error, 'the frames rendition');
    });
  const size = { width: info.width / CANDIDATES, height: info.height };
  return Array.from({ length: CANDIDATES }, (_, candidate) => candidate).flatMap((candidate) =>
    data[candidate * size.width * 4 + 3] === 0 ? [] : [{ candidate, image: { data: tileOf(data, info.width, candidate, size), ...size, channels: 3 as const } }],
  );
}

/**
 * The RGB pixels of one tile of an RGBA strip, copied in JavaScript: a
 * sharp pipeline a tile cost more, as its set-up is most of its work at this
 * size.
 */
function tileOf(strip: Buffer, stripWidth: number, index: number, size: Size): Buffer {
  const rgb = Buffer.allocUnsafe(size.width * size.height * 3);
  let to = 0;
  for (let y = 0; y < size.height; y++) {
    let from = (y * stripWidth + index * size.width) * 4;
    for (let x = 0; x < size.width; x++, from += 4) {
      rgb[to++] = strip[from]!;
      rgb[to++] = strip[from + 1]!;
      rgb[to++] = strip[from + 2]!;
    }
  }
  return rgb;
}

/** sRGB samples (0–255) as linear light (0–1). */
const LINEAR = Float64Array.from({ length: 256 }, (_, v) => (v <= 10 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
/** Steps of linear light looked up for its sRGB sample: fine enough that every sample is reached. */
const ENCODE_STEPS = 65_536;
/** Linear light (in ENCODE_STEPS) as an sRGB sample, rounded: made at first use, as it takes a few milliseconds. */
let encoded: Uint8Array | undefined;
const encodeTable = () =>
  (encoded ??= Uint8Array.from({ length: ENCODE_STEPS + 1 }, (_, i) => {
    const light = i / ENCODE_STEPS;
    return Math.round(255 * (light <= 0.0031308 ? light * 12.92 : 1.055 * light ** (1 / 2.4) - 0.055));
  }));

/**
 * The mean and standard deviation of an RGB frame's grey levels (0–255), the
 * grey of sharp's `greyscale()`: the luminance of linear light (Rec. 709),
 * back on the sRGB curve. Counted here, for the eight small candidates of
 * every video, as a sharp pipeline each cost more to set up than to run (and
 * sharp's `stats()` after `greyscale()` gives the red channel's figures).
 */
export function greyLevels(image: DecodedImage): { mean: number; stdev: number } {
  const { data, channels } = image;
  const encode = encodeTable();
  const pixels = image.width * image.height;
  let sum = 0;
  let squares = 0;
  for (let at = 0; at < pixels * channels; at += channels) {
    const light = 0.2126 * LINEAR[data[at]!]! + 0.7152 * LINEAR[data[at + 1]!]! + 0.0722 * LINEAR[data[at + 2]!]!;
    const grey = encode[Math.round(light * ENCODE_STEPS)]!;
    sum += grey;
    squares += grey * grey;
  }
  const mean = sum / pixels;
  return { mean, stdev: pixels > 1 ? Math.sqrt(Math.max(0, (squares - sum * mean) / (pixels - 1))) : 0 };
}

/** One colour, or too dark to show anything: a frame that stands for no scene. */
function isBlank(image: DecodedImage): boolean {
  const { mean, stdev } = greyLevels(image);
  return stdev < MIN_CONTRAST || mean < MIN_BRIGHTNESS;
}

/** `count` of `items`, spread evenly from the first. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

/**
 * The representative frames among a video's candidates: the blank ones left
 * out, FRAMES_KEPT of the rest. A video with nothing but blank frames is
 * represented by them.
 */
export async function representativeOf(candidates: VideoFrame[]): Promise<VideoFrame[]> {
  if (!candidates.length) throw new InvalidMediaError('NO_FRAMES', 'no frame could be read from the video');
  const scenes = candidates.filter((frame) => !isBlank(frame.image));
  return spread(scenes.length ? scenes : candidates, FRAMES_KEPT);
}

/**
 * Representative frames of a video decoded from its original, for a pipeline
 * node (the lake's processors take them from the frames rendition, which the
 * video renditions' own decode writes): the candidates in one decode of a
 * short video, by seeks in a long one, which is never decoded whole. ffmpeg
 * reads the original where it lies.
 */
export function representativeFrames(tools: { ffmpeg: string; ffprobe: string }, onePassSeconds = ONE_PASS_SECONDS): RepresentativeFrames {
  return async (location) => {
    const plan = videoPlan(mediaProbedFrom(await probe(tools.ffprobe, location)), FRAME_EDGE);
    const read = plan.durationSeconds <= onePassSeconds ? framesInOnePass : framesBySeeking;
    return representativeOf(await read(tools.ffmpeg, location, plan.frame, plan.durationSeconds));
  };
}

/**
 * The representative frames of the video an event brings: a frames
 * rendition's, or, given `frames`, those decoded from a video's original;
 * undefined for an image, which is its own picture.
 */
export async function videoFramesOf(event: StoredEvent, input: ProcessorInput, frames: RepresentativeFrames | undefined): Promise<VideoFrame[] | undefined> {
  if (event.type === 'RenditionCreated') return representativeOf(await framesOfStrip(await input.original()));
  if (frames && event.type === 'AssetIngested' && event.payload.mediaType === 'video') return frames(await input.originalLocation());
  return undefined;
}
