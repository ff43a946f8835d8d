import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import pRetry from 'p-retry';
import { assetIdForS3Object } from '../schemas/ids';
import { isExpectedVersionConflict, type EventLog } from '../log/eventLog';
import { LAKE_AREAS } from '../storage/assetKeys';
import type { ObjectStore } from '../storage/objectStore';
import { temporaryName } from '../storage/localDirectory';
import { S3ObjectStore, isS3NotFound } from '../storage/s3';
import { ingestFile } from './ingest';
import { deleteAsset, isAssetNotFound } from './commands';
import { compareSequencers, notificationsIn, type ObjectNotification } from './s3EventRecords';

/**
 * S3 notifications become asset events.
 *
 * Asset ids: an object's asset is named by its bucket and key
 * (assetIdForS3Object), not by its bytes. A delete notification carries no
 * bytes, only the key, and must name the asset it ends; an overwrite is a new
 * version of the same asset. The same bytes under two keys are two assets,
 * which the records' lookup by sha256 shows as duplicates.
 *
 * Originals: the object is copied into the lake's store (streamed once to a
 * temporary file, hashed and stored by ingestFile), not referenced in place.
 * It has to be read whole to hash it anyway, and then processors, renditions
 * and cleanup work on the lake's store alone, with the lake's credentials,
 * whatever happens to the source bucket later.
 *
 * Order: notifications may arrive late, twice or out of order. Those of one
 * key in a batch are ordered by sequencer and only the latest is acted on;
 * acting means making the asset match what the bucket holds now (read back
 * from S3, which is strongly consistent), so a stale notification from an
 * earlier batch finds the bytes unchanged and changes nothing.
 */
export interface ConnectedBucket {
  bucket: string;
  /** Only keys under this prefix ("incoming/"); every key when absent. */
  prefix?: string;
  /** Only keys ending in one of these, in any case ([".jpg", ".mp4"]); every key when absent or empty. */
  suffixes?: string[];
}

export interface S3NotificationContext {
  log: EventLog;
  /** The lake's store: originals are copied into it. */
  store: ObjectStore;
  /** Reads the objects of connected buckets. */
  s3: S3Client;
  buckets: ConnectedBucket[];
  /** Where an object is copied while it is ingested: the lake's temporary folder, whose files a killed process left are swept when a lake opens. */
  temporaryDirectory: string;
}

export interface NotificationOutcome {
  bucket: string;
  key: string;
  result: 'ingested' | 'unchanged' | 'deleted' | 'ignored' | 'failed';
  assetId?: string;
  /** Why it was ignored or failed. */
  reason?: string;
  /** Every notification of this key in the batch: this outcome answers them all. */
  covers: ObjectNotification[];
}

/** Where the lake writes originals and renditions: notifications of its own writes are ignored, so nothing loops. */
function ownPrefixes(store: ObjectStore): { bucket: string; prefix: string }[] {
  if (!(store instanceof S3ObjectStore)) return [];
  return LAKE_AREAS.map((area) => ({ bucket: store.bucket, prefix: store.prefix + area }));
}

function ignoreReason(context: S3NotificationContext, bucket: string, key: string): string | undefined {
  if (key.endsWith('/')) return 'a folder placeholder, not a file';
  if (ownPrefixes(context.store).some((own) => own.bucket === bucket && key.startsWith(own.prefix))) {
    return "the lake's own write";
  }
  const connections = context.buckets.filter((connected) => connected.bucket === bucket);
  if (!connections.length) return `bucket ${bucket} is not connected`;
  const lowerKey = key.toLowerCase();
  const matches = connections.some(
    ({ prefix = '', suffixes = [] }) =>
      key.startsWith(prefix) && (!suffixes.length || suffixes.some((suffix) => lowerKey.endsWith(suffix.toLowerCase()))),
  );
  return matches ? undefined : "outside the bucket's connected prefixes and file types";
}

/** The latest notification of a key: the greatest sequencer, or the last delivered when there is none. */
function latest(notifications: ObjectNotification[]): ObjectNotification {
  return notifications.reduce((newest, next) =>
    newest.sequencer && next.sequencer && compareSequencers(next.sequencer, newest.sequencer) < 0 ? newest : next,
  );
}

