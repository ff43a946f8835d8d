import { posix } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { LRUCache } from 'lru-cache';
import type { StoredEvent } from '../../schemas/envelope';
import type { EventLog, Positions } from '../../log/eventLog';
import type { ProjectionStore } from '../projection';
import { SEARCH_INDEX } from '../registry';
import { INITIAL_GENERATION, type LiveGeneration } from '../lifecycle/catalog';
import type { RebuildRunOptions, RebuildableStore, Rebuilder } from '../lifecycle/generations';
import { REBUILD_BATCH_SIZE, buildFromLog } from '../lifecycle/rebuild';
import { writeVersioned, type BulkOptions } from './opensearchBulk';
import { CheckpointWriter } from './opensearchCheckpoints';
import { aliasedIndex, createIndex, readDocuments, switchAliases, thaw } from './opensearchGenerations';
import { nameFields, searchBody, searchResult, type SearchSource } from './opensearchQuery';
import { SEARCH_FIELDS, checkpointIndexBody, searchIndexTemplate } from './opensearchTemplate';
import { EXACT_LIMIT, TEXT_FIELDS, searchDocument, type SearchIndex, type SearchQuery, type SearchResult } from './searchIndex';
import { foldSearchRecord, type SearchRecord } from './searchRecord';

export interface OpenSearchSearchOptions {
  /** http(s)://host:port; credentials may be in the URL. */
  node: string;
  /** The alias searches go to; generations are indices `INDEX-GENERATION`, their checkpoints live in `INDEX-checkpoints`. */
  index: string;
  /** Of the knn_vector field (opensearchTemplate.ts); a change takes effect at the next rebuild. */
  vectorDimensions: number;
  shards?: number;
  /**
   * Searchable as soon as a batch is applied, like the embedded index; costs a refresh per batch.
   * Off, a batch is searchable within the index's refresh interval (1 s), or once `settle` answers.
   */
  refresh?: boolean;
  /** Sign requests for Amazon OpenSearch Service with the AWS SDK's credentials. */
  sigv4?: { region: string };
  requestTimeoutMs?: number;
  /** Totals and facets are exact up to this many matches (EXACT_LIMIT unless given). */
  exactLimit?: number;
  bulk?: Omit<BulkOptions, 'requireAlias' | 'refresh'>;
}

/** Where a batch is read from (the records it continues) and written to. */
interface Target {
  index: string;
  writeTo: string;
  requireAlias: boolean;
  refresh: boolean;
  /** The records this writer wrote there lately (readRecords says why they may be trusted). */
  recent?: LRUCache<string, SearchRecord>;
}

/** Records kept of what the live writer wrote: enough for the assets a live stream is still processing. */
const RECENT_RECORDS = 10_000;

/** What an index says of itself (mappings._meta.medialake): its generation and the projection version that built it. */
interface GenerationMeta {
  generation: string;
  version: number;
  builtAt: string;
}

/** What the index holds per asset: the search fields, and the record the fold continues from. */
export function indexDocument(record: SearchRecord) {
  if (record.status === 'deleted') return { assetId: record.assetId, status: record.status, record };
  const extension = posix.extname(record.originalName).slice(1).toLowerCase();
  const doc = searchDocument(record);
  // Composed (NFC) text: the pattern tokenizer splits a decomposed letter (e + U+0301) off its word, FTS5 does not.
  for (const field of Object.keys(TEXT_FIELDS) as (keyof typeof TEXT_FIELDS)[]) doc[field] = doc[field].normalize('NFC');
  return { ...doc, ...nameFields(doc), status: record.status, ...(extension && { extension }), record };
}

