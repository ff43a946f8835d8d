// kinesalite, a Kinesis implementation on npm (in-memory LevelDB), run in this
// process on a free loopback port for tests. It speaks HTTP/1.1 only (clients
// need NodeHttpHandler) and has no SubscribeToShard: consumers poll GetRecords.
import type { AddressInfo } from 'node:net';
import kinesalite from 'kinesalite';

export interface KinesisEngine {
  /** What a client needs to reach this server; kinesalite accepts any credentials. */
  client: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

export async function startKinesis(): Promise<KinesisEngine> {
  // Streams leave CREATING and UPDATING (after a reshard) quickly, as in a test one wants.
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 50, shardLimit: 1000 });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    client: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'medialake', secretAccessKey: 'medialake' },
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
