import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import type { EventLog, Positions } from '../../log/eventLog';
import type { StoredEvent } from '../../schemas/envelope';
import { foldAsset, type AssetRecord } from '../assetRecord';
import type { ProjectionStore } from '../projection';
import { VECTOR_INDEX } from '../registry';
import { INITIAL_GENERATION, type LiveGeneration } from '../lifecycle/catalog';
import type { RebuildRunOptions, RebuildableStore, Rebuilder } from '../lifecycle/generations';
import { REBUILD_BATCH_SIZE, buildFromLog } from '../lifecycle/rebuild';
import { createClient, type OpenSearchSearchOptions } from '../search/opensearch';
import { writeVersioned, type VersionedDocument } from '../search/opensearchBulk';
import { CheckpointWriter } from '../search/opensearchCheckpoints';
import {
  SearchIndexReplacedError,
  aliasedIndex,
  createIndex,
  indicesWithAliases,
  readDocuments,
  switchAliases,
  thaw,
  type AliasAction,
} from '../search/opensearchGenerations';
import { filterClauses, hitOf, nameFields } from '../search/opensearchQuery';
import { checkpointIndexBody } from '../search/opensearchTemplate';
import { searchDocument } from '../search/searchIndex';
import type { EmbeddingModel, VectorIndex, VectorQuery, VectorResult } from './vectorIndex';

export type OpenSearchVectorOptions = Pick<OpenSearchSearchOptions, 'node' | 'sigv4' | 'requestTimeoutMs' | 'bulk'> & {
  /**
   * Names the indices: a generation's are `PREFIX-GENERATION-assets` and one
   * `PREFIX-GENERATION-space-HASH` per model, reached through the aliases
   * `PREFIX-assets` and `PREFIX-space-HASH`; checkpoints live in `PREFIX-checkpoints`.
   */
  prefix: string;
  shards?: number;
  /** Searchable as soon as a batch is applied, like the embedded index; costs a refresh per batch. Off, within the refresh interval (1 s), or once `settle` answers. */
  refresh?: boolean;
};

interface StoredVector {
  model: string;
  revision: string;
  dimensions: number;
  vector: number[];
}

/** What the assets index holds per asset: the fold's record and its vectors by space, the state every space is written from. */
interface AssetState {
  record: AssetRecord;
  vectors: Record<string, StoredVector>;
}

/** What a generation's assets index says of it (mappings._meta.medialake). */
interface GenerationMeta {
  generation: string;
  version: number;
  builtAt: string;
}

/** Where a batch goes: the live generation (through the aliases, searchable at once) or one being built (its own indices). */
interface Target {
  generation: string;
  live: boolean;
}

/**
 * The knn clause's k: lucene explores this many candidates per segment (its ef
 * search), and the answer is the best query.k of them. At k = 10 HNSW misses
 * true neighbours (even the nearest, on random 32-dimensional vectors); 100
 * candidates agree with the exact embedded index on the conformance tests.
 */
const MIN_CANDIDATES = 100;

const spaceKey = (model: EmbeddingModel) => `${model.id}\n${model.revision}`;

/** The index of one space: model ids hold '/' and upper case, which index names cannot. */
const spaceSuffix = (model: EmbeddingModel) => createHash('sha256').update(spaceKey(model)).digest('hex').slice(0, 16);

/** What every index of a generation is made with: its alias when it is made live, no refreshes while it is built. */
function generationSettings(shards: number, target: Target, alias: string) {
  return {
    ...(target.live && { aliases: { [alias]: {} } }),
    // Refreshing while a rebuild writes is wasted work: refreshed once before the switch.
    settings: { index: { number_of_shards: shards, ...(!target.live && { refresh_interval: '-1' }) } },
  };
}