/**
 * The search projection on OpenSearch: the asset fold, stored per asset with
 * external versions, in generations (indices) behind an alias.
 *
 * Exactly-once in effect, though the checkpoint is a document of its own,
 * written behind the batch's bulk (opensearchCheckpoints.ts): a crash in
 * between redelivers the batch, and applying it again changes nothing. The
 * records a batch continues are the ones this writer wrote lately, or are read
 * with one real-time mget (the previous batch is seen without a refresh), so
 * the fold skips every event the index holds already; and every
 * document carries its asset version as an external version, so OpenSearch
 * itself refuses a version it has or has passed (409, counted as stale), even
 * from a second writer or a late retry.
 *
 * Each generation has its own checkpoint (`INDEX-checkpoints`, one document
 * per generation, each partition merged in on its own), and an index holds
 * every event up to its positions. Live writes go through the alias and never
 * create an index by mistake (require_alias).
 *
 * Rebuilds (`medialake projections rebuild search`, projections/lifecycle/):
 * a new generation is filled from the log beside the live one, which keeps
 * serving; then the live index is frozen (a write block: a live writer's batch
 * fails with SearchIndexBlockedError and its consumer retries it), the new one
 * catches up with the end of the log, so it holds everything the live one
 * does, and one _aliases call moves the alias. A live writer then goes on in
 * the new index with its own positions, which hold there too. The old index is
 * deleted once the searches that reached it are done.
 */
export class OpenSearchSearchIndex implements SearchIndex, RebuildableStore, Rebuilder {
  readonly name = `projection:${SEARCH_INDEX.name}`;
  readonly backend = 'opensearch';
  readonly definition = SEARCH_INDEX;
  readonly batchSize = REBUILD_BATCH_SIZE;
  readonly rebuilder = this;
  private readonly alias: string;
  private readonly checkpoints: string;
  private readonly checkpointWriter: CheckpointWriter;
  /** The records the live writer wrote lately, and the generation's index they went to. */
  private recent?: { index: string; records: LRUCache<string, SearchRecord> };

  private constructor(
    private readonly client: Client,
    private readonly options: OpenSearchSearchOptions,
  ) {
    this.alias = options.index;
    this.checkpoints = `${options.index}-checkpoints`;
    this.checkpointWriter = new CheckpointWriter(client, this.checkpoints);
  }

  /** Puts the index template, and creates the checkpoint index and a first generation when they are missing. */
  static async open(options: OpenSearchSearchOptions): Promise<OpenSearchSearchIndex> {
    const search = new OpenSearchSearchIndex(await createClient(options), options);
    await search.prepare();
    return search;
  }

  private async prepare(): Promise<void> {
    const { alias, client, options } = this;
    await client.indices.putIndexTemplate({
      name: alias,
      body: searchIndexTemplate({ alias, vectorDimensions: options.vectorDimensions, shards: options.shards ?? 1 }) as never,
    });
    if (!(await client.indices.exists({ index: this.checkpoints })).body) {
      await createIndex(client, this.checkpoints, checkpointIndexBody);
    }
    if (!(await client.indices.existsAlias({ name: alias })).body) {
      // A fixed name: two processes opening a new cluster at once make one index, not two behind the alias.
      await this.createGeneration(INITIAL_GENERATION, { aliased: true });
    } else {
      // A live index of an older template takes documents with the fields added since (SEARCH_FIELDS).
      await client.indices.putMapping({ index: alias, body: { properties: SEARCH_FIELDS } as never });
    }
  }

  private indexOf(generation: string): string {
    return `${this.alias}-${generation}`;
  }

  private async createGeneration(generation: string, { aliased = false, building = false }): Promise<string> {
    const index = this.indexOf(generation);
    const meta: GenerationMeta = { generation, version: this.definition.version, builtAt: new Date().toISOString() };
    await createIndex(this.client, index, {
      mappings: { _meta: { medialake: meta } },
      ...(aliased && { aliases: { [this.alias]: {} } }),
      // Refreshing while a rebuild writes is wasted work: refreshed once before the switch.
      ...(building && { settings: { index: { refresh_interval: '-1' } } }),
    });
    return index;
  }

