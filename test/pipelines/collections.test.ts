import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineCommands } from '../../app/pipelineCommands';
import { changeMembership, createCollection, renameCollection, type CollectionContext } from '../../producers/collections';
import { ingestFile } from '../../producers/ingest';
import { backfillPipeline, deployPipeline } from '../../producers/pipelines';
import { runExecution } from '../../processors/pipelines/execution';
import { isInvalidPipeline } from '../../processors/pipelines/definitionCheck';
import type { StoredEvent } from '../../schemas/envelope';
import { buildServer } from '../../api/server';
import { fixture } from '../support/fixtures';
import { addTestUser, bearer } from '../support/principals';
import { ingestContext, openTestLake } from '../support/lake';

/** The add-to-collection node and the collection trigger filter, on a real lake with nested collections. */
describe('pipelines and collections', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let press: string;
  let harbour: string;
  let other: string;
  const collectionContext = (): CollectionContext => ({ log: lake.log, actor: 'tester', source: 'cli', collections: lake.collections });
  const deploy = (definition: object) => deployPipeline(pipelineCommands(lake, 'tester', 'cli'), definition);
  const ingest = async (path: string, name: string) => {
    const result = (await ingestFile(ingestContext(lake), fixture(path), { kind: 'upload' }, name)) as { assetId: string };
    await lake.waitForIdle({ timeoutMs: 30_000 });
    return result.assetId;
  };
  const executions = (pipeline: string, assetId: string) => lake.pipelines.history.executions({ pipeline, assetId });
  const refusal = async (definition: object) => {
    const error = await deploy(definition).catch((caught: unknown) => caught);
    expect(isInvalidPipeline(error)).toBe(true);
    return (error as { problems: string[] }).problems;
  };

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    press = (await createCollection(collectionContext(), 'Press', null)).assetId;
    // A collection is nested under one the collections projection holds: it must have folded Press first.
    await lake.waitForIdle({ timeoutMs: 30_000 });
    harbour = (await createCollection(collectionContext(), 'Harbour', press)).assetId;
    other = (await createCollection(collectionContext(), 'Other', null)).assetId;
    await lake.waitForIdle({ timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await lake?.close();
  });

  it('refuses a collection that is not there, or a misspelt parameter, naming the place', async () => {
    const node = (parameters: object) => ({ name: 'filing', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'file', type: 'add-to-collection', parameters }] });
    expect(await refusal(node({ collection: 'Nowhere' }))).toEqual(['nodes[0].parameters.collection: there is no collection named "Nowhere"']);
    expect(await refusal(node({ colection: 'Press' }))).toEqual(expect.arrayContaining(['nodes[0].parameters: Unrecognized key: "colection"']));
    const filtered = { name: 'filtered', version: 1, trigger: { on: 'asset', event: 'collection', filter: { collection: 'c0123456789abcdef0123456789abcdef' } }, nodes: [{ id: 'note', type: 'set-metadata', parameters: { title: 'x' } }] };
    expect(await refusal(filtered)).toEqual(['trigger.filter.collection: there is no collection c0123456789abcdef0123456789abcdef']);
    expect(await refusal({ ...filtered, trigger: { on: 'asset', filter: { collection: 'Press' } } })).toEqual([
      'trigger.filter.collection: an asset is in no collection as it is ingested: set trigger.event to "collection" (when it is added) or "metadata"',
    ]);
    expect(await refusal({ ...filtered, trigger: { on: 'asset', filter: { colection: 'Press' } } })).toEqual(['trigger.filter: Unrecognized key: "colection"']);
  });

  it('adds new images under press/ to a collection named in the definition, caused by the execution and by the runner', async () => {
    await deploy({
      name: 'filing', version: 1,
      trigger: { on: 'asset', filter: { prefix: 'press/' } },
      nodes: [{ id: 'file', type: 'add-to-collection', parameters: { collection: 'Harbour' } }],
      emits: ['nodes.file.collectionId'],
    });
    await deploy({
      name: 'in-press', version: 1,
      trigger: { on: 'asset', event: 'collection', filter: { collection: 'Press' } },
      nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags: ['press-desk'] } }],
    });
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const filed = await ingest('jpg/Canon_40D.jpg', 'press/dawn.jpg');
    const events = await lake.log.readAsset(filed);
    const started = events.find((e) => e.type === 'PipelineExecutionStarted' && e.payload.pipeline === 'filing')!;
    const added = events.filter((e) => e.type === 'AssetAddedToCollection') as StoredEvent<'AssetAddedToCollection'>[];
    expect(added.map((e) => [e.payload.collectionId, e.causationId, e.actor, e.source])).toEqual([[harbour, started.id, 'medialake', 'pipeline:filing@1']]);
    expect((await lake.records.get(filed))!.collections).toEqual([harbour]);
    expect((await executions('filing', filed))[0]).toMatchObject({ status: 'completed', outputs: { 'nodes.file.collectionId': harbour } });
  });

  it('runs a collection-triggered pipeline on an asset added to a collection nested under its collection, and on no other', async () => {
    const filed = (await lake.records.list({ limit: 50 })).assets.find((a) => a.originalName === 'press/dawn.jpg')!.assetId;
    expect((await executions('in-press', filed)).map((e) => e.status)).toEqual(['completed']);
    expect((await lake.records.get(filed))!.user.tags).toEqual(['press-desk']);

    const elsewhere = await ingest('jpg/Nikon_D70.jpg', 'sport/goal.jpg');
    await changeMembership(collectionContext(), other, elsewhere, true);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(await executions('in-press', elsewhere)).toEqual([]);
    expect(await executions('filing', elsewhere)).toEqual([]);
  });

  it('a second run of the same execution (a redelivery) adds the asset to the collection once', async () => {
    const filed = (await lake.records.list({ limit: 50 })).assets.find((a) => a.originalName === 'press/dawn.jpg')!;
    const events = await lake.log.readAsset(filed.assetId);
    const cause = events.find((e) => e.type === 'AssetIngested') as StoredEvent<'AssetIngested'>;
    const definition = (await lake.pipelines.history.definition('filing', 1))!;
    const { config } = lake;
    const options = { log: lake.log, store: lake.store, logger: lake.logger, ...lake.pipelines, collections: lake.collections };
    await runExecution(
      { definition: definition as never, cause, trigger: 'asset', ingested: cause.payload },
      { ...options, decode: { maxInputPixels: config.processors.maxInputPixels, box: 256 }, maxInputBytes: config.processors.maxInputBytes },
    );
    const after = await lake.log.readAsset(filed.assetId);
    expect(after.filter((e) => e.type === 'AssetAddedToCollection')).toHaveLength(1);
    expect(after).toHaveLength(events.length);
  });

  it('backfills over the assets in the collection or one nested under it', async () => {
    const inHarbour = (await lake.records.list({ limit: 50 })).assets.find((a) => a.originalName === 'press/dawn.jpg')!.assetId;
    const outside = (await lake.records.list({ limit: 50 })).assets.find((a) => a.originalName === 'sport/goal.jpg')!.assetId;
    await deploy({ name: 'press-desk', version: 1, trigger: { on: 'asset', event: 'collection', filter: { collection: press } }, nodes: [{ id: 'note', type: 'set-metadata', parameters: { description: 'on the press desk' } }] });
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(await executions('press-desk', inHarbour)).toEqual([]);
    const result = await backfillPipeline(pipelineCommands(lake, 'tester', 'cli'), 'press-desk');
    expect(result.requested).toEqual([inHarbour]);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect((await lake.records.get(inHarbour))!.user.description).toBe('on the press desk');
    expect(await executions('press-desk', outside)).toEqual([]);
  });

  it('runs a pipeline by hand over a collection, the assets of nested collections included, through the API', async () => {
    const inHarbour = (await lake.records.list({ limit: 50 })).assets.find((a) => a.originalName === 'press/dawn.jpg')!.assetId;
    const outside = (await lake.records.list({ limit: 50 })).assets.find((a) => a.originalName === 'sport/goal.jpg')!.assetId;
    await deploy({ name: 'by-hand', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'note', type: 'set-metadata', parameters: { title: 'chosen by hand' } }] });
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const app = await buildServer(lake);
    try {
      const key = await addTestUser(lake, 'operator', 'admin');
      const run = (body: object) => app.inject({ method: 'POST', url: '/pipelines/by-hand/runs', headers: bearer(key), payload: body });
      const answer = await run({ collectionId: press });
      expect(answer.statusCode, answer.body).toBe(202);
      expect(answer.json()).toMatchObject({ pipeline: 'by-hand', requested: [inHarbour] });
      await lake.waitForIdle({ timeoutMs: 30_000 });
      expect((await lake.records.get(inHarbour))!.user.title).toBe('chosen by hand');
      expect(await executions('by-hand', outside)).toEqual([]);
      expect((await run({ collectionId: 'c0123456789abcdef0123456789abcdef' })).statusCode).toBe(404);
      expect((await run({ collectionId: press, assetIds: [outside] })).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('keeps to the collections a definition named when it was deployed: by their ids, whatever is renamed or named alike later', async () => {
    const desk = (await createCollection(collectionContext(), 'Desk', null)).assetId;
    const archive = (await createCollection(collectionContext(), 'Archive', null)).assetId;
    await lake.waitForIdle({ timeoutMs: 30_000 });
    await deploy({
      name: 'desk-archive', version: 1,
      trigger: { on: 'asset', event: 'collection', filter: { collection: 'Desk' } },
      nodes: [{ id: 'file', type: 'add-to-collection', parameters: { collection: 'Archive' } }],
    });
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const stored = (await lake.pipelines.history.definition('desk-archive', 1)) as { trigger: { filter: { collection: string } }; nodes: { parameters: { collection: string } }[] };
    expect([stored.trigger.filter.collection, stored.nodes[0]!.parameters.collection]).toEqual([desk, archive]);
    // Applying the same file again deploys nothing new: the names resolve to the same ids.
    expect(await deploy({ name: 'desk-archive', version: 1, trigger: { on: 'asset', event: 'collection', filter: { collection: 'Desk' } }, nodes: [{ id: 'file', type: 'add-to-collection', parameters: { collection: 'Archive' } }] })).toMatchObject({ deployed: false });

    await renameCollection(collectionContext(), desk, 'Old desk');
    await renameCollection(collectionContext(), archive, 'Archive 2024');
    const namesake = (await createCollection(collectionContext(), 'Desk', null)).assetId;
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [onNamesake, onRenamed] = [await ingest('jpg/Canon_40D.jpg', 'desk/a.jpg'), await ingest('jpg/Nikon_D70.jpg', 'desk/b.jpg')];
    await changeMembership(collectionContext(), namesake, onNamesake, true);
    await changeMembership(collectionContext(), desk, onRenamed, true);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(await executions('desk-archive', onNamesake)).toEqual([]);
    expect((await executions('desk-archive', onRenamed)).map((e) => e.status)).toEqual(['completed']);
    expect((await lake.records.get(onRenamed))!.collections).toEqual(expect.arrayContaining([desk, archive]));
  });
});
