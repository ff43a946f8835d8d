import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { pipelineCommands } from '../../app/pipelineCommands';
import { deleteAsset } from '../../producers/commands';
import { ingestFile } from '../../producers/ingest';
import { deployPipeline, requestPipelineRuns } from '../../producers/pipelines';
import { runPipelines } from '../../processors/pipelines/runner';
import type { StoredEvent } from '../../schemas/envelope';
import { assetFolders } from '../../storage/assetKeys';
import type { ObjectStore } from '../../storage/objectStore';
import { fixture } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';

/** A tagging service that holds each call until the test lets it answer. */
function heldService(): Promise<{ server: Server; url: string; calls: () => number; release: () => void }> {
  let calls = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      calls++;
      void released.then(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ caption: 'too late' })));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, calls: () => calls, release })),
  );
}

/** What a pipeline made on the asset after its delete: results (a node's events) or nothing. */
const resultsAfterDelete = (events: StoredEvent[]) => {
  const deleted = events.findIndex((event) => event.type === 'AssetDeleted');
  return events.slice(deleted + 1).filter((event) => event.source.startsWith('pipeline:') && !event.type.startsWith('Pipeline'));
};

async function objectsOf(store: ObjectStore, assetId: string): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of assetFolders(assetId)) for await (const object of store.list(prefix)) keys.push(object.key);
  return keys;
}

/** An asset deleted while a pipeline runs on it: the execution stops, appends no result after the delete and leaves no object behind. */
describe('a pipeline whose asset is deleted', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let service: Awaited<ReturnType<typeof heldService>> | undefined;
  afterEach(async () => {
    service?.release();
    service?.server.close();
    await lake?.close();
  });

  const commands = () => pipelineCommands(lake, 'tester', 'cli');
  const ingest = async (name: string) => ((await ingestFile(ingestContext(lake), fixture('jpg/Canon_40D.jpg'), { kind: 'upload' }, name)) as { assetId: string }).assetId;

  it('mid-run stops before its next node, as ASSET_DELETED, tried once, with no result after the delete and no object left', async () => {
    lake = await openTestLake();
    service = await heldService();
    await deployPipeline(commands(), {
      name: 'slow-tag', version: 1,
      trigger: { on: 'asset', filter: { mediaType: ['image'] } },
      nodes: [
        { id: 'first', type: 'rendition', parameters: { name: 'first', size: 64 } },
        { id: 'tag', type: 'http', parameters: { url: `${service.url}/tag`, map: { title: 'caption' } } },
        { id: 'second', type: 'rendition', parameters: { name: 'second', size: 64 } },
      ],
      edges: [{ from: 'first', to: 'tag' }, { from: 'tag', to: 'second' }],
    });
    lake.start();
    const assetId = await ingest('doomed.jpg');
    await waitFor('the call to the held service', () => service!.calls() === 1);
    await deleteAsset({ log: lake.log, actor: 'tester', source: 'cli' }, assetId);
    // The cleanup has taken the original and the renditions made before the delete.
    await waitFor('the cleanup', async () => !(await objectsOf(lake.store, assetId)).some((key) => key.includes('first')));
    service.release();
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const [execution] = await lake.pipelines.history.executions({ pipeline: 'slow-tag' });
    expect(execution).toMatchObject({ status: 'failed', error: { code: 'ASSET_DELETED' } });
    const detail = await lake.pipelines.history.execution(execution!.executionId);
    expect(detail!.nodes.find((node) => node.node === 'tag')).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'ASSET_DELETED' } });
    expect(detail!.nodes.find((node) => node.node === 'second')?.status ?? 'not run').not.toBe('succeeded');
    expect(service.calls()).toBe(1);
    expect(resultsAfterDelete(await lake.log.readAsset(assetId))).toEqual([]);
    expect(await objectsOf(lake.store, assetId)).toEqual([]);
  });

  it('removes what a node wrote as the delete landed, and appends no result for it', async () => {
    lake = await openTestLake();
    await deployPipeline(commands(), { name: 'small', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'small', type: 'rendition', parameters: { name: 'small', size: 64 } }] });
    const assetId = await ingest('raced.jpg');
    // The delete lands while the node's rendition is being written, after every check before the write.
    const store = new Proxy(lake.store, {
      get(target, property) {
        if (property === 'put') {
          return async (...args: Parameters<ObjectStore['put']>) => {
            const put = await target.put(...args);
            if (args[0].includes('/small.')) await deleteAsset({ log: lake.log, actor: 'tester', source: 'cli' }, assetId);
            return put;
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await requestPipelineRuns(commands(), 'small', [assetId], 'manual');
    lake.start('projections');
    const runner = runPipelines({ ...lake.pipelines, log: lake.log, store, logger: lake.logger, records: lake.records, collections: lake.collections, concurrency: 1, decode: { maxInputPixels: 1e8, box: 1280 }, maxInputBytes: 1e9 });
    try {
      await waitFor('the execution to end', async () => (await lake.pipelines.history.executions({ pipeline: 'small' }))[0]?.status === 'failed', 20_000);
    } finally {
      await runner.stop();
    }
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'small' });
    expect(execution!.error).toMatchObject({ code: 'ASSET_DELETED' });
    expect(resultsAfterDelete(await lake.log.readAsset(assetId))).toEqual([]);
    expect((await objectsOf(lake.store, assetId)).filter((key) => key.includes('/small.'))).toEqual([]);
  });

  it('starting on a backlog, runs nothing on an asset deleted after its ingest', async () => {
    lake = await openTestLake();
    await deployPipeline(commands(), { name: 'tagger', version: 1, trigger: { on: 'asset', filter: { mediaType: ['image'] } }, nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags: ['tagged'] } }] });
    const assetId = await ingest('gone.jpg');
    await deleteAsset({ log: lake.log, actor: 'tester', source: 'cli' }, assetId);
    lake.start();
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(await lake.pipelines.history.executions({ pipeline: 'tagger' })).toEqual([]);
  });
});