/** One model's index: its dimension is the model's, so it is made when the model's first vector arrives. */
function spaceIndexBody(model: EmbeddingModel, dimensions: number) {
  return {
    settings: { index: { knn: true } },
    mappings: {
      _meta: { medialake: { model: model.id, revision: model.revision, dimensions } },
      dynamic: 'strict',
      properties: {
        assetId: { type: 'keyword' },
        live: { type: 'boolean' },
        // The filters of SearchQuery, with the search index's fields and meaning (opensearchQuery.ts).
        mediaType: { type: 'keyword' },
        size: { type: 'long' },
        date: { type: 'date', ignore_malformed: true, fields: { text: { type: 'keyword' } } },
        make: { type: 'keyword', ignore_above: 1024 },
        model: { type: 'keyword', ignore_above: 1024 },
        collections: { type: 'keyword' },
        duration: { type: 'double' },
        resolution: { type: 'keyword' },
        codecs: { type: 'keyword', ignore_above: 1024 },
        ...FILTER_KEY_FIELDS,
        record: { type: 'object', enabled: false },
        // lucene: the default engine (faiss) needs native libraries. Vectors are l2-normalised.
        embedding: { type: 'knn_vector', dimension: dimensions, method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil' } },
      },
    },
  };
}

const assetsIndexBody = (meta: GenerationMeta) => ({
  mappings: {
    _meta: { medialake: meta },
    dynamic: 'strict',
    properties: { record: { type: 'object', enabled: false }, vectors: { type: 'object', enabled: false } },
  },
});

/** Two index bodies as one (settings merged). */
function merged(base: { settings: { index: object } }, body: { settings?: { index: object } }) {
  return { ...base, ...body, settings: { index: { ...base.settings.index, ...body.settings?.index } } };
}

/**
 * make, model and codecs case folded (filterKey), what their filters compare.
 * Fields are only added: a space index made before them gets them when a
 * process first writes to it (ensureSpace); its older documents, without
 * keys, are matched by the value as written, ignoring ASCII case, until the
 * next change of their asset or a rebuild.
 */
const FILTER_KEY_FIELDS = {
  makeKey: { type: 'keyword', ignore_above: 1024 },
  modelKey: { type: 'keyword', ignore_above: 1024 },
  codecKeys: { type: 'keyword', ignore_above: 1024 },
};

/** An asset's document in one space: searchable with its filters when live with a vector there, else a tombstone. */
function spaceDocument(state: AssetState, key: string): object {
  const vector = state.record.status !== 'deleted' ? state.vectors[key] : undefined;
  if (!vector) return { assetId: state.record.assetId, live: false };
  const doc = searchDocument(state.record);
  const { assetId, mediaType, size, date, make, model, collections, duration, resolution } = doc;
  return { assetId, live: true, mediaType, size, date, make, model, collections, duration, resolution, ...nameFields(doc), record: state.record, embedding: vector.vector };
}

/** The next state of an asset: the fold, and its vectors as the embedded index keeps them (projections/vectors/sqlite.ts). */
function nextState(current: AssetState | undefined, event: StoredEvent): AssetState | undefined {
  const record = foldAsset(current?.record, event);
  if (!record) return undefined;
  // A deleted asset keeps no vectors; one ingested again starts without any.
  if (record.status === 'deleted' || event.type === 'AssetIngested') return { record, vectors: {} };
  if (event.type !== 'EmbeddingComputed') return { record, vectors: current?.vectors ?? {} };
  const { model, revision, dimensions, vector } = event.payload;
  return { record, vectors: { ...current?.vectors, [spaceKey({ id: model, revision })]: { model, revision, dimensions, vector } } };
}

/**
 * The vector index on OpenSearch k-NN (HNSW, lucene engine): one index per
 * model space, because a knn_vector field has one fixed dimension and a model
 * switch may change it (CLIP B/32: 512, L/14: 768); a space index is made, with
 * the model's dimension, when its first vector arrives, and spaces never meet
 * in a query. Filters and the excluded asset go inside the knn clause
 * (pre-filtering), so k hits come back whenever k assets pass.
 *
 * The fold state (record and vectors per asset) lives in an assets index;
 * every change to an asset rewrites its document in each space it has or had a
 * vector in. Every document carries the asset version as an external version
 * and the checkpoint is written after the bulk, as in the search projection
 * (projections/search/opensearch.ts): a redelivered batch changes nothing.
 *
 * Generations (`medialake projections rebuild vectors`): a generation is an
 * assets index and its space indices, and the live one is what the aliases
 * name (`PREFIX-assets`, `PREFIX-space-HASH`); queries and live writes go
 * through them (writes with require_alias, so a name that is gone is an error,
 * never a new index). A rebuild fills a new generation from the log beside
 * the live one, then freezes the live one, lets the new one catch up and moves
 * every alias in one _aliases call (opensearchGenerations.ts); the old indices
 * are deleted once the searches that reached them are done.
 */
export class OpenSearchVectorIndex implements VectorIndex, RebuildableStore, Rebuilder {
  readonly name = `projection:${VECTOR_INDEX.name}`;
  readonly backend = 'opensearch';
  readonly definition = VECTOR_INDEX;
  readonly batchSize = REBUILD_BATCH_SIZE;
  readonly rebuilder = this;
  private readonly assetsAlias: string;
  private readonly checkpoints: string;
  private readonly checkpointWriter: CheckpointWriter;
  /** Space indices known to exist (their names hold the generation). */
  private readonly spaces = new Set<string>();

  private constructor(
    private readonly client: Client,
    private readonly options: OpenSearchVectorOptions,
  ) {
    this.assetsAlias = `${options.prefix}-assets`;
    this.checkpoints = `${options.prefix}-checkpoints`;
    this.checkpointWriter = new CheckpointWriter(client, this.checkpoints);
  }

  /** Creates the checkpoint index and a first generation when they are missing. */
  static async open(options: OpenSearchVectorOptions): Promise<OpenSearchVectorIndex> {
    const index = new OpenSearchVectorIndex(await createClient(options), options);
    await index.prepare();
    return index;
  }

  private async prepare(): Promise<void> {
    if (!(await this.client.indices.exists({ index: this.checkpoints })).body) {
      await createIndex(this.client, this.checkpoints, checkpointIndexBody);
    }
    if (!(await this.client.indices.existsAlias({ name: this.assetsAlias })).body) {
      // A fixed name: two processes opening a new cluster at once make one generation, not two behind the alias.
      await this.createGeneration({ generation: INITIAL_GENERATION, live: true });
    }
  }

  private assetsIndex(generation: string): string {
    return `${this.options.prefix}-${generation}-assets`;
  }

  private spaceIndex(generation: string, model: EmbeddingModel): string {
    return `${this.options.prefix}-${generation}-space-${spaceSuffix(model)}`;
  }

  private spaceAlias(model: EmbeddingModel): string {
    return `${this.options.prefix}-space-${spaceSuffix(model)}`;
  }

  /** Every index of a generation, as an index expression. */
  private generationIndices(generation: string): string {
    return `${this.options.prefix}-${generation}-*`;
  }

  /** The alias that names a generation's index when it is live: the index name without the generation. */
  private aliasOf(generation: string, index: string): string {
    return `${this.options.prefix}${index.slice(`${this.options.prefix}-${generation}`.length)}`;
  }

  private settings(target: Target, index: string) {
    return generationSettings(this.options.shards ?? 1, target, this.aliasOf(target.generation, index));
  }

  private async createGeneration(target: Target): Promise<void> {
    const index = this.assetsIndex(target.generation);
    const meta: GenerationMeta = { generation: target.generation, version: this.definition.version, builtAt: new Date().toISOString() };
    await createIndex(this.client, index, { ...assetsIndexBody(meta), ...this.settings(target, index) });
  }

  /** The generation the aliases name. */
  private async liveGeneration(): Promise<string> {
    const index = await aliasedIndex(this.client, this.assetsAlias);
    return index.slice(this.options.prefix.length + 1, -'-assets'.length);
  }

  /**
   * Makes the space's index in the target generation, unless it is there. A
   * live one gets its alias with it; should a rebuild have switched
   * generations meanwhile, the index made in the old one is dropped again
   * (the new one holds every event, this space included) and the batch goes
   * again, to the new generation.
   */
  private async ensureSpace(target: Target, vector: StoredVector): Promise<void> {
    const model = { id: vector.model, revision: vector.revision };
    const index = this.spaceIndex(target.generation, model);
    if (this.spaces.has(index)) return;
    await createIndex(this.client, index, merged(spaceIndexBody(model, vector.dimensions), this.settings(target, index)));
    await this.client.indices.putMapping({ index, body: { properties: FILTER_KEY_FIELDS } as never });
    if (target.live && (await this.liveGeneration()) !== target.generation) {
      await this.client.indices.delete({ index }, { ignore: [404] });
      throw new SearchIndexReplacedError(this.assetsIndex(target.generation));
    }
    this.spaces.add(index);
  }

  async positions(): Promise<Positions> {
    return this.checkpointWriter.read(await aliasedIndex(this.client, this.assetsAlias));
  }

  async apply(batch: StoredEvent[]): Promise<void> {
    if (!batch.length) return;
    const written = await this.write({ generation: await this.liveGeneration(), live: true }, batch);
    await this.checkpointWriter.record(written, batch);
  }

  /**
   * Folds a batch onto the states the target's assets index holds and writes
   * what changed; returns the assets index the states went to (after a switch
   * between reading and writing, the new generation's, which held them already).
   */
  private async write(target: Target, batch: StoredEvent[]): Promise<string> {
    const assets = this.assetsIndex(target.generation);
    const before = await readDocuments<AssetState>(this.client, assets, [...new Set(batch.map((event) => event.assetId))]);
    const states = new Map(before);
    const changed = new Set<string>();
    for (const event of batch) {
      const current = states.get(event.assetId);
      if (current && event.assetVersion <= current.record.version) continue;
      const next = nextState(current, event);
      if (!next) continue;
      states.set(event.assetId, next);
      changed.add(event.assetId);
    }
    const spaceDocuments: VersionedDocument[] = [];
    const stateDocuments: VersionedDocument[] = [];
    for (const assetId of changed) {
      const state = states.get(assetId)!;
      const version = state.record.version;
      for (const [key, vector] of Object.entries({ ...before.get(assetId)?.vectors, ...state.vectors })) {
        await this.ensureSpace(target, vector);
        const model = { id: vector.model, revision: vector.revision };
        const index = target.live ? this.spaceAlias(model) : this.spaceIndex(target.generation, model);
        spaceDocuments.push({ index, id: assetId, version, document: spaceDocument(state, key) });
      }
      stateDocuments.push({ index: target.live ? this.assetsAlias : assets, id: assetId, version, document: state });
    }
    const bulk = { ...this.options.bulk, requireAlias: target.live };
    // Spaces first: a state written before its spaces would make a redelivered batch skip them.
    if (spaceDocuments.length) await writeVersioned(this.client, spaceDocuments, { ...bulk, refresh: target.live && (this.options.refresh ?? false) });
    if (!stateDocuments.length) return assets;
    const { indices } = await writeVersioned(this.client, stateDocuments, bulk);
    return [...indices].find((index) => index !== assets) ?? assets;
  }

  async knn(query: VectorQuery): Promise<VectorResult> {
    const index = this.spaceAlias(query.model);
    const filter = {
      bool: {
        filter: [{ term: { live: true } }, ...filterClauses(query.filter ?? {}, true)],
        ...(query.exclude !== undefined && { must_not: [{ term: { assetId: query.exclude } }] }),
      },
    };
    const count = { size: 0, track_total_hits: true, query: filter };
    const nearest = {
      size: query.k,
      _source: ['record'],
      query: { knn: { embedding: { vector: Array.from(query.vector), k: Math.max(query.k, MIN_CANDIDATES), filter } } },
      // Equal scores (identical images) by asset id, as the embedded index orders them.
      sort: [{ _score: 'desc' }, { assetId: 'asc' }],
      track_scores: true,
    };
    // A space with no vector yet has no index: an empty answer, not an error.
    const header = { index, ignore_unavailable: true };
    const { body } = await this.client.msearch({ body: [header, count, header, nearest] as never });
    const [counted, found] = body.responses.map((response) => {
      if ('error' in response) throw new Error(`k-NN search in ${index} failed: ${JSON.stringify(response.error)}`);
      return response;
    });
    const total = counted!.hits.total;
    return {
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      hits: query.k
        ? found!.hits.hits.map((hit) =>
            // lucene's cosinesimil score is (1 + cos) / 2; callers get the cosine, as from the embedded index.
            hitOf((hit._source as { record: AssetRecord }).record, 2 * (hit._score ?? 0) - 1),
          )
        : [],
    };
  }

  async vectorOf(assetId: string, model: EmbeddingModel): Promise<Float32Array | undefined> {
    const { body } = await this.client.get({ index: this.assetsAlias, id: assetId }, { ignore: [404] });
    const state = body.found ? (body._source as AssetState) : undefined;
    const vector = state && state.record.status !== 'deleted' ? state.vectors[spaceKey(model)] : undefined;
    return vector && Float32Array.from(vector.vector);
  }

  async settle(): Promise<void> {
    // The space aliases, as models() names them.
    await this.client.indices.refresh({ index: `${this.options.prefix}-space-*` });
  }

  async models(): Promise<(EmbeddingModel & { dimensions: number; count: number })[]> {
    // The space aliases: a wildcard matches aliases too, and answers with the live indices behind them.
    const pattern = `${this.options.prefix}-space-*`;
    const { body: mappings } = await this.client.indices.getMapping({ index: pattern });
    const spaces = await Promise.all(
      Object.entries(mappings).map(async ([index, { mappings }]) => {
        const meta = (mappings._meta as { medialake: { model: string; revision: string; dimensions: number } }).medialake;
        const { body } = await this.client.count({ index, body: { query: { term: { live: true } } } });
        return { id: meta.model, revision: meta.revision, dimensions: meta.dimensions, count: body.count };
      }),
    );
    return spaces
      .filter((space) => space.count > 0)
      .sort((a, b) => (a.id === b.id ? (a.revision < b.revision ? -1 : 1) : a.id < b.id ? -1 : 1));
  }

  async live(): Promise<LiveGeneration> {
    const index = await aliasedIndex(this.client, this.assetsAlias);
    const { body } = await this.client.indices.getMapping({ index });
    const meta = (body[index]?.mappings?._meta as { medialake: GenerationMeta }).medialake;
    return { generation: meta.generation, version: meta.version, builtAt: meta.builtAt };
  }

  /** A store for one generation that is not live yet: it reads and writes that generation's indices only. */
  private generationStore(generation: string): ProjectionStore {
    const target = { generation, live: false };
    const assets = this.assetsIndex(generation);
    return {
      name: this.name,
      positions: () => this.checkpointWriter.read(assets),
      apply: async (batch) => {
        if (!batch.length) return;
        await this.write(target, batch);
        await this.checkpointWriter.record(assets, batch);
      },
      close: async () => undefined,
    };
  }

  /** Builds a generation from the log beside the live one and puts it in place (see the top of this class). */
  async rebuild(log: EventLog, options: RebuildRunOptions): Promise<LiveGeneration> {
    const { generation } = options;
    await this.createGeneration({ generation, live: false });
    await buildFromLog(
      log,
      {
        store: this.generationStore(generation),
        cutOver: (catchUp) => this.cutOver(generation, catchUp),
        isLive: async () => (await this.liveGeneration()) === generation,
        discard: () => this.drop(generation),
      },
      this.definition.name,
      options,
    );
    return this.live();
  }

  private async cutOver(generation: string, catchUp: () => Promise<void>): Promise<void> {
    const previous = await this.liveGeneration();
    await switchAliases(this.client, {
      frozen: this.generationIndices(previous),
      built: this.generationIndices(generation),
      catchUp,
      actions: () => this.switchActions(previous, generation),
      dropFrozen: () => this.drop(previous),
    });
  }

  /** Every alias of the old generation's indices to the new one's; the spaces are listed after the catch-up, which may have made some. */
  private async switchActions(previous: string, generation: string): Promise<AliasAction[]> {
    const [old, built] = await Promise.all([previous, generation].map((g) => indicesWithAliases(this.client, this.generationIndices(g))));
    const assets = this.assetsIndex(previous);
    return [
      // must_exist: fails, changing nothing, if another rebuild moved the alias meanwhile.
      { remove: { index: assets, alias: this.assetsAlias, must_exist: true } },
      ...[...old!].flatMap(([index, aliases]) => (index === assets ? [] : aliases.map((alias) => ({ remove: { index, alias } })))),
      ...[...built!.keys()].map((index) => ({ add: { index, alias: this.aliasOf(generation, index) } })),
    ];
  }

  private async drop(generation: string): Promise<void> {
    const indices = [...(await indicesWithAliases(this.client, this.generationIndices(generation))).keys()];
    // By name: a cluster may refuse deletes by wildcard (action.destructive_requires_name).
    if (indices.length) await this.client.indices.delete({ index: indices }, { ignore: [404] });
    await this.client.delete({ index: this.checkpoints, id: this.assetsIndex(generation) }, { ignore: [404] });
  }

  /** Drops what a rebuild whose process died left: its indices, and the write block it may have put on the live ones. */
  async discard(generation: string): Promise<void> {
    const live = await this.liveGeneration();
    if (generation === live) return;
    await this.drop(generation);
    await thaw(this.client, this.generationIndices(live));
  }

  async close(): Promise<void> {
    // A checkpoint that cannot be written now is as if the process had stopped before it: its batches come again.
    await this.checkpointWriter.written().catch(() => undefined);
    await this.client.close();
  }
}
