import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineCommands } from '../../app/pipelineCommands';
import { ingestDirectory } from '../../producers/directory';
import { changeMembership, createCollection } from '../../producers/collections';
import { deployPipeline } from '../../producers/pipelines';
import { definitionFromText } from '../../processors/pipelines/definitionCheck';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';

const PRESS = readFileSync(join(import.meta.dirname, '../fixtures/pipelines/press.yaml'), 'utf8');

/**
 * A processors worker (serve --role processors) with no projections worker
 * beside it: the pipeline runner reads the deployed pipelines from the
 * pipeline history, which the worker must fold itself.
 */
describe('user pipelines on a processors worker', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  const folder = temporaryDirectory();

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start('processors');
  });
  afterAll(async () => {
    await lake?.close();
    folder.remove();
  });

  it('runs a pipeline deployed while it works, on the next image it triggers on', async () => {
    await deployPipeline(pipelineCommands(lake, 'tester', 'cli'), definitionFromText(PRESS));
    mkdirSync(join(folder.path, 'press'));
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, 'press', 'new.jpg'));
    expect((await ingestDirectory(ingestContext(lake), folder.path)).ingested).toBe(1);
    // Within the runner's wait for its history (30 s), which a worker that does not fold it sits out before running nothing.
    await waitFor('the execution to complete', async () => (await lake.pipelines.history.executions({ pipeline: 'press' }))[0]?.status === 'completed', 20_000);
    expect(await lake.pipelines.history.executions({ pipeline: 'press' })).toMatchObject([{ status: 'completed', version: 1, trigger: { kind: 'asset' } }]);
  });

  it('runs a pipeline triggered by a collection, which it reads from the collections it folds', async () => {
    const context = { log: lake.log, actor: 'tester', source: 'cli', collections: lake.collections };
    const desk = (await createCollection(context, 'Desk', null)).assetId;
    await waitFor('the collection to be folded', async () => (await lake.collections.get(desk)) !== undefined, 20_000);
    await deployPipeline(pipelineCommands(lake, 'tester', 'cli'), {
      name: 'desk', version: 1,
      trigger: { on: 'asset', event: 'collection', filter: { collection: 'Desk' } },
      nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags: ['desk'] } }],
    } as never);
    const [pressed] = await lake.pipelines.history.executions({ pipeline: 'press' }); // the image the test before ingested
    await changeMembership(context, desk, pressed!.assetId!, true);
    await waitFor('the execution to complete', async () => (await lake.pipelines.history.executions({ pipeline: 'desk' }))[0]?.status === 'completed', 20_000);
  });
});
