import { setImmediate as nextTurn } from 'node:timers/promises';
import { DEFAULT_GRAPH, HnswGraph, type GraphLabels, type GraphParameters } from './hnswGraph';
import { MemoryVectors, rankNeighbours, type Neighbour } from './memoryVectors';

export interface ApproximateSettings extends GraphParameters {
  /**
   * A space gets an HNSW graph once it holds this many vectors, and a query
   * that this many rows or fewer pass is answered by a scan of them: at 10,000
   * rows of 512 dimensions a scan takes about 10 ms and is exact.
   */
  from: number;
}

export const DEFAULT_APPROXIMATE: ApproximateSettings = { from: 10_000, ...DEFAULT_GRAPH };

export interface SpaceQuery<T> {
  vector: Float32Array;
  k: number;
  /** The filter; without one nothing is scanned to count the rows that pass. */
  accept?: (id: string, value: T) => boolean;
  /** Left out of the answer (and of the count). */
  exclude?: string;
  /** Scan every row, whatever the size. */
  exact?: boolean;
}

/**
 * A filtered query over-fetches an unfiltered walk deep enough to meet this
 * many times k rows that pass: a walk finds fewer of the true neighbours deep
 * in its list than near its top, and at a million vectors twice k found 94 %
 * of the true 20 that pass, three times 95 % (bench/vectors.ts).
 */
const OVERFETCH = 3;
/** The deepest unfiltered walk that a filtered query over-fetches with: 1,000 candidates meet k = 20 of one row in 17. */
const MAX_OVERFETCH = 1000;

/** Inserts into a graph being built between turns of the event loop: the API keeps answering meanwhile. */
const INSERTS_PER_TURN = 256;

/**
 * One model's vectors: the exact copy (MemoryVectors), which answers every
 * query exactly and scores every hit, and from `settings.from` vectors on an
 * HNSW graph beside it, which finds the candidates of a large space quickly.
 * The graph is derived from the copy: built in the background when the space
 * grows past the threshold (queries are exact until it is ready), or read from
 * a file and brought up to date, and told of every change after that.
 */
export class VectorSpace<T> {
  readonly vectors: MemoryVectors<T>;
  private graph?: HnswGraph;
  private ready = false;
  private building?: Promise<void>;
  /** Set while the graph is written to a file: the ids changed meanwhile, applied to it afterwards. */
  private held?: Set<string>;
  /** Changes to the graph since it was last written. */
  unsaved = 0;

  constructor(
    dimensions: number,
    readonly settings: ApproximateSettings = DEFAULT_APPROXIMATE,
  ) {
    this.vectors = new MemoryVectors<T>(dimensions);
  }

  get size(): number {
    return this.vectors.size;
  }

  set(id: string, vector: Float32Array, value: T): void {
    const current = this.vectors.vectorOf(id);
    const moved = !current || current.some((x, i) => x !== vector[i]);
    this.vectors.set(id, vector, value);
    if (moved) this.changed(id);
  }

  delete(id: string): void {
    if (!this.vectors.has(id)) return;
    this.vectors.delete(id);
    this.changed(id);
  }

  private changed(id: string): void {
    if (!this.graph) return;
    if (this.held) this.held.add(id);
    else this.sync(this.graph, id);
  }

  private sync(graph: HnswGraph, id: string): void {
    const vector = this.vectors.vectorOf(id);
    if (vector) graph.upsert(id, vector);
    else graph.remove(id);
    this.unsaved++;
  }

  /**
   * Starts building the graph once the space is large enough; resolves when
   * it is ready (at once when none is due). In the background, unless `now`:
   * a rebuild, which applies batch after batch without giving the event loop
   * a turn, builds it at once when its space reaches the threshold.
   */
  indexed(now = false): Promise<void> {
    if (!this.graph && this.size >= this.settings.from) {
      const graph = HnswGraph.create(this.vectors.dimensions, this.settings, Math.ceil(this.size * 1.25));
      this.graph = graph;
      this.building = this.fill(graph, now);
    }
    return this.building ?? Promise.resolve();
  }

