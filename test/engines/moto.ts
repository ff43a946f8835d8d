// moto's server, an emulator of AWS APIs (here Secrets Manager, EventBridge
// and SQS), as a child process for tests: `python3 -m moto.server` with the
// packages .ci/engines/moto.sh unpacked into .engines/moto/lib.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from './freePorts';

export interface MotoEngine {
  endpoint: string;
  /** What an AWS SDK client needs to reach it: moto takes any credentials. */
  client: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

// Relative to the repo root, not the cwd, so the test works from any directory.
const LIB_DIR = fileURLToPath(new URL('../../.engines/moto/lib/', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export function motoPresent(): boolean {
  return existsSync(`${LIB_DIR}.complete`);
}

export async function startMoto(): Promise<MotoEngine> {
  if (!motoPresent()) throw new Error(`moto missing in ${LIB_DIR}: run .ci/engines/moto.sh`);
  const [port] = await freePorts(1);
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, PYTHONPATH: LIB_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // A crashed test run must not leave an orphan server holding the port.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL'); // its state is in memory and goes with it
      await exited;
    }
    process.off('exit', killOnExit);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited during start (code ${child.exitCode})\n${output}`);
    // Its own API answers once the server takes requests.
    const ready = await fetch(`${endpoint}/moto-api/data.json`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto not ready after ${READY_TIMEOUT_MS / 1000}s\n${output}`);
    }
    await sleep(200);
  }
  return { endpoint, client: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } }, stop };
}
