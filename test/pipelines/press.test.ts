import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineCommands } from '../../app/pipelineCommands';
import { ingestDirectory } from '../../producers/directory';
import { backfillPipeline, deployPipeline, requestPipelineRuns, setPipelineEnabled, type PipelineCommandContext } from '../../producers/pipelines';
import { draft } from '../../schemas/envelope';
import { definitionFromText } from '../../processors/pipelines/definitionCheck';
import type { AssetRecord } from '../../projections/assetRecord';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';

const PRESS = readFileSync(join(import.meta.dirname, '../fixtures/pipelines/press.yaml'), 'utf8');

/** The "press variant" pipeline of issue 21 on a running lake: deployed, disabled, versioned and backfilled, with no restart. */
describe('the press variant pipeline (test/fixtures/pipelines/press.yaml)', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let commands: PipelineCommandContext;
  const folders = temporaryDirectory();

  /** Ingests fixture images under the names given, from a folder of their own, and waits for every consumer. */
  async function ingest(files: Record<string, string>): Promise<Map<string, AssetRecord>> {
    const root = join(folders.path, String(Math.random()).slice(2));
    for (const [name, source] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      copyFileSync(fixture(source), join(root, name));
    }
    await ingestDirectory(ingestContext(lake), root);
    await lake.waitForIdle({ timeoutMs: 60_000 });
    const { assets } = await lake.records.list({ limit: 500 });
    return new Map(assets.map((asset) => [asset.originalName, asset]));
  }
  const record = async (name: string) => (await lake.records.list({ limit: 500 })).assets.find((asset) => asset.originalName === name)!;
  const executionsOn = (assetId: string) => lake.pipelines.history.executions({ pipeline: 'press', assetId });

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    commands = pipelineCommands(lake, 'tester', 'cli');
    await ingest({ 'press/old-large.jpg': 'jpg/Reconyx_HC500_Hyperfire.jpg', 'press/old-small.jpg': 'jpg/Canon_PowerShot_S40.jpg', 'sport/old.jpg': 'jpg/Nikon_D70.jpg' });
  });
  afterAll(async () => {
    await lake?.close();
    folders.remove();
  });

  it('applied to a running lake, makes a watermarked variant of new images under press/ only', async () => {
    expect(await deployPipeline(commands, definitionFromText(PRESS))).toEqual({ name: 'press', version: 1, deployed: true });
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const byName = await ingest({ 'press/new.jpg': 'jpg/Canon_40D.jpg', 'sport/new.jpg': 'jpg/Pentax_K10D.jpg', 'press/notes/readme.md': 'README.md' });

    const variant = byName.get('press/new.jpg')!.renditions.press!;
    expect(variant).toMatchObject({ mimeType: 'image/jpeg', watermarked: true, width: 100, height: 68 });
    const pixels = await sharp(await lake.store.getBuffer(variant.objectKey)).metadata();
    expect([pixels.format, pixels.width]).toEqual(['jpeg', 100]);
    for (const name of ['sport/new.jpg', 'press/old-large.jpg', 'press/old-small.jpg']) expect(byName.get(name)!.renditions.press).toBeUndefined();
    expect(await executionsOn(byName.get('press/notes/readme.md')!.assetId)).toEqual([]);
    const [execution] = await executionsOn(byName.get('press/new.jpg')!.assetId);
    expect(execution).toMatchObject({ status: 'completed', version: 1, trigger: { kind: 'asset' }, outputs: { 'nodes.variant.objectKey': variant.objectKey } });
    const detail = await lake.pipelines.history.execution(execution!.executionId);
    expect(detail!.nodes.map(({ node, status, attempts }) => [node, status, attempts])).toEqual([['logo', 'succeeded', 1], ['variant', 'succeeded', 1]]);
  });

  it('the variant is an asset event caused by the execution, and a second apply of the same file deploys nothing', async () => {
    const asset = await record('press/new.jpg');
    const events = await lake.log.readAsset(asset.assetId);
    const started = events.find((event) => event.type === 'PipelineExecutionStarted')!;
    const created = events.find((event) => event.type === 'RenditionCreated' && event.payload.name === 'press')!;
    expect([created.causationId, created.source]).toEqual([started.id, 'pipeline:press@1']);
    expect(await deployPipeline(commands, definitionFromText(PRESS))).toEqual({ name: 'press', version: 1, deployed: false });
  });

  it('disabled, it runs on nothing new; enabled at version 2, new images get the new size and their executions say version 2', async () => {
    await setPipelineEnabled(commands, 'press', false);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const disabled = await ingest({ 'press/while-disabled.jpg': 'jpg/Kodak_CX7530.jpg' });
    const whileDisabled = disabled.get('press/while-disabled.jpg')!.assetId;
    expect(await executionsOn(whileDisabled)).toEqual([]);
    // Disabling is the pipeline's stop button: nothing runs it by hand or by backfill, nor a request made before (a backfill under way).
    await expect(requestPipelineRuns(commands, 'press', [whileDisabled], 'manual')).rejects.toThrow('press is disabled: enable it to run it');
    await expect(backfillPipeline(commands, 'press')).rejects.toThrow('press is disabled: enable it to run it');
    const queued = { assetId: whileDisabled, actor: 'tester', source: 'cli', correlationId: 'queued', causationId: null, payload: { pipeline: 'press', version: 1, reason: 'backfill' } };
    await lake.log.append([draft('PipelineRunRequested', { id: crypto.randomUUID(), ...queued } as never)]);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(await executionsOn(whileDisabled)).toEqual([]);

    await setPipelineEnabled(commands, 'press', true);
    const v2 = PRESS.replace('version: 1', 'version: 2').replace('size: 2048', 'size: 1024');
    expect(await deployPipeline(commands, definitionFromText(v2))).toMatchObject({ version: 2, deployed: true });
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const byName = await ingest({ 'press/v2.jpg': 'jpg/Samsung_Digimax_i50_MP3.jpg' });
    const [execution] = await executionsOn(byName.get('press/v2.jpg')!.assetId);
    expect([execution!.version, execution!.status]).toEqual([2, 'completed']);
    expect((await executionsOn((await record('press/new.jpg')).assetId)).map((e) => e.version)).toEqual([1]);
  });

  it('a backfill runs version 2 once over the old images under press/, and a second backfill does nothing', async () => {
    const first = await backfillPipeline(commands, 'press');
    await lake.waitForIdle({ timeoutMs: 60_000 });
    const names = async (ids: string[]) => Promise.all(ids.map(async (id) => (await lake.records.get(id))!.originalName));
    expect((await names(first.requested)).sort()).toEqual(['press/new.jpg', 'press/old-large.jpg', 'press/old-small.jpg', 'press/while-disabled.jpg']);
    expect(await names(first.skipped.map((s) => s.assetId))).toEqual(['press/v2.jpg']);

    const large = await record('press/old-large.jpg');
    expect([large.renditions.press!.width, large.renditions.press!.height, large.renditions.press!.watermarked]).toEqual([1024, 768, true]);
    expect((await executionsOn(large.assetId)).map((e) => [e.version, e.status, e.trigger.kind])).toEqual([[2, 'completed', 'backfill']]);
    expect((await record('sport/old.jpg')).renditions.press).toBeUndefined();

    const second = await backfillPipeline(commands, 'press');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(second.requested).toEqual([]);
    expect((await executionsOn(large.assetId)).length).toBe(1);
  });

  it('run by hand on an asset its trigger leaves out, it says so instead of asking the runner for nothing', async () => {
    const sport = await record('sport/old.jpg');
    const asked = await requestPipelineRuns(commands, 'press', [sport.assetId], 'manual');
    expect(asked).toMatchObject({ requested: [], skipped: [{ assetId: sport.assetId, reason: expect.stringMatching(/^the trigger's filter leaves it out/) }] });
  });

  it('lists the pipeline at version 2 with its executions, and a rebuild of the projection from the log equals the live one', async () => {
    const pipeline = await lake.pipelines.history.pipeline('press');
    expect(pipeline).toMatchObject({ name: 'press', version: 2, enabled: true, executions: { running: 0, completed: 6, failed: 0 } });
    // What the runner reads for every batch: the versions alone, no counts over the executions.
    expect(await lake.pipelines.history.deployed()).toContainEqual({ name: 'press', version: 2, enabled: true });
    const live = { pipelines: await lake.pipelines.history.pipelines(), executions: await lake.pipelines.history.executions({ limit: 1000 }) };
    await lake.projections.rebuild('pipelines');
    expect({ pipelines: await lake.pipelines.history.pipelines(), executions: await lake.pipelines.history.executions({ limit: 1000 }) }).toEqual(live);
  });
});
