import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type _Record,
  type KinesisClient,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';

/** Where reading a shard starts: after or at a sequence number, or at its oldest record kept. */
export type ShardStart = { after: string } | { at: string } | 'start';

/** One GetRecords call's answer; `next` is undefined once a closed shard is read to its end. */
export interface ShardPage {
  records: _Record[];
  next?: string;
  /** The call found nothing after the iterator and the shard's tip: nothing is waiting. */
  caughtUp: boolean;
}

const READ_LIMIT = 10_000;

/**
 * The shards of one Kinesis stream and how they are read: what the log's
 * reads and its consumer group members (log/kinesisGroupMember.ts) share.
 * Mind the service's read limits: five GetRecords calls a second per shard,
 * shared by every reader of the stream.
 */
export class KinesisShards {
  constructor(
    private readonly client: KinesisClient,
    readonly stream: string,
  ) {}

  /** Every shard still in the stream's retention, open and closed, parents before their children. */
  async list(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(new ListShardsCommand(NextToken ? { NextToken } : { StreamName: this.stream }));
      shards.push(...(page.Shards ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    // A reshard's new shards get the next ids, so id order puts parents first.
    return shards.sort((a, b) => a.ShardId!.localeCompare(b.ShardId!));
  }

  async iterator(shardId: string, start: ShardStart): Promise<string> {
    const [type, sequence]: [ShardIteratorType, string | undefined] =
      start === 'start' ? ['TRIM_HORIZON', undefined] : 'after' in start ? ['AFTER_SEQUENCE_NUMBER', start.after] : ['AT_SEQUENCE_NUMBER', start.at];
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({ StreamName: this.stream, ShardId: shardId, ShardIteratorType: type, StartingSequenceNumber: sequence }),
    );
    return ShardIterator!;
  }

  /** One GetRecords call. */
  async records(iterator: string, limit = READ_LIMIT): Promise<ShardPage> {
    const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    const records = page.Records ?? [];
    return { records, next: page.NextShardIterator, caughtUp: !records.length && page.MillisBehindLatest === 0 };
  }

  /** A shard's records from `start`, call by call (up to `limit` a call), until the end of a closed shard or the tip of an open one. */
  async *read(shardId: string, start: ShardStart, limit = READ_LIMIT): AsyncIterable<_Record[]> {
    let iterator: string | undefined = await this.iterator(shardId, start);
    while (iterator) {
      const { records, next, caughtUp } = await this.records(iterator, limit);
      if (records.length) yield records;
      if (caughtUp) return;
      iterator = next;
    }
  }
}
