// Debian's redis-server as a child process on a free loopback port, with its
// data in a temporary directory, for tests; or three of them as a Redis
// Cluster. `.ci/run` installs the package (redis-server and redis-cli).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enginesInContainers, startContainer } from './containers';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { engineAvailable } from './availability';
import { borrowed, externalEndpoint } from './external';
import { freePorts } from './freePorts';

export interface RedisEngine {
  url: string;
  /** Stops the server (data kept), runs `whileDown`, then starts it again on the same port and data. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const execFileAsync = promisify(execFile);

/** Whether the tests have a Redis: an external one, or redis-server to start their own. */
export function redisServerPresent(): boolean {
  return enginesInContainers() || externalEndpoint('Redis') !== undefined || spawnSync('redis-server', ['--version']).status === 0;
}

/** appendfsync always: what the log's coordination needs in production too (a lost version counter would hand out a version twice). */
function serverArgs(port: number, dir: string): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
}

async function spawnRedisServer(args: string[]): Promise<ChildProcess> {
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server not ready after ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
    proc.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}:\n${output}`));
    });
  });
  proc.stdout!.resume();
  proc.stderr!.resume();
  return proc;
}

async function stopRedisServer(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
}

/** Whether the tests have a Redis Cluster: an external one, or redis-server and redis-cli to make their own. */
export function redisClusterPresent(): boolean {
  return externalEndpoint('RedisCluster') !== undefined || (spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0);
}

export async function startRedis(): Promise<RedisEngine> {
  const external = externalEndpoint('Redis');
  if (external) return { url: external, ...borrowed('Redis') };
  if (enginesInContainers()) {
    const { address, stop, restart } = await startContainer('Redis');
    return { url: `redis://${address}`, stop, restart };
  }
  const dir = mkdtempSync(join(tmpdir(), 'medialake-redis-'));
  const [port] = await freePorts(1);
  const args = serverArgs(port!, dir);
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.on('exit', killOnExit);

  const launch = async () => {
    child = await spawnRedisServer(args);
  };

  const halt = async () => {
    const proc = child;
    child = undefined;
    await stopRedisServer(proc);
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(whileDown) {
      await halt();
      try {
        await whileDown?.();
      } finally {
        await launch(); // the tests after this one need it back, whatever happened meanwhile
      }
    },
    async stop() {
      await halt();
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisClusterEngine {
  /** One node's URL: the seed a cluster client starts from. */
  url: string;
  stop(): Promise<void>;
}

const CLUSTER_NODES = 3;

/**
 * A Redis Cluster of three redis-server processes, one primary each and no
 * replicas, its 16384 slots spread over them by `redis-cli --cluster create`.
 */
export async function startRedisCluster(): Promise<RedisClusterEngine> {
  const external = externalEndpoint('RedisCluster');
  if (external) return { url: external, ...borrowed('RedisCluster') };
  const dir = mkdtempSync(join(tmpdir(), 'medialake-redis-cluster-'));
  const ports = await freePorts(CLUSTER_NODES);
  const nodes: ChildProcess[] = [];
  const killOnExit = () => nodes.forEach((node) => node.kill('SIGKILL'));
  process.on('exit', killOnExit);
  const stop = async () => {
    await Promise.all(nodes.map(stopRedisServer));
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const nodeDir = join(dir, String(port));
      mkdirSync(nodeDir);
      nodes.push(await spawnRedisServer([...serverArgs(port, nodeDir), '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf']));
    }
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await execFileAsync('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await waitForClusterState(ports);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${ports[0]}`, stop };
}

/** Until every node says the cluster is ok: each has learned the slots of the others. */
async function waitForClusterState(ports: number[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const port of ports) {
    for (;;) {
      const { stdout } = await execFileAsync('redis-cli', ['-p', String(port), 'cluster', 'info']);
      if (stdout.includes('cluster_state:ok')) break;
      if (Date.now() > deadline) throw new Error(`the Redis Cluster is not ok after ${READY_TIMEOUT_MS} ms (node ${port}):\n${stdout}`);
      await sleep(100);
    }
  }
}

/** The two kinds of coordination Redis, for suites that run on both; `present` as engineAvailable says. */
export function redisKinds(): { engine: string; present: boolean; start: () => Promise<RedisClusterEngine>; cluster: boolean }[] {
  const install = 'install the Debian package redis-server (.ci/run does)';
  return [
    { engine: 'Redis', present: engineAvailable('redis-server', redisServerPresent(), install), start: startRedis, cluster: false },
    { engine: 'Redis Cluster', present: engineAvailable('redis-server and redis-cli', redisClusterPresent(), install), start: startRedisCluster, cluster: true },
  ];
}
