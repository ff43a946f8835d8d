import { join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestDirectory } from '../../producers/directory';
import { SqliteEventLog } from '../../log/sqlite';
import { ProjectionLifecycle } from '../../projections/lifecycle/lifecycle';
import { runProjection } from '../../projections/projection';
import { OpenSearchVectorIndex } from '../../projections/vectors/opensearch';
import { SqliteVectorIndex } from '../../projections/vectors/sqlite';
import type { VectorIndex, VectorQuery } from '../../projections/vectors/vectorIndex';
import { engineAvailable } from '../engines/availability';
import { startDynamoDb } from '../engines/dynamodb';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from '../engines/opensearch';
import { ingestedDraft, resultDraft } from '../support/events';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';
import { CLIP, OTHER, atAngle, embedding, rounded, vectorIndexContract } from './vectors.contract';
import { randomUnit, unit } from '../support/vectors';

const present = engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh');

describe.skipIf(!present)('OpenSearch k-NN vector index', () => {
  let engine: OpenSearchEngine;
  let client: Client;
  const directory = temporaryDirectory();
  let n = 0;

  beforeAll(async () => {
    engine = await startOpenSearch();
    client = new Client({ node: engine.node, requestTimeout: 30_000, maxRetries: 0 });
  }, 150_000);
  afterAll(async () => {
    await client?.close();
    await engine?.stop();
    directory.remove();
  });

  // Fresh indices per test (and per rebuilt copy) on one node.
  const open = () => OpenSearchVectorIndex.open({ node: engine.node, prefix: `vectors-${n++}`, bulk: { minDelayMs: 20 } });
  vectorIndexContract('OpenSearch 2.19 (lucene HNSW)', open);

  it('ranks 500 random 32-dimensional vectors exactly as the embedded index, with and without filters', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'random.db') });
    const stores: VectorIndex[] = [new SqliteVectorIndex(join(directory.path, 'random-vectors.db')), await open()];
    try {
      for (let i = 0; i < 500; i++) {
        const ingested = ingestedDraft(`r-${i}`);
        await log.append([{ ...ingested, payload: { ...ingested.payload, size: i } } as never, embedding(`r-${i}`, Array.from(randomUnit(i + 1, 32)))]);
      }
      for (const store of stores) for await (const batch of log.readAll({ batchSize: 100 })) await store.apply(batch);
      for (let q = 0; q < 5; q++) {
        const query = { model: CLIP, vector: randomUnit(10_000 + q, 32), k: 10, filter: q % 2 ? { minSize: 100, maxSize: 300 } : {} };
        const [embedded, opensearch] = await Promise.all(stores.map((store) => store.knn(query)));
        expect(embedded!.hits).toHaveLength(10);
        expect(rounded(opensearch!)).toEqual(rounded(embedded!));
      }
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await log.close();
    }
  });

  it('rebuilds a generation from the log beside the live one, which keeps answering, then switches every alias and drops the old indices', async () => {
    const prefix = `vectors-${n++}`;
    const THIRD = { id: 'third-clip', revision: 'main' };
    const log = new SqliteEventLog({ path: join(directory.path, 'rebuild.db'), sync: 'normal' });
    for (let i = 0; i < 40; i++) await log.append([ingestedDraft(`img-${i}`), embedding(`img-${i}`, atAngle(i * 2))]);
    await log.append([embedding('img-0', atAngle(90), OTHER), embedding('img-9', atAngle(0), OTHER), resultDraft('img-5', 'AssetDeleted', {})]);
    const vectors = await OpenSearchVectorIndex.open({ node: engine.node, prefix, bulk: { minDelayMs: 20 } });
    const live = runProjection(log, vectors, pino({ level: 'silent' }));
    const lifecycle = new ProjectionLifecycle(log, [vectors], directory.path);
    const caughtUp = () => waitFor('the live vector index to catch up', async () => (await log.lag(await vectors.positions())) === 0);
    await caughtUp();

    const queries: VectorQuery[] = [
      { model: CLIP, vector: unit(atAngle(0)), k: 5 },
      { model: CLIP, vector: unit(atAngle(33.4)), k: 5, exclude: 'img-16' },
      { model: OTHER, vector: unit(atAngle(0)), k: 5 },
    ];
    const answers = () => Promise.all(queries.map(async (query) => rounded(await vectors.knn(query)).hits.map((hit) => [hit.assetId, hit.score])));
    const before = await answers();
    expect(before[0]!.map(([id]) => id)).toEqual(['img-0', 'img-1', 'img-2', 'img-3', 'img-4']);

    let rebuilding = true;
    let answered = 0;
    const querying = async () => {
      while (rebuilding) {
        expect(await answers()).toEqual(before);
        answered++;
      }
    };
    // The log grows while the rebuild reads it (a new model's first vector: a space made in the live generation
    // meanwhile), and while it switches (a vector far from every query): the new generation must hold both.
    const appended: Promise<unknown>[] = [];
    const rebuilt = lifecycle.rebuild('vectors', {
      batchSize: 5,
      onProgress: ({ state }) => {
        if (state === 'building' && !appended.length) appended.push(log.append([ingestedDraft('late-1'), embedding('late-1', atAngle(0), THIRD)]));
        if (state === 'swapping' && appended.length === 1) appended.push(log.append([ingestedDraft('late-2'), embedding('late-2', atAngle(180))]));
      },
    });
    const [done] = await Promise.all([rebuilt.finally(() => (rebuilding = false)), querying()]);
    await Promise.all(appended);
    await caughtUp();

    expect(done).toMatchObject({ projection: 'vectors', state: 'done' });
    expect(answered).toBeGreaterThan(0);
    const aliases = (await client.indices.getAlias({ name: `${prefix}-*` })).body as Record<string, { aliases: Record<string, unknown> }>;
    expect(Object.keys(aliases).sort()).toEqual(
      [`${prefix}-${done.generation}-assets`, ...[CLIP, OTHER, THIRD].map(() => expect.stringMatching(`^${prefix}-${done.generation}-space-`))],
    );
    expect((await client.indices.getAlias({ index: `${prefix}-initial-*` })).body).toEqual({});
    expect(await lifecycle.list()).toMatchObject([{ name: 'vectors', backend: 'opensearch', rebuildable: true, live: { generation: done.generation, version: 1 } }]);

    // The same answers as an index built afresh from the log on the embedded backend.
    const embedded = new SqliteVectorIndex(join(directory.path, 'rebuild-vectors.db'));
    for await (const batch of log.readAll({ batchSize: 50 })) await embedded.apply(batch);
    expect(await answers()).toEqual(before);
    for (const model of [CLIP, OTHER, THIRD]) {
      for (const angle of [0, 31.3, 180]) {
        const query = { model, vector: unit(atAngle(angle)), k: 8 };
        expect(rounded(await vectors.knn(query))).toEqual(rounded(await embedded.knn(query)));
      }
    }
    expect(await vectors.models()).toEqual(await embedded.models());
    expect(await vectors.models()).toHaveLength(3);

    // The live projection goes on, in the new generation.
    await log.append([ingestedDraft('after'), embedding('after', atAngle(0.5))]);
    await caughtUp();
    expect((await vectors.knn(queries[0]!)).hits.map((hit) => hit.assetId).slice(0, 2)).toEqual(['img-0', 'after']);

    await live.stop();
    await lifecycle.close();
    await Promise.all([log.close(), vectors.close(), embedded.close()]);
  }, 120_000);

  it('lists a lake’s DynamoDB and OpenSearch projections as rebuildable, and rebuilds them (projections list, rebuild)', async () => {
    const dynamo = await startDynamoDb();
    vi.stubEnv('AWS_ACCESS_KEY_ID', dynamo.client.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', dynamo.client.credentials.secretAccessKey);
    const lake = await openTestLake({
      'aws.region': dynamo.client.region,
      'records.backend': 'dynamodb',
      'records.dynamodb.endpoint': dynamo.client.endpoint,
      'records.dynamodb.table': 'lake-assets',
      'search.backend': 'opensearch',
      'search.opensearch.node': engine.node,
      'search.opensearch.index': `lake-${n++}`,
    });
    try {
      lake.start();
      await ingestDirectory(ingestContext(lake), fixture('jpg/gps'));
      await lake.waitForIdle({ timeoutMs: 60_000 });
      const before = await lake.records.list({ limit: 100 });

      const listed = await lake.projections.list();
      expect(listed.filter((p) => ['assets', 'search', 'vectors'].includes(p.name))).toMatchObject([
        { name: 'assets', backend: 'dynamodb', rebuildable: true, live: { generation: 'initial' } },
        { name: 'search', backend: 'opensearch', rebuildable: true, live: { generation: 'initial' } },
        { name: 'vectors', backend: 'opensearch', rebuildable: true, live: { generation: 'initial' } },
      ]);
      const done = await lake.projections.rebuildAll(['assets', 'vectors']);

      expect(done.map((d) => [d.projection, d.state])).toEqual([['assets', 'done'], ['vectors', 'done']]);
      const after = await lake.projections.status();
      for (const name of ['assets', 'vectors']) {
        expect(after.find((p) => p.name === name)).toMatchObject({ live: { generation: done.find((d) => d.projection === name)!.generation }, lag: 0 });
      }
      expect(await lake.records.list({ limit: 100 })).toEqual(before);
    } finally {
      await lake.close();
      await dynamo.stop();
      vi.unstubAllEnvs();
    }
  }, 120_000);
});
