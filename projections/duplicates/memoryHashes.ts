import { readFileSync } from 'node:fs';
import { IdRows } from './idRows';
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

/** A WebAssembly page, the unit its memory grows by. */
const WASM_PAGE_BYTES = 64 * 1024;

/** Where a list's first block and its length are, after 2 × its key. */
const HEAD = 0;
const LENGTH = 1;

/** Lists with no block and no entry. */
function emptyLists(): Int32Array {
  const lists = new Int32Array(2 * QUARTERS * QUARTER_VALUES);
  for (let key = 0; key < QUARTERS * QUARTER_VALUES; key++) lists[2 * key + HEAD] = -1;
  return lists;
}

/** The close entries' check (closeEntries.wat), compiled when the first index is made: a process that makes none never reads the file. */
let closeEntriesModule: WebAssembly.Module | undefined;

interface CloseEntries {
  memory: WebAssembly.Memory;
  closeEntries(pairs: number, pairCount: number, high: number, low: number, maxDistance: number, out: number): number;
}

function closeEntriesInstance(): CloseEntries {
  closeEntriesModule ??= new WebAssembly.Module(readFileSync(new URL('./closeEntries.wasm', import.meta.url)));
  return new WebAssembly.Instance(closeEntriesModule).exports as unknown as CloseEntries;
}

/** XORed with a quarter, the values of the quarters close to it: the 16-bit values with at most MAX_QUARTER_DISTANCE bits set. */
const CLOSE_QUARTER_MASKS = (() => {
  const masks: number[] = [];
  for (let value = 0; value < QUARTER_VALUES; value++) if (bitCount(value) <= MAX_QUARTER_DISTANCE) masks.push(value);
  return Uint16Array.from(masks);
})();

/** The lists a lookup reads: per quarter, those of the values close to the hash's. */
const PROBES = QUARTERS * CLOSE_QUARTER_MASKS.length;

/**
 * Hashes by asset, in memory, with a lookup of those close to a hash
 * (hashesClose: few bits apart, one quarter at most MAX_QUARTER_DISTANCE).
 * Each hash is listed under each of its quarters (multi-index hashing), so
 * the lookup reads, per quarter, the lists of the values close to the hash's
 * quarter (17 of 65,536 when MAX_QUARTER_DISTANCE is 1), and checks the
 * full distance of the entries there (in WebAssembly, closeEntries.wat,
 * whose memory holds the blocks): about n/960 entries for n uniformly
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
  private readonly rows = new IdRows(this.ids);
  /** Each list's first block (-1 when empty) and its length, side by side (one memory read for both), by key: quarter × 65,536 + value. */
  private readonly lists = emptyLists();
  private readonly wasm = closeEntriesInstance();
  /** The WebAssembly memory as 32-bit words: the pool of blocks from 0, then what a lookup passes to closeEntries and gets back. */
  private words!: Int32Array;
  /** The blocks, the start of `words`. */
  private pool!: Int32Array;
  private entryRows = new Int32Array((BLOCK_INTS * 1024) / 2);
  private blocksUsed = 0;
  private readonly freeBlocks: number[] = [];

  constructor() {
    this.reserve(BLOCK_INTS * 1024, 0);
  }

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
    this.rows.delete(id); // while ids[row] is still this id: the table checks a row's id before it lets go of it
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
  }

  /** The ids whose hashes are close to `hash` (hashesClose), `exclude` left out; with `markedOnly`, among the marked rows alone. */
  close(hash: [number, number], exclude: string, markedOnly = false): string[] {
    // After the pool: the blocks to check as (byte offset, quarter), then room for every entry in them as a close one.
    const pairs = this.pool.length;
    const near = this.blocksNear(hash, pairs);
    if (near === undefined) return this.scan(hash, exclude, markedOnly);
    const out = pairs + 2 * near.blocks;
    this.reserve(pairs, 2 * near.blocks + 2 * near.entries);
    const count = this.wasm.closeEntries(4 * pairs, near.blocks, hash[0], hash[1], MAX_HASH_DISTANCE, 4 * out);
    const { words, entryRows } = this;
    const found: string[] = [];
    for (let i = out; i < out + 2 * count; i += 2) {
      const at = words[i]! / 4;
      // The row and its mark are reads elsewhere in memory, needed only for the few close entries.
      const row = entryRows[at / 2]!;
      if (markedOnly && !this.marks[row]) continue;
      if (firstCloseQuarter([words[at]!, words[at + 1]!], hash) !== words[i + 1]) continue; // found under an earlier quarter
      const id = this.ids[row]!;
      if (id !== exclude) found.push(id);
    }
    return found;
  }

  /**
   * Writes at `pairs` (a word of the WebAssembly memory) every block of the
   * non-empty lists of the values close to the hash's quarters, each as its
   * byte offset and the quarter its list is for; returns how many blocks and
   * how many entries they hold, or undefined when that is more than there are
   * rows. A list's first block is the only one not full, so a list of at most
   * a block's entries is that block: only longer lists' links are read here,
   * and the first blocks are left for closeEntries to read, all at once.
   */
  private blocksNear(hash: [number, number], pairs: number): { blocks: number; entries: number } | undefined {
    this.reserve(this.pool.length, 2 * PROBES);
    const { lists, words } = this;
    let entries = 0;
    let end = pairs;
    let longLists: number[] | undefined;
    for (let quarter = 0; quarter < QUARTERS; quarter++) {
      const base = quarter * QUARTER_VALUES;
      const value = quarterOf(hash, quarter);
      for (const mask of CLOSE_QUARTER_MASKS) {
        const key = base + (value ^ mask);
        const length = lists[2 * key + LENGTH]!;
        if (length === 0) continue;
        entries += length;
        if (length > BLOCK_ENTRIES) (longLists ??= []).push(end);
        words[end++] = 4 * lists[2 * key + HEAD]!;
        words[end++] = quarter;
      }
    }
    if (entries > this.size) return undefined;
    for (const at of longLists ?? []) {
      const quarter = this.words[at + 1]!;
      for (let next = this.pool[this.words[at]! / 4]!; next >= 0; next = this.pool[next]!) {
        this.reserve(this.pool.length, end + 2 - pairs);
        this.words[end++] = 4 * next;
        this.words[end++] = quarter;
      }
    }
    return { blocks: (end - pairs) / 2, entries };
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
      this.reserve(this.pool.length * 2, 0);
      const entryRows = new Int32Array(this.entryRows.length * 2);
      entryRows.set(this.entryRows);
      this.entryRows = entryRows;
    }
    return this.blocksUsed++ * BLOCK_INTS;
  }

  /**
   * Makes the WebAssembly memory hold a pool of `poolInts` words (the blocks
   * in it stay where they are) and `scratchInts` more after it. Growing the
   * memory replaces its buffer, so the views are made again.
   */
  private reserve(poolInts: number, scratchInts: number): void {
    const { memory } = this.wasm;
    const bytes = 4 * (poolInts + scratchInts);
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE_BYTES));
    if (this.words?.buffer !== memory.buffer || this.pool.length !== poolInts) {
      this.words = new Int32Array(memory.buffer);
      this.pool = this.words.subarray(0, poolInts);
    }
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
