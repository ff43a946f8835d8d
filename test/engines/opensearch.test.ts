/**
 * Smoke test of the real OpenSearch test engine (no mocks): text + keyword + knn_vector
 * (lucene HNSW) mapping, bulk indexing, match query, knn query (plain and filtered) and
 * a terms aggregation through @opensearch-project/opensearch 3.x.
 *
 * Needs `.ci/engines/opensearch.sh` to have been run (see engineAvailable).
 */
import { randomUUID } from 'node:crypto';
import { Client, type Types } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from './opensearch';
import { engineAvailable } from './availability';

const present = engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh from the repo root');

describe.skipIf(!present)('opensearch engine', () => {
  const index = `media-smoke-${randomUUID().slice(0, 8)}`;
  let engine: OpenSearchEngine | undefined;
  let client: Client;

  beforeAll(async () => {
    engine = await startOpenSearch();
    // requestTimeout matters: a request the node never answers would otherwise hang.
    client = new Client({ node: engine.node, requestTimeout: 30_000, maxRetries: 0 });
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await engine?.stop();
  }, 60_000);

  it('reports OpenSearch 2.19 with the k-NN plugin', async () => {
    const info = await client.info();
    expect(info.body.version.distribution).toBe('opensearch');
    expect(info.body.version.number).toMatch(/^2\.19\./);
    const plugins = await client.cat.plugins({ format: 'json' });
    const components = (plugins.body as Array<{ component: string }>).map((p) => p.component);
    expect(components).toContain('org.opensearch.knn.plugin.KNNPlugin');
  });

  it('indexes and searches text, keyword and knn_vector fields', async () => {
    await client.indices.create({
      index,
      body: {
        settings: { index: { knn: true, number_of_shards: 1, number_of_replicas: 0 } },
        mappings: {
          properties: {
            title: { type: 'text' },
            kind: { type: 'keyword' },
            embedding: {
              type: 'knn_vector',
              dimension: 4,
              method: { name: 'hnsw', engine: 'lucene', space_type: 'l2' },
            },
          },
        },
      },
    });

    const docs = [
      { id: 'a1', title: 'Red fox in the snow', kind: 'image', embedding: [1, 0, 0, 0] },
      { id: 'a2', title: 'Blue whale documentary', kind: 'video', embedding: [0, 1, 0, 0] },
      { id: 'a3', title: 'Fox cubs playing', kind: 'video', embedding: [0.9, 0.2, 0, 0] },
      { id: 'a4', title: 'Mountain sunrise', kind: 'image', embedding: [0, 0, 1, 0] },
      { id: 'a5', title: 'City at night', kind: 'image', embedding: [0, 0, 0, 1] },
    ];
    const bulk = await client.bulk({
      refresh: true,
      body: docs.flatMap(({ id, ...doc }) => [{ index: { _index: index, _id: id } }, doc]),
    });
    expect(bulk.body.errors).toBe(false);
    expect(bulk.body.items).toHaveLength(docs.length);

    const match = await client.search({
      index,
      body: { query: { match: { title: 'fox' } } },
    });
    const matchIds = match.body.hits.hits.map((h) => h._id).sort();
    expect(matchIds).toEqual(['a1', 'a3']);

    const knn = await client.search({
      index,
      body: { size: 2, query: { knn: { embedding: { vector: [0.95, 0.05, 0, 0], k: 2 } } } },
    });
    expect(knn.body.hits.hits.map((h) => h._id)).toEqual(['a1', 'a3']);

    // Efficient (pre-)filtering: filter lives INSIDE the knn clause (lucene/faiss engines).
    const filtered = await client.search({
      index,
      body: {
        size: 1,
        query: {
          knn: { embedding: { vector: [0.95, 0.05, 0, 0], k: 1, filter: { term: { kind: 'video' } } } },
        },
      },
    });
    expect(filtered.body.hits.hits.map((h) => h._id)).toEqual(['a3']);

    // Client 3.9 typings bug: TermsAggregationFields lacks `field` (and `script`); cast.
    const byKind = { field: 'kind' } as Types.Common_Aggregations.TermsAggregationFields;
    const aggs = await client.search({
      index,
      body: { size: 0, aggs: { kinds: { terms: byKind } } },
    });
    const kinds = aggs.body.aggregations?.kinds as
      | { buckets: Array<{ key: string; doc_count: number }> }
      | undefined;
    expect(kinds?.buckets).toEqual([
      { key: 'image', doc_count: 3 },
      { key: 'video', doc_count: 2 },
    ]);
  });
});