async function currentObject(s3: S3Client, bucket: string, key: string): Promise<GetObjectCommandOutput | undefined> {
  try {
    return await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isS3NotFound(error)) return undefined;
    throw error;
  }
}

/** Makes the key's asset match what the bucket holds now. */
async function reconcile(
  context: S3NotificationContext,
  notification: ObjectNotification,
): Promise<Pick<NotificationOutcome, 'result' | 'assetId'>> {
  const { bucket, key } = notification;
  const assetId = assetIdForS3Object(bucket, key);
  const who = {
    log: context.log,
    actor: notification.requester ?? 's3',
    source: 's3',
    correlationId: notification.requestId,
  };
  const object = await currentObject(context.s3, bucket, key);
  if (!object) {
    try {
      await deleteAsset(who, assetId, `s3://${bucket}/${key} was deleted`);
      return { result: 'deleted', assetId };
    } catch (error) {
      if (isAssetNotFound(error)) return { result: 'unchanged', assetId };
      throw error;
    }
  }
  await mkdir(context.temporaryDirectory, { recursive: true });
  const path = join(context.temporaryDirectory, temporaryName());
  try {
    await pipeline(object.Body as Readable, createWriteStream(path));
    const origin = { kind: 's3' as const, bucket, key, ...(object.VersionId && { versionId: object.VersionId }) };
    const ingested = await ingestFile({ ...who, store: context.store }, path, origin, key, { assetId });
    return { result: ingested.status === 'ingested' ? 'ingested' : 'unchanged', assetId };
  } finally {
    await rm(path, { force: true });
  }
}

const CONCURRENCY = 4;

/**
 * Acts on a batch of notifications, one outcome per key. A key that fails is
 * reported as failed (for its delivery to be retried), never skipped, and
 * the other keys go on.
 */
export async function handleNotifications(
  context: S3NotificationContext,
  notifications: ObjectNotification[],
): Promise<NotificationOutcome[]> {
  const byKey = new Map<string, ObjectNotification[]>();
  for (const notification of notifications) {
    const id = `${notification.bucket}/${notification.key}`;
    byKey.set(id, [...(byKey.get(id) ?? []), notification]);
  }
  const limit = pLimit(CONCURRENCY);
  return Promise.all(
    [...byKey.values()].map((covers) =>
      limit(async (): Promise<NotificationOutcome> => {
        const { bucket, key } = covers[0]!;
        const reason = ignoreReason(context, bucket, key);
        if (reason) return { bucket, key, result: 'ignored', reason, covers };
        try {
          // Processors append to the asset too: on a version conflict, look again.
          const done = await pRetry(() => reconcile(context, latest(covers)), {
            retries: 4,
            minTimeout: 50,
            shouldRetry: ({ error }) => isExpectedVersionConflict(error),
          });
          return { bucket, key, covers, ...done };
        } catch (error) {
          return { bucket, key, result: 'failed', reason: (error as Error)?.message ?? String(error), covers };
        }
      }),
    ),
  );
}

export interface QueueMessage {
  id: string;
  body: string;
}

/**
 * Acts on a batch of queue messages (each an S3 event, SNS notification,
 * EventBridge event or test event). Returns the ids of the messages to
 * deliver again: those that cannot be read, and those holding a key that
 * failed. The queue's redrive policy moves a message that keeps failing to
 * its dead-letter queue.
 */
export async function handleQueueMessages(
  context: S3NotificationContext,
  messages: QueueMessage[],
): Promise<{ outcomes: NotificationOutcome[]; failed: { id: string; reason: string }[] }> {
  const failed = new Map<string, string>();
  const messageOf = new Map<ObjectNotification, string>();
  for (const message of messages) {
    try {
      for (const notification of notificationsIn(message.body)) messageOf.set(notification, message.id);
    } catch (error) {
      failed.set(message.id, (error as Error).message);
    }
  }
  const outcomes = await handleNotifications(context, [...messageOf.keys()]);
  for (const outcome of outcomes.filter((o) => o.result === 'failed')) {
    for (const notification of outcome.covers) failed.set(messageOf.get(notification)!, outcome.reason!);
  }
  return { outcomes, failed: [...failed].map(([id, reason]) => ({ id, reason })) };
}
