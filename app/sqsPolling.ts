import type { Logger } from 'pino';
import type { EventLog } from '../log/eventLog';
import type { MediaConvertJobs } from '../processors/mediaConvert';
import { isJobStateChange, jobStateChange } from '../processors/mediaConvertJob';
import { handleQueueMessages, type QueueMessage, type S3NotificationContext } from '../producers/s3Notifications';
import { SqsMessageQueue } from '../producers/sqsQueue';
import { pollQueue, type MessageHandler } from '../producers/sqsPoller';
import type { ObjectStore } from '../storage/objectStore';
import type { Config } from './config';
import { s3NotificationContext } from './s3NotificationContext';

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined; // the S3 notification reader says what is wrong with it
  }
}

/** MediaConvert state changes settled one by one (so a repeat in the same batch finds the first on the log); a failure is delivered again. */
async function settleJobs(jobs: MediaConvertJobs | undefined, messages: QueueMessage[], logger: Logger) {
  const failed: { id: string; reason: string }[] = [];
  for (const message of messages) {
    try {
      if (!jobs) throw new Error('a MediaConvert state change, but processors.video.backend is not mediaconvert');
      const change = jobStateChange(parsed(message.body));
      logger.debug({ jobId: change.jobId, status: change.status, outcome: await jobs.settle(change) }, 'MediaConvert state change handled');
    } catch (error) {
      failed.push({ id: message.id, reason: (error as Error).message });
    }
  }
  return failed;
}

/**
 * One queue carries both S3 notifications and MediaConvert's job state
 * changes (an EventBridge rule's target): each message goes to its reader by
 * its shape.
 */
export function queueMessageHandler(context: S3NotificationContext, jobs: MediaConvertJobs | undefined, logger: Logger): MessageHandler {
  return async (messages) => {
    const isJob = (message: QueueMessage) => isJobStateChange(parsed(message.body));
    const [changes, notifications] = [messages.filter(isJob), messages.filter((message) => !isJob(message))];
    const [{ outcomes, failed }, failedJobs] = await Promise.all([handleQueueMessages(context, notifications), settleJobs(jobs, changes, logger)]);
    for (const { covers, ...outcome } of outcomes) logger.debug(outcome, 'S3 notification handled');
    return { failed: [...failed, ...failedJobs] };
  };
}

/**
 * What `serve` runs when the configuration names a queue (sources.sqsQueueUrl):
 * its S3 notifications and MediaConvert state changes polled into the lake
 * until stopped; nothing when unset.
 */
export function pollConfiguredSqsQueue(
  config: Config,
  lake: { log: EventLog; store: ObjectStore; proxyJobs?: MediaConvertJobs },
  logger: Logger,
): { stop(): Promise<void> } | undefined {
  const { sqsQueueUrl, sqsEndpoint } = config.sources;
  if (!sqsQueueUrl) return undefined;
  const queue = new SqsMessageQueue({ queueUrl: sqsQueueUrl, endpoint: sqsEndpoint, region: config.aws.region, logger });
  const context = s3NotificationContext(config, lake);
  const poller = pollQueue(queue, queueMessageHandler(context, lake.proxyJobs, logger), { logger });
  logger.info({ queueUrl: sqsQueueUrl }, 'polling S3 notifications and MediaConvert state changes from SQS');
  return {
    async stop() {
      await poller.stop();
      queue.close();
      context.s3.destroy();
    },
  };
}
