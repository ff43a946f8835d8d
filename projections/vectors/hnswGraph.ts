import { createRequire } from 'node:module';
import type hnswlibModule from 'hnswlib-node';

type HierarchicalNSW = hnswlibModule.HierarchicalNSW;

/** hnswlib-node, loaded at the first graph rather than with this module (as better-sqlite3 is: log/sqliteDatabase.ts). */
let loaded: typeof hnswlibModule | undefined;
const newIndex = (dimensions: number): HierarchicalNSW =>
  new (loaded ??= createRequire(import.meta.url)('hnswlib-node') as typeof hnswlibModule).HierarchicalNSW('ip', dimensions);

/** How the graph is made and searched (docs/vectors.md has the measurements behind the defaults). */
export interface GraphParameters {
  /** Links per node (hnswlib's M): memory and build time grow with it, and so does recall. */
  m: number;
  /** Candidates kept while a node is linked in: a better graph for a slower build. */
  efConstruction: number;
  /** Candidates kept while a query walks the graph (at least its k): recall against latency. */
  efSearch: number;
}

export const DEFAULT_GRAPH: GraphParameters = { m: 32, efConstruction: 128, efSearch: 200 };

/** What a saved graph needs beside hnswlib's own file: the asset behind each label, and which labels are deleted. */
export interface GraphLabels {
  ids: string[];
  deleted: number[];
}

/** hnswlib keeps the graph's generator fixed, so the same inserts in the same order give the same graph. */
const SEED = 100;
const FIRST_CAPACITY = 16_384;

/**
 * An HNSW graph (hnswlib, through hnswlib-node) over unit vectors by inner
 * product, keyed by asset id. hnswlib names points by integer labels: each id
 * keeps its label for the graph's life, so a vector that changes is updated
 * in place and one that goes is marked deleted (a tombstone hnswlib skips;
 * the space is compacted when the projection is rebuilt). Not safe to change
 * while it is written to a file: the caller holds changes back meanwhile.
 */
export class HnswGraph {
  private readonly labels = new Map<string, number>();
  private readonly deleted = new Set<number>();

  private constructor(
    private readonly index: HierarchicalNSW,
    private readonly ids: string[],
    readonly parameters: GraphParameters,
  ) {
    ids.forEach((id, label) => this.labels.set(id, label));
  }

  static create(dimensions: number, parameters: GraphParameters, capacity = FIRST_CAPACITY): HnswGraph {
    const index = newIndex(dimensions);
    index.initIndex(Math.max(capacity, 1), parameters.m, parameters.efConstruction, SEED);
    return new HnswGraph(index, [], parameters);
  }

  /** A graph written by write(), with the labels it returned. */
  static async read(file: string, dimensions: number, parameters: GraphParameters, labels: GraphLabels): Promise<HnswGraph> {
    const index = newIndex(dimensions);
    await index.readIndex(file);
    if (index.getCurrentCount() !== labels.ids.length) throw new Error(`${file} holds ${index.getCurrentCount()} points, its labels ${labels.ids.length}`);
    const graph = new HnswGraph(index, [...labels.ids], parameters);
    for (const label of labels.deleted) graph.deleted.add(label);
    return graph;
  }

  /** Writes hnswlib's file (in a worker thread) and returns the labels to keep beside it. */
  async write(file: string): Promise<GraphLabels> {
    const labels = { ids: [...this.ids], deleted: [...this.deleted] };
    await this.index.writeIndex(file);
    return labels;
  }

  /** Live points: not deleted. */
  get size(): number {
    return this.ids.length - this.deleted.size;
  }

  has(id: string): boolean {
    const label = this.labels.get(id);
    return label !== undefined && !this.deleted.has(label);
  }

  /** Adds a point, or moves one to a new vector (hnswlib re-links it), or brings a deleted one back. */
  upsert(id: string, vector: Float32Array): void {
    let label = this.labels.get(id);
    if (label === undefined) {
      label = this.ids.length;
      if (label >= this.index.getMaxElements()) this.index.resizeIndex(2 * this.index.getMaxElements());
      this.ids.push(id);
      this.labels.set(id, label);
    }
    this.index.addPoint(Array.from(vector), label); // unmarks a deleted label as it updates it
    this.deleted.delete(label);
  }

  remove(id: string): void {
    const label = this.labels.get(id);
    if (label === undefined || this.deleted.has(label)) return;
    this.index.markDelete(label);
    this.deleted.add(label);
  }

  /**
   * The ids of about the k nearest live points that `accept` lets through,
   * nearest first. With a filter hnswlib walks past the points it refuses
   * until it holds max(k, efSearch) accepted ones or runs out of graph: a
   * selective filter costs a longer walk, and may still come back short.
   */
  search(query: Float32Array, k: number, accept?: (id: string) => boolean): string[] {
    const wanted = Math.min(k, this.index.getMaxElements());
    if (wanted === 0 || this.size === 0) return [];
    this.index.setEf(Math.max(this.parameters.efSearch, wanted));
    const { ids } = this;
    const filter = accept && ((label: number) => accept(ids[label]!));
    return this.index.searchKnn(Array.from(query), wanted, filter).neighbors.map((label) => ids[label]!);
  }
}
