import { sweepTemporaryFiles } from '../storage/localDirectory';
import pino, { type Logger } from 'pino';
import { notificationsIn } from '../producers/s3EventRecords';
import { handleNotifications, handleQueueMessages, type NotificationOutcome, type S3NotificationContext } from '../producers/s3Notifications';
import { openEventLog, openObjectStore } from './backends';
import { loadConfig } from './config';
import { withChainKeyFromSecret } from './lambdaSecret';
import { s3NotificationContext } from './s3NotificationContext';

interface SqsRecord {
  messageId: string;
  body: string;
  eventSource: 'aws:sqs';
}

function isSqsEvent(event: unknown): event is { Records: SqsRecord[] } {
  const records = (event as { Records?: { eventSource?: string }[] })?.Records;
  return Array.isArray(records) && records[0]?.eventSource === 'aws:sqs';
}

export type LambdaResult =
  | { batchItemFailures: { itemIdentifier: string }[] }
  | { outcomes: Omit<NotificationOutcome, 'covers'>[] };

/**
 * A Lambda handler for S3 notifications, whichever way they are wired:
 * - from SQS (the event source mapping needs ReportBatchItemFailures): only
 *   the messages that failed are returned, for SQS to deliver again;
 * - from EventBridge ("Object Created"/"Object Deleted" rules) or straight
 *   from S3: a failure throws, so Lambda retries the invocation and then
 *   hands it to its on-failure destination.
 * The context is opened once per Lambda instance, on the first invocation,
 * and the copies an earlier instance on the same /tmp left (one timed out in
 * the middle of an object) are swept then.
 */
export function createS3LambdaHandler(
  open: () => Promise<{ context: S3NotificationContext; logger: Logger }>,
): (event: unknown) => Promise<LambdaResult> {
  let opened: ReturnType<typeof open> | undefined;
  return async (event) => {
    opened ??= open().then(async (fresh) => {
      await sweepTemporaryFiles(fresh.context.temporaryDirectory);
      return fresh;
    }).catch((error) => {
      opened = undefined; // the next invocation tries again
      throw error;
    });
    const { context, logger } = await opened;
    if (isSqsEvent(event)) {
      const messages = event.Records.map((record) => ({ id: record.messageId, body: record.body }));
      const { failed } = await handleQueueMessages(context, messages);
      for (const { id, reason } of failed) logger.warn({ messageId: id, reason }, 'S3 notification not handled; SQS delivers it again');
      return { batchItemFailures: failed.map(({ id }) => ({ itemIdentifier: id })) };
    }
    const outcomes = (await handleNotifications(context, notificationsIn(event))).map(({ covers, ...outcome }) => outcome);
    const failures = outcomes.filter((outcome) => outcome.result === 'failed');
    if (failures.length) throw new Error(`S3 notifications not handled: ${failures.map((f) => `${f.bucket}/${f.key}: ${f.reason}`).join('; ')}`);
    return { outcomes };
  };
}

/** The deployed handler: configured by MEDIALAKE_* environment variables (the log must be a shared one, not SQLite), the chain key from Secrets Manager. */
export const handler = createS3LambdaHandler(async () => {
  const config = await withChainKeyFromSecret(loadConfig());
  const [log, store] = await Promise.all([openEventLog(config), openObjectStore(config)]);
  const logger = pino({ level: config.logLevel, base: { service: 'medialake-s3-notifications' } });
  return { context: s3NotificationContext(config, { log, store }), logger };
});
