import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSearchSearchIndex, type OpenSearchSearchOptions } from '../../projections/search/opensearch';
import {
  SearchBulkRetriesExhaustedError,
  SearchDocumentRejectedError,
  SearchIndexBlockedError,
  writeVersioned,
  type VersionedDocument,
} from '../../projections/search/opensearchBulk';
import type { SearchHit, SearchResult } from '../../projections/search/searchIndex';
import type { StoredEvent } from '../../schemas/envelope';
import type { PayloadOf } from '../../schemas/events';
import { SqliteSearchIndex } from '../../projections/search/sqlite';
import { SEARCH_INDEX } from '../../projections/registry';
import { newGeneration } from '../../projections/lifecycle/generations';
import { SqliteEventLog } from '../../log/sqlite';
import { CheckpointWriter } from '../../projections/search/opensearchCheckpoints';
import { searchIndexTemplate } from '../../projections/search/opensearchTemplate';
import { engineAvailable } from '../engines/availability';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from '../engines/opensearch';
import { editDraft, ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { readers, rebuilderContract } from './rebuilder.contract';
import {
  CONFORMANCE,
  MEDIA_CONFORMANCE,
  SMALL_EXACT_LIMIT,
  applyInBatches,
  camerasHistory,
  crowdedHistory,
  mediaHistory,
  parse,
  searchHistory,
  searchIndexContract,
} from './search.contract';

const present = engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh');

/**
 * What two backends must agree on: totals, facets and hits (scores are each
 * engine's own), how exact the counts are, and which words of which fields
 * matched (the text around them in a long field is each engine's fragment).
 */
function comparable(result: SearchResult, scored: boolean) {
  const matched = (highlights: SearchHit['highlights']) =>
    highlights && highlights.map(({ field, parts }) => ({ field, matches: parts.filter((_part, index) => index % 2) }));
  const hits = result.hits.map(({ score: _score, highlights, ...hit }) => ({ ...hit, ...(highlights && { highlights: matched(highlights) }) }));
  if (scored) hits.sort((a, b) => a.assetId.localeCompare(b.assetId));
  const { total, totalRelation, facets, facetsRelation } = result;
  return { total, totalRelation, facets, facetsRelation, hits };
}

describe.skipIf(!present)('OpenSearch search index', () => {
  let engine: OpenSearchEngine;
  let client: Client;
  const directory = temporaryDirectory();
  let n = 0;
  // Per run, so runs against one external node (MEDIALAKE_TEST_OPENSEARCH_NODE) never meet.
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    engine = await startOpenSearch();
    client = new Client({ node: engine.node, requestTimeout: 30_000, maxRetries: 0 });
  });
  afterAll(async () => {
    await client?.close();
    await engine?.stop();
    directory.remove();
  });

  /** A fresh alias (and indices) per call. */
  // Batches applied here are read at once, as the embedded index's are: a refresh per batch. A lake
  // leaves it off and refreshes where someone waits (test/projections/openSearchOutage.test.ts, searchErasure.test.ts).
  const options = (more: Partial<OpenSearchSearchOptions> = {}): OpenSearchSearchOptions => ({
    node: engine.node,
    index: `search-${run}-${n++}`,
    vectorDimensions: 8,
    refresh: true,
    bulk: { minDelayMs: 20 },
    ...more,
  });
  const aliased = async (alias: string) => Object.keys((await client.indices.getAlias({ name: alias })).body);
  /** The generations of the index behind an alias: INDEX-GENERATION, beside INDEX-checkpoints. */
  const generationsBehind = async (alias: string) =>
    Object.keys((await client.indices.get({ index: `${alias}-*` })).body)
      .filter((index) => index !== `${alias}-checkpoints`)
      .map((index) => index.slice(alias.length + 1))
      .sort();

  searchIndexContract('OpenSearch 2.19', (more) => OpenSearchSearchIndex.open(options(more)));
  rebuilderContract('OpenSearch 2.19 (search index)', {
    async open() {
      const settings = options();
      const store = await OpenSearchSearchIndex.open(settings);
      return { store, generations: () => generationsBehind(settings.index) };
    },
    read: readers.searchIndex,
  });

  it('answers the conformance set, and every one-letter prefix, exactly as the embedded index', async () => {
    const history = searchHistory();
    const sqlite = new SqliteSearchIndex(join(directory.path, 'same.db'));
    const opensearch = await OpenSearchSearchIndex.open(options());
    await applyInBatches(sqlite, history, 3);
    await applyInBatches(opensearch, history, 11);
    const prefixes = [...'abcdefghijklmnopqrstuvwxyz0123456789'].map((q) => ({ name: `prefix ${q}`, query: { q, limit: 100 }, top: undefined }));

    for (const { name, query, top } of [...CONFORMANCE, ...prefixes]) {
      const [expected, actual] = await Promise.all([sqlite.search(parse(query)), opensearch.search(parse(query))]);
      const scored = Boolean(query.q);
      expect(comparable(actual, scored), name).toEqual(comparable(expected, scored));
      if (top) expect(actual.hits[0]?.assetId, name).toBe(expected.hits[0]?.assetId);
    }
    await Promise.all([sqlite.close(), opensearch.close()]);
  });

  it('answers the media set, with its facets and hits, exactly as the embedded index', async () => {
    const history = await mediaHistory();
    const sqlite = new SqliteSearchIndex(join(directory.path, 'media.db'));
    const opensearch = await OpenSearchSearchIndex.open(options());
    await applyInBatches(sqlite, history, 4);
    await applyInBatches(opensearch, history, 9);
    const listings = [{ limit: 100 }, { type: 'video' as const }, { q: 'report' }, { codec: 'mp3', limit: 1 }];

    for (const { name, query } of [...MEDIA_CONFORMANCE, ...listings.map((query) => ({ name: JSON.stringify(query), query }))]) {
      const [expected, actual] = await Promise.all([sqlite.search(parse(query)), opensearch.search(parse(query))]);
      expect(comparable(actual, Boolean(query.q)), name).toEqual(comparable(expected, Boolean(query.q)));
    }
    await Promise.all([sqlite.close(), opensearch.close()]);
  }, 60_000);

  it('on several shards, counts the facets and orders equal matches as the embedded index does, and takes the deepest page SearchQuery allows', async () => {
    const history = camerasHistory();
    const sqlite = new SqliteSearchIndex(join(directory.path, 'cameras.db'));
    const opensearch = await OpenSearchSearchIndex.open(options({ shards: 3 }));
    await applyInBatches(sqlite, history, 50);
    await applyInBatches(opensearch, history, 50);
    for (const query of [{}, { q: 'photo' }]) {
      const [expected, actual] = await Promise.all([sqlite.search(parse(query)), opensearch.search(parse(query))]);
      expect(actual.facets.make, JSON.stringify(query)).toEqual(expected.facets.make);
      expect(actual.facetsRelation).toBe('eq');
      // Every photo matches alike: in asset id order, not shard by shard.
      expect(actual.hits.map((hit) => hit.assetId), JSON.stringify(query)).toEqual(expected.hits.map((hit) => hit.assetId));
    }
    // A listing asks for one hit past its page, to say whether there is a next.
    expect((await opensearch.search(parse({ offset: 10_000, limit: 200 }))).hits).toEqual([]);
    await Promise.all([sqlite.close(), opensearch.close()]);
  }, 60_000);

  it('past the exact limit, agrees with the embedded index on every exact answer and on which are estimated', async () => {
    const history = crowdedHistory();
    const sqlite = new SqliteSearchIndex(join(directory.path, 'crowded.db'), { exactLimit: SMALL_EXACT_LIMIT });
    const opensearch = await OpenSearchSearchIndex.open(options({ exactLimit: SMALL_EXACT_LIMIT }));
    await applyInBatches(sqlite, history, 13);
    await applyInBatches(opensearch, history, 29);
    const queries = [{}, { q: 'crowd' }, { q: 'jpg' }, { q: 'crowd lighthouse' }, { q: 'harbour' }, { q: 'jpg', make: 'canon' }, { type: 'video' as const }];

    for (const query of queries) {
      const [expected, actual] = await Promise.all([sqlite.search(parse(query)), opensearch.search(parse(query))]);
      const name = JSON.stringify(query);
      if (expected.totalRelation === 'eq') expect(comparable(actual, Boolean(query.q)), name).toEqual(comparable(expected, Boolean(query.q)));
      // Past the limit each ranks and samples its own way (docs/search.md): they agree on what they say of it.
      else expect(actual, name).toMatchObject({ total: expected.total, totalRelation: 'gte', facetsRelation: 'gte' });
    }
    await Promise.all([sqlite.close(), opensearch.close()]);
  });

  it('keeps versioned indices behind an alias, made from its template, with the knn_vector field ready', async () => {
    const settings = options();
    const search = await OpenSearchSearchIndex.open(settings);
    const index = `${settings.index}-initial`;

    expect(await aliased(settings.index)).toEqual([index]);
    expect(await search.live()).toMatchObject({ generation: 'initial', version: SEARCH_INDEX.version });
    const { body: mapping } = await client.indices.getMapping({ index });
    expect(mapping[index]!.mappings.properties!.embedding).toEqual({
      type: 'knn_vector',
      dimension: 8,
      method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil', parameters: {} },
    });
    const { body: indexSettings } = await client.indices.getSettings({ index });
    expect(indexSettings[index]!.settings!.index!.knn).toBe('true');
    await search.close();
  });

  it('opens an existing index as it is, with its records and positions', async () => {
    const settings = options();
    const first = await OpenSearchSearchIndex.open(settings);
    await applyInBatches(first, searchHistory());

    const again = await OpenSearchSearchIndex.open(settings);

    expect(await again.positions()).toEqual(await first.positions());
    expect(await again.search(parse({ q: 'harbour' }))).toEqual(await first.search(parse({ q: 'harbour' })));
    expect(await aliased(settings.index)).toEqual([`${settings.index}-initial`]);
    await Promise.all([first.close(), again.close()]);
  });

  it('opens a live index of an older template with the fields added since, and indexes them', async () => {
    const settings = options();
    const { template } = searchIndexTemplate({ alias: settings.index, vectorDimensions: 8, shards: 1 });
    const added = ['people', 'text', 'duration', 'durationBucket', 'resolution', 'videoCodec', 'audioCodec', 'codecs'];
    const older = Object.fromEntries(Object.entries(template.mappings.properties).filter(([field]) => !added.includes(field)));
    await client.indices.create({
      index: `${settings.index}-initial`,
      body: { settings: template.settings, mappings: { ...template.mappings, properties: older }, aliases: { [settings.index]: {} } } as never,
    });

    const search = await OpenSearchSearchIndex.open(settings);
    await applyInBatches(search, await mediaHistory());

    expect((await search.search(parse({ q: 'alice' }))).total).toBe(2);
    expect((await search.search(parse({ q: 'cormorants' }))).total).toBe(1);
    expect((await search.search(parse({ codec: 'aac' }))).total).toBe(2);
    await search.close();
  }, 60_000);

  it('filters the documents an earlier version wrote without filter keys by make, model and codec as written, ignoring ASCII case', async () => {
    const settings = options();
    const search = await OpenSearchSearchIndex.open(settings);
    await applyInBatches(search, [...searchHistory(), ...(await mediaHistory()).map((event) => ({ ...event, partition: '1' }))]);
    await client.updateByQuery({
      index: settings.index,
      refresh: true,
      body: { query: { match_all: {} }, script: { source: "ctx._source.remove('makeKey'); ctx._source.remove('modelKey'); ctx._source.remove('codecKeys')" } },
    });
    expect((await client.count({ index: settings.index, body: { query: { exists: { field: 'makeKey' } } } })).body.count).toBe(0);

    expect((await search.search(parse({ make: 'CANON' }))).total).toBe(3);
    expect((await search.search(parse({ model: 'canon eos 40d' }))).total).toBe(1);
    expect((await search.search(parse({ codec: 'AAC' }))).total).toBe(2);
    await search.close();
  }, 60_000);

  it('keeps the position of every partition when consumers in two processes share the index', async () => {
    const settings = options();
    const [first, second] = [await OpenSearchSearchIndex.open(settings), await OpenSearchSearchIndex.open(settings)];
    const history = searchHistory();
    const onPartition = (partition: string) => history.map((event) => ({ ...event, partition }));

    await first.apply(onPartition('0').slice(0, 20));
    await second.apply(onPartition('1').slice(20, 30));
    await first.apply(onPartition('0').slice(30, 31));
    await first.close(); // a batch's checkpoint is written behind it: by the next batch, a read of positions, or close

    expect(await second.positions()).toEqual({ '0': '30', '1': '29' });
    await second.close();
  });

  it("continues an asset from what it wrote itself, without reading it back, unless another writer may have written it since", async () => {
    const settings = options();
    const [first, second] = [await OpenSearchSearchIndex.open(settings), await OpenSearchSearchIndex.open(settings)];
    const [ingested, described] = searchHistory().filter((event) => event.assetId === 'canon-40d');
    const edit = (assetVersion: number, payload: PayloadOf<'UserMetadataUpdated'>) =>
      ({ ...described!, id: randomUUID(), type: 'UserMetadataUpdated', assetVersion, payload, offset: String(100 + assetVersion) }) as StoredEvent;
    const reads = async () => (await client.indices.stats({ index: settings.index, metric: 'get' })).body._all.total!.get!.total as number;

    await first.apply([ingested!]);
    const afterFirst = await reads();
    await first.apply([described!, edit(3, { title: 'Gulls over the harbour' })]);
    expect(await reads()).toBe(afterFirst); // its own record, version 1, continued by versions 2 and 3

    await second.apply([edit(4, { description: 'written by another process' })]);
    await first.apply([edit(5, { tags: ['terns'] })]); // version 4 is not its own: read from the index
    expect(await reads()).toBeGreaterThan(afterFirst);
    // Every edit is in the record: the title and the tag of this writer, the description of the other.
    for (const q of ['gulls', 'terns', 'written another process']) {
      expect((await first.search(parse({ q }))).hits.map((hit) => [hit.assetId, hit.title])).toEqual([['canon-40d', 'Gulls over the harbour']]);
    }
    await Promise.all([first.close(), second.close()]);
  });

  it('forgets what it wrote once a rebuild has made a new generation: an erasure read into it stays erased', async () => {
    const search = await OpenSearchSearchIndex.open(options());
    const logs = temporaryDirectory();
    const asWritten = new SqliteEventLog({ path: join(logs.path, 'written.db'), sync: 'normal' });
    // The same history as it reads after an erasure: the name in the title gone.
    const asReadAfterErasure = new SqliteEventLog({ path: join(logs.path, 'erased.db'), sync: 'normal' });
    const written = await asWritten.append([ingestedDraft('asset-erased'), editDraft('asset-erased', 'Jane Doe at the harbour')]);
    await asReadAfterErasure.append([ingestedDraft('asset-erased'), editDraft('asset-erased', '[erased] at the harbour')]);
    await search.apply(written);

    await search.rebuild(asReadAfterErasure, { generation: newGeneration(SEARCH_INDEX.version), batchSize: 5, catchUpTimeoutMs: 30_000, onProgress: () => undefined });
    const [tagged] = await asWritten.append([resultDraft('asset-erased', 'UserMetadataUpdated', { tags: ['gulls'] })]);
    await search.apply([tagged!]);

    expect((await search.search(parse({ q: 'gulls' }))).hits.map((hit) => hit.title)).toEqual(['[erased] at the harbour']);
    expect((await search.search(parse({ q: 'jane' }))).total).toBe(0);
    await Promise.all([search.close(), asWritten.close(), asReadAfterErasure.close()]);
    logs.remove();
  });

  it('writes checkpoints behind the batches: read back at once in the writing process, never going back, and a failed write carried by the next', async () => {
    const checkpoints = `checkpoints-${run}-${n++}`;
    await client.indices.create({ index: checkpoints });
    const writer = new CheckpointWriter(client, checkpoints);
    const history = searchHistory();

    await writer.record('generation-a', history.slice(0, 10));
    expect(await writer.read('generation-a')).toEqual({ '0': '9' });

    await client.indices.addBlock({ index: checkpoints, block: 'write' });
    await writer.record('generation-a', history.slice(10, 20));
    await expect(writer.written()).rejects.toThrow();
    await client.indices.putSettings({ index: checkpoints, body: { 'index.blocks.write': false } });
    await writer.record('generation-b', history.slice(20, 21));

    expect(await writer.read('generation-a')).toEqual({ '0': '19' });
    expect(await writer.read('generation-b')).toEqual({ '0': '20' });
    for (let at = 21; at < 40; at++) void writer.record('generation-a', history.slice(at, at + 1));
    expect(await writer.read('generation-a')).toEqual({ '0': '39' });
  });

  describe('bulk writes', () => {
    const doc = (index: string, id: string, version: number, document: object = { title: id }): VersionedDocument => ({ index, id, version, document });
    const readOnly = (index: string, on: boolean) =>
      client.indices.putSettings({ index, body: { 'index.blocks.read_only_allow_delete': on ? true : null } });
    const found = async (index: string, ids: string[]) =>
      (await client.mget({ index, body: { ids } })).body.docs.map((d) => ('found' in d ? d.found : false));

    it('retries only the documents the cluster could not take, then writes them', async () => {
      const [busy, calm] = [`bulk-${run}-${n++}`, `bulk-${run}-${n++}`];
      await Promise.all([busy, calm].map((index) => client.indices.create({ index })));
      await readOnly(busy, true); // answers 429, as an overloaded node would
      const retried: string[][] = [];

      const outcome = await writeVersioned(client, [doc(busy, 'a', 1), doc(calm, 'b', 1), doc(busy, 'c', 1), doc(calm, 'd', 1)], {
        minDelayMs: 10,
        onRetry: async ({ documents }) => {
          retried.push(documents.map((d) => d.id));
          await readOnly(busy, false);
        },
      });

      expect(retried).toEqual([['a', 'c']]);
      expect(outcome).toEqual({ written: 4, stale: 0, indices: new Set([busy, calm]) });
      expect(await found(busy, ['a', 'c'])).toEqual([true, true]);
      expect(await found(calm, ['b', 'd'])).toEqual([true, true]);
    });

    it('gives up after a bounded number of attempts, saying why', async () => {
      const busy = `bulk-${run}-${n++}`;
      await client.indices.create({ index: busy });
      await readOnly(busy, true);

      const writing = writeVersioned(client, [doc(busy, 'a', 1)], { attempts: 3, minDelayMs: 5 });

      await expect(writing).rejects.toBeInstanceOf(SearchBulkRetriesExhaustedError);
      await expect(writing).rejects.toMatchObject({ code: 'SEARCH_BULK_EXHAUSTED', documents: 1, attempts: 3 });
      await expect(writing).rejects.toThrow(/429 cluster_block_exception/);
      await readOnly(busy, false);
    });

    it('turns a document the mapping refuses into an error that names it, never a silent skip', async () => {
      const strict = `bulk-${run}-${n++}`;
      await client.indices.create({ index: strict, body: { mappings: { dynamic: 'strict', properties: { title: { type: 'text' } } } } });

      const writing = writeVersioned(client, [doc(strict, 'ok-1', 1), doc(strict, 'bad', 1, { title: 'x', shutter: 0.01 }), doc(strict, 'ok-2', 1)]);

      await expect(writing).rejects.toBeInstanceOf(SearchDocumentRejectedError);
      await expect(writing).rejects.toMatchObject({ code: 'SEARCH_DOCUMENT_REJECTED', index: strict, id: 'bad', status: 400 });
      await expect(writing).rejects.toThrow(/strict_dynamic_mapping_exception.*fix projections\/search\/opensearchTemplate.ts/);
      expect(await found(strict, ['ok-1', 'bad', 'ok-2'])).toEqual([true, false, true]);
    });

    it('says when an index refuses writes, and how to lift the block', async () => {
      const frozen = `bulk-${run}-${n++}`;
      await client.indices.create({ index: frozen });
      await client.indices.addBlock({ index: frozen, block: 'write' });

      const writing = writeVersioned(client, [doc(frozen, 'a', 1)]);

      await expect(writing).rejects.toBeInstanceOf(SearchIndexBlockedError);
      await expect(writing).rejects.toThrow(`PUT ${frozen}/_settings {"index.blocks.write": false}`);
    });

    it('keeps the newest version: an older or repeated write changes nothing', async () => {
      const index = `bulk-${run}-${n++}`;
      await writeVersioned(client, [doc(index, 'a', 2, { title: 'second' })]);

      const outcome = await writeVersioned(client, [doc(index, 'a', 1, { title: 'first' }), doc(index, 'a', 2, { title: 'again' })]);

      expect(outcome).toMatchObject({ written: 0, stale: 2 });
      const { body } = await client.get({ index, id: 'a' });
      expect(body).toMatchObject({ _version: 2, _source: { title: 'second' } });
    });
  });
});
