import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { openLake } from '../../app/lake';
import { mediaToolPath } from '../../processors/ffmpeg';
import { mediaProbedFrom, probe } from '../../processors/mediaProbe';
import { CLI } from '../cli/medialakeProcess';
import { TINY_CLIP, temporaryDirectory } from '../support/fixtures';
import { makeDarkLeaderClip, makeLargeVideo } from '../support/media';

const SOURCE_BYTES = 2 * 1024 ** 3;
/** The limit applies to the lake's own process (the CLI, its worker threads included); its launcher's and ffmpeg's are reported beside it. */
const LAKE_PEAK_LIMIT_KIB = 400 * 1024;
const PEAK_RSS = fileURLToPath(new URL('../support/peakRss.mjs', import.meta.url));

/** VmHWM (peak resident set, KiB) of a process, and its parent's pid; undefined once it has gone. */
function processPeak(pid: string): { name: string; parent: number; peakKib: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => status.match(new RegExp(`^${name}:\\s*(\\S+)`, 'm'))?.[1];
    return { name: field('Name') ?? '?', parent: Number(field('PPid')), peakKib: Number(field('VmHWM') ?? 0) };
  } catch {
    return undefined;
  }
}

/**
 * The highest peak seen of each process the lake's process `lake` runs: its
 * program launcher (processors/programLauncher.ts, a node) and the programs
 * that starts (ffmpeg, ffprobe); looked at every 100 ms while they run.
 */
function watchChildren(lake: number): () => Map<string, number> {
  const peaks = new Map<string, number>();
  const look = () => {
    const running = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((pid) => {
        const seen = processPeak(pid);
        return seen && seen.peakKib > 0 ? [{ pid: Number(pid), ...seen }] : [];
      });
    const children = new Set(running.filter((seen) => seen.parent === lake).map((seen) => seen.pid));
    for (const seen of running) {
      if (children.has(seen.pid) || children.has(seen.parent)) peaks.set(seen.name, Math.max(peaks.get(seen.name) ?? 0, seen.peakKib));
    }
  };
  const timer = setInterval(look, 100);
  return () => (clearInterval(timer), peaks);
}

/** `medialake ingest DIR --wait` in a process of its own; its exit code, output, own peak RSS and its children's. */
function ingestAndWait(data: string, dir: string) {
  const child = spawn(process.execPath, ['--initial-old-space-size=128', '--import', PEAK_RSS, CLI, '--data', data, 'ingest', dir, '--wait', '--json'], {
    env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_EMBEDDING_MODEL: TINY_CLIP, MEDIALAKE_EMBEDDING_OFFLINE: 'true' },
  });
  const stop = watchChildren(child.pid!);
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string; peakKib: number; children: Map<string, number> }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, peakKib: Number(stderr.match(/peak-rss-kib (\d+)/)?.[1]), children: stop() })),
  );
}

describe('a 2 GiB video', () => {
  const directory = (name: string) => temporaryDirectory(`medialake-large-${name}-`);
  const [source, data, small, smallData] = [directory('in'), directory('lake'), directory('small-in'), directory('small-lake')];
  const file = join(source.path, 'long-take.avi');
  let outcome: Awaited<ReturnType<typeof ingestAndWait>>;

  beforeAll(async () => {
    await Promise.all([makeLargeVideo(file, SOURCE_BYTES), makeDarkLeaderClip(join(small.path, 'clip.mp4'))]);
    // The same command on a 4 s clip: what the process costs whatever the size, for the report.
    const baseline = await ingestAndWait(smallData.path, small.path);
    outcome = await ingestAndWait(data.path, source.path);
    const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
    const children = [...outcome.children].map(([name, kib]) => `${name} ${mib(kib)}`).join(', ');
    console.info(`lake process peak RSS: 2 GiB video ${mib(outcome.peakKib)}, 4 s clip ${mib(baseline.peakKib)}; its launcher and programs on the 2 GiB video: ${children}`);
  }, 170_000);
  afterAll(() => [source, data, small, smallData].forEach((made) => made.remove()));

  it('is ingested and proxied by a lake process whose peak RSS stays under 400 MB', async () => {
    expect(statSync(file).size).toBeGreaterThanOrEqual(SOURCE_BYTES);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ ingested: 1, failed: [] });
    expect(outcome.peakKib).toBeGreaterThan(0);
    expect(outcome.peakKib).toBeLessThan(LAKE_PEAK_LIMIT_KIB);
    expect(outcome.children.get('ffmpeg')).toBeGreaterThan(0);
  });

  it('ends ready, with a proxy as long as the source and an embedding and a hash from its frames', async () => {
    const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent', 'embeddings.model': TINY_CLIP, 'embeddings.offline': true }, {}));
    try {
      const [asset] = (await lake.records.list({ limit: 10 })).assets;
      expect(asset).toMatchObject({ status: 'ready', mediaType: 'video', size: statSync(file).size, failures: [] });
      const proxy = await lake.store.localPathOrUrl(asset!.renditions.proxy!.objectKey);
      const [original, made] = await Promise.all([probe(mediaToolPath('ffprobe'), file), probe(mediaToolPath('ffprobe'), proxy)]);
      expect(mediaProbedFrom(made).video[0]).toMatchObject({ codec: 'h264', width: 320, height: 240 });
      expect(Math.abs(mediaProbedFrom(made).durationSeconds! - mediaProbedFrom(original).durationSeconds!)).toBeLessThan(0.1);
      const types = (await lake.log.readAsset(asset!.assetId)).map((event) => event.type);
      expect(types).toEqual(expect.arrayContaining(['EmbeddingComputed', 'PerceptualHashComputed']));
    } finally {
      await lake.close();
    }
  });
});
