import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { QueueMessage } from './s3Notifications';

/**
 * What the poller needs of a queue: SQS's ReceiveMessage and
 * DeleteMessageBatch, in short. A received message stays invisible to other
 * pollers until it is deleted or its visibility timeout passes, then it is
 * delivered again; after the queue's maxReceiveCount its redrive policy moves
 * it to a dead-letter queue. Set the visibility timeout above the time it
 * takes to copy the largest object.
 */
export interface MessageQueue {
  /** Waits (long polling) for up to `max` messages; an empty answer is fine. */
  receive(max: number, signal: AbortSignal): Promise<(QueueMessage & { receipt: string })[]>;
  delete(messages: (QueueMessage & { receipt: string })[]): Promise<void>;
}

export interface PollerOptions {
  logger: Logger;
  /** SQS hands out at most 10 messages a call. */
  batchSize?: number;
}

const MAX_RETRY_DELAY_MS = 30_000;

/** Acts on a batch of messages; names those to deliver again, with why. */
export type MessageHandler = (messages: QueueMessage[]) => Promise<{ failed: { id: string; reason: string }[] }>;

/**
 * Polls a queue until stopped: each batch is handled, its good messages
 * deleted, the failed ones left for the queue to deliver again. A queue that
 * cannot be reached is retried with backoff.
 */
export function pollQueue(queue: MessageQueue, handle: MessageHandler, options: PollerOptions): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const { logger } = options;

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      try {
        const messages = await queue.receive(options.batchSize ?? 10, stopping.signal);
        if (!messages.length) continue;
        const { failed } = await handle(messages);
        for (const { id, reason } of failed) logger.warn({ messageId: id, reason }, 'queue message not handled; the queue delivers it again');
        const failedIds = new Set(failed.map((f) => f.id));
        await queue.delete(messages.filter((message) => !failedIds.has(message.id)));
        failures = 0;
      } catch (error) {
        if (stopping.signal.aborted) break;
        failures++;
        logger.error({ err: error }, 'polling the queue failed; retrying');
        await sleep(Math.min(MAX_RETRY_DELAY_MS, 200 * 2 ** failures), undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  }

  const running = loop();
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
