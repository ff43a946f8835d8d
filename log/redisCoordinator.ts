import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, ReplyError, type Result } from 'ioredis';
import type { AssetEvent, EventDraft, LogPosition, StoredEvent } from '../schemas/envelope';
import type { ChainHead } from './assetChains';
import { ExpectedVersionConflictError, type AppendOptions, type DeadLetter, type Positions } from './eventLog';
import { chainedFields, type HashedEvent } from './eventRecord';
import { GENESIS, chainHash } from './hashChain';

/**
 * What a partitioned log (Kafka, Kinesis) keeps in Redis, because the engine
 * itself can neither check an asset's version nor recognise an event id it
 * already holds: per-asset versions, the id → version map, an outbox of
 * reserved events, and for Kinesis the consumer groups' leases and checkpoints.
 *
 * The append protocol, per asset (one Lua script call covers a whole batch):
 *   1. reserve (atomic): refuse a stale expected version;
 *      give an id already on the log its stored version and place; give each
 *      new event the next version; copy the new events to the asset's outbox
 *      ("pending") and take the asset's lock, so appends to one asset are
 *      produced one after another, in version order.
 *   2. produce the new events to the log and wait for its acknowledgement.
 *   3. commit (Lua): record where each event landed, clear the outbox, set
 *      the asset's head (the version and hash of its last event), unlock.
 *
 * Tamper evidence (log/assetChains.ts): each event's hash chains it to its
 * asset's previous version. Step 1 hands out the asset's head; the hashes of
 * the events produced in step 2 follow from it and the events alone, so a
 * recovery, which produces the same outbox from the same head (the head moves
 * only with the commit that clears the outbox), gives the same hashes.
 *
 * Crash points:
 *   - after reserve, before produce: the events are only in the outbox. The
 *     lock expires after `lockMs`; the next append to the asset, or the
 *     recovery sweep any open log runs, produces the outbox first. A retry of
 *     the same event id waits for that and then gets the same version.
 *   - after produce, before commit: the recovery produces the events a second
 *     time. Consumers therefore see the same event (same id, same version,
 *     same hash) twice now and then; projections keep only newer versions and
 *     processors derive deterministic ids, so the effect happens once (law 4).
 *   - an appender that is only slow (lock expired mid-produce) gets the same
 *     treatment: its copy may arrive after the recovered one, as a duplicate.
 *   - a produce that fails (the log is down) leaves the outbox too: the append
 *     rejects, yet its events may still reach the log later, through the next
 *     append or the recovery; a caller retries with the same event ids.
 * Versions therefore never have gaps and never go backwards on the log.
 *
 * Redis must keep what it acknowledged (AOF with `appendfsync always`, or a
 * replicated setup that does): a lost version counter would hand a version
 * out twice. ensureState refuses a Redis that has forgotten a log with events.
 * Redis Cluster is not supported: one script touches many assets' keys and
 * the log-wide index of outboxes; use a single primary (with replicas).
 * Redis also holds the dead letters: small, listed on every `status`, and
 * cheaper to read there than by scanning a dead-letter topic or stream.
 */
export interface RedisCoordinatorOptions {
  url: string;
  /** Keys are `NAMESPACE:…`; one namespace per log (stream or topic). */
  namespace: string;
  /** How long an appender may hold an asset before others take over its outbox. */
  lockMs?: number;
}

/** Writes events, with their hashes, to the log in order; resolves with each one's place once the log has them durably. */
export type Produce = (events: HashedEvent[]) => Promise<LogPosition[]>;

export class CoordinationUnavailableError extends Error {
  readonly code = 'COORDINATION_UNAVAILABLE';
  constructor(
    readonly redis: string,
    cause: unknown,
  ) {
    super(`Redis at ${redis} is unreachable, and the log refuses appends without it (it checks versions and ids): bring Redis back and appends resume on their own`, { cause });
  }
}

