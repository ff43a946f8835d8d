import { MAX_HASH_DISTANCE, MAX_QUARTER_DISTANCE, bitCount, firstCloseQuarter, hashesClose, quarterOf } from './duplicateGroups';

/** A hash is listed under each of its four 16-bit quarters. */
const QUARTERS = 4;
const QUARTER_VALUES = 1 << 16;

/**
 * Entries a block of a list holds: at 1,000,000 uniformly spread hashes a
 * quarter value has about 15 rows, and one list in sixty more than 24. A
 * lookup then reads one block a list; a second block is a read that waits.
 */
const BLOCK_ENTRIES = 24;
/**
 * A block: the next block of its list (or -1) and its entry count, then each
 * entry's hash (high, low): 200 bytes. The entry at `at` has its row in
 * entryRows at `at / 2` (blocks start at even places), apart from the hashes:
 * a lookup reads the rows of the few close entries alone, and with the rows
 * beside them the hashes would take 296 bytes, more cache lines to read.
 */
const BLOCK_INTS = 2 + 2 * BLOCK_ENTRIES;

/** 32-bit words in a processor's cache line (64 bytes). */
const CACHE_LINE_INTS = 16;

/** Where a list's first block and its length are, after 2 × its key. */
const HEAD = 0;
const LENGTH = 1;

/** Lists with no block and no entry. */
function emptyLists(): Int32Array {
  const lists = new Int32Array(2 * QUARTERS * QUARTER_VALUES);
  for (let key = 0; key < QUARTERS * QUARTER_VALUES; key++) lists[2 * key + HEAD] = -1;
  return lists;
}

/** XORed with a quarter, the values of the quarters close to it: the 16-bit values with at most MAX_QUARTER_DISTANCE bits set. */
const CLOSE_QUARTER_MASKS = (() => {
  const masks: number[] = [];
  for (let value = 0; value < QUARTER_VALUES; value++) if (bitCount(value) <= MAX_QUARTER_DISTANCE) masks.push(value);
  return Uint16Array.from(masks);
})();

/**
 * Hashes by asset, in memory, with a lookup of those close to a hash
 * (hashesClose: few bits apart, one quarter at most MAX_QUARTER_DISTANCE).
 * Each hash is listed under each of its quarters (multi-index hashing), so
 * the lookup reads, per quarter, the lists of the values close to the hash's
 * quarter (17 of 65,536 when MAX_QUARTER_DISTANCE is 1), and checks the
 * full distance of the entries there: about n/960 entries for n uniformly
 * spread hashes, instead of n. A list keeps its entries' hashes in blocks of
 * a few, so checking them reads memory in order (their rows apart). Hashes
 * that crowd into a few quarter values (images dominated by one smooth
 * gradient) lengthen those lists; where they would hold more entries than
 * there are rows, it checks every row instead (two XORs and a few bit counts
 * a row). Either way the answer is exact.
 *
 * Rows can be marked (the duplicate groups mark their representatives), and
 * a lookup among the marked alone passes over the close entries of the
 * others, with no list of its own to keep (a byte a row, read only for the
 * entries that are close).
 */
export class MemoryHashes {
  private high = new Uint32Array(1024);
  private low = new Uint32Array(1024);
  private marks = new Uint8Array(1024);
  private readonly ids: string[] = [];
  private readonly rows = new Map<string, number>();
  /** Each list's first block (-1 when empty) and its length, side by side (one memory read for both), by key: quarter × 65,536 + value. */
  private readonly lists = emptyLists();
  private pool = new Int32Array(BLOCK_INTS * 1024);
  private entryRows = new Int32Array((BLOCK_INTS * 1024) / 2);
  private blocksUsed = 0;
  private readonly freeBlocks: number[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** An asset's hash as halves; undefined when it has none here. */
  hashOf(id: string): [number, number] | undefined {
    const row = this.rows.get(id);
    return row === undefined ? undefined : [this.high[row]!, this.low[row]!];
  }

  /** Sets an asset's hash; a new one is unmarked, one already here keeps its mark. */
  set(id: string, [high, low]: [number, number]): void {
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if (row === this.high.length) this.grow();
      this.ids.push(id);
      this.rows.set(id, row);
    } else {
      for (let quarter = 0; quarter < QUARTERS; quarter++) this.remove(this.keyOf(row, quarter), row);
    }
    this.high[row] = high;
    this.low[row] = low;
    for (let quarter = 0; quarter < QUARTERS; quarter++) this.append(this.keyOf(row, quarter), row);
  }

