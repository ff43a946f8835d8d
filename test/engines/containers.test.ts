import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEngineHost, enginesInContainers } from './containers';
import { freePorts } from './freePorts';

/**
 * The harness's choice between containers and local processes. No Docker
 * engine runs here, so the container path itself is type-checked only; a
 * plain HTTP server answering Docker's GET /_ping stands in for one to show
 * the probe takes an engine that answers.
 */
describe('where the test engines run (test/engines/containers.ts)', () => {
  let pingServer: Server;
  let pings = 0;
  beforeAll(async () => {
    pingServer = createServer((request, response) => {
      pings += 1;
      response.writeHead(request.url === '/_ping' ? 200 : 404).end('OK');
    });
    await new Promise<void>((resolve) => pingServer.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => pingServer.close(() => resolve())));

  it('keeps local processes when DOCKER_HOST names a port where nothing listens, and says so in one line', async () => {
    const [closed] = await freePorts(1);
    const choice = await chooseEngineHost({ DOCKER_HOST: `tcp://127.0.0.1:${closed}` });
    expect(choice).toEqual({ host: 'processes', line: `[engines] no Docker engine answers at tcp://127.0.0.1:${closed}: engines run as local processes` });
  });

  it('keeps local processes when DOCKER_HOST names a socket that is not there', async () => {
    expect((await chooseEngineHost({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).host).toBe('processes');
  });

  it('runs engines in containers when the Docker API at DOCKER_HOST answers its ping', async () => {
    const { port } = pingServer.address() as AddressInfo;
    const choice = await chooseEngineHost({ DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    expect(choice).toEqual({ host: 'containers', line: `[engines] Docker answers at tcp://127.0.0.1:${port}: engines run in containers (testcontainers)` });
    expect(pings).toBe(1);
  });

  it('hands this run the global setup\'s decision', () => {
    expect(['containers', 'processes']).toContain(process.env.MEDIALAKE_TEST_ENGINE_HOST);
    expect(enginesInContainers()).toBe(process.env.MEDIALAKE_TEST_ENGINE_HOST === 'containers');
  });
});
