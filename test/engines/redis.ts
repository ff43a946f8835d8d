// Debian's redis-server as a child process on a free loopback port, with its
// data in a temporary directory, for tests. `.ci/run` installs the package.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enginesInContainers, startContainer } from './containers';
import { borrowed, externalEndpoint } from './external';
import { freePorts } from './freePorts';

export interface RedisEngine {
  url: string;
  /** Stops the server (data kept), runs `whileDown`, then starts it again on the same port and data. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** Whether the tests have a Redis: an external one, or redis-server to start their own. */
export function redisServerPresent(): boolean {
  return enginesInContainers() || externalEndpoint('Redis') !== undefined || spawnSync('redis-server', ['--version']).status === 0;
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
  // appendfsync always: what the log's coordination needs in production too
  // (a lost version counter would hand out a version twice).
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.on('exit', killOnExit);

  const launch = async () => {
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
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
  };

  const halt = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
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