  /** Inserts every row the changes have not inserted already, a few hundred per turn unless `now`. */
  private async fill(graph: HnswGraph, now: boolean): Promise<void> {
    const ids = this.vectors.keys();
    for (let i = 0; i < ids.length; i++) {
      if (!now && i % INSERTS_PER_TURN === INSERTS_PER_TURN - 1) await nextTurn();
      if (!graph.has(ids[i]!)) this.sync(graph, ids[i]!);
    }
    this.ready = true;
  }

  /** Takes a graph read from a file, once told which ids changed after it was written. */
  adopt(graph: HnswGraph, changedSince: Iterable<string>): void {
    this.graph = graph;
    for (const id of changedSince) this.sync(graph, id);
    this.ready = true;
    this.building = Promise.resolve();
  }

  /** Writes the graph (when it is ready) with the labels to keep beside it; changes meanwhile wait. */
  async write(file: string): Promise<GraphLabels | undefined> {
    if (!this.graph || !this.ready || this.held) return undefined;
    const graph = this.graph;
    this.held = new Set();
    const unsaved = this.unsaved;
    try {
      const labels = await graph.write(file);
      this.unsaved -= unsaved;
      return labels;
    } finally {
      const held = this.held;
      this.held = undefined;
      for (const id of held) this.sync(graph, id);
    }
  }

  /**
   * The k nearest rows that pass, and how many pass. Exact when asked, while
   * the graph is not ready, and when few rows pass (a scan of them is cheap);
   * otherwise the graph's candidates, scored exactly from the copy. When the
   * graph's walk comes back with fewer than k (a filter it rarely met), the
   * scan answers instead: k hits whenever k rows pass.
   */
  nearest(query: SpaceQuery<T>): { total: number; neighbours: Neighbour<T>[] } {
    const { vector, k, accept, exclude } = query;
    const passes = acceptance(accept, exclude);
    if (query.exact || !this.ready) return this.vectors.nearest(vector, k, passes);
    const total = accept ? this.vectors.count(passes!) : this.size - (exclude !== undefined && this.vectors.has(exclude) ? 1 : 0);
    if (total <= this.settings.from) return this.vectors.nearest(vector, k, passes);
    const found = accept ? this.filteredCandidates(vector, k, passes!, total) : this.candidates(vector, k + (exclude === undefined ? 0 : 1), passes);
    // A change held back while the graph is written may have taken a found row away.
    const neighbours = rankNeighbours(found.flatMap((id) => this.vectors.neighbour(id, vector) ?? [])).slice(0, k);
    if (neighbours.length < Math.min(k, total)) return this.vectors.nearest(vector, k, passes);
    return { total, neighbours };
  }

  /** The graph's nearest `wanted`, less those `passes` refuses. */
  private candidates(vector: Float32Array, wanted: number, passes: SpaceQuery<T>['accept']): string[] {
    const found = this.graph!.search(vector, wanted);
    return passes ? found.filter((id) => this.vectors.has(id) && passes(id, this.vectors.valueOf(id)!)) : found;
  }

  /**
   * Candidates when `total` rows pass a filter: an unfiltered walk deep
   * enough to meet about OVERFETCH times k of them, filtered after, where that
   * takes at most MAX_OVERFETCH candidates. It calls no JavaScript per visited point,
   * as hnswlib's filter callback does. Rarer rows, or an unlucky draw, take
   * the filtered walk.
   */
  private filteredCandidates(vector: Float32Array, k: number, passes: NonNullable<SpaceQuery<T>['accept']>, total: number): string[] {
    const wanted = Math.ceil((OVERFETCH * k * this.size) / total);
    if (wanted <= MAX_OVERFETCH) {
      const found = this.candidates(vector, wanted, passes);
      if (found.length >= k) return found;
    }
    return this.graph!.search(vector, k, (id) => this.vectors.has(id) && passes(id, this.vectors.valueOf(id)!));
  }
}

/** The filter and the exclusion as one test; undefined when neither is set. */
function acceptance<T>(accept: SpaceQuery<T>['accept'], exclude: string | undefined): SpaceQuery<T>['accept'] {
  if (exclude === undefined) return accept;
  return accept ? (id, value) => id !== exclude && accept(id, value) : (id) => id !== exclude;
}
