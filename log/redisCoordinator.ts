import type { ChainKeyring } from './chainKey';
import type { DeadLetter, DeadLetterKey, DeadLetterQuery } from './eventLog';
import { RedisAppends } from './redisAppends';
import type { RedisTarget } from './redisClient';
import { RedisConnection } from './redisConnection';
import { RedisConsumerGroups } from './redisConsumerGroups';
import { RedisDeadLetters } from './redisDeadLetters';

/**
 * What a partitioned log (Kafka, Kinesis) keeps in Redis, over one
 * connection (log/redisConnection.ts), because the engine itself keeps none
 * of it:
 *   - appends (log/redisAppends.ts): per-asset versions and heads, the
 *     id → version map and the outbox that make appends checked, deduplicated
 *     and in order;
 *   - dead letters (log/redisDeadLetters.ts);
 *   - consumer groups where the engine has none, Kinesis
 *     (log/redisConsumerGroups.ts): leases, members, checkpoints.
 *
 * Redis must keep what it acknowledged (AOF with `appendfsync always`, or a
 * replicated setup that does): a lost version counter would hand a version
 * out twice. RedisAppends.ensureState refuses a Redis that has forgotten a
 * log with events. On a Redis Cluster every key of a log is in one hash
 * slot (log/redisClient.ts), because one script touches many assets' keys
 * and the log-wide index of outboxes: one shard carries a log's
 * coordination (docs/scale.md).
 */
export interface RedisCoordinatorOptions extends RedisTarget {
  /** Keys are `NAMESPACE:…`; one namespace per log (stream or topic). */
  namespace: string;
  /** How long an appender may hold an asset before others take over its outbox. */
  lockMs?: number;
  /** The keys the hash chain is signed with (log/chainKey.ts). */
  chainKeys?: ChainKeyring;
}

export class RedisCoordinator {
  readonly appends: RedisAppends;
  readonly deadLetters: RedisDeadLetters;
  readonly groups: RedisConsumerGroups;

  private constructor(private readonly connection: RedisConnection, lockMs?: number, chainKeys?: ChainKeyring) {
    this.appends = new RedisAppends(connection, lockMs, chainKeys);
    this.deadLetters = new RedisDeadLetters(connection);
    this.groups = new RedisConsumerGroups(connection);
  }

  static async connect(options: RedisCoordinatorOptions): Promise<RedisCoordinator> {
    return new RedisCoordinator(await RedisConnection.connect(options, options.namespace), options.lockMs, options.chainKeys);
  }

  async close(): Promise<void> {
    await this.appends.stop();
    this.connection.close();
  }
}

/** A partitioned log's part of the EventLog that lives in its coordinator alone: the dead letters. */
export abstract class RedisCoordinatedLog {
  constructor(protected readonly coordinator: RedisCoordinator) {}

  async deadLetter(entry: DeadLetter): Promise<void> {
    await this.coordinator.deadLetters.add(entry);
  }

  deadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]> {
    return this.coordinator.deadLetters.list(query);
  }

  clearDeadLetters(entries: DeadLetterKey[]): Promise<void> {
    return this.coordinator.deadLetters.remove(entries);
  }

  deadLetterCounts(): Promise<Record<string, number>> {
    return this.coordinator.deadLetters.counts();
  }
}
