/** One duplicate of an asset, as the grouping rule reads it. */
export interface Duplicate {
  assetId: string;
  /** Bits their hashes differ in. */
  distance: number;
  representative: boolean;
}

/**
 * What the grouping rule reads and writes of a projection's state; the
 * duplicates themselves (which pairs are close and agree) are the store's.
 * Unknown assets are representatives with no group.
 */
export interface GroupingState {
  duplicatesOf(assetId: string): Duplicate[];
  /**
   * Its duplicates that represent a group: duplicatesOf's, filtered. All the
   * rule needs to decide an asset; a store that marks the representatives in
   * its index answers without gathering the many duplicates a crowded
   * picture has.
   */
  representativeDuplicatesOf(assetId: string): Duplicate[];
  isRepresentative(assetId: string): boolean;
  setRepresentative(assetId: string, representative: boolean): void;
  groupIdOf(assetId: string): string | undefined;
  setGroupId(assetId: string, groupId: string | undefined): void;
  /** Whether an asset other than `representative` has joined its group. */
  hasMembers(representative: string): boolean;
  /** The distance of two assets that are duplicates of each other; undefined for others. */
  distanceBetween(a: string, b: string): number | undefined;
}

/**
 * Brings representatives and groups (the rule of duplicateGroups.ts) up to
 * date after the duplicates of `assetId` changed from `before` to `after`
 * (its own facts changed; the pairs are already stored). Its duplicates look
 * at it only while it is a representative: those that saw it as one (before)
 * or see it as one now (after) are decided again, the others keep what they
 * had. Cost: the assets whose representative status flips and the
 * duplicates of those, read whole; for each other asset decided again, its
 * duplicates that represent; for each other duplicate of the asset, a few
 * lookups by key, since only the asset changed around it. Never a walk
 * of a whole group, and for an asset that joins a group, only its own
 * duplicates.
 */
export function regroup(state: GroupingState, assetId: string, before: string[], after: string[]): void {
  const wasRepresentative = state.isRepresentative(assetId);
  const own = state.duplicatesOf(assetId);
  const representative = decidesToRepresent(assetId, own);
  if (representative !== wasRepresentative) state.setRepresentative(assetId, representative);
  const watchers = [...(wasRepresentative ? before : []), ...(representative ? after : [])];
  // Its duplicates with larger ids see a representative with a smaller id: members, whatever else they see.
  const members = new Set(representative ? after.filter((id) => id > assetId) : []);
  const flipped = settleRepresentatives(state, watchers.filter((id) => id > assetId), members);
  const reassessed = new Set([assetId, ...watchers]);
  // The representatives each asset near a flip gained: with those, its nearest is found without reading it whole.
  const gained = new Map<string, Duplicate[]>();
  for (const [id, duplicates] of flipped) {
    reassessed.add(id);
    const represents = state.isRepresentative(id);
    for (const { assetId: near, distance } of duplicates) {
      reassessed.add(near);
      if (represents) gained.set(near, [...(gained.get(near) ?? []), { assetId: id, distance, representative: true }]);
    }
  }
  const changed = { assetId, representative, distances: new Map(own.map((duplicate) => [duplicate.assetId, duplicate.distance])), flipped, gained };
  nameGroups(state, joinNearest(state, reassessed, changed));
}

/** What changed around the assets joinNearest reassesses: one asset's status and pairs, and the assets whose status flipped. */
interface Change {
  assetId: string;
  representative: boolean;
  /** Its duplicates now, and their distances. */
  distances: Map<string, number>;
  flipped: ReadonlyMap<string, unknown>;
  /** For each duplicate of a flipped asset, those of them that represent now. */
  gained: Map<string, Duplicate[]>;
}

/** An asset represents a group unless one of its duplicates with a smaller id already does. */
const decidesToRepresent = (assetId: string, duplicates: Duplicate[]) => !duplicates.some((d) => d.assetId < assetId && d.representative);

/**
 * Puts each asset that is not a representative in the group of its nearest
 * representative, and takes representatives out of any other group (theirs
 * is named below). Returns the representatives whose members may have changed.
 */
