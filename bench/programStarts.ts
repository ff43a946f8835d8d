/**
 * Program starts from a lake holding a large model in memory: how long each
 * start of ffprobe holds the event loop (the API, the consumers), as program
 * starts per second of event loop held. Subject: startProgram, through the
 * launcher process (processors/programLauncher.ts); baseline: spawn() from
 * the lake's own process, which forks it. The process holds BENCH_RSS_MB
 * (1,024 by default: about what a CLIP model adds to a lake) in memory.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mediaToolPath } from '../processors/ffmpeg';
import { startProgram } from '../processors/programLauncher';
import { report } from './report';

const HELD_MB = Number(process.env.BENCH_RSS_MB ?? 1024);
const STARTS = 40;
const ffprobe = mediaToolPath('ffprobe');
const ignore = () => undefined;

/** Program starts per second of event loop that the start calls held, over STARTS starts one after another (the median call). */
async function startsPerHeldSecond(start: () => Promise<unknown>): Promise<number> {
  const held: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const before = performance.now();
    const ended = start();
    held.push(performance.now() - before);
    await ended;
  }
  held.sort((a, b) => a - b);
  return 1000 / held[STARTS >> 1]!;
}

const throughLauncher = () => startProgram(ffprobe, ['-version'], { stdout: ignore, stderr: ignore }).ended;
const spawned = () => once(spawn(ffprobe, ['-version'], { stdio: 'ignore' }), 'close');

const memory = Array.from({ length: HELD_MB }, () => Buffer.alloc(1 << 20, 1));
await throughLauncher(); // the launcher's own start, once per process
const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
report(
  `program starts at ${rss} MB resident (${memory.length} MB held): starts per second of event loop held`,
  { label: 'through the launcher process', perSecond: await startsPerHeldSecond(throughLauncher) },
  { label: 'spawn() from the lake process', perSecond: await startsPerHeldSecond(spawned) },
);
