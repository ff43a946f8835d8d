import pLimit from 'p-limit';
import sharp from 'sharp';
import { asBadInput, inputArgs, streamMediaTool } from './ffmpeg';
import { mediaProbedFrom, probe } from './mediaProbe';
import { InvalidMediaError } from './processor';
import type { StoredEvent } from '../schemas/envelope';
import { videoPlan, type Size } from './videoPlan';

/** One frame of a video, upright, as a PNG inside FRAME_EDGE × FRAME_EDGE, and where it was taken. */
export interface VideoFrame {
  seconds: number;
  png: Buffer;
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
/** Seeks run two at a time: each is a short decode from the keyframe before the time. */
const PARALLEL_SEEKS = 2;
const SEEK_TIMEOUT_MS = 60_000;

/** When the candidates are taken: past black leaders, count-downs and fade-ins, as the poster is (videoCommands.ts). */
export function candidateTimes(durationSeconds: number): number[] {
  const start = durationSeconds * 0.1;
  const slice = (durationSeconds - start) / CANDIDATES;
  return Array.from({ length: CANDIDATES }, (_, i) => start + (i + 0.5) * slice);
}

/** One upright frame at `seconds` as a PNG, or undefined where the stream has none (past its last frame). */
async function frameAt(ffmpeg: string, location: string, seconds: number, size: Size): Promise<Buffer | undefined> {
  const args = ['-nostdin', '-v', 'error', '-ss', seconds.toFixed(3), ...inputArgs(location), '-map', '0:v:0', '-frames:v', '1',
    '-vf', `scale=${size.width}:${size.height},setsar=1`, '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'];
  const chunks: Buffer[] = [];
  await streamMediaTool('ffmpeg', ffmpeg, args, (chunk) => chunks.push(chunk), SEEK_TIMEOUT_MS).catch((error: unknown) => {
    throw asBadInput(error);
  });
  return chunks.length ? Buffer.concat(chunks) : undefined;
}

/** One colour, or too dark to show anything: a frame that stands for no scene. */
async function isBlank(png: Buffer): Promise<boolean> {
  const [grey] = (await sharp(png).greyscale().stats()).channels;
  return grey!.stdev < MIN_CONTRAST || grey!.mean < MIN_BRIGHTNESS;
}

/** `count` of `items`, spread evenly from the first. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

/**
 * Representative frames of a video: CANDIDATES frames after its first tenth,
 * each found by seeking (a long original is never decoded whole), the blank
 * ones left out, FRAMES_KEPT of the rest. A video with nothing but blank
 * frames is represented by them. ffmpeg reads the original where it lies.
 */
export function representativeFrames(tools: { ffmpeg: string; ffprobe: string }): RepresentativeFrames {
  return async (location) => {
    const plan = videoPlan(mediaProbedFrom(await probe(tools.ffprobe, location)), FRAME_EDGE);
    const seek = pLimit(PARALLEL_SEEKS);
    const taken = await Promise.all(
      candidateTimes(plan.durationSeconds).map((seconds) => seek(async () => ({ seconds, png: await frameAt(tools.ffmpeg, location, seconds, plan.poster) }))),
    );
    const frames = taken.filter((frame): frame is VideoFrame => frame.png !== undefined);
    if (!frames.length) throw new InvalidMediaError('NO_FRAMES', `no frame could be read from the video (${plan.durationSeconds} s stated)`);
    const blank = await Promise.all(frames.map((frame) => isBlank(frame.png)));
    const scenes = frames.filter((_, i) => !blank[i]);
    return spread(scenes.length ? scenes : frames, FRAMES_KEPT);
  };
}