export class CoordinationStateLostError extends Error {
  readonly code = 'COORDINATION_STATE_LOST';
  constructor(
    readonly redis: string,
    readonly namespace: string,
  ) {
    super(`Redis at ${redis} holds no state for ${namespace}, whose log already has events: restore Redis from its AOF or backup before appending, or asset versions would be handed out twice`);
  }
}

/**
 * Reserves a batch's events, asset by asset, in one step.
 * KEYS: version, ids, lock, pending of each asset, then the heads, then the
 * pending-assets index.
 * ARGV: token, lockMs, expected version ('' for none), then for each asset:
 * its id, n, and n pairs of event id and draft JSON.
 * Replies per asset: {'ok', head, version or "version partition offset" per
 * event}, {'busy'}, {'conflict', current}, or {'recover', head, outbox
 * entries…}; head is "version hash", '' before the asset's first hashed event.
 */
const RESERVE = `
local token, lockMs, expected = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local heads, index = KEYS[#KEYS - 1], KEYS[#KEYS]
local now = redis.call('TIME')
local deadline = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + lockMs

local function reserve(version, ids, lock, pending, asset, from, n)
  local holder = redis.call('GET', lock)
  if holder and holder ~= token then return {'busy'} end
  if redis.call('EXISTS', pending) == 1 then
    redis.call('SET', lock, token, 'PX', lockMs)
    redis.call('LSET', pending, 0, token)
    redis.call('ZADD', index, deadline, asset)
    local entries = redis.call('LRANGE', pending, 1, -1)
    table.insert(entries, 1, redis.call('HGET', heads, asset) or '')
    table.insert(entries, 1, 'recover')
    return entries
  end
  local current = tonumber(redis.call('GET', version) or '0')
  if expected ~= '' and tonumber(expected) ~= current then return {'conflict', tostring(current)} end
  local reply, first = {'ok', redis.call('HGET', heads, asset) or ''}, current
  for i = from, from + 2 * n - 1, 2 do
    local existing = redis.call('HGET', ids, ARGV[i])
    if existing then
      table.insert(reply, existing)
    else
      current = current + 1
      redis.call('HSET', ids, ARGV[i], tostring(current))
      if current == first + 1 then redis.call('RPUSH', pending, token) end
      redis.call('RPUSH', pending, tostring(current) .. '|' .. ARGV[i + 1])
      table.insert(reply, tostring(current))
    end
  end
  if current > first then
    redis.call('SET', version, tostring(current))
    redis.call('SET', lock, token, 'PX', lockMs)
    redis.call('ZADD', index, deadline, asset)
  else
    redis.call('ZREM', index, asset)
  end
  return reply
end

local replies, arg = {}, 4
for a = 0, (#KEYS - 2) / 4 - 1 do
  local n = tonumber(ARGV[arg + 1])
  replies[a + 1] = reserve(KEYS[4 * a + 1], KEYS[4 * a + 2], KEYS[4 * a + 3], KEYS[4 * a + 4], ARGV[arg], arg + 2, n)
  arg = arg + 2 + 2 * n
end
return replies`;

/**
 * Records where a batch's events landed and releases their assets.
 * KEYS: ids, lock, pending of each asset, then the heads, then the
 * pending-assets index.
 * ARGV: token, then for each asset: its id, its new head ("version hash"), n,
 * and n pairs of event id and "version partition offset".
 */
const COMMIT = `
local token, heads, index, arg = ARGV[1], KEYS[#KEYS - 1], KEYS[#KEYS], 2
for a = 0, (#KEYS - 2) / 3 - 1 do
  local ids, lock, pending = KEYS[3 * a + 1], KEYS[3 * a + 2], KEYS[3 * a + 3]
  local asset, head, n = ARGV[arg], ARGV[arg + 1], tonumber(ARGV[arg + 2])
  for i = arg + 3, arg + 1 + 2 * n, 2 do redis.call('HSET', ids, ARGV[i], ARGV[i + 1]) end
  local holder = redis.call('GET', lock)
  if holder == token or (not holder and redis.call('LINDEX', pending, 0) == token) then
    redis.call('DEL', lock, pending)
    redis.call('HSET', heads, asset, head)
    redis.call('ZREM', index, asset)
  end
  arg = arg + 3 + 2 * n
end
return 1`;

