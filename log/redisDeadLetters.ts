import type { ChainableCommander } from 'ioredis';
import type { DeadLetter, DeadLetterKey, DeadLetterPlace, DeadLetterQuery } from './eventLog';
import { byListing, listedAfter } from './eventLog';
import type { RedisConnection } from './redisConnection';

/** Members of the listing orders: a dead letter's place as one string, which sorts as deadLetters lists (times are ISO, of one length). */
const SEPARATOR = '\u0000';
const memberOf = ({ time, group, eventId }: DeadLetterPlace) => [time, group, eventId].join(SEPARATOR);
const placeOfMember = (member: string): DeadLetterPlace => {
  const [time = '', group = '', eventId = ''] = member.split(SEPARATOR);
  return { time, group, eventId };
};
const keyOf = ({ group, eventId }: DeadLetterKey) => [group, eventId].join(SEPARATOR);

/** The names of the dead letters' keys, under the log's namespace. */
function keyNames(connection: RedisConnection) {
  const order = (group?: string) => (group === undefined ? connection.key('dead-letter-order') : connection.key('dead-letter-order', group));
  return {
    groups: connection.key('dead-letter-groups'),
    entries: (group: string) => connection.key('dead-letters', group),
    /** Every group's order, or one group's. */
    order,
    /** The orders a dead letter of `group` is listed in. */
    orders: (group: string) => [order(), order(group)],
    ofAsset: (assetId: string) => connection.key('dead-letters-of', assetId),
    indexed: connection.key('dead-letter-order-built'),
  };
}

/** Members read from an order at a time, while listing. */
const PAGE = 500;

/**
 * The dead letters of a partitioned log's consumer groups, in its Redis: a
 * hash per group (event id → entry) and the set of groups that have any,
 * and for listing them a page at a time, sorted sets in the listing's order
 * (one of every group's, one per group: members `TIME␀GROUP␀EVENT`, compared
 * as bytes) and a set per asset (`GROUP␀EVENT`). The hash holds the truth: a
 * member whose entry is gone, or has another time (filed again), is left
 * out where it is read, and taken away there. Dead letters filed before the
 * orders existed are put in them once, at the first listing.
 */
export class RedisDeadLetters {
  private indexed?: Promise<void>;

  private readonly keys;

  constructor(private readonly connection: RedisConnection) {
    this.keys = keyNames(connection);
  }

  private get redis() {
    return this.connection.redis;
  }

  async add(entry: DeadLetter): Promise<void> {
    const { keys } = this;
    const filing = this.redis.multi().sadd(keys.groups, entry.group).hset(keys.entries(entry.group), entry.eventId, JSON.stringify(entry));
    for (const order of keys.orders(entry.group)) filing.zadd(order, 0, memberOf(entry));
    filing.sadd(keys.ofAsset(entry.assetId), keyOf(entry));
    await this.connection.guard(() => filing.exec());
  }

  async remove(entries: DeadLetterKey[]): Promise<void> {
    if (!entries.length) return;
    const found = (await this.entriesOf(entries)).filter((entry): entry is DeadLetter => entry !== undefined);
    const { keys } = this;
    const removal = this.redis.multi();
    for (const { group, eventId } of entries) removal.hdel(keys.entries(group), eventId);
    for (const entry of found) this.unlist(removal, entry);
    await this.connection.guard(() => removal.exec());
  }

  /** Takes a dead letter's members out of the orders and its asset's set. */
  private unlist(commands: ChainableCommander, entry: DeadLetterPlace & Pick<DeadLetter, 'assetId'>): void {
    const { keys } = this;
    for (const order of keys.orders(entry.group)) commands.zrem(order, memberOf(entry));
    commands.srem(keys.ofAsset(entry.assetId), keyOf(entry));
  }