  /** Marks an asset's row, or takes its mark away; an asset with no hash here is left alone. */
  mark(id: string, marked: boolean): void {
    const row = this.rows.get(id);
    if (row !== undefined) this.marks[row] = marked ? 1 : 0;
  }

  /** Removes a row by moving the last row into its place. */
  delete(id: string): void {
    const row = this.rows.get(id);
    if (row === undefined) return;
    for (let quarter = 0; quarter < QUARTERS; quarter++) this.remove(this.keyOf(row, quarter), row);
    const last = this.ids.length - 1;
    if (row !== last) {
      for (let quarter = 0; quarter < QUARTERS; quarter++) this.entryRows[this.find(this.keyOf(last, quarter), last) / 2] = row;
      this.high[row] = this.high[last]!;
      this.low[row] = this.low[last]!;
      this.marks[row] = this.marks[last]!;
      this.ids[row] = this.ids[last]!;
      this.rows.set(this.ids[row]!, row);
    }
    this.marks[last] = 0;
    this.ids.pop();
    this.rows.delete(id);
  }

  /** The ids whose hashes are close to `hash` (hashesClose), `exclude` left out; with `markedOnly`, among the marked rows alone. */
  close(hash: [number, number], exclude: string, markedOnly = false): string[] {
    const blocks = this.blocksNear(hash);
    if (blocks === undefined) return this.scan(hash, exclude, markedOnly);
    this.readAhead(blocks);
    const { pool, entryRows } = this;
    // As the pool holds them, 32-bit integers: a half of 2^31 or more is otherwise a double, converted at every XOR.
    const [high, low] = [hash[0] | 0, hash[1] | 0];
    const found: string[] = [];
    for (let i = 0; i < blocks.length; i += 2) {
      const block = blocks[i]!;
      const quarter = blocks[i + 1]!;
      const end = block + 2 + 2 * pool[block + 1]!;
      for (let at = block + 2; at < end; at += 2) {
        if (bitCount(pool[at]! ^ high) + bitCount(pool[at + 1]! ^ low) > MAX_HASH_DISTANCE) continue;
        // The row and its mark are reads elsewhere in memory, needed only for the few close entries.
        const row = entryRows[at / 2]!;
        if (markedOnly && !this.marks[row]) continue;
        if (firstCloseQuarter([pool[at]!, pool[at + 1]!], hash) !== quarter) continue; // found under an earlier quarter
        const id = this.ids[row]!;
        if (id !== exclude) found.push(id);
      }
    }
    return found;
  }

  /**
   * Reads a word of each cache line of the blocks before they are checked.
   * These reads do not depend on each other, so the processor has the lists'
   * memory fetched all at once; checking list after list instead waits for
   * each block in turn. At 1,000,000 hashes a lookup reads about 70 blocks at
   * random places, and this took it from 24 to 15 µs. It returns what it
   * read, added up, only so that the reads are not left out as unused.
   */
  private readAhead(blocks: number[]): number {
    const { pool } = this;
    let sum = 0;
    for (let i = 0; i < blocks.length; i += 2) {
      const block = blocks[i]!;
      for (let at = block; at < block + BLOCK_INTS; at += CACHE_LINE_INTS) sum += pool[at]!;
      sum += pool[block + BLOCK_INTS - 1]!;
    }
    return sum;
  }