const TAKE_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

const CHECKPOINT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    medialakeReserve(numberOfKeys: number, ...keysAndArgs: string[]): Result<string[][], Context>;
    medialakeCommit(numberOfKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
    medialakeTakeLease(lease: string, owner: string, ttlMs: string): Result<number, Context>;
    medialakeRelease(key: string, owner: string): Result<number, Context>;
    medialakeCheckpoint(lease: string, checkpoints: string, owner: string, partition: string, offset: string): Result<number, Context>;
  }
}

type Reply =
  | { status: 'busy' }
  | { status: 'conflict'; current: number }
  | { status: 'recover'; head: string; pending: AssetEvent[] }
  | { status: 'ok'; head: string; values: string[] };

const DEFAULT_LOCK_MS = 30_000;
const RECOVERY_BATCH = 100;

function parseReply(reply: string[]): Reply {
  const [status, ...rest] = reply;
  if (status === 'busy') return { status };
  if (status === 'conflict') return { status, current: Number(rest[0]) };
  const [head, ...values] = rest;
  if (status === 'recover') return { status, head: head!, pending: values.map(outboxEvent) };
  return { status: 'ok', head: head!, values };
}

/** An outbox entry: "version|draft JSON". */
function outboxEvent(entry: string): AssetEvent {
  const bar = entry.indexOf('|');
  return { ...JSON.parse(entry.slice(bar + 1)), assetVersion: Number(entry.slice(0, bar)) } as AssetEvent;
}

/** "version hash" as the heads hash holds it. */
function parseHead(value: string): ChainHead {
  const space = value.indexOf(' ');
  return { version: Number(value.slice(0, space)), hash: value.slice(space + 1) };
}

/**
 * Each event's hash, chained from its asset's head (GENESIS before the
 * asset's first hashed event); `events` holds each asset's in version order.
 */
function chain(events: AssetEvent[], heads: Map<string, string>): HashedEvent[] {
  const previous = new Map([...heads].map(([assetId, head]) => [assetId, head ? parseHead(head).hash : GENESIS]));
  return events.map((event) => {
    const hash = chainHash(previous.get(event.assetId) ?? GENESIS, chainedFields(event));
    previous.set(event.assetId, hash);
    return { ...event, hash };
  });
}

