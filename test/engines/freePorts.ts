import { createServer, type AddressInfo, type Server } from 'node:net';

/** `n` distinct TCP ports that were free a moment ago, for engines that cannot pick their own. */
export async function freePorts(n: number): Promise<number[]> {
  // Hold every socket open until all ports are known, so the n ports differ.
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
