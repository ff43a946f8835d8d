/** Slots per row at least: a table at most half full keeps linear probing's runs short. */
const SLOTS_PER_ROW = 2;
/** A slot is two words: the id's hash, and its row + 1 (0: empty). */
const SLOT_INTS = 2;

/** How many code units at an id's end its hash reads: the random part of a content hash, the counter of a name. */
const HASHED_UNITS = 12;

/** FNV-1a over the id's last HASHED_UNITS UTF-16 code units and its length. */
export function idHash(id: string): number {
  let hash = Math.imul(0x811c9dc5 ^ id.length, 0x01000193);
  for (let i = Math.max(0, id.length - HASHED_UNITS); i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/**
 * Rows by asset id, for an index of a million assets: an open-addressing
 * table in one Int32Array, each slot the id's hash and its row. A JavaScript
 * Map of a million ids spends a lookup on cache misses (its bucket, the
 * entries of the bucket's chain, each entry's key string: about 2 µs a
 * lookup at that size against under 0.5 at 10,000); here a lookup reads one slot, where a
 * different hash tells an absent id at once, and the row's id (in `ids`,
 * which the caller keeps) only when the hash matches.
 */
export class IdRows {
  private slots = new Int32Array(1024 * SLOT_INTS);
  private used = 0;

  /** `ids[row]` is the id of each row that is set. */
  constructor(private readonly ids: readonly string[]) {}

  get(id: string): number | undefined {
    const at = this.find(id, idHash(id));
    return at === undefined ? undefined : this.slots[at + 1]! - 1;
  }

  /** Sets the row of an id: `ids[row]` must already be that id. */
  set(id: string, row: number): void {
    const hash = idHash(id);
    const found = this.find(id, hash);
    if (found !== undefined) {
      this.slots[found + 1] = row + 1;
      return;
    }
    if ((this.used + 1) * SLOTS_PER_ROW * SLOT_INTS > this.slots.length) this.grow();
    this.place(hash, row);
    this.used++;
  }

  delete(id: string): void {
    const at = this.find(id, idHash(id));
    if (at === undefined) return;
    this.used--;
    this.closeGap(at);
  }

  /** The slot of an id, or undefined. */
  private find(id: string, hash: number): number | undefined {
    const { slots } = this;
    const mask = slots.length - 1;
    for (let at = (hash * SLOT_INTS) & mask; slots[at + 1] !== 0; at = (at + SLOT_INTS) & mask) {
      if (slots[at] === hash && this.ids[slots[at + 1]! - 1] === id) return at;
    }
    return undefined;
  }

  private place(hash: number, row: number): void {
    const { slots } = this;
    const mask = slots.length - 1;
    let at = (hash * SLOT_INTS) & mask;
    while (slots[at + 1] !== 0) at = (at + SLOT_INTS) & mask;
    slots[at] = hash;
    slots[at + 1] = row + 1;
  }

  /**
   * Empties a slot and moves back the entries after it that probing would
   * no longer reach (backward-shift deletion: no tombstones to pile up).
   */
  private closeGap(gap: number): void {
    const { slots } = this;
    const mask = slots.length - 1;
    for (let at = (gap + SLOT_INTS) & mask; slots[at + 1] !== 0; at = (at + SLOT_INTS) & mask) {
      const home = (slots[at]! * SLOT_INTS) & mask;
      // The entry stays unless the gap lies on its way from its home slot to where it is.
      const reachedPastGap = at >= gap ? home <= gap || home > at : home <= gap && home > at;
      if (!reachedPastGap) continue;
      slots[gap] = slots[at]!;
      slots[gap + 1] = slots[at + 1]!;
      gap = at;
    }
    slots[gap] = 0;
    slots[gap + 1] = 0;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let at = 0; at < old.length; at += SLOT_INTS) if (old[at + 1] !== 0) this.place(old[at]!, old[at + 1]! - 1);
  }
}