function joinNearest(state: GroupingState, assetIds: Set<string>, change: Change): Set<string> {
  const representatives = new Set<string>();
  for (const assetId of assetIds) {
    const former = state.groupIdOf(assetId);
    if (state.isRepresentative(assetId)) {
      if (former) representatives.add(former);
      representatives.add(assetId);
      if (former !== undefined && former !== assetId) state.setGroupId(assetId, undefined);
      continue;
    }
    const joined = nearestAfterChange(state, assetId, former, change) ?? nearestRepresentative(state.representativeDuplicatesOf(assetId));
    if (joined === former) continue;
    if (former) representatives.add(former);
    if (joined) representatives.add(joined);
    state.setGroupId(assetId, joined);
  }
  return representatives;
}

/**
 * A member's nearest representative from what changed around it alone: its
 * group's representative, unless it flipped or the changed asset was it,
 * stays nearest unless one it gained (the changed asset, or a duplicate that
 * flipped to representing) is nearer. Undefined where that does not hold
 * (its duplicates must be read whole).
 */
function nearestAfterChange(state: GroupingState, assetId: string, former: string | undefined, change: Change): string | undefined {
  if (assetId === change.assetId || former === undefined || former === change.assetId) return undefined;
  if (change.flipped.has(assetId) || change.flipped.has(former)) return undefined;
  const candidates = [...(change.gained.get(assetId) ?? [])];
  const distance = change.distances.get(assetId);
  if (change.representative && distance !== undefined) candidates.push({ assetId: change.assetId, distance, representative: true });
  if (!candidates.length) return former;
  const formerDistance = state.distanceBetween(assetId, former);
  if (formerDistance === undefined) return undefined;
  return nearestRepresentative([{ assetId: former, distance: formerDistance, representative: true }, ...candidates]);
}

/** A representative's group is its own while somebody has joined it, and none otherwise. */
function nameGroups(state: GroupingState, representatives: Set<string>): void {
  for (const assetId of representatives) {
    if (!state.isRepresentative(assetId)) continue;
    const groupId = state.hasMembers(assetId) ? assetId : undefined;
    if (groupId !== state.groupIdOf(assetId)) state.setGroupId(assetId, groupId);
  }
}

/**
 * Decides again, least id first, whether each of `seeds` is a representative
 * (`members` are known not to be). An asset's answer depends only on its
 * duplicates with smaller ids, so when one flips, its duplicates with larger
 * ids are decided again after it, and nothing decided earlier in the walk can
 * change. On ids that are hashes of the content (random order), a change
 * flips O(1) assets in expectation. Returns those that flipped, with their
 * duplicates as read (which ids, how far; not whether they represent).
 */
function settleRepresentatives(state: GroupingState, seeds: Iterable<string>, members: Set<string>): Map<string, Duplicate[]> {
  const pending = new AscendingIds(seeds);
  const flipped = new Map<string, Duplicate[]>();
  for (let assetId = pending.next(); assetId !== undefined; assetId = pending.next()) {
    const member = members.has(assetId);
    const was = state.isRepresentative(assetId);
    if (member && !was) continue;
    const representative = !member && decidesToRepresent(assetId, state.representativeDuplicatesOf(assetId));
    if (representative === was) continue;
    state.setRepresentative(assetId, representative);
    const duplicates = state.duplicatesOf(assetId);
    flipped.set(assetId, duplicates);
    for (const duplicate of duplicates) if (duplicate.assetId > assetId) pending.add(duplicate.assetId);
  }
  return flipped;
}

/** The representative an asset joins: the nearest of its duplicates that are representatives, the least id among equals. */
function nearestRepresentative(duplicates: Duplicate[]): string | undefined {
  let best: Duplicate | undefined;
  for (const d of duplicates) {
    if (!d.representative) continue;
    if (!best || d.distance < best.distance || (d.distance === best.distance && d.assetId < best.assetId)) best = d;
  }
  return best?.assetId;
}

/** Asset ids to visit, least first, each once while it waits. */
class AscendingIds {
  /** Greatest first, so the least is popped from the end. */
  private readonly descending: string[] = [];

  constructor(ids: Iterable<string>) {
    for (const id of ids) this.add(id);
  }

  add(id: string): void {
    let low = 0;
    let high = this.descending.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.descending[middle]! > id) low = middle + 1;
      else high = middle;
    }
    if (this.descending[low] !== id) this.descending.splice(low, 0, id);
  }

  next(): string | undefined {
    return this.descending.pop();
  }
}
