import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An AWS service emulator running in this process, and what a client needs to reach it. */
export interface InProcessAwsEngine {
  /** The emulators accept any credentials. */
  client: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

/** Listens on a free loopback port. */
export async function listenInProcess(server: Server): Promise<InProcessAwsEngine> {
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
