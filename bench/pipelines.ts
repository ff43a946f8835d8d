/**
 * Pipelines, on the same ingested log, assets/s until caught up:
 *
 * 1. The default image pipelines (default-metadata, default-images,
 *    default-near-duplicates: metadata, thumbnail and proxy, perceptual
 *    hash), as the lake builds their processors from the deployed
 *    definitions, against the fixed processors as app/lake.ts built them
 *    before the defaults (b458f26). Both run through the processor runner:
 *    the defaults are those processors, so this measures that building them
 *    from definitions costs nothing, not a second engine.
 * 2. The same processing written as a user's pipeline of four nodes
 *    (metadata, perceptual-hash and two rendition nodes) through the
 *    pipeline runner, against the fixed processors: what it costs to run it
 *    as a pipeline with executions (each execution's start and end, each
 *    node's start and end, on the log). Both decode each original once into
 *    the proxy's box (the pipeline through pipelines.maxImageSize).
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
import { metadataProcessor } from '../processors/metadata';
import { perceptualHashProcessor } from '../processors/perceptualHash';
import type { Processor } from '../processors/processor';
import { renditionsProcessor } from '../processors/renditions';
import { groupOf, runProcessors } from '../processors/runner';
import { runProjection } from '../projections/projection';
import { EXIF_SAMPLES } from '../test/support/fixtures';
import { compare, rate, type Side } from './report';
import { benchFolder, cameraSize, flushEarlierWrites, removeWritten } from './wholeLoop';

const GOAL = 0.95;
const DEFAULTS = ['default-metadata', 'default-images', 'default-near-duplicates'];

/** The image processing of the defaults as a user's pipeline: four nodes with no edges, so they run side by side on one decode. */
const imagesPipeline = (version: number, thumbnailSize: number, proxySize: number) => ({
  name: 'images-as-nodes',
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
/** Processors under consumer groups of this side's and round's, so each run starts from the log's beginning. */
const ofRound = (side: string, processors: Processor[]) => processors.map((p) => ({ ...p, name: `${p.name}-${side}-${round}` }));
const runAsProcessors = (processors: Processor[]) =>
  consume(lake, photos.length, processors.map(groupOf), () => runProcessors(processors, { log: lake.log, store: lake.store, logger: lake.logger, ...settings }));
const fixedProcessors: Side = {
  label: 'fixed processors, as built at b458f26',
  // The hash's video frames are not needed: these are photographs.
  run: () => (round++, runAsProcessors(ofRound('fixed', [metadataProcessor(), renditionsProcessor(settings), perceptualHashProcessor()]))),
};

await compare(
  `default pipelines: ${photos.length} JPEGs at camera size (12 MP), metadata + thumbnail + proxy + perceptual hash each`,
  {
    label: 'the default pipelines (processor runner)',
    run: () => runAsProcessors(ofRound('defaults', DEFAULTS.flatMap((name) => lake.pipelines.defaults.get(name) ?? []).filter((p) => p.name !== 'media-probe'))),
  },
  fixedProcessors,
  GOAL,
);
await compare(
  `a user's pipeline: the same four as nodes, through the pipeline runner`,
  {
    label: 'the same as a pipeline, through the runner',
    async run() {
      // Each round a new version: its executions are new, and the runner starts from the log's beginning under a group of its own.
      await deployPipeline(pipelineCommands(lake, 'bench', 'cli'), imagesPipeline(round, settings.thumbnailSize, settings.proxySize));
      // The runner reads the pipelines once the history has folded its batch: the history runs beside it, caught up before the clock starts.
      const history = runProjection(lake.log, lake.pipelines.history, lake.logger);
      while ((await lake.log.lag(await lake.pipelines.history.positions())) > 0) await sleep(20);
      const group = `${PIPELINE_RUNNER_GROUP}-${round}`;
      const options = { log: lake.log, store: lake.store, logger: lake.logger, ...lake.pipelines, records: lake.records, collections: lake.collections, concurrency: settings.concurrency };
      const decode = { maxInputPixels: settings.maxInputPixels, box: settings.proxySize };
      try {
        return await consume(lake, photos.length, [group], () => [runPipelines({ ...options, decode, maxInputBytes: settings.maxInputBytes, group })]);
      } finally {
        await history.stop();
      }
    },
  },
  fixedProcessors,
  GOAL,
);
await lake.close();
removeWritten();
