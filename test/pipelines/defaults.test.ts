import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventLog } from '../../app/backends';
import { loadConfig, type Config } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { pipelineCommands } from '../../app/pipelineCommands';
import type { EventLog } from '../../log/eventLog';
import { audioRenditionsProcessor } from '../../processors/audioRenditions';
import { cleanupProcessor } from '../../processors/cleanup';
import { documentsProcessor } from '../../processors/documents';
import { mediaToolPath } from '../../processors/ffmpeg';
import { mediaProbeProcessor } from '../../processors/mediaProbe';
import { metadataProcessor } from '../../processors/metadata';
import { perceptualHashProcessor } from '../../processors/perceptualHash';
import { checkDefinition, isInvalidPipeline } from '../../processors/pipelines/definitionCheck';
import { SHIPPED_DEFAULTS } from '../../processors/pipelines/defaults';
import type { Processor } from '../../processors/processor';
import { renditionsProcessor } from '../../processors/renditions';
import { groupOf, runProcessors } from '../../processors/runner';
import { probeOnce } from '../../processors/probeOnce';
import { videoRenditionsProcessor } from '../../processors/videoRenditions';
import { ingestFile } from '../../producers/ingest';
import { backfillPipeline, deployedDefaults, deployPipeline, requestPipelineRuns, setPipelineEnabled } from '../../producers/pipelines';
import { requestReprocessing, UnknownProcessorError } from '../../producers/reprocess';
import { draft, type StoredEvent } from '../../schemas/envelope';
import { pipelineSubject } from '../../schemas/events';
import type { ObjectStore } from '../../storage/objectStore';
import { fixture, temporaryDirectory, TINY_CLIP } from '../support/fixtures';
import { AUDIO_MEDIA, makeAudioMedia } from '../support/audioMedia';
import { makeTestMedia, TEST_MEDIA } from '../support/media';

/**
 * The processors as app/lake.ts built them by hand before the default
 * pipelines (b458f26, with the video frames then taken from the renditions'
 * decode): the fixed processing the defaults must repeat event for event.
 */
function fixedProcessors(config: Config, store: ObjectStore, log: EventLog, temporaryDirectory: string): Processor[] {
  const settings = config.processors;
  const tools = { ffmpeg: mediaToolPath('ffmpeg', settings.ffmpeg.path), ffprobe: mediaToolPath('ffprobe', settings.ffprobe.path) };
  const probeOriginal = probeOnce(tools.ffprobe);
  return [
    metadataProcessor(),
    renditionsProcessor(settings),
    documentsProcessor(settings),
    cleanupProcessor(store, log),
    perceptualHashProcessor(),
    mediaProbeProcessor(probeOriginal),
    audioRenditionsProcessor({ ...tools, thumbnailSize: settings.thumbnailSize, temporaryDirectory }),
    videoRenditionsProcessor({ ...tools, thumbnailSize: settings.thumbnailSize, proxySize: settings.proxySize, temporaryDirectory, probeOriginal }),
  ];
}

const SHIPPED = ['default-audio', 'default-documents', 'default-images', 'default-metadata', 'default-near-duplicates', 'default-video'];
const configOf = (data: string) => loadConfig({ data, logLevel: 'silent', 'log.sync': 'normal' }, {});

async function eventsOf(log: EventLog): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const batch of log.readAll()) events.push(...batch);
  return events;
}

/** ffprobe's messages name the memory address of its reader (`[mov,mp4 @ 0x21fa31c0]`), different at every run. */
const withoutAddresses = (payload: unknown): unknown => JSON.parse(JSON.stringify(payload).replace(/ @ 0x[0-9a-f]+/g, ' @ 0x…'));

/** What a processor appended, as it must be the same: everything but the time and the log's own fields. */
const processed = (events: StoredEvent[]) =>
  events
    .filter((event) => event.source.startsWith('processor:'))
    .map(({ type, id, assetId, source, actor, correlationId, causationId, payload }) => ({ type, id, assetId, source, actor, correlationId, causationId, payload: withoutAddresses(payload) }))
    .sort((a, b) => a.id.localeCompare(b.id));

