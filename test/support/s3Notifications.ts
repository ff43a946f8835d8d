import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SqliteEventLog } from '../../log/sqlite';
import { S3ObjectStore, createS3Client } from '../../storage/s3';
import type { ConnectedBucket, S3NotificationContext } from '../../producers/s3Notifications';
import { startS3, type S3Engine } from '../engines/s3';
import { temporaryDirectory } from './fixtures';

/** An s3rver with buckets, an embedded log and an S3 lake store: what the S3 notification tests act on. */
export interface S3NotificationBench {
  engine: S3Engine;
  s3: S3Client;
  log: SqliteEventLog;
  context: S3NotificationContext;
  /** Writes an object and returns the notification messages that write caused, as S3 delivers them. */
  put(bucket: string, key: string, body: Buffer | string): Promise<unknown[]>;
  remove(bucket: string, key: string): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function openS3NotificationBench(options: {
  buckets: string[];
  connected: ConnectedBucket[];
  lake: { bucket: string; prefix?: string };
}): Promise<S3NotificationBench> {
  const engine = await startS3();
  for (const bucket of options.buckets) await engine.createBucket(bucket);
  const directory = temporaryDirectory();
  const log = new SqliteEventLog({ path: join(directory.path, 'log.db'), sync: 'normal' });
  const store = new S3ObjectStore({ ...engine.client, ...options.lake });
  const s3 = createS3Client(engine.client);
  const emitted: unknown[] = [];
  engine.onNotification((event) => emitted.push(event));
  return {
    engine,
    s3,
    log,
    context: { log, store, s3, buckets: options.connected, temporaryDirectory: join(directory.path, 'tmp') },
    async put(bucket, key, body) {
      emitted.length = 0; // the lake's own writes since the last call
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
      return emitted.splice(0);
    },
    async remove(bucket, key) {
      emitted.length = 0;
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      return emitted.splice(0);
    },
    async close() {
      await log.close();
      s3.destroy();
      store.client.destroy();
      await engine.stop();
      directory.remove();
    },
  };
}
