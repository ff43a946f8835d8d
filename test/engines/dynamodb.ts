// dynalite, a DynamoDB implementation on npm (in-memory LevelDB), run in this
// process on a free loopback port for tests. It has no TransactWriteItems and
// wants table names of 3 or more characters.
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface DynamoDbEngine {
  /** What a client needs to reach this server; dynalite accepts any credentials. */
  client: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

export async function startDynamoDb(): Promise<DynamoDbEngine> {
  // Tables become ACTIVE at once instead of after dynalite's default half second.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
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