  /** The concrete index behind the alias. */
  private currentIndex(): Promise<string> {
    return aliasedIndex(this.client, this.alias);
  }

  async positions(): Promise<Positions> {
    return this.checkpointWriter.read(await this.currentIndex());
  }

  async settle(): Promise<void> {
    await this.client.indices.refresh({ index: this.alias });
  }

  async apply(batch: StoredEvent[]): Promise<void> {
    if (!batch.length) return;
    // Read where the alias points now: after a rebuild's switch the new generation holds all that this
    // writer wrote to the old one (see the top of this class), so its records and positions hold there.
    const index = await this.currentIndex();
    // What this writer remembers holds for the index it wrote it to: a rebuild (an erasure's among them) folds anew.
    if (this.recent?.index !== index) this.recent = { index, records: new LRUCache({ max: RECENT_RECORDS }) };
    const target = { index, writeTo: this.alias, requireAlias: true, refresh: this.options.refresh ?? false, recent: this.recent.records };
    const written = await this.write(target, batch);
    // The alias moved between reading and writing: the records went to the new generation, so does the checkpoint.
    await this.checkpointWriter.record([...written].find((name) => name !== index) ?? index, batch);
  }

  /** Folds a batch onto the records `target.index` holds and writes the records that changed; returns where they went. */
  private async write(target: Target, batch: StoredEvent[]): Promise<Set<string>> {
    const records = await this.readRecords(target, batch);
    const changed = new Map<string, SearchRecord>();
    for (const event of batch) {
      const current = records.get(event.assetId);
      if (current && event.assetVersion <= current.version) continue;
      const record = foldSearchRecord(current, event);
      if (!record) continue;
      records.set(event.assetId, record);
      changed.set(event.assetId, record);
    }
    if (!changed.size) return new Set();
    const documents = [...changed.values()].map((record) => ({
      index: target.writeTo,
      id: record.assetId,
      version: record.version,
      document: indexDocument(record),
    }));
    const outcome = await writeVersioned(this.client, documents, {
      ...this.options.bulk,
      requireAlias: target.requireAlias,
      refresh: target.refresh,
    });
    for (const [assetId, record] of changed) target.recent?.set(assetId, record);
    return outcome.indices;
  }

  /**
   * The records a batch continues. A record this writer wrote lately is its
   * asset's fold at its version, which the index holds or has passed, so it
   * is taken from `target.recent` where the batch's first event of the asset
   * follows it without a gap (an event between could have been folded by
   * another writer); an asset whose batch starts at its first event has
   * nothing before it to read; the rest come from one real-time mget of
   * `target.index`, which costs the node a refresh of what it holds unrefreshed.
   */
  private async readRecords(target: Target, batch: StoredEvent[]): Promise<Map<string, SearchRecord>> {
    const records = new Map<string, SearchRecord>();
    const seen = new Set<string>();
    const unknown: string[] = [];
    for (const { assetId, assetVersion } of batch) {
      if (seen.has(assetId)) continue;
      seen.add(assetId);
      const recent = target.recent?.get(assetId);
      if (recent && recent.version >= assetVersion - 1) records.set(assetId, recent);
      else if (assetVersion > 1) unknown.push(assetId);
    }
    if (!unknown.length) return records;
    const documents = await readDocuments<Pick<SearchSource, 'record'>>(this.client, target.index, unknown, ['record']);
    for (const [assetId, { record }] of documents) records.set(assetId, record);
    return records;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    // Over several shards, words are scored with their frequencies over the whole index, not each shard's own: equal
    // matches then score alike and come in asset id order, as the embedded index gives them, not shard by shard.
    const spread = query.q && (this.options.shards ?? 1) > 1 ? { search_type: 'dfs_query_then_fetch' as const } : {};
    const { body } = await this.client.search({ index: this.alias, ...spread, body: searchBody(query, this.options.exactLimit ?? EXACT_LIMIT) });
    return searchResult(query, body);
  }

