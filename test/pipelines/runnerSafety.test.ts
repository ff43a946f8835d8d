import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pipelineCommands } from '../../app/pipelineCommands';
import { changeMembership, createCollection } from '../../producers/collections';
import { ingestFile } from '../../producers/ingest';
import { backfillPipeline, deployPipeline, requestPipelineRuns, setPipelineEnabled } from '../../producers/pipelines';
import { executionIdOf, pipelineSource } from '../../processors/pipelines/execution';
import { MAX_TRIGGER_CHAIN, PIPELINE_RUNNER_GROUP, runPipelines } from '../../processors/pipelines/runner';
import { draft } from '../../schemas/envelope';
import { derivedEventId } from '../../schemas/ids';
import { fixture } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';

/** The pipeline runner where pipelines meet each other, a dead runner, and a lake that starts on a backlog. */
describe('the pipeline runner', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  afterEach(async () => {
    await lake?.close();
  });

  const commands = () => pipelineCommands(lake, 'tester', 'cli');
  const ingest = async (name: string) => ((await ingestFile(ingestContext(lake), fixture('jpg/Canon_40D.jpg'), { kind: 'upload' }, name)) as { assetId: string }).assetId;
  const executions = (pipeline: string) => lake.pipelines.history.executions({ pipeline, limit: 1000 });

  it('stops pipelines that trigger one another by their ends, recording the one past the chain as failed', async () => {
    lake = await openTestLake();
    const tag = (tags: string[]) => [{ id: 'tag', type: 'set-metadata', parameters: { tags } }];
    await deployPipeline(commands(), { name: 'ping', version: 1, trigger: { on: 'pipeline', pipeline: 'pong' }, nodes: tag(['ping']) });
    await deployPipeline(commands(), { name: 'pong', version: 1, trigger: { on: 'pipeline', pipeline: 'ping' }, nodes: tag(['pong']) });
    lake.start();
    const assetId = await ingest('serve.jpg');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    await requestPipelineRuns(commands(), 'ping', [assetId], 'manual');
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const all = [...(await executions('ping')), ...(await executions('pong'))];
    expect(all).toHaveLength(MAX_TRIGGER_CHAIN + 1);
    const refused = all.filter((execution) => execution.status === 'failed');
    expect(refused).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: 'TRIGGER_CHAIN_TOO_LONG', message: expect.stringContaining('loop') }) })]);
    expect(all.filter((execution) => execution.status === 'completed')).toHaveLength(MAX_TRIGGER_CHAIN);
  });

  it('stops pipelines that add an asset to the collections that trigger each other', async () => {
    lake = await openTestLake();
    lake.start();
    const context = { log: lake.log, actor: 'tester', source: 'cli', collections: lake.collections };
    const [x, y] = [(await createCollection(context, 'X', null)).assetId, (await createCollection(context, 'Y', null)).assetId];
    const assetId = await ingest('loop.jpg');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const filing = (name: string, from: string, to: string) => ({
      name,
      version: 1,
      trigger: { on: 'asset', event: 'collection', filter: { collection: from } },
      nodes: [{ id: 'file', type: 'add-to-collection', parameters: { collection: to } }],
    });
    await deployPipeline(commands(), filing('x-to-y', x, y));
    await deployPipeline(commands(), filing('y-to-x', y, x));
    await lake.waitForIdle({ timeoutMs: 30_000 });
    await changeMembership(context, x, assetId, true);
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const all = [...(await executions('x-to-y')), ...(await executions('y-to-x'))];
    expect(all.length).toBeLessThanOrEqual(MAX_TRIGGER_CHAIN + 1);
    expect(all.filter((execution) => execution.error?.code === 'TRIGGER_CHAIN_TOO_LONG')).toHaveLength(1);
  });

  it('ends as failed an execution a runner left running, when its pipeline was disabled before the lake came back', async () => {
    lake = await openTestLake();
    const definition = { name: 'slow', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags: ['slow'] } }] };
    await deployPipeline(commands(), definition);
    const assetId = await ingest('slow.jpg');
    await requestPipelineRuns(commands(), 'slow', [assetId], 'manual');
    // What a runner that died mid-execution leaves: the run's start, and no end.
    const request = (await lake.log.readAsset(assetId)).find((event) => event.type === 'PipelineRunRequested')!;
    const executionId = executionIdOf(request, definition);
    const started = draft('PipelineExecutionStarted', {
      id: derivedEventId(executionId, 'started'),
      assetId,
      actor: 'medialake',
      source: pipelineSource(definition),
      correlationId: request.correlationId,
      causationId: request.id,
      payload: { executionId, pipeline: 'slow', version: 1, trigger: { kind: 'manual', eventId: request.id } },
    });
    await lake.log.append([started]);
    await setPipelineEnabled(commands(), 'slow', false);
    lake.start();
    await lake.waitForIdle({ timeoutMs: 30_000 });

    expect(await executions('slow')).toEqual([
      expect.objectContaining({ executionId, status: 'failed', error: expect.objectContaining({ code: 'PIPELINE_DISABLED', message: expect.stringContaining('slow was disabled') }) }),
    ]);
    expect((await lake.records.get(assetId))!.user.tags ?? []).not.toContain('slow');
  });

  it('stopped while it waits for the history to fold its batch, stops at once and leaves the batch for the next start', async () => {
    lake = await openTestLake();
    await deployPipeline(commands(), { name: 'tagger', version: 1, trigger: { on: 'asset', filter: { mediaType: ['image'] } }, nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags: ['tagged'] } }] });
    const assetId = await ingest('waiting.jpg');
    // The history's projection is not running (the lake is not started), as when a lake closes its projections with the runner.
    let asked = 0;
    const history = new Proxy(lake.pipelines.history, {
      get(target, property) {
        if (property === 'positions') return () => (asked++, target.positions());
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const runner = runPipelines({
      ...lake.pipelines,
      history,
      log: lake.log,
      store: lake.store,
      logger: lake.logger,
      records: lake.records,
      collections: lake.collections,
      concurrency: 1,
      decode: { maxInputPixels: 1e8, box: 1280 },
      maxInputBytes: 1e9,
    });
    await waitFor('the runner waiting for the history', () => asked >= 3);
    await runner.stop(); // within the test's timeout, far below the 30 s it would wait
    expect(await lake.log.committed(PIPELINE_RUNNER_GROUP)).toEqual({});
    lake.start();
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(await executions('tagger')).toEqual([expect.objectContaining({ assetId, status: 'completed' })]);
  }, 10_000);

  it('starting on a backlog, runs a pipeline deployed before an ingest on it, and nothing a disable stopped', async () => {
    lake = await openTestLake();
    await deployPipeline(commands(), { name: 'tagger', version: 1, trigger: { on: 'asset', filter: { mediaType: ['image'] } }, nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags: ['tagged'] } }] });
    const tagged = await ingest('after-deploy.jpg');
    await deployPipeline(commands(), { name: 'stopped', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags: ['stopped'] } }] });
    await requestPipelineRuns(commands(), 'stopped', [tagged], 'manual');
    await setPipelineEnabled(commands(), 'stopped', false);
    lake.start();
    await lake.waitForIdle({ timeoutMs: 30_000 });

    expect(await executions('tagger')).toEqual([expect.objectContaining({ assetId: tagged, status: 'completed' })]);
    expect(await executions('stopped')).toEqual([]);
    expect((await lake.records.get(tagged))!.user.tags).toEqual(['tagged']);
    await expect(backfillPipeline(commands(), 'tagger')).resolves.toMatchObject({ requested: [] });
  });

  it('starting on a backlog, runs each ingest with the pipelines as they stood before it: not as a later disable or version left them', async () => {
    lake = await openTestLake();
    const tagger = (version: number, tags: string[]) => ({ name: 'tagger', version, trigger: { on: 'asset', filter: { mediaType: ['image'] } }, nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags } }] });
    const copy = async (name: string) => ((await ingestFile(ingestContext(lake), fixture('jpg/Kodak_CX7530.jpg'), { kind: 'upload' }, name)) as { assetId: string }).assetId;
    await deployPipeline(commands(), tagger(1, ['v1']));
    const b = await ingest('b.jpg');
    await setPipelineEnabled(commands(), 'tagger', false);
    const c = await copy('c.jpg');
    await setPipelineEnabled(commands(), 'tagger', true);
    await deployPipeline(commands(), tagger(2, ['v2']));
    const d = await ingestFile(ingestContext(lake), fixture('jpg/Nikon_D70.jpg'), { kind: 'upload' }, 'd.jpg').then((result) => (result as { assetId: string }).assetId);
    lake.start();
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const ran = (await executions('tagger')).map((execution) => [execution.assetId, execution.version, execution.status]);
    expect(ran.sort()).toEqual([[b, 1, 'completed'], [d, 2, 'completed']].sort());
    expect((await lake.records.get(b))!.user.tags).toEqual(['v1']);
    expect((await lake.records.get(c))!.user.tags ?? []).toEqual([]);
  });

  it('fails a watermark whose image went after the deploy at once, not tried again', async () => {
    lake = await openTestLake();
    const logo = join(lake.dataDir, 'logo.png');
    copyFileSync(join(import.meta.dirname, '../fixtures/pipelines/agency-logo.png'), logo);
    await deployPipeline(commands(), {
      name: 'stamp', version: 1, trigger: { on: 'manual' },
      nodes: [{ id: 'logo', type: 'watermark', parameters: { image: logo } }, { id: 'out', type: 'rendition', parameters: { name: 'stamped', size: 256 } }],
      edges: [{ from: 'logo', to: 'out' }],
    });
    rmSync(logo);
    const assetId = await ingest('stamp.jpg');
    lake.start();
    await requestPipelineRuns(commands(), 'stamp', [assetId], 'manual');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [execution] = await executions('stamp');
    expect(execution).toMatchObject({ status: 'failed', error: { code: 'WATERMARK_IMAGE_NOT_FOUND' } });
    expect((await lake.pipelines.history.execution(execution!.executionId))!.nodes[0]).toMatchObject({ node: 'logo', attempts: 1 });
  });
});
