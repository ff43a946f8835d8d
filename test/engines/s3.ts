// s3rver, an S3 implementation on npm, run in this process on a free loopback
// port for tests. It has no bucket notification configuration: it emits each
// object event in-process, in the S3 notification record shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client, type S3ClientOptions } from '../../storage/s3';

export interface S3Engine {
  /** What a client needs to reach this server: its endpoint, a region and the credentials it accepts. */
  client: S3ClientOptions & { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  createBucket(name: string): Promise<void>;
  /** Each object event as S3 delivers it (keys form-encoded); returns the unsubscribe function. */
  onNotification(listener: (event: unknown) => void): () => void;
  stop(): Promise<void>;
}

interface S3rverEvent {
  Records: { s3: { object: { key: string } } }[];
}

/** S3 form-encodes keys in notifications ("red flower.jpg" → "red+flower.jpg"); s3rver sends them raw. */
function asDelivered(event: S3rverEvent): S3rverEvent {
  const copy = structuredClone(event);
  for (const record of copy.Records) record.s3.object.key = encodeURIComponent(record.s3.object.key).replace(/%20/g, '+');
  return copy;
}

export async function startS3(): Promise<S3Engine> {
  const directory = mkdtempSync(join(tmpdir(), 'medialake-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const client = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    // The fixed pair s3rver checks signatures against.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  const s3 = createS3Client(client);
  return {
    client,
    async createBucket(name) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    },
    onNotification(listener) {
      const forward = (event: unknown) => listener(asDelivered(event as S3rverEvent));
      server.on('event', forward);
      return () => server.off('event', forward);
    },
    async stop() {
      s3.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
