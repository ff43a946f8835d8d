import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';

/** Batches a range may hold in memory before its partition is paused until they are taken. */
const MAX_BUFFERED = 8;

interface Range {
  partition: number;
  /** The next offset to hand out; `until` is exclusive. */
  next: bigint;
  until: bigint;
  buffered: KafkaMessage[][];
  error?: unknown;
  wake(): void;
}

/**
 * Reads offset ranges of one partition at a time, for readAll and readAsset.
 * kafkajs consumes only through a consumer group, and a new group costs a
 * join (plus the broker's group.initial.rebalance.delay.ms, 3 s by default),
 * so each open log has one reader: it joins its own group once, on first use,
 * keeps every partition paused, and serves a range by seeking and resuming
 * that partition alone. Ranges are served one after another. Nothing is
 * committed: the reader's group holds no state.
 */
export class KafkaRangeReader {
  private consumer?: Promise<Consumer>;
  private current?: Range;
  /** Whether the consumer is in its group now (kafkajs refuses pause and seek otherwise). */
  private joined = false;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly partitions: number,
    readonly groupId: string,
  ) {}

  /** The messages at offsets from ≤ o < until of one partition, in offset order. */
  async *read(partition: number, from: bigint, until: bigint): AsyncIterable<KafkaMessage[]> {
    if (from >= until) return;
    const release = await this.turn();
    const topic = this.topic;
    let wake = () => undefined as void;
    const range: Range = { partition, next: from, until, buffered: [], wake: () => wake() };
    let consumer: Consumer | undefined;
    try {
      consumer = await (this.consumer ??= this.start());
      this.current = range;
      if (this.joined) this.aim(consumer); // otherwise the consumer is (re)joining, which aims it
      while (range.next < range.until || range.buffered.length) {
        if (range.error) throw range.error;
        const chunk = range.buffered.shift();
        if (!chunk) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (range.next < range.until && this.joined) consumer.resume([{ topic, partitions: [partition] }]);
        yield chunk;
      }
    } finally {
      this.current = undefined;
      if (this.joined) consumer?.pause([{ topic, partitions: [partition] }]);
      release();
    }
  }

  private turn(): Promise<() => void> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    return previous.then(() => release);
  }

  private start(): Promise<Consumer> {
    return this.join().catch((error: unknown) => {
      this.consumer = undefined; // the next read tries again
      throw error;
    });
  }

  private async join(): Promise<Consumer> {
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    // kafkajs forgets pauses and seeks when it restarts a consumer after a
    // crash (a broker restart): every join aims the consumer afresh.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.aim(consumer);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      if (this.current && !payload.restart) {
        this.current.error = payload.error;
        this.current.wake();
      }
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: async ({ batch }) => this.take(consumer, batch.partition, batch.messages) });
      return consumer;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Every partition paused but the current range's, which reads on from where the range is. */
  private aim(consumer: Consumer): void {
    const range = this.current;
    const partitions = Array.from({ length: this.partitions }, (_, i) => i);
    // Each partition by name: pausing a whole topic is undone by resuming one partition.
    consumer.pause([{ topic: this.topic, partitions: partitions.filter((p) => p !== range?.partition) }]);
    if (!range) return;
    consumer.seek({ topic: this.topic, partition: range.partition, offset: String(range.next) });
    consumer.resume([{ topic: this.topic, partitions: [range.partition] }]);
  }

  private take(consumer: Consumer, partition: number, messages: KafkaMessage[]): void {
    const range = this.current;
    if (!range || partition !== range.partition) return;
    const wanted = messages.filter((m) => BigInt(m.offset) >= range.next && BigInt(m.offset) < range.until);
    if (!wanted.length) return;
    range.next = BigInt(wanted.at(-1)!.offset) + 1n;
    range.buffered.push(wanted);
    if (range.next >= range.until || range.buffered.length >= MAX_BUFFERED) {
      consumer.pause([{ topic: this.topic, partitions: [partition] }]);
    }
    range.wake();
  }

  /** Leaves the reader's group; returns whether there was one to delete. */
  async close(): Promise<boolean> {
    if (!this.consumer) return false;
    await (await this.consumer).disconnect();
    return true;
  }
}
