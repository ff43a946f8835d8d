import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import type { S3ClientOptions } from '../storage/s3';
import type { QueueMessage } from './s3Notifications';
import type { MessageQueue } from './sqsPoller';

/** Where an SQS API is: AWS by default (region and credentials from the SDK's usual chain), or an SQS-compatible one. */
export type SqsClientOptions = Pick<S3ClientOptions, 'region' | 'endpoint' | 'credentials'>;

export interface SqsQueueOptions extends SqsClientOptions {
  queueUrl: string;
  /** Says which deletes failed; the messages concerned come back after their visibility timeout. */
  logger: Logger;
  /** How long a receive waits for messages (long polling); SQS allows 0 to 20 seconds. */
  waitSeconds?: number;
}

/** SQS hands out at most 10 messages a receive and deletes at most 10 a batch. */
const SQS_BATCH_LIMIT = 10;
const LONGEST_POLL_SECONDS = 20;

export function createSqsClient(options: SqsClientOptions = {}): SQSClient {
  return new SQSClient({
    ...(options.region && { region: options.region }),
    ...(options.credentials && { credentials: options.credentials }),
    // Without one, the SDK sends each call to the queue URL's host, which is what AWS and most stand-ins want.
    ...(options.endpoint && { endpoint: options.endpoint }),
  });
}

type ReceivedMessage = QueueMessage & { receipt: string };

/** An Amazon SQS queue (or an SQS-compatible one such as ElasticMQ) as the poller's MessageQueue. */
export class SqsMessageQueue implements MessageQueue {
  readonly client: SQSClient;
  readonly queueUrl: string;
  private readonly logger: Logger;
  private readonly waitSeconds: number;

  constructor(options: SqsQueueOptions) {
    this.client = createSqsClient(options);
    this.queueUrl = options.queueUrl;
    this.logger = options.logger;
    this.waitSeconds = Math.min(LONGEST_POLL_SECONDS, Math.max(0, options.waitSeconds ?? LONGEST_POLL_SECONDS));
  }

  async receive(max: number, signal: AbortSignal): Promise<ReceivedMessage[]> {
    const { Messages = [] } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(SQS_BATCH_LIMIT, Math.max(1, max)),
        WaitTimeSeconds: this.waitSeconds,
      }),
      // Aborting ends the open long poll at once instead of after up to 20 seconds.
      { abortSignal: signal },
    );
    return Messages.map((message) => ({ id: message.MessageId!, body: message.Body ?? '', receipt: message.ReceiptHandle! }));
  }

  async delete(messages: ReceivedMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += SQS_BATCH_LIMIT) {
      const batch = messages.slice(start, start + SQS_BATCH_LIMIT);
      // Entry ids only need to be unique in the batch; positions are, and always have a valid form.
      const { Failed = [] } = await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.receipt })),
        }),
      );
      for (const failure of Failed) {
        const message = batch[Number(failure.Id)];
        this.logger.warn(
          { queueUrl: this.queueUrl, messageId: message?.id, code: failure.Code, reason: failure.Message, senderFault: failure.SenderFault },
          'SQS did not delete a handled S3 notification; it comes back after its visibility timeout and is handled again',
        );
      }
    }
  }

  close(): void {
    this.client.destroy();
  }
}