export class RedisCoordinator {
  private readonly lockMs: number;
  private readonly instance = randomUUID();
  private appends = 0;
  private recovery?: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    private readonly options: RedisCoordinatorOptions,
  ) {
    this.lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
    redis.defineCommand('medialakeReserve', { lua: RESERVE });
    redis.defineCommand('medialakeCommit', { lua: COMMIT });
    redis.defineCommand('medialakeTakeLease', { lua: TAKE_LEASE, numberOfKeys: 1 });
    redis.defineCommand('medialakeRelease', { lua: RELEASE, numberOfKeys: 1 });
    redis.defineCommand('medialakeCheckpoint', { lua: CHECKPOINT, numberOfKeys: 2 });
  }

  static async connect(options: RedisCoordinatorOptions): Promise<RedisCoordinator> {
    // No offline queue and one try per command: while Redis is down an append
    // fails at once with CoordinationUnavailableError instead of hanging; the
    // client keeps reconnecting in the background.
    const redis = new Redis(options.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined); // reported through the failing calls
    const coordinator = new RedisCoordinator(redis, options);
    await coordinator.guard(() => redis.connect());
    return coordinator;
  }

  private get where(): string {
    const url = new URL(this.options.url);
    return url.host || this.options.url;
  }

  private key(...parts: string[]): string {
    return [this.options.namespace, ...parts].join(':');
  }

  /** An asset's version counter, id → version map, lock and outbox. */
  private assetKeys(assetId: string): { version: string; ids: string; lock: string; pending: string } {
    const asset = this.key('asset', assetId);
    return { version: `${asset}:version`, ids: `${asset}:ids`, lock: `${asset}:lock`, pending: `${asset}:pending` };
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // Redis answered with an error: the request itself was refused. Anything else (a closed or
      // unwritable connection, retries run out) means Redis could not be reached, even where the
      // client has not noticed yet that the connection is gone and still says it is ready.
      if (error instanceof ReplyError) throw error;
      throw new CoordinationUnavailableError(this.where, error);
    }
  }

  /**
   * Marks the log as known to this Redis, or refuses a Redis that has lost
   * it: a log with events but no state here means the state is gone.
   */
  async ensureState(logHasEvents: () => Promise<boolean>): Promise<void> {
    const marker = this.key('state');
    if (await this.guard(() => this.redis.exists(marker))) return;
    if (await logHasEvents()) throw new CoordinationStateLostError(this.where, this.options.namespace);
    await this.guard(() => this.redis.set(marker, new Date().toISOString(), 'NX'));
  }

  /**
   * The append protocol (see the top of this file). Each asset's events are
   * appended in order and at once; across assets a batch is not atomic (no
   * partitioned log offers that without transactions), but every reserved
   * event reaches the log, if need be through the recovery.
   */
  async append(drafts: EventDraft[], { expectedVersion }: AppendOptions, produce: Produce): Promise<StoredEvent[]> {
    const byAsset = new Map<string, EventDraft[]>();
    for (const draft of drafts) byAsset.set(draft.assetId, [...(byAsset.get(draft.assetId) ?? []), draft]);
    if (expectedVersion !== undefined && byAsset.size > 1) {
      throw new Error('an append with an expected version must hold events of one asset');
    }
    const stored = new Map<string, StoredEvent>();
    for (let round = 0; byAsset.size; round++) {
      // Another appender holds some assets: back off briefly; it holds them for one produce.
      if (round) await sleep(Math.min(200, 5 * 2 ** round) * (0.5 + Math.random()));
      for (const event of await this.round(byAsset, expectedVersion, produce)) stored.set(event.id, event);
    }
    return drafts.map((draft) => stored.get(draft.id)!);
  }

  /**
   * One reservation of the assets still to do, then one produce and commit of
   * what was reserved or recovered. Removes the assets that are done.
   */
  private async round(byAsset: Map<string, EventDraft[]>, expectedVersion: number | undefined, produce: Produce): Promise<StoredEvent[]> {
    const token = `${this.instance}:${++this.appends}`;
    const assets = [...byAsset.keys()];
    const keys = assets.flatMap((assetId) => {
      const { version, ids, lock, pending } = this.assetKeys(assetId);
      return [version, ids, lock, pending];
    });
    const args = assets.flatMap((assetId) => {
      const drafts = byAsset.get(assetId)!;
      return [assetId, String(drafts.length), ...drafts.flatMap((draft) => [draft.id, JSON.stringify(draft)])];
    });
    const index = this.key('pending-assets');
    const heads = this.key('heads');
    const expected = expectedVersion === undefined ? '' : String(expectedVersion);
    const replies = await this.guard(() =>
      this.redis.medialakeReserve(keys.length + 2, ...keys, heads, index, token, String(this.lockMs), expected, ...args),
    );

    const done: StoredEvent[] = [];
    const toProduce: AssetEvent[] = [];
    const ownNew: AssetEvent[] = [];
    const headOf = new Map<string, string>();
    replies.forEach((raw, index) => {
      const assetId = assets[index]!;
      const reply = parseReply(raw);
      if (reply.status === 'conflict') throw new ExpectedVersionConflictError(assetId, expectedVersion!, reply.current);
      if (reply.status === 'recover' || reply.status === 'ok') headOf.set(assetId, reply.head);
      if (reply.status === 'recover') toProduce.push(...reply.pending);
      if (reply.status !== 'ok') return; // busy or recovered: this asset's own events go in a later round
      byAsset.get(assetId)!.forEach((draft, i) => {
        const [version, partition, offset] = reply.values[i]!.split(' ');
        const event = { ...draft, assetVersion: Number(version) } as AssetEvent;
        if (partition === undefined) ownNew.push(event);
        else done.push({ ...event, partition, offset: offset! } as StoredEvent);
      });
      byAsset.delete(assetId);
    });
    toProduce.push(...ownNew);
    if (!toProduce.length) return done;

    const hashed = chain(toProduce, headOf);
    const positions = await produce(hashed).catch(async (error: unknown) => {
      // The outbox stays (the events may have reached the log); unlocking lets
      // the next append to these assets produce it at once instead of after lockMs.
      const unlock = this.redis.pipeline();
      for (const assetId of new Set(toProduce.map((e) => e.assetId))) unlock.medialakeRelease(this.assetKeys(assetId).lock, token);
      await unlock.exec().catch(() => undefined);
      throw error;
    });
    const own = new Set(ownNew);
    const placements = new Map<string, string[]>();
    const newHeads = new Map<string, string>();
    toProduce.forEach((event, i) => {
      const { partition, offset } = positions[i]!;
      placements.set(event.assetId, [...(placements.get(event.assetId) ?? []), event.id, `${event.assetVersion} ${partition} ${offset}`]);
      newHeads.set(event.assetId, `${event.assetVersion} ${hashed[i]!.hash}`);
      if (own.has(event)) done.push({ ...event, partition, offset } as StoredEvent);
    });
    const committed = [...placements.keys()];
    const commitKeys = committed.flatMap((assetId) => {
      const { ids, lock, pending } = this.assetKeys(assetId);
      return [ids, lock, pending];
    });
    const commitArgs = committed.flatMap((assetId) => {
      const pairs = placements.get(assetId)!;
      return [assetId, newHeads.get(assetId)!, String(pairs.length / 2), ...pairs];
    });
    await this.guard(() => this.redis.medialakeCommit(commitKeys.length + 2, ...commitKeys, heads, index, token, ...commitArgs));
    return done;
  }

  /** Runs recoverAbandoned every `lockMs` until close: every process with the log open takes part. */
  keepRecovering(produce: Produce, onError: (error: unknown) => void): void {
    this.recovery = setInterval(() => void this.recoverAbandoned(produce).catch(onError), this.lockMs).unref();
  }

  /**
   * Produces the outboxes of appenders that died holding an asset (their
   * lock expired). Returns how many assets it looked at.
   */
  async recoverAbandoned(produce: Produce): Promise<number> {
    const [seconds, micros] = await this.guard(() => this.redis.time());
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const assets = await this.guard(() => this.redis.zrangebyscore(this.key('pending-assets'), '-inf', now, 'LIMIT', 0, RECOVERY_BATCH));
    if (assets.length) await this.round(new Map(assets.map((assetId) => [assetId, []])), undefined, produce);
    return assets.length;
  }

  /** Where each appended event of an asset is, in version order: what readAsset reads. */
  async placements(assetId: string): Promise<(LogPosition & { version: number })[]> {
    const values = await this.guard(() => this.redis.hvals(this.assetKeys(assetId).ids));
    return values
      .map((value) => value.split(' '))
      .filter((parts) => parts.length === 3)
      .map(([version, partition, offset]) => ({ version: Number(version), partition: partition!, offset: offset! }))
      .sort((a, b) => a.version - b.version);
  }

  /** Each asset's head: the version and hash of its last committed event (what verification ends each chain at). */
  async heads(): Promise<Map<string, ChainHead>> {
    const heads = await this.guard(() => this.redis.hgetall(this.key('heads')));
    return new Map(Object.entries(heads).map(([assetId, head]) => [assetId, parseHead(head)]));
  }

  async head(assetId: string): Promise<ChainHead | undefined> {
    const head = await this.guard(() => this.redis.hget(this.key('heads'), assetId));
    return head ? parseHead(head) : undefined;
  }

  /** The ids of an asset's events reserved and not yet committed: an append in flight, or one a crash left to the recovery. */
  async inFlight(assetId: string): Promise<Set<string>> {
    const entries = await this.guard(() => this.redis.lrange(this.assetKeys(assetId).pending, 1, -1));
    return new Set(entries.map((entry) => outboxEvent(entry).id));
  }

  async deadLetter(entry: DeadLetter): Promise<void> {
    await this.guard(() =>
      this.redis.multi().sadd(this.key('dead-letter-groups'), entry.group).hset(this.key('dead-letters', entry.group), entry.eventId, JSON.stringify(entry)).exec(),
    );
  }

  async deadLetters(group?: string): Promise<DeadLetter[]> {
    const groups = group ? [group] : await this.guard(() => this.redis.smembers(this.key('dead-letter-groups')));
    const pipeline = this.redis.pipeline();
    for (const name of groups) pipeline.hvals(this.key('dead-letters', name));
    const lists = await this.guard(() => execPipeline<string[]>(pipeline));
    return lists
      .flat()
      .map((json) => JSON.parse(json) as DeadLetter)
      .sort((a, b) => a.time.localeCompare(b.time));
  }

  /** Takes or renews a lease on one partition for a group member; false while another member holds it. */
  async takeLease(group: string, partition: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.guard(() => this.redis.medialakeTakeLease(this.key('group', group, 'lease', partition), owner, String(ttlMs)))) === 1;
  }

  async releaseLease(group: string, partition: string, owner: string): Promise<void> {
    await this.guard(() => this.redis.medialakeRelease(this.key('group', group, 'lease', partition), owner));
  }

  /** Registers a live member and counts the group's live members, this one included. */
  async liveMembers(group: string, owner: string, ttlMs: number): Promise<number> {
    const members = this.key('group', group, 'members');
    const now = Date.now();
    const [, , count] = await this.guard(() =>
      execPipeline<number>(this.redis.pipeline().zadd(members, now + ttlMs, owner).zremrangebyscore(members, '-inf', now).zcard(members)),
    );
    return count!;
  }

  async leaveGroup(group: string, owner: string): Promise<void> {
    await this.guard(() => this.redis.zrem(this.key('group', group, 'members'), owner));
  }

  async committed(group: string): Promise<Positions> {
    return this.guard(() => this.redis.hgetall(this.key('group', group, 'checkpoints')));
  }

  /** Stores a checkpoint only while `owner` holds the partition's lease (a member that lost it cannot move it). */
  async commit(group: string, partition: string, offset: string, owner: string): Promise<boolean> {
    const lease = this.key('group', group, 'lease', partition);
    return (await this.guard(() => this.redis.medialakeCheckpoint(lease, this.key('group', group, 'checkpoints'), owner, partition, offset))) === 1;
  }

  /** Records that a group read a closed partition to its end; `last` is the position it ended at. */
  async markFinished(group: string, partition: string, last: string): Promise<void> {
    await this.guard(() => this.redis.hset(this.key('group', group, 'finished'), partition, last));
  }

  async finished(group: string): Promise<Record<string, string>> {
    return this.guard(() => this.redis.hgetall(this.key('group', group, 'finished')));
  }

  async close(): Promise<void> {
    clearInterval(this.recovery);
    this.redis.disconnect();
  }
}

/** Runs a pipeline and throws its first failed command's error. */
async function execPipeline<T>(pipeline: ReturnType<Redis['pipeline']>): Promise<T[]> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value as T);
}
