/**
 * Pipelines: the image processing of today's fixed processors (metadata,
 * thumbnail and proxy, perceptual hash) as a user-defined pipeline run by the
 * pipeline runner, against those fixed processors, on the same ingested log:
 * assets/s until each has caught up. The runner appends more (an execution's
 * start and end, each node's start and end) and that is the generality's
 * cost measured here. Both decode each original once into the proxy's box
 * (the pipeline through pipelines.maxImageSize).
 *
 * The photographs of bench/images.ts at camera size (12 MP).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../app/config';
import { openLake, type Lake } from '../app/lake';
import { pipelineCommands } from '../app/pipelineCommands';
import type { Subscription } from '../log/eventLog';
import { ingestDirectory } from '../producers/directory';
import { deployPipeline } from '../producers/pipelines';
import { PIPELINE_RUNNER_GROUP, runPipelines } from '../processors/pipelines/runner';
import { groupOf, runProcessors } from '../processors/runner';
import { runProjection } from '../projections/projection';
import { EXIF_SAMPLES } from '../test/support/fixtures';
import { compare, rate } from './report';
import { benchFolder, cameraSize, flushEarlierWrites, removeWritten } from './wholeLoop';

const GOAL = 0.95;
const FIXED = ['metadata', 'renditions', 'perceptual-hash'];

/** Today's image processing as a pipeline: four nodes with no edges, so they run side by side on one decode. */
const imagesPipeline = (version: number, thumbnailSize: number, proxySize: number) => ({
  name: 'images',
  version,
  trigger: { on: 'asset', filter: { mediaType: ['image'] } },
  nodes: [
    { id: 'metadata', type: 'metadata' },
    { id: 'hash', type: 'perceptual-hash' },
    { id: 'thumbnail', type: 'rendition', parameters: { name: 'pipeline-thumbnail', size: thumbnailSize, format: 'webp' } },
    { id: 'proxy', type: 'rendition', parameters: { name: 'pipeline-proxy', size: proxySize, format: 'jpeg' } },
  ],
});

async function caughtUp(lake: Lake, groups: string[]): Promise<void> {
  while ((await Promise.all(groups.map(async (group) => lake.log.lag(await lake.log.committed(group))))).some((lag) => lag > 0)) await sleep(20);
}

/** Runs consumers from the start of the log until they caught up, then stops them. */
async function consume(lake: Lake, count: number, groups: string[], start: () => Subscription[]): Promise<number> {
  flushEarlierWrites();
  let running: Subscription[] = [];
  const perSecond = await rate(count, async () => {
    running = start();
    await caughtUp(lake, groups);
  });
  await Promise.all(running.map((s) => s.stop()));
  return perSecond;
}

const photos = await Promise.all(
  ['jpg/gps', 'jpg/orientation'].flatMap((dir) => readdirSync(join(EXIF_SAMPLES, dir)).filter((n) => n.endsWith('.jpg')).map((n) => cameraSize(readFileSync(join(EXIF_SAMPLES, dir, n))))),
);
const folder = benchFolder('medialake-bench-pipelines-');
photos.forEach((bytes, i) => writeFileSync(join(folder.path, `photo-${i}.jpg`), bytes));
const data = benchFolder('medialake-bench-data-');
const config = loadConfig({ data: data.path, logLevel: 'silent' }, {});
const lake = await openLake({ ...config, pipelines: { ...config.pipelines, maxImageSize: config.processors.proxySize } });
await ingestDirectory({ log: lake.log, store: lake.store, actor: 'bench', source: 'cli' }, folder.path);

const { processors: settings } = config;
let round = 0;
await compare(
  `pipelines: ${photos.length} JPEGs at camera size (12 MP), metadata + thumbnail + proxy + perceptual hash each`,
  {
    label: 'the same as a pipeline, through the runner',
    async run() {
      // Each round a new version: its executions are new, and the runner starts from the log's beginning under a group of its own.
      round++;
      await deployPipeline(pipelineCommands(lake, 'bench', 'cli'), imagesPipeline(round, settings.thumbnailSize, settings.proxySize));
      const history = runProjection(lake.log, lake.pipelines.history, lake.logger);
      while ((await lake.log.lag(await lake.pipelines.history.positions())) > 0) await sleep(20);
      await history.stop();
      const group = `${PIPELINE_RUNNER_GROUP}-${round}`;
      const options = { log: lake.log, store: lake.store, logger: lake.logger, ...lake.pipelines, records: lake.records, collections: lake.collections, concurrency: settings.concurrency };
      const decode = { maxInputPixels: settings.maxInputPixels, box: settings.proxySize };
      return consume(lake, photos.length, [group], () => [runPipelines({ ...options, decode, maxInputBytes: settings.maxInputBytes, group })]);
    },
  },
  {
    label: 'fixed processors (metadata, renditions, hash)',
    async run() {
      const processors = lake.processors.filter((p) => FIXED.includes(p.name)).map((p) => ({ ...p, name: `${p.name}-${round}` }));
      return consume(lake, photos.length, processors.map(groupOf), () => runProcessors(processors, { log: lake.log, store: lake.store, logger: lake.logger, ...settings }));
    },
  },
  GOAL,
);
await lake.close();
removeWritten();
