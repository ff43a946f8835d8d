import { join } from 'node:path';
import type { EventLog } from '../log/eventLog';
import type { S3NotificationContext } from '../producers/s3Notifications';
import type { ObjectStore } from '../storage/objectStore';
import { createS3Client } from '../storage/s3';
import { s3ClientOptions } from './backends';
import type { Config } from './config';

/**
 * The notification context a configuration describes, around a lake's log and
 * store: the buckets of sources.s3, read through the configured S3 API. The
 * Lambda handler (s3Lambda.ts) and serve's SQS poller (sqsPolling.ts) share it.
 */
export function s3NotificationContext(config: Config, lake: { log: EventLog; store: ObjectStore }): S3NotificationContext {
  return { ...lake, s3: createS3Client(s3ClientOptions(config)), buckets: config.sources.s3, temporaryDirectory: join(config.data, 'tmp') };
}
