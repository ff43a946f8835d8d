import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { handleQueueMessages, type QueueMessage, type S3NotificationContext } from './s3Notifications';

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

/**
 * Polls a queue of S3 notifications until stopped: each batch is handled,
 * its good messages deleted, the failed ones left for the queue to deliver
 * again. A queue that cannot be reached is retried with backoff.
 */
export function pollS3Notifications(
  queue: MessageQueue,
  context: S3NotificationContext,
  options: PollerOptions,
): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const { logger } = options;

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      try {
        const messages = await queue.receive(options.batchSize ?? 10, stopping.signal);
        if (!messages.length) continue;
        const { outcomes, failed } = await handleQueueMessages(context, messages);
        for (const { id, reason } of failed) logger.warn({ messageId: id, reason }, 'S3 notification not handled; the queue delivers it again');
        for (const { covers, ...outcome } of outcomes) logger.debug(outcome, 'S3 notification handled');
        const failedIds = new Set(failed.map((f) => f.id));
        await queue.delete(messages.filter((message) => !failedIds.has(message.id)));
        failures = 0;
      } catch (error) {
        if (stopping.signal.aborted) break;
        failures++;
        logger.error({ err: error }, 'polling S3 notifications failed; retrying');
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
