import { inputArgs } from './ffmpeg';
import type { Size, VideoPlan } from './videoPlan';

/**
 * The ffmpeg arguments of each video rendition, pure. ffmpeg turns the
 * picture upright as it decodes (autorotate), so every size here is the
 * upright one; `setsar=1` makes the pixels square.
 */

const COMMON = ['-nostdin', '-v', 'error', '-y'];
const square = (size: Size) => `scale=${size.width}:${size.height},setsar=1`;

/** The poster is picked from frames after the first tenth (past black leaders and fades), over at most this long. */
const POSTER_WINDOW_SECONDS = 10;
/** How many frames the `thumbnail` filter compares: each is held decoded at poster size. */
const POSTER_CANDIDATES = 30;

/**
 * A representative frame: ffmpeg's `thumbnail` filter takes the frame
 * nearest the average colour histogram of the candidates, so a black or
 * faded frame among them loses to the scene.
 */
export function posterArgs(location: string, plan: VideoPlan, output: string): string[] {
  const start = plan.durationSeconds * 0.1;
  const window = Math.min(POSTER_WINDOW_SECONDS, plan.durationSeconds - start);
  const sampleRate = Math.min(plan.frameRate, POSTER_CANDIDATES / window);
  const filter = `fps=${sampleRate.toFixed(4)},${square(plan.poster)},thumbnail=${POSTER_CANDIDATES}`;
  return [...COMMON, '-ss', start.toFixed(3), '-t', window.toFixed(3), ...inputArgs(location), '-an', '-vf', filter, '-frames:v', '1', '-q:v', '3', output];
}

/** The scrub sprite: the first frame at or after each interval, tiled in rows into one JPEG. */
export function spriteArgs(location: string, plan: VideoPlan, output: string): string[] {
  const { intervalSeconds, columns, rows, tile } = plan.scrub;
  const filter = `select='gte(t\\,selected_n*${intervalSeconds})',${square(tile)},tile=${columns}x${rows}`;
  return [...COMMON, ...inputArgs(location), '-an', '-vf', filter, '-vsync', '0', '-frames:v', '1', '-q:v', '5', output];
}

/**
 * The web proxy: H.264 (CRF 23, veryfast: quality-based, and quick on a few
 * cores) and AAC 128k stereo when there is sound, in an MP4 whose index
 * comes first so a browser plays before the download ends. A constant frame
 * rate at the source's average keeps a variable-rate phone video's length
 * (ffmpeg 4.1 has `-vsync`, not `-fps_mode`).
 */
export function proxyArgs(location: string, plan: VideoPlan, output: string): string[] {
  const video = ['-map', '0:v:0', '-vf', square(plan.proxy), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'];
  const rate = ['-vsync', 'cfr', '-r', plan.frameRate.toFixed(3)];
  const audio = plan.hasAudio ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-ac', '2'] : [];
  return [...COMMON, ...inputArgs(location), ...video, ...rate, ...audio, '-movflags', '+faststart', '-f', 'mp4', output];
}