  /**
   * Every block of the non-empty lists of the values close to the hash's
   * quarters, each with the quarter its list is for (block, quarter, block,
   * quarter…): the first blocks of all the lists, then the second blocks, so
   * that the reads of one depth do not wait on each other. Undefined when the
   * lists hold more entries than there are rows.
   */
  private blocksNear(hash: [number, number]): number[] | undefined {
    let entries = 0;
    const blocks: number[] = [];
    for (let quarter = 0; quarter < QUARTERS; quarter++) {
      const base = quarter * QUARTER_VALUES;
      const value = quarterOf(hash, quarter);
      for (const mask of CLOSE_QUARTER_MASKS) {
        const key = base + (value ^ mask);
        const length = this.lists[2 * key + LENGTH]!;
        if (length === 0) continue;
        entries += length;
        blocks.push(this.lists[2 * key + HEAD]!, quarter);
      }
    }
    if (entries > this.size) return undefined;
    for (let i = 0; i < blocks.length; i += 2) {
      const next = this.pool[blocks[i]!]!;
      if (next >= 0) blocks.push(next, blocks[i + 1]!);
    }
    return blocks;
  }

  private scan(hash: [number, number], exclude: string, markedOnly: boolean): string[] {
    const found: string[] = [];
    for (let row = 0; row < this.ids.length; row++) {
      if (markedOnly && !this.marks[row]) continue;
      if (!hashesClose([this.high[row]!, this.low[row]!], hash)) continue;
      if (this.ids[row] !== exclude) found.push(this.ids[row]!);
    }
    return found;
  }

  /** The list a row is in for one quarter. */
  private keyOf(row: number, quarter: number): number {
    return quarter * QUARTER_VALUES + quarterOf([this.high[row]!, this.low[row]!], quarter);
  }

  /** Adds a row's entry to the first block of a list, which is the only one not full. */
  private append(key: number, row: number): void {
    let block = this.lists[2 * key + HEAD]!;
    if (block < 0 || this.pool[block + 1] === BLOCK_ENTRIES) {
      const fresh = this.allocate();
      this.pool[fresh] = block;
      this.pool[fresh + 1] = 0;
      this.lists[2 * key + HEAD] = block = fresh;
    }
    const at = block + 2 + 2 * this.pool[block + 1]!++;
    this.pool[at] = this.high[row]!;
    this.pool[at + 1] = this.low[row]!;
    this.entryRows[at / 2] = row;
    this.lists[2 * key + LENGTH]!++;
  }

  /** Removes a row's entry from a list: the first block's last entry takes its place. */
  private remove(key: number, row: number): void {
    const at = this.find(key, row);
    const head = this.lists[2 * key + HEAD]!;
    const last = head + 2 + 2 * (this.pool[head + 1]! - 1);
    this.pool.copyWithin(at, last, last + 2);
    this.entryRows[at / 2] = this.entryRows[last / 2]!;
    if (--this.pool[head + 1]! === 0) {
      this.lists[2 * key + HEAD] = this.pool[head]!;
      this.freeBlocks.push(head);
    }
    this.lists[2 * key + LENGTH]!--;
  }

  /** Where a row's entry is in a list. */
  private find(key: number, row: number): number {
    for (let block = this.lists[2 * key + HEAD]!; block >= 0; block = this.pool[block]!) {
      const end = block + 2 + 2 * this.pool[block + 1]!;
      for (let at = block + 2; at < end; at += 2) if (this.entryRows[at / 2] === row) return at;
    }
    throw new Error(`row ${row} is missing from its list ${key}`);
  }

  private allocate(): number {
    const reused = this.freeBlocks.pop();
    if (reused !== undefined) return reused;
    if ((this.blocksUsed + 1) * BLOCK_INTS > this.pool.length) {
      const pool = new Int32Array(this.pool.length * 2);
      const entryRows = new Int32Array(this.entryRows.length * 2);
      pool.set(this.pool);
      entryRows.set(this.entryRows);
      this.pool = pool;
      this.entryRows = entryRows;
    }
    return this.blocksUsed++ * BLOCK_INTS;
  }

  private grow(): void {
    const high = new Uint32Array(this.high.length * 2);
    const low = new Uint32Array(this.low.length * 2);
    const marks = new Uint8Array(this.marks.length * 2);
    high.set(this.high);
    low.set(this.low);
    marks.set(this.marks);
    this.high = high;
    this.low = low;
    this.marks = marks;
  }
}