  /** How many each group has, by the length of its hash. */
  async counts(): Promise<Record<string, number>> {
    const groups = await this.connection.guard(() => this.redis.smembers(this.keys.groups));
    const pipeline = this.redis.pipeline();
    for (const name of groups) pipeline.hlen(this.keys.entries(name));
    const lengths = await this.connection.exec<number>(pipeline);
    return Object.fromEntries(groups.flatMap((name, i) => (lengths[i] ? [[name, lengths[i]]] : [])));
  }

  /** In deadLetters' order (log/eventLog.ts): an asset's from its set, others from an order, a page at a time. */
  async list(query: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    await (this.indexed ??= this.indexOlderEntries().catch((error: unknown) => {
      this.indexed = undefined;
      throw error;
    }));
    if (query.assetId !== undefined) return this.listOfAsset(query.assetId, query);
    const order = this.keys.order(query.group);
    const found: DeadLetter[] = [];
    const limit = query.limit ?? Infinity;
    let from = query.after ? `(${memberOf(query.after)}` : '+';
    while (found.length < limit) {
      const members = await this.connection.guard(() => this.redis.zrevrangebylex(order, from, '-', 'LIMIT', 0, PAGE));
      found.push(...(await this.current(members.map(placeOfMember))));
      if (members.length < PAGE) break;
      from = `(${members.at(-1)!}`;
    }
    return found.slice(0, limit);
  }

  private async listOfAsset(assetId: string, { group, after, limit }: DeadLetterQuery): Promise<DeadLetter[]> {
    const members = await this.connection.guard(() => this.redis.smembers(this.keys.ofAsset(assetId)));
    const wanted = members.map((member) => {
      const [name = '', eventId = ''] = member.split(SEPARATOR);
      return { group: name, eventId };
    });
    const entries = (await this.entriesOf(wanted.filter((key) => group === undefined || key.group === group))).filter(
      (entry): entry is DeadLetter => entry !== undefined && entry.assetId === assetId && (!after || listedAfter(entry, after)),
    );
    return entries.sort(byListing).slice(0, limit);
  }

  /** The entries of listed places that still stand as listed; the members of any other are taken away. */
  private async current(places: DeadLetterPlace[]): Promise<DeadLetter[]> {
    const entries = await this.entriesOf(places);
    const stale = places.filter((place, i) => entries[i]?.time !== place.time);
    if (stale.length) {
      const cleanup = this.redis.multi();
      for (const place of stale) for (const order of this.keys.orders(place.group)) cleanup.zrem(order, memberOf(place));
      await this.connection.guard(() => cleanup.exec());
    }
    return entries.filter((entry, i): entry is DeadLetter => entry?.time === places[i]!.time);
  }

  private async entriesOf(keys: DeadLetterKey[]): Promise<(DeadLetter | undefined)[]> {
    if (!keys.length) return [];
    const pipeline = this.redis.pipeline();
    for (const { group, eventId } of keys) pipeline.hget(this.keys.entries(group), eventId);
    const values = await this.connection.exec<string | null>(pipeline);
    return values.map((json) => (json === null ? undefined : (JSON.parse(json) as DeadLetter)));
  }

  /** Puts dead letters filed before the orders existed into them, once per Redis (adding a member twice is harmless). */
  private async indexOlderEntries(): Promise<void> {
    const { keys } = this;
    if (await this.connection.guard(() => this.redis.exists(keys.indexed))) return;
    for (const group of await this.connection.guard(() => this.redis.smembers(keys.groups))) {
      const entries = await this.connection.guard(() => this.redis.hvals(keys.entries(group)));
      const filing = this.redis.pipeline();
      for (const entry of entries.map((json) => JSON.parse(json) as DeadLetter)) {
        for (const order of keys.orders(group)) filing.zadd(order, 0, memberOf(entry));
        filing.sadd(keys.ofAsset(entry.assetId), keyOf(entry));
      }
      await this.connection.exec(filing);
    }
    await this.connection.guard(() => this.redis.set(keys.indexed, new Date().toISOString()));
  }
}
