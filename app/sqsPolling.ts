import type { Logger } from 'pino';
import type { EventLog } from '../log/eventLog';
import { SqsMessageQueue } from '../producers/sqsQueue';
import { pollS3Notifications } from '../producers/sqsPoller';
import type { ObjectStore } from '../storage/objectStore';
import type { Config } from './config';
import { s3NotificationContext } from './s3NotificationContext';

/**
 * What `serve` runs when the configuration names a queue (sources.sqsQueueUrl):
 * its S3 notifications polled into the lake until stopped; nothing when unset.
 */
export function pollConfiguredSqsQueue(
  config: Config,
  lake: { log: EventLog; store: ObjectStore },
  logger: Logger,
): { stop(): Promise<void> } | undefined {
  const { sqsQueueUrl, sqsEndpoint } = config.sources;
  if (!sqsQueueUrl) return undefined;
  const queue = new SqsMessageQueue({ queueUrl: sqsQueueUrl, endpoint: sqsEndpoint, region: config.aws.region, logger });
  const context = s3NotificationContext(config, lake);
  const poller = pollS3Notifications(queue, context, { logger });
  logger.info({ queueUrl: sqsQueueUrl }, 'polling S3 notifications from SQS');
  return {
    async stop() {
      await poller.stop();
      queue.close();
      context.s3.destroy();
    },
  };
}