async function caughtUp(log: EventLog, groups: string[]): Promise<void> {
  while ((await Promise.all(groups.map(async (group) => log.lag(await log.committed(group))))).some((lag) => lag > 0)) await sleep(20);
}

/** An image large enough for the thumbnail and proxy boxes, in a colour of its own (the same bytes would be the same asset). */
async function photo(path: string, red: number): Promise<string> {
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: red, g: 90, b: 140 } } }).jpeg().toFile(path);
  return path;
}

describe('the shipped default pipelines (processors/pipelines/defaults/)', () => {
  const media = temporaryDirectory();
  const fresh = temporaryDirectory('medialake-defaults-');
  const existing = temporaryDirectory('medialake-fixed-');
  let lake: Lake;
  const ingest = (target: Lake, path: string, name = path.split('/').at(-1)!) => ingestFile({ log: target.log, store: target.store, actor: 'tester', source: 'cli' }, path, { kind: 'upload' }, name);
  const files = () => [
    fixture('jpg/Canon_40D.jpg'),
    fixture('jpg/Nikon_D70.jpg'),
    fixture('jpg/README'),
    join(media.path, 'logo.svg'),
    join(media.path, TEST_MEDIA.clip),
    join(media.path, AUDIO_MEDIA.mp3),
    join(media.path, 'large.jpg'),
    join(media.path, TEST_MEDIA.truncated),
  ];

  beforeAll(async () => {
    await Promise.all([makeTestMedia(media.path), makeAudioMedia(media.path), photo(join(media.path, 'large.jpg'), 200)]);
    writeFileSync(join(media.path, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><rect width="80" height="40" fill="teal"/></svg>');
    lake = await openLake(configOf(fresh.path));
    lake.start();
    for (const file of files()) await ingest(lake, file);
    await lake.waitForIdle({ timeoutMs: 120_000 });
  }, 180_000);
  afterAll(async () => {
    await lake?.close();
    for (const directory of [media, fresh, existing]) directory.remove();
  });

  it('are deployed when a lake first opens, by the lake, once per version, and check as any definition', async () => {
    const listed = await lake.pipelines.history.pipelines();
    expect(listed.map(({ name, version, enabled }) => [name, version, enabled]).sort()).toEqual(SHIPPED.map((name) => [name, 1, true]));
    const deployment = (await lake.log.readAsset(pipelineSubject('default-images'))).filter((event) => event.type === 'PipelineDeployed');
    expect(deployment.map(({ actor, source }) => [actor, source])).toEqual([['medialake', 'medialake']]);
    for (const name of SHIPPED) expect(checkDefinition(SHIPPED_DEFAULTS.get(name), lake.pipelines.catalogue).name).toBe(name);
  });

  it('deploys default-embeddings once the lake has a model, and runs its processor under the consumer group it always had', async () => {
    const directory = temporaryDirectory('medialake-defaults-model-');
    const open = (settings: Record<string, unknown> = {}) => openLake(loadConfig({ data: directory.path, logLevel: 'silent', ...settings }, {}));
    try {
      await (await open()).close();
      const withModel = await open({ 'embeddings.model': TINY_CLIP, 'embeddings.offline': true });
      try {
        expect(await deployedDefaults(withModel.log)).toContainEqual({ definition: expect.objectContaining({ name: 'default-embeddings', version: 1 }), enabled: true });
        expect(withModel.processors.map(groupOf)).toContainEqual(expect.stringMatching(/^processor:embeddings:/));
        expect(checkDefinition(SHIPPED_DEFAULTS.get('default-embeddings'), withModel.pipelines.catalogue).name).toBe('default-embeddings');
      } finally {
        await withModel.close();
      }
    } finally {
      directory.remove();
    }
  });

  it('append exactly the events the fixed processors appended for the same ingests: types, ids, sources, causes and payloads', async () => {
    const config = configOf(existing.path);
    const log = await openEventLog(config);
    const ingests = (await eventsOf(lake.log)).filter((event) => event.type === 'AssetIngested');
    expect(ingests).toHaveLength(files().length);
    await log.append(ingests.map(({ type, schemaVersion: _v, partition: _p, offset: _o, assetVersion: _a, ...fields }) => draft(type, fields as never)));
    const fixed = fixedProcessors(config, lake.store, log, join(existing.path, 'tmp'));
    const running = runProcessors(fixed, { log, store: lake.store, logger: pino({ level: 'silent' }), ...config.processors });
    await caughtUp(log, fixed.map(groupOf));
    await Promise.all(running.map((subscription) => subscription.stop()));
    const [byDefaults, byFixed] = [processed(await eventsOf(lake.log)), processed(await eventsOf(log))];
    await log.close();

    expect(new Set(byFixed.map((event) => event.type))).toEqual(new Set(['TechnicalMetadataExtracted', 'RenditionCreated', 'PerceptualHashComputed', 'MediaProbed', 'AssetProcessingFailed']));
    expect(new Set(byFixed.map((event) => event.source))).toEqual(new Set(fixed.filter((p) => p.name !== 'cleanup').map((p) => `processor:${p.name}@${p.version}`)));
    expect(byDefaults).toEqual(byFixed);
    expect(lake.processors.map(groupOf).sort()).toEqual(fixed.map(groupOf).sort());
  }, 120_000);

  it('opening a lake the fixed processors ran on reprocesses nothing: only the deployments are appended, and every processor stays where it stood', async () => {
    const config = configOf(existing.path);
    const log = await openEventLog(config);
    const groups = lake.processors.map(groupOf);
    const before = (await eventsOf(log)).length;
    const deadLetters = (await log.deadLetters()).length;
    expect(await Promise.all(groups.map(async (group) => log.lag(await log.committed(group))))).toEqual(groups.map(() => 0));
    await log.close();

    const reopened = await openLake(config);
    try {
      reopened.start();
      await reopened.waitForIdle({ timeoutMs: 60_000 });
      // The processors stood at the log's end; all they have passed since is the deployments, which they do not take.
      const events = await eventsOf(reopened.log);
      expect(events.slice(before).map((event) => [event.type, event.assetId]).sort()).toEqual(SHIPPED.map((name) => ['PipelineDeployed', pipelineSubject(name)]));
      expect(await Promise.all(groups.map(async (group) => reopened.log.lag(await reopened.log.committed(group))))).toEqual(groups.map(() => 0));
      expect(await reopened.log.deadLetters()).toHaveLength(deadLetters);
    } finally {
      await reopened.close();
    }
    const again = await openLake(config);
    await again.close();
    const log2 = await openEventLog(config);
    expect((await eventsOf(log2)).filter((event) => event.type === 'PipelineDeployed')).toHaveLength(SHIPPED.length);
    await log2.close();
  }, 120_000);

  it('a new version of default-images with a 320 px thumbnail takes effect at the next start, and its backfill is a reprocess of the renditions', async () => {
    const config = configOf(existing.path);
    const thumbnailOf = async (target: Lake, assetId: string) => (await target.records.get(assetId))!.renditions.thumbnail;
    let running = await openLake(config);
    running.start();
    const v2 = { ...SHIPPED_DEFAULTS.get('default-images')!, version: 2, nodes: [{ id: 'renditions', type: 'renditions', parameters: { thumbnailSize: 320 } }] };
    expect(await deployPipeline(pipelineCommands(running, 'tester', 'cli'), v2)).toEqual({ name: 'default-images', version: 2, deployed: true });
    const before = (await ingest(running, await photo(join(media.path, 'before.jpg'), 20))).assetId;
    await running.waitForIdle({ timeoutMs: 60_000 });
    expect(await thumbnailOf(running, before)).toMatchObject({ width: 256, height: 192 });
    await running.close();

    running = await openLake(config);
    try {
      running.start();
      const after = (await ingest(running, await photo(join(media.path, 'after.jpg'), 40))).assetId;
      await running.waitForIdle({ timeoutMs: 60_000 });
      expect(await thumbnailOf(running, after)).toMatchObject({ width: 320, height: 240 });
      expect((await running.records.get(after))!.renditions.proxy).toMatchObject({ width: 1200, height: 900 });

      const backfill = await backfillPipeline(pipelineCommands(running, 'tester', 'cli'), 'default-images');
      expect(backfill).toMatchObject({ pipeline: 'default-images', version: 2 });
      expect(backfill.requested).toContain(before);
      await running.waitForIdle({ timeoutMs: 60_000 });
      expect(await thumbnailOf(running, before)).toMatchObject({ width: 320, height: 240 });
      const request = (await running.log.readAsset(before)).find((event) => event.type === 'ReprocessRequested');
      expect(request?.payload).toMatchObject({ processors: ['renditions'], reason: 'default-images@2' });
      expect(await running.pipelines.history.executions({ pipeline: 'default-images' })).toEqual([]);
    } finally {
      await running.close();
    }
  }, 120_000);

  it('disabled, a default runs from the next start on nothing new and cannot be run by hand; enabled again, it makes what arrived meanwhile', async () => {
    const config = configOf(existing.path);
    let running = await openLake(config);
    await setPipelineEnabled(pipelineCommands(running, 'tester', 'cli'), 'default-images', false);
    await running.close();

    running = await openLake(config);
    try {
      running.start();
      const commands = pipelineCommands(running, 'tester', 'cli');
      const asset = (await ingest(running, await photo(join(media.path, 'disabled.jpg'), 60))).assetId;
      await running.waitForIdle({ timeoutMs: 60_000 });
      const record = (await running.records.get(asset))!;
      expect(record.renditions).toEqual({});
      expect(record.metadata).toBeDefined();
      expect(running.processors.map((processor) => processor.name)).not.toContain('renditions');
      await expect(requestPipelineRuns(commands, 'default-images', [asset], 'manual')).rejects.toThrow(/default-images is disabled/);
      await expect(requestReprocessing({ ...commands, processors: running.processors }, { processors: ['renditions'] })).rejects.toBeInstanceOf(UnknownProcessorError);
      await setPipelineEnabled(commands, 'default-images', true);
    } finally {
      await running.close();
    }

    // Its consumer group kept its place: enabled again, at the next start it makes what arrived meanwhile, at version 2's size.
    running = await openLake(config);
    try {
      running.start();
      await running.waitForIdle({ timeoutMs: 60_000 });
      const asset = (await running.records.list({ limit: 100 })).assets.find((record) => record.originalName === 'disabled.jpg')!;
      expect(asset.renditions.thumbnail).toMatchObject({ width: 320, height: 240 });
    } finally {
      await running.close();
    }
  }, 120_000);

  it('refuses a version of a default that the processors cannot run, naming the place', async () => {
    const images = SHIPPED_DEFAULTS.get('default-images')!;
    const problems = (candidate: unknown) => {
      try {
        checkDefinition(candidate, lake.pipelines.catalogue);
        return [];
      } catch (error) {
        if (!isInvalidPipeline(error)) throw error;
        return error.problems;
      }
    };
    expect(
      problems({
        ...images,
        version: 3,
        trigger: { on: 'asset', filter: { mediaType: ['image'], prefix: 'press/' } },
        nodes: [
          { id: 'renditions', type: 'renditions', parameters: { thumbnailSize: 8 } },
          { id: 'logo', type: 'watermark', parameters: { text: 'x' } },
          { id: 'again', type: 'renditions', retry: { attempts: 5 } },
        ],
        edges: [{ from: 'logo', to: 'renditions' }],
      }),
    ).toEqual([
      expect.stringMatching(/^nodes\[0\]\.parameters\.thumbnailSize: Too small/),
      expect.stringMatching(/^trigger: default-images is a default pipeline, run by the processors: its trigger is the shipped one/),
      'edges: default-images is a default pipeline, run by the processors, each on its own: it has no edges',
      'nodes[1].type: default-images is a default pipeline, run by the processors: its nodes are of renditions',
      'nodes[2].type: renditions is in default-images once',
      expect.stringMatching(/^nodes\[2\]: default-images is a default pipeline, run by the processors: retries are processors\.attempts/),
    ]);
    expect(problems({ ...images, version: 3, nodes: [{ id: 'renditions', type: 'renditions', parameters: { proxySize: 2048 } }] })).toEqual([]);
  });
});