  async live(): Promise<LiveGeneration> {
    const index = await this.currentIndex();
    const { body } = await this.client.indices.getMapping({ index });
    const meta = (body[index]?.mappings?._meta as { medialake?: GenerationMeta } | undefined)?.medialake;
    return meta
      ? { generation: meta.generation, version: meta.version, builtAt: meta.builtAt }
      : { generation: index.slice(this.alias.length + 1), version: 1, builtAt: new Date(0).toISOString() };
  }

  /** A store for one generation that is not live yet: it reads and writes that index only. */
  private generationStore(index: string): ProjectionStore {
    const target = { index, writeTo: index, requireAlias: false, refresh: false };
    return {
      name: this.name,
      positions: () => this.checkpointWriter.read(index),
      apply: async (batch) => {
        if (!batch.length) return;
        await this.write(target, batch);
        await this.checkpointWriter.record(index, batch);
      },
      close: async () => undefined,
    };
  }

  /** Builds a generation from the log beside the live one and puts it in place (see the top of this class). */
  async rebuild(log: EventLog, options: RebuildRunOptions): Promise<LiveGeneration> {
    const index = await this.createGeneration(options.generation, { building: true });
    await buildFromLog(
      log,
      {
        store: this.generationStore(index),
        cutOver: (catchUp) => this.cutOver(index, catchUp),
        isLive: async () => (await this.currentIndex()) === index,
        discard: () => this.drop(index),
      },
      this.definition.name,
      options,
    );
    return this.live();
  }

  private async cutOver(index: string, catchUp: () => Promise<void>): Promise<void> {
    const previous = await this.currentIndex();
    await switchAliases(this.client, {
      frozen: previous,
      built: index,
      catchUp,
      // must_exist: fails, changing nothing, if another rebuild moved the alias meanwhile.
      actions: async () => [{ remove: { index: previous, alias: this.alias, must_exist: true } }, { add: { index, alias: this.alias } }],
      dropFrozen: () => this.drop(previous),
    });
  }

  private async drop(index: string): Promise<void> {
    await this.client.indices.delete({ index }, { ignore: [404] });
    await this.client.delete({ index: this.checkpoints, id: index }, { ignore: [404] });
  }

  /** Drops what a rebuild whose process died left: its index, and the write block it may have put on the live one. */
  async discard(generation: string): Promise<void> {
    const index = this.indexOf(generation);
    const live = await this.currentIndex();
    if (index === live) return;
    await this.drop(index);
    await thaw(this.client, live);
  }

  async close(): Promise<void> {
    // A checkpoint that cannot be written now is as if the process had stopped before it: its batches come again.
    await this.checkpointWriter.written().catch(() => undefined);
    await this.client.close();
  }
}

/** How long the node has to answer when the lake opens: a node that accepts connections and never answers would hold the first request three times the request timeout. */
const FIRST_ANSWER_MS = 10_000;

/** A client whose requests always end: bounded time, bounded retries (a node that never answers must not hang a projection); the node answered once. */
export async function createClient(options: Pick<OpenSearchSearchOptions, 'node' | 'sigv4' | 'requestTimeoutMs'>): Promise<Client> {
  const client = await signedClient({ node: options.node, requestTimeout: options.requestTimeoutMs ?? 30_000, maxRetries: 2 }, options.sigv4);
  await client.ping({}, { requestTimeout: FIRST_ANSWER_MS, maxRetries: 0 }).catch(async (error: unknown) => {
    await client.close();
    throw error;
  });
  return client;
}

async function signedClient(base: { node: string; requestTimeout: number; maxRetries: number }, sigv4: OpenSearchSearchOptions['sigv4']): Promise<Client> {
  if (!sigv4) return new Client(base);
  const { AwsSigv4Signer } = await import('@opensearch-project/opensearch/aws-v3');
  return new Client({ ...base, ...AwsSigv4Signer({ region: sigv4.region, service: 'es' }) });
}
