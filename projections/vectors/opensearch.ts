import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import type { Positions } from '../../log/eventLog';
import type { StoredEvent } from '../../schemas/envelope';
import { foldAsset, type AssetRecord } from '../assetRecord';
import { VECTOR_INDEX } from '../registry';
import { createClient, errorType, type OpenSearchSearchOptions } from '../search/opensearch';
import { writeVersioned, type VersionedDocument } from '../search/opensearchBulk';
import { readCheckpoint, writeCheckpoint } from '../search/opensearchCheckpoints';
import { filterClauses, hitOf } from '../search/opensearchQuery';
import { checkpointIndexBody } from '../search/opensearchTemplate';
import { searchDocument } from '../search/searchIndex';
import type { EmbeddingModel, VectorIndex, VectorQuery, VectorResult } from './vectorIndex';

export type OpenSearchVectorOptions = Pick<OpenSearchSearchOptions, 'node' | 'sigv4' | 'requestTimeoutMs' | 'bulk'> & {
  /** Names the indices: `PREFIX-assets`, `PREFIX-checkpoints`, one `PREFIX-space-HASH` per model. */
  prefix: string;
  shards?: number;
  /** Searchable as soon as a batch is applied, like the embedded index; costs a refresh per batch. */
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

/** One model's index: its dimension is the model's, so it is made when the model's first vector arrives. */
function spaceIndexBody(model: EmbeddingModel, dimensions: number, shards: number) {
  return {
    settings: { index: { number_of_shards: shards, knn: true } },
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
        record: { type: 'object', enabled: false },
        // lucene: the default engine (faiss) needs native libraries. Vectors are l2-normalised.
        embedding: { type: 'knn_vector', dimension: dimensions, method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil' } },
      },
    },
  };
}

const assetsIndexBody = (shards: number) => ({
  settings: { index: { number_of_shards: shards } },
  mappings: { dynamic: 'strict', properties: { record: { type: 'object', enabled: false }, vectors: { type: 'object', enabled: false } } },
});

/** An asset's document in one space: searchable with its filters when live with a vector there, else a tombstone. */
function spaceDocument(state: AssetState, key: string): object {
  const vector = state.record.status !== 'deleted' ? state.vectors[key] : undefined;
  if (!vector) return { assetId: state.record.assetId, live: false };
  const { assetId, mediaType, size, date, make, model } = searchDocument(state.record);
  return { assetId, live: true, mediaType, size, date, make, model, record: state.record, embedding: vector.vector };
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
 * The fold state (record and vectors per asset) lives in `PREFIX-assets`;
 * every change to an asset rewrites its document in each space it has or had a
 * vector in. Every document carries the asset version as an external version
 * and the checkpoint is written after the bulk, as in the search projection
 * (projections/search/opensearch.ts): a redelivered batch changes nothing.
 */
export class OpenSearchVectorIndex implements VectorIndex {
  readonly name = `projection:${VECTOR_INDEX.name}`;
  private readonly assets: string;
  private readonly checkpoints: string;
  private readonly spaces = new Set<string>();

  private constructor(
    private readonly client: Client,
    private readonly options: OpenSearchVectorOptions,
  ) {
    this.assets = `${options.prefix}-assets`;
    this.checkpoints = `${options.prefix}-checkpoints`;
  }

  static async open(options: OpenSearchVectorOptions): Promise<OpenSearchVectorIndex> {
    const index = new OpenSearchVectorIndex(await createClient(options), options);
    await index.createIndex(index.checkpoints, checkpointIndexBody);
    await index.createIndex(index.assets, assetsIndexBody(options.shards ?? 1));
    return index;
  }

  private spaceIndex(model: EmbeddingModel): string {
    return `${this.options.prefix}-space-${spaceSuffix(model)}`;
  }

  /** Creates an index unless it exists; one that another process has just created is as good. */
  private async createIndex(index: string, body: object): Promise<void> {
    if ((await this.client.indices.exists({ index })).body) return;
    await this.client.indices.create({ index, body: body as never }).catch((error: unknown) => {
      if (errorType(error) !== 'resource_already_exists_exception') throw error;
    });
  }

  private async ensureSpace(vector: StoredVector): Promise<void> {
    const model = { id: vector.model, revision: vector.revision };
    const index = this.spaceIndex(model);
    if (this.spaces.has(index)) return;
    await this.createIndex(index, spaceIndexBody(model, vector.dimensions, this.options.shards ?? 1));
    this.spaces.add(index);
  }

  positions(): Promise<Positions> {
    return readCheckpoint(this.client, this.checkpoints, this.options.prefix);
  }

  async apply(batch: StoredEvent[]): Promise<void> {
    if (!batch.length) return;
    const before = await this.readStates([...new Set(batch.map((event) => event.assetId))]);
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
        await this.ensureSpace(vector);
        const index = this.spaceIndex({ id: vector.model, revision: vector.revision });
        spaceDocuments.push({ index, id: assetId, version, document: spaceDocument(state, key) });
      }
      stateDocuments.push({ index: this.assets, id: assetId, version, document: state });
    }
    // Spaces first: a state written before its spaces would make a redelivered batch skip them.
    const { bulk, refresh = true } = this.options;
    if (spaceDocuments.length) await writeVersioned(this.client, spaceDocuments, { ...bulk, refresh });
    if (stateDocuments.length) await writeVersioned(this.client, stateDocuments, bulk);
    await writeCheckpoint(this.client, this.checkpoints, this.options.prefix, batch);
  }

  /** The states of these assets, with one real-time mget (the previous batch is seen without a refresh). */
  private async readStates(ids: string[]): Promise<Map<string, AssetState>> {
    const { body } = await this.client.mget({ index: this.assets, body: { ids } });
    const states = new Map<string, AssetState>();
    for (const doc of body.docs) {
      if ('error' in doc && doc.error) throw new Error(`reading asset ${doc._id} from ${this.assets} failed: ${doc.error.type}: ${doc.error.reason}`);
      if ('found' in doc && doc.found) states.set(doc._id, doc._source as AssetState);
    }
    return states;
  }

  async knn(query: VectorQuery): Promise<VectorResult> {
    const index = this.spaceIndex(query.model);
    const filter = {
      bool: {
        filter: [{ term: { live: true } }, ...filterClauses(query.filter ?? {})],
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
    const { body } = await this.client.get({ index: this.assets, id: assetId }, { ignore: [404] });
    const state = body.found ? (body._source as AssetState) : undefined;
    const vector = state && state.record.status !== 'deleted' ? state.vectors[spaceKey(model)] : undefined;
    return vector && Float32Array.from(vector.vector);
  }

  async models(): Promise<(EmbeddingModel & { dimensions: number; count: number })[]> {
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

  async close(): Promise<void> {
    await this.client.close();
  }
}
