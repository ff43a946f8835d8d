/**
 * Video: media seconds proxied per second through the whole loop (ingest →
 * log → metadata, media-probe and video-renditions: poster, thumbnail, scrub
 * strip, frames and web proxy → perceptual hash → projections, caught up) vs
 * the same ffmpeg proxy command (processors/videoCommands.ts proxyArgs) run
 * directly on the same files, one after another, in the same run. The loop
 * does more than the proxy (a probe of the original, shared by media-probe
 * and video-renditions, and one of the proxy; the poster, sprite and frames
 * from the same decode, in the same ffmpeg run; the WebP; the hash; the
 * writes): the ratio says what that costs.
 *
 * The clips are made with the bundled ffmpeg: BENCH_CLIPS (4) H.264/AAC MP4s
 * of BENCH_SECONDS (8) at BENCH_SIZE (640x360), 25 fps, each with its own
 * tone so each is its own asset. At 1920x1080 the proxy's encode (scaled to
 * 720p) grows, and the stills' share of it falls (docs/benchmarks.md).
 *
 * On a busy shared host wall time moves by ±0.2 of the ratio from run to
 * run; CPU time (this process, and the ffmpeg and ffprobe runs through its
 * launcher process) moves far less, so each side's CPU seconds are printed too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../app/config';
import { mediaToolPath, runMediaTool } from '../processors/ffmpeg';
import { mediaProbedFrom, probe } from '../processors/mediaProbe';
import { proxyArgs } from '../processors/videoCommands';
import { videoPlan } from '../processors/videoPlan';
import { compare, rate } from './report';
import { benchFolder, flushEarlierWrites, removeWritten, wholeLoop } from './wholeLoop';

const GOAL = 0.95;
const CLIPS = Number(process.env.BENCH_CLIPS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SIZE = process.env.BENCH_SIZE ?? '640x360';
const ffmpeg = mediaToolPath('ffmpeg');
const ffprobe = mediaToolPath('ffprobe');
const run = (args: string[]) => runMediaTool('ffmpeg', ffmpeg, args, { timeoutMs: 600_000, maxOutputBytes: 1024 * 1024 });

/** Clock ticks a second (getconf CLK_TCK), in which /proc/PID/stat counts CPU time. */
const CLOCK_TICKS = 100;

/** CPU seconds used by a process and by its children it has waited for (proc(5): utime, stime, cutime, cstime); 0 for one gone. */
function cpuOf(pid: string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return stat.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / CLOCK_TICKS;
}

/**
 * This process's CPU seconds and its live children's: the programs run
 * through the launcher process (processors/programLauncher.ts) are its
 * children, and count in its figures.
 */
function cpuSeconds(): number {
  const children = readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8').split(' ').filter(Boolean);
  return ['self', ...children].reduce((sum, pid) => {
    try {
      return sum + cpuOf(pid);
    } catch {
      return sum;
    }
  }, 0);
}

/** The least CPU seconds a side's runs took. */
const cpu = { loop: Infinity, direct: Infinity };
const inCpu = (side: keyof typeof cpu, run: () => Promise<number>) => async () => {
  const start = cpuSeconds();
  const perSecond = await run();
  cpu[side] = Math.min(cpu[side], cpuSeconds() - start);
  return perSecond;
};

async function makeClips(): Promise<{ path: string; files: string[] }> {
  const folder = benchFolder('medialake-bench-video-');
  const files = Array.from({ length: CLIPS }, (_, i) => join(folder.path, `clip-${i}.mp4`));
  for (const [i, file] of files.entries()) {
    const picture = ['-f', 'lavfi', '-i', `testsrc=size=${SIZE}:rate=25:duration=${SECONDS}`];
    const tone = ['-f', 'lavfi', '-i', `sine=frequency=${300 + 50 * i}:duration=${SECONDS}`];
    await run(['-v', 'error', '-y', ...picture, ...tone, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file]);
  }
  return { path: folder.path, files };
}

async function directProxies(files: string[]): Promise<number> {
  const out = benchFolder('medialake-bench-proxies-');
  const proxySize = loadConfig({}, {}).processors.proxySize;
  const plans = await Promise.all(files.map(async (file) => videoPlan(mediaProbedFrom(await probe(ffprobe, file)), proxySize)));
  flushEarlierWrites();
  return rate(CLIPS * SECONDS, async () => {
    for (const [i, file] of files.entries()) await run(proxyArgs(file, plans[i]!, join(out.path, `proxy-${i}.mp4`)));
  });
}

try {
  const { path, files } = await makeClips();
  await compare(
    `video: media seconds proxied per second, ${CLIPS} clips of ${SECONDS} s at ${SIZE.replace('x', ' × ')}`,
    { label: 'whole loop (all video renditions)', run: inCpu('loop', () => wholeLoop(path, CLIPS * SECONDS)) },
    { label: 'the ffmpeg proxy command, directly', run: inCpu('direct', () => directProxies(files)) },
    GOAL,
  );
  console.log(`  CPU s, least of two: whole loop ${cpu.loop.toFixed(2)}, directly ${cpu.direct.toFixed(2)}; ratio ${(cpu.direct / cpu.loop).toFixed(3)}`);
} finally {
  removeWritten();
}
