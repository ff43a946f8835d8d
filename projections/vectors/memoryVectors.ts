export interface Neighbour<T> {
  id: string;
  value: T;
  /** Cosine similarity: the rows and the query have unit length. */
  score: number;
}

/**
 * A row of the matrix times the query. Four independent sums: V8 does not
 * vectorise, but it pipelines them, about 1.7 times as fast as one sum.
 */
function dot(matrix: Float32Array, base: number, query: Float32Array): number {
  const d = query.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    a += matrix[base + i]! * query[i]!;
    b += matrix[base + i + 1]! * query[i + 1]!;
    c += matrix[base + i + 2]! * query[i + 2]!;
    e += matrix[base + i + 3]! * query[i + 3]!;
  }
  for (; i < d; i++) a += matrix[base + i]! * query[i]!;
  return a + b + c + e;
}

/**
 * Unit vectors of one space in one contiguous Float32Array, each with an id and
 * a value, and an exact k-nearest-neighbour search over them: a full scan, d
 * multiply-adds per row, on one core. At 100,000 rows of 512 dimensions that is
 * 0.05–0.25 s a query (bench/embeddings.ts): fine for a few thousand rows, or
 * for the rows a selective filter leaves; past that an approximate index
 * (vectorSpace.ts's HNSW graph, OpenSearch's) is the tool.
 */
export class MemoryVectors<T> {
  private matrix: Float32Array;
  private readonly ids: string[] = [];
  private readonly values: T[] = [];
  private readonly rows = new Map<string, number>();

  constructor(readonly dimensions: number) {
    this.matrix = new Float32Array(1024 * dimensions);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  valueOf(id: string): T | undefined {
    const row = this.rows.get(id);
    return row === undefined ? undefined : this.values[row];
  }

  /** The ids, as they are now. */
  keys(): string[] {
    return [...this.ids];
  }

  /** A row's vector, as a view that the next change may overwrite. */
  vectorOf(id: string): Float32Array | undefined {
    const row = this.rows.get(id);
    return row === undefined ? undefined : this.matrix.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** A row as a neighbour of the query, with its exact score: how the rows another index found are scored. */
  neighbour(id: string, query: Float32Array): Neighbour<T> | undefined {
    const row = this.rows.get(id);
    return row === undefined ? undefined : { id, value: this.values[row]!, score: dot(this.matrix, row * this.dimensions, query) };
  }

  /** How many rows `accept` lets through. */
  count(accept: (id: string, value: T) => boolean): number {
    const { ids, values } = this;
    let total = 0;
    for (let row = 0; row < ids.length; row++) if (accept(ids[row]!, values[row]!)) total++;
    return total;
  }

  set(id: string, vector: Float32Array, value: T): void {
    if (vector.length !== this.dimensions) {
      throw new RangeError(`a vector of ${vector.length} numbers does not fit a space of ${this.dimensions}`);
    }
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dimensions > this.matrix.length) {
        const grown = new Float32Array(this.matrix.length * 2);
        grown.set(this.matrix);
        this.matrix = grown;
      }
      this.ids.push(id);
      this.rows.set(id, row);
    }
    this.values[row] = value;
    this.matrix.set(vector, row * this.dimensions);
  }

  /** Removes a row by moving the last row into its place. */
  delete(id: string): void {
    const row = this.rows.get(id);
    if (row === undefined) return;
    const last = this.ids.length - 1;
    const d = this.dimensions;
    if (row !== last) {
      this.matrix.copyWithin(row * d, last * d, (last + 1) * d);
      this.ids[row] = this.ids[last]!;
      this.values[row] = this.values[last]!;
      this.rows.set(this.ids[row]!, row);
    }
    this.ids.pop();
    this.values.pop();
    this.rows.delete(id);
  }

  /**
   * The k rows most similar to the query among those `accept` lets through,
   * best first; equal scores (identical images) by id, so every run answers the
   * same. Also counts the accepted rows.
   */
  nearest(
    query: Float32Array,
    k: number,
    accept: (id: string, value: T) => boolean = () => true,
  ): { total: number; neighbours: Neighbour<T>[] } {
    const { dimensions: d, matrix, ids, values } = this;
    if (query.length !== d) throw new RangeError(`a query of ${query.length} numbers does not fit a space of ${d}`);
    const top: { row: number; score: number }[] = []; // best first, at most k long
    const before = (a: { row: number; score: number }, b: { row: number; score: number }) =>
      a.score > b.score || (a.score === b.score && ids[a.row]! < ids[b.row]!);
    let total = 0;
    for (let row = 0; row < ids.length; row++) {
      if (!accept(ids[row]!, values[row]!)) continue;
      total++;
      const candidate = { row, score: dot(matrix, row * d, query) };
      if (top.length === k && (k === 0 || !before(candidate, top[k - 1]!))) continue;
      let low = 0; // binary search for the first entry the candidate goes before
      let high = top.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (before(candidate, top[middle]!)) high = middle;
        else low = middle + 1;
      }
      top.splice(low, 0, candidate);
      if (top.length > k) top.pop();
    }
    return { total, neighbours: top.map(({ row, score }) => ({ id: ids[row]!, value: values[row]!, score })) };
  }
}

/** Best first; equal scores by id, as nearest() orders them. */
export function rankNeighbours<T>(neighbours: Neighbour<T>[]): Neighbour<T>[] {
  return neighbours.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
