import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AssetEvent, EventDraft, LogPosition, StoredEvent } from '../schemas/envelope';
import type { ChainHead, ChainHeads } from './assetChains';
import { ChainKeyring } from './chainKey';
import { NO_HEAD, type AssetHead } from './assetHead';
import { ExpectedVersionConflictError, type AppendOptions } from './eventLog';
import type { HashedEvent } from './eventRecord';
import { COMMIT, RESERVE, outboxEvent, parseReserveReply } from './redisAppendScripts';
import type { RedisConnection } from './redisConnection';
import { chainEvents, committedHeads, parseStoredHead } from './redisHeads';

/**
 * Appends to a partitioned log (Kafka, Kinesis) through its Redis, because
 * the engine itself can neither check an asset's version nor recognise an
 * event id it already holds: per-asset versions, the id → version map and
 * an outbox of reserved events live in Redis.
 *
 * The append protocol, per asset (one Lua script call covers a whole batch):
 *   1. reserve (atomic): refuse a stale expected version;
 *      give an id already on the log its stored version and place; give each
 *      new event the next version; copy the new events to the asset's outbox
 *      ("pending") and take the asset's lock, so appends to one asset are
 *      produced one after another, in version order.
 *   2. produce the new events to the log and wait for its acknowledgement.
 *   3. commit (Lua): record where each event landed, clear the outbox, set
 *      the asset's head (the version and hash of its last event, whether
 *      it is live, and where its live ingest landed: log/redisHeads.ts),
 *      unlock. The append returns once the log has its events, with the
 *      commit sent and not yet answered (commitBehind).
 *
 * Tamper evidence (log/assetChains.ts): each event's link, signed with the
 * log's chain key, chains it to its asset's previous version. Step 1 hands
 * out the asset's head; the links of the events produced in step 2 follow
 * from it, the events and the key alone, so a recovery, which produces the
 * same outbox from the same head (the head moves only with the commit that
 * clears the outbox), gives the same links. A recovery signing with a newer
 * key than the crashed appender's gives other links for the same events;
 * verification takes either copy, as each follows the same head.
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
 * On a Redis Cluster all of a log's keys share one hash slot
 * (log/redisClient.ts): each step is still one script on one primary, and
 * the crash points above hold as they are.
 */

/**
 * An event on its way to the log. `checked`: validated in this process
 * against its schema (an append's own events, checkDrafts); an outbox
 * recovered from another appender may have been written by another build.
 */
export interface OutgoingEvent {
  event: HashedEvent;
  checked: boolean;
}

/** Writes events, with their hashes, to the log in order; resolves with each one's place once the log has them durably. */
export type Produce = (outgoing: OutgoingEvent[]) => Promise<LogPosition[]>;

export class CoordinationStateLostError extends Error {
  readonly code = 'COORDINATION_STATE_LOST';
  constructor(
    readonly redis: string,
    readonly namespace: string,
  ) {
    super(
      `Redis at ${redis} holds no state for ${namespace}, whose log already has events: restore Redis from its AOF or backup ` +
        '(moving from a single Redis to a Redis Cluster: medialake coordination move-to-cluster) before appending, or asset versions would be handed out twice',
    );
  }
}

const DEFAULT_LOCK_MS = 30_000;
/**
 * A batch of more assets is appended in parts, each its own reservation,
 * produce and commit, all at once: one part's produce is then on its way
 * while the next part is reserved (the log's sends group what arrives
 * meanwhile into one). Parts hold distinct assets, so each asset's events
 * still go out in order, in one part.
 */
const ASSETS_PER_PART = 256;
const RECOVERY_BATCH = 100;

/** What verification reads of a stored head: its version and hash. */
function chainHead(value: string): ChainHead {
  const { version, hash } = parseStoredHead(value);
  return { version, hash };
}

export class RedisAppends implements ChainHeads {
  private readonly instance = randomUUID();
  private appends = 0;
  private recovery?: NodeJS.Timeout;
  /** Commits sent and not yet answered (commitBehind). */
  private readonly commits = new Set<Promise<void>>();
  /** Where failures no caller waits for are told: of a commit sent behind its append, of the recovery sweep. */
  private logger?: Logger;

  constructor(
    private readonly connection: RedisConnection,
    /** How long an appender may hold an asset before others take over its outbox. */
    private readonly lockMs = DEFAULT_LOCK_MS,
    /** The keys links are signed with (log/chainKey.ts); none: unkeyed links, as before signing. */
    private readonly signingKeys?: ChainKeyring,
  ) {
    connection.redis.defineCommand('medialakeReserve', { lua: RESERVE });
    connection.redis.defineCommand('medialakeCommit', { lua: COMMIT });
  }

  private get redis() {
    return this.connection.redis;
  }

  private key(...parts: string[]): string {
    return this.connection.key(...parts);
  }

  /** An asset's version counter, id → version map, lock and outbox. */
  private assetKeys(assetId: string): { version: string; ids: string; lock: string; pending: string } {
    const asset = this.key('asset', assetId);
    return { version: `${asset}:version`, ids: `${asset}:ids`, lock: `${asset}:lock`, pending: `${asset}:pending` };
  }

