import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../log/sqlite';
import { OpenSearchVectorIndex } from '../../projections/vectors/opensearch';
import { SqliteVectorIndex } from '../../projections/vectors/sqlite';
import type { VectorIndex } from '../../projections/vectors/vectorIndex';
import { engineAvailable } from '../engines/availability';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from '../engines/opensearch';
import { ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { CLIP, embedding, rounded, vectorIndexContract } from './vectors.contract';
import { randomUnit } from '../support/vectors';

const present = engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh');

describe.skipIf(!present)('OpenSearch k-NN vector index', () => {
  let engine: OpenSearchEngine;
  const directory = temporaryDirectory();
  let n = 0;

  beforeAll(async () => {
    engine = await startOpenSearch();
  }, 150_000);
  afterAll(async () => {
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
});
