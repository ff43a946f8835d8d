import type { PayloadOf } from '../schemas/events';
import { isMonoPair } from './audioRenditions';
import { InvalidMediaError } from './processor';

/** Width and height in square pixels. */
export interface Size {
  width: number;
  height: number;
}

/** Where each scrub tile sits in the sprite, and the time it stands for. */
export interface ScrubLayout {
  intervalSeconds: number;
  count: number;
  columns: number;
  rows: number;
  tile: Size;
}

/** What the video renditions of one original are made at; pure, from what ffprobe read. */
export interface VideoPlan {
  durationSeconds: number;
  /** Frames a second of the proxy: the source's average, so a variable rate keeps its length. */
  frameRate: number;
  hasAudio: boolean;
  /** The first two audio streams are mono, one a channel (a broadcast master's tracks): the proxy plays them as left and right. */
  monoPair: boolean;
  /** A picture of high dynamic range (its transfer), which the renditions tone-map to BT.709; undefined for SDR. */
  hdr?: 'pq' | 'hlg';
  poster: Size;
  proxy: Size;
  /** Each representative-frame candidate's (processors/videoFrames.ts). */
  frame: Size;
  scrub: ScrubLayout;
}

/** The web proxy's box: 720p, its long side along the picture's (a portrait video stays portrait). */
const PROXY_LONG_SIDE = 1280;
const PROXY_SHORT_SIDE = 720;
/** A scrub tile's long side: big enough to recognise a scene, small enough for a sprite of a hundred. */
const TILE_LONG_SIDE = 160;
const MAX_TILES = 100;
const MIN_INTERVAL_SECONDS = 2;
const SPRITE_COLUMNS = 10;
/** A representative frame's box: large enough for CLIP's 224-pixel input and a 9×8 hash, small enough to be cheap to pass around. */
export const FRAME_EDGE = 256;

/** Down to even: rounding up would make a 641 × 361 picture's renditions larger than it. */
const even = (n: number) => Math.max(2, 2 * Math.floor(n / 2));

/** Inside a box, never enlarged, even sides (x264 and 4:2:0 want them). */
export function fitInside(size: Size, box: Size): Size {
  const scale = Math.min(1, box.width / size.width, box.height / size.height);
  return { width: even(size.width * scale), height: even(size.height * scale) };
}

/** "16:9" → 16/9; absent or "0:1" → undefined. */
function ratio(text: string | undefined): number | undefined {
  const [a, b] = (text ?? '').split(':').map(Number);
  return a && b ? a / b : undefined;
}

type VideoStream = PayloadOf<'MediaProbed'>['video'][number];

/** The picture as it is shown: pixels made square (the display aspect ratio), then turned upright. */
export function displaySize(stream: VideoStream): Size {
  const aspect = ratio(stream.displayAspectRatio) ?? stream.width / stream.height;
  const shown = { width: Math.round(stream.height * aspect), height: stream.height };
  return stream.rotation === 90 || stream.rotation === 270 ? { width: shown.height, height: shown.width } : shown;
}

/** One tile every 2 s, or fewer so that there are at most a hundred; ten to a row. */
export function scrubLayout(durationSeconds: number, shown: Size): ScrubLayout {
  const intervalSeconds = Math.max(MIN_INTERVAL_SECONDS, Math.ceil(durationSeconds / MAX_TILES));
  const count = Math.max(1, Math.ceil(durationSeconds / intervalSeconds));
  const columns = Math.min(SPRITE_COLUMNS, count);
  const tile = fitInside(shown, { width: TILE_LONG_SIDE, height: TILE_LONG_SIDE });
  return { intervalSeconds, count, columns, rows: Math.ceil(count / columns), tile };
}

/** The plan for an original, or bad input when it has no picture or no length. */
export function videoPlan(media: PayloadOf<'MediaProbed'>, posterSize: number): VideoPlan {
  const stream = media.video[0];
  if (!stream) throw new InvalidMediaError('NO_VIDEO_STREAM', `the file (${media.container}) has no video stream to make a poster or proxy from`);
  const durationSeconds = media.durationSeconds;
  if (!durationSeconds) throw new InvalidMediaError('NO_DURATION', `the file (${media.container}) states no duration`);
  const shown = displaySize(stream);
  const portrait = shown.height > shown.width;
  const proxyBox = portrait ? { width: PROXY_SHORT_SIDE, height: PROXY_LONG_SIDE } : { width: PROXY_LONG_SIDE, height: PROXY_SHORT_SIDE };
  return {
    durationSeconds,
    // A rate past 60 is a camera's timestamp clock, not frames: 60 is plenty for a proxy.
    frameRate: Math.min(60, stream.frameRate ?? 30),
    hasAudio: media.audio.length > 0,
    monoPair: isMonoPair(media),
    ...(stream.transfer === 'pq' || stream.transfer === 'hlg' ? { hdr: stream.transfer } : {}),
    poster: fitInside(shown, { width: posterSize, height: posterSize }),
    proxy: fitInside(shown, proxyBox),
    frame: fitInside(shown, { width: FRAME_EDGE, height: FRAME_EDGE }),
    scrub: scrubLayout(durationSeconds, shown),
  };
}

/** 83.5 → "00:01:23.500", as WebVTT writes times. */
function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

/**
 * The WebVTT cues of a scrub strip: one a tile, covering the whole duration,
 * each pointing at its tile in the sprite by a media fragment. `spriteUrl` is
 * relative ("scrub-sprite"), so the cues work wherever the VTT is served beside it.
 */
export function scrubCues(layout: ScrubLayout, durationSeconds: number, spriteUrl: string): string {
  const cues = Array.from({ length: layout.count }, (_, i) => {
    const start = i * layout.intervalSeconds;
    const end = Math.min(durationSeconds, start + layout.intervalSeconds);
    const [x, y] = [(i % layout.columns) * layout.tile.width, Math.floor(i / layout.columns) * layout.tile.height];
    return `${vttTime(start)} --> ${vttTime(end)}\n${spriteUrl}#xywh=${x},${y},${layout.tile.width},${layout.tile.height}\n`;
  });
  return `WEBVTT\n\n${cues.join('\n')}`;
}