  /**
   * Marks the log as known to this Redis, or refuses a Redis that has lost
   * it: a log with events but no state here means the state is gone. The
   * marker is asked for again after events are found: a process opening the
   * same new log at once sets it before its first append (a lake appends its
   * default pipelines as it opens), and its events are then no loss.
   */
  async ensureState(logHasEvents: () => Promise<boolean>): Promise<void> {
    const marker = this.key('state');
    const marked = () => this.connection.guard(() => this.redis.exists(marker));
    if (await marked()) return;
    if ((await logHasEvents()) && !(await marked())) throw new CoordinationStateLostError(this.connection.where, this.connection.namespace);
    await this.connection.guard(() => this.redis.set(marker, new Date().toISOString(), 'NX'));
  }

  /**
   * The append protocol (see the top of this file). Each asset's events are
   * appended in order and at once; across assets a batch is not atomic (no
   * partitioned log offers that without transactions), but every reserved
   * event reaches the log, if need be through the recovery. The drafts are
   * checked already (checkDrafts: they are what the validation gave back).
   * A large batch goes in parts (ASSETS_PER_PART); the append settles once
   * every part has, and rejects with the first part's failure.
   */
  async append(drafts: EventDraft[], { expectedVersion }: AppendOptions, produce: Produce): Promise<StoredEvent[]> {
    const byAsset = new Map<string, EventDraft[]>();
    for (const draft of drafts) byAsset.set(draft.assetId, [...(byAsset.get(draft.assetId) ?? []), draft]);
    if (expectedVersion !== undefined && byAsset.size > 1) {
      throw new Error('an append with an expected version must hold events of one asset');
    }
    const stored = new Map<string, StoredEvent>();
    const settled = await Promise.allSettled(inParts(byAsset, ASSETS_PER_PART).map((part) => this.appendPart(part, expectedVersion, produce, stored)));
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return drafts.map((draft) => stored.get(draft.id)!);
  }

