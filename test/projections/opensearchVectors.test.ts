import { join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestDirectory } from '../../producers/directory';
import { SqliteEventLog } from '../../log/sqlite';
import { OpenSearchVectorIndex } from '../../projections/vectors/opensearch';
import { SqliteVectorIndex } from '../../projections/vectors/sqlite';
import type { VectorIndex } from '../../projections/vectors/vectorIndex';
import { engineAvailable } from '../engines/availability';
import { startDynamoDb } from '../engines/dynamodb';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from '../engines/opensearch';
import { ingestedDraft, resultDraft } from '../support/events';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { readers, rebuilderContract } from './rebuilder.contract';
import { CLIP, atAngle, embedding, rounded, vectorIndexContract } from './vectors.contract';
import { randomUnit } from '../support/vectors';

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

  /** The generations of a vector index: PREFIX-GENERATION-assets and PREFIX-GENERATION-space-…, beside PREFIX-checkpoints. */
  const generationsUnder = async (prefix: string) => {
    const indices = Object.keys((await client.indices.get({ index: `${prefix}-*` })).body).filter((index) => index !== `${prefix}-checkpoints`);
    return [...new Set(indices.map((index) => index.slice(prefix.length + 1).replace(/-(assets|space-.+)$/, '')))].sort();
  };

  // Fresh indices per test (and per rebuilt copy) on one node; batches applied here are read at once (a refresh per batch).
  const open = (prefix = `vectors-${n++}`) => OpenSearchVectorIndex.open({ node: engine.node, prefix, refresh: true, bulk: { minDelayMs: 20 } });
  vectorIndexContract('OpenSearch 2.19 (lucene HNSW)', () => open());
  rebuilderContract('OpenSearch 2.19 (vector index)', {
    async open() {
      const prefix = `vectors-${n++}`;
      const store = await OpenSearchVectorIndex.open({ node: engine.node, prefix, refresh: true, bulk: { minDelayMs: 20 } });
      return { store, generations: () => generationsUnder(prefix) };
    },
    read: readers.vectorIndex,
  });

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

  it('gives a space index made before the filter keys their fields at its next write; its older documents are filtered as written', async () => {
    const prefix = `vectors-${n++}`;
    const log = new SqliteEventLog({ path: join(directory.path, `${prefix}.db`) });
    const camera = (assetId: string, make: string) =>
      resultDraft(assetId, 'TechnicalMetadataExtracted', { format: 'jpeg', make, sha256: '0'.repeat(64), size: 1, warnings: [] });
    const applyAll = async (store: VectorIndex, after: number) => {
      for await (const batch of log.readAll({ batchSize: 100 })) await store.apply(batch.filter((event) => Number(event.offset) >= after));
    };
    await log.append([ingestedDraft('old'), camera('old', 'ÉCLAIR'), embedding('old', atAngle(0))]);
    const before = await open(prefix);
    await applyAll(before, 0);
    await before.close();
    // The space index as a version without the keys made it: the same name, alias and document, no key fields.
    const [space = ''] = Object.keys((await client.indices.get({ index: `${prefix}-*-space-*` })).body);
    const made = (await client.indices.get({ index: space })).body[space] as { aliases: object; mappings: { properties: Record<string, object> } };
    const { _source: old, _version } = (await client.get({ index: space, id: 'old' })).body as { _source: Record<string, unknown>; _version: number };
    const { makeKey, modelKey, codecKeys, ...unkeyed } = made.mappings.properties;
    expect([makeKey, modelKey, codecKeys].every(Boolean)).toBe(true);
    await client.indices.delete({ index: space });
    await client.indices.create({
      index: space,
      body: { settings: { index: { knn: true } }, aliases: made.aliases, mappings: { ...made.mappings, properties: unkeyed } } as never,
    });
    const { makeKey: _make, modelKey: _model, codecKeys: _codecs, ...oldDocument } = old;
    await client.index({ index: space, id: 'old', version: _version, version_type: 'external', refresh: true, body: oldDocument });

    await log.append([ingestedDraft('new'), camera('new', 'éclair'), embedding('new', atAngle(10))]);
    const after = await open(prefix);
    try {
      await applyAll(after, 3);
      const found = await after.knn({ model: CLIP, vector: Float32Array.from(atAngle(0)), k: 5, filter: { make: 'Éclair' } });
      expect(found.hits.map((hit) => hit.assetId)).toEqual(['old', 'new']);
      const mapping = (await client.indices.getMapping({ index: space })).body[space]?.mappings.properties;
      expect(Object.keys(mapping ?? {})).toEqual(expect.arrayContaining(['makeKey', 'modelKey', 'codecKeys']));
    } finally {
      await after.close();
      await log.close();
    }
  });

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