  /** Rounds of reservation and produce until every asset of `part` is done; each stored event goes into `stored`. */
  private async appendPart(
    part: Map<string, EventDraft[]>,
    expectedVersion: number | undefined,
    produce: Produce,
    stored: Map<string, StoredEvent>,
  ): Promise<void> {
    for (let round = 0; part.size; round++) {
      // Another appender holds some assets: back off briefly; it holds them for one produce.
      if (round) await sleep(Math.min(200, 5 * 2 ** round) * (0.5 + Math.random()));
      for (const event of await this.round(part, expectedVersion, produce)) stored.set(event.id, event);
    }
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
    const replies = await this.connection.guard(() =>
      this.redis.medialakeReserve(keys.length + 2, ...keys, heads, index, token, String(this.lockMs), expected, ...args),
    );

    const done: StoredEvent[] = [];
    const toProduce: AssetEvent[] = [];
    const ownNew: AssetEvent[] = [];
    const reservedHeads = new Map<string, string>();
    replies.forEach((raw, index) => {
      const assetId = assets[index]!;
      const reply = parseReserveReply(raw);
      if (reply.status === 'conflict') throw new ExpectedVersionConflictError(assetId, expectedVersion!, reply.current);
      if (reply.status === 'recover' || reply.status === 'ok') reservedHeads.set(assetId, reply.head);
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

    const hashed = chainEvents(toProduce, reservedHeads, this.signingKeys);
    const own = new Set(ownNew);
    const positions = await produce(hashed.map((event, i) => ({ event, checked: own.has(toProduce[i]!) }))).catch(async (error: unknown) => {
      // The outbox stays (the events may have reached the log); unlocking lets
      // the next append to these assets produce it at once instead of after lockMs.
      const unlock = this.redis.pipeline();
      for (const assetId of new Set(toProduce.map((e) => e.assetId))) unlock.medialakeRelease(this.assetKeys(assetId).lock, token);
      await unlock.exec().catch(() => undefined);
      throw error;
    });
    const placements = new Map<string, string[]>();
    toProduce.forEach((event, i) => {
      const { partition, offset } = positions[i]!;
      placements.set(event.assetId, [...(placements.get(event.assetId) ?? []), event.id, `${event.assetVersion} ${partition} ${offset}`]);
      if (own.has(event)) done.push({ ...event, partition, offset } as StoredEvent);
    });
    const newHeads = committedHeads(hashed.map((event, i) => ({ ...event, ...positions[i]! })), reservedHeads);
    const committed = [...placements.keys()];
    const commitKeys = committed.flatMap((assetId) => {
      const { ids, lock, pending } = this.assetKeys(assetId);
      return [ids, lock, pending];
    });
    const commitArgs = committed.flatMap((assetId) => {
      const pairs = placements.get(assetId)!;
      return [assetId, newHeads.get(assetId)!, String(pairs.length / 2), ...pairs];
    });
    this.commitBehind(() => this.redis.medialakeCommit(commitKeys.length + 2, ...commitKeys, heads, index, token, ...commitArgs));
    return done;
  }

  /**
   * Sends a commit and returns without waiting for it: the events are on the
   * log, so the append is done. The commit goes out on the connection ahead
   * of anything this process sends after it, and Redis runs a connection's
   * commands in order, so this process's next reads and reservations see it
   * (another process may see the asset busy or its head behind for that
   * round trip, as while any append is in flight). A commit that does not
   * land is the crash point after produce: the recovery produces the outbox
   * again. close() waits for the commits in flight.
   */
  private commitBehind(commit: () => Promise<unknown>): void {
    const sent = this.connection.guard(commit).then(
      () => undefined,
      (error: unknown) => this.warnOffPath(error, 'commit'),
    );
    this.commits.add(sent);
    void sent.finally(() => this.commits.delete(sent));
  }

  /** Runs recoverAbandoned every `lockMs` until close (every process with the log open takes part); tells `logger` what fails off the callers' path. */
  keepRecovering(produce: Produce, logger: Logger | undefined): void {
    this.logger = logger;
    this.recovery = setInterval(() => void this.recoverAbandoned(produce).catch((error) => this.warnOffPath(error, 'recovery')), this.lockMs).unref();
  }

  private warnOffPath(error: unknown, step: 'commit' | 'recovery'): void {
    this.logger?.warn({ err: error, step }, 'coordinating off the append path failed: the recovery sweep produces what was left');
  }

  /**
   * Produces the outboxes of appenders that died holding an asset (their
   * lock expired). Returns how many assets it looked at.
   */
  async recoverAbandoned(produce: Produce): Promise<number> {
    const [seconds, micros] = await this.connection.guard(() => this.redis.time());
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const assets = await this.connection.guard(() => this.redis.zrangebyscore(this.key('pending-assets'), '-inf', now, 'LIMIT', 0, RECOVERY_BATCH));
    if (assets.length) await this.round(new Map(assets.map((assetId) => [assetId, []])), undefined, produce);
    return assets.length;
  }

  /** What verification checks signed links with (an empty ring when this log signs nothing). */
  get chainKeys(): ChainKeyring {
    return this.signingKeys ?? new ChainKeyring({});
  }

  /** Where each appended event of an asset is, in version order: what readAsset reads. */
  async placements(assetId: string): Promise<(LogPosition & { version: number })[]> {
    const values = await this.connection.guard(() => this.redis.hvals(this.assetKeys(assetId).ids));
    return values
      .map((value) => value.split(' '))
      .filter((parts) => parts.length === 3)
      .map(([version, partition, offset]) => ({ version: Number(version), partition: partition!, offset: offset! }))
      .sort((a, b) => a.version - b.version);
  }

  /** Each asset's head: the version and hash of its last committed event (what verification ends each chain at). */
  async heads(): Promise<Map<string, ChainHead>> {
    const heads = await this.connection.guard(() => this.redis.hgetall(this.key('heads')));
    return new Map(Object.entries(heads).map(([assetId, head]) => [assetId, chainHead(head)]));
  }

  async head(assetId: string): Promise<ChainHead | undefined> {
    const head = await this.connection.guard(() => this.redis.hget(this.key('heads'), assetId));
    return head ? chainHead(head) : undefined;
  }

  /**
   * The asset's head as its last commit left it (one round trip): NO_HEAD
   * before anything was reserved for it; undefined where Redis cannot tell,
   * for the log to work out from the asset's history: a head kept before
   * heads held liveness, or versions reserved for an asset without a head
   * (its first append in flight, or events written before the log kept hashes).
   * A live head kept before heads held the ingest's place comes without
   * it (log/redisHeads.ts): a command that needs the ingest event reads
   * the asset's history there.
   */
  async assetHead(assetId: string): Promise<AssetHead | undefined> {
    const pipeline = this.redis.pipeline().hget(this.key('heads'), assetId).get(this.assetKeys(assetId).version);
    const [head, reserved] = await this.connection.exec<string | null>(pipeline);
    if (head) return parseStoredHead(head).asset;
    return reserved === null ? NO_HEAD : undefined;
  }

  /** The ids of an asset's events reserved and not yet committed: an append in flight, or one a crash left to the recovery. */
  async inFlight(assetId: string): Promise<Set<string>> {
    const entries = await this.connection.guard(() => this.redis.lrange(this.assetKeys(assetId).pending, 1, -1));
    return new Set(entries.map((entry) => outboxEvent(entry).id));
  }

  /** Stops the recovery sweep and waits for the commits in flight. */
  async stop(): Promise<void> {
    clearInterval(this.recovery);
    await Promise.all(this.commits);
  }
}

/** A batch's assets in parts of at most `size` assets each, in order. */
function inParts<T>(byAsset: Map<string, T>, size: number): Map<string, T>[] {
  const entries = [...byAsset];
  const parts: Map<string, T>[] = [];
  for (let start = 0; start < entries.length; start += size) parts.push(new Map(entries.slice(start, start + size)));
  return parts;
}
