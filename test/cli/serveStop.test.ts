import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';
import { CLI } from './medialakeProcess';

/** `serve` on a free port, with its structured log lines as they come; resolves once it says where it listens. */
async function serve(data: string, env: NodeJS.ProcessEnv): Promise<{ server: ChildProcess; port: number; lines: string[] }> {
  const server = spawn(process.execPath, [CLI, '--data', data, 'serve', '--port', '0'], {
    env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'info', MEDIALAKE_AUTH: 'false', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  const reader = createInterface({ input: server.stderr! });
  const address = await new Promise<string>((resolve) =>
    reader.on('line', (line) => {
      lines.push(line);
      const { address } = JSON.parse(line) as { address?: string };
      if (address) resolve(address);
    }),
  );
  return { server, port: Number(new URL(address).port), lines };
}

/**
 * An upload in flight that never ends: its headers (the server answers "100
 * Continue" once it has taken the request in hand), then a first part of its
 * body, then nothing more.
 */
async function stalledUpload(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // the server goes away in the middle of the request: what the test is about
  await once(socket, 'connect');
  const boundary = 'stalled';
  const continued = new Promise<void>((resolve) => socket.on('data', (data) => String(data).includes('100 Continue') && resolve()));
  socket.write(`POST /assets HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n`);
  await continued;
  socket.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.jpg"\r\nContent-Type: image/jpeg\r\n\r\n${'x'.repeat(1000)}`);
  return socket;
}

const messages = (lines: string[]) => lines.map((line) => (JSON.parse(line) as { msg: string }).msg);

describe('serve as it stops', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());

  it('gives up waiting for a request in flight after serve.shutdownSeconds, says so, and exits non-zero', async () => {
    const { server, port, lines } = await serve(data.path, { MEDIALAKE_SHUTDOWN_SECONDS: '1' });
    const upload = await stalledUpload(port);
    try {
      const started = Date.now();
      server.kill('SIGTERM');
      const [code] = await once(server, 'exit');
      expect(code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(messages(lines)).toContainEqual(expect.stringMatching(/^stopping: finishing the requests and work in flight, for up to 1 s/));
      expect(messages(lines)).toContainEqual(expect.stringMatching(/^not stopped within 1 s \(serve.shutdownSeconds\): exiting/));
    } finally {
      upload.destroy();
    }
  }, 60_000);

  it('stops at once on a second signal', async () => {
    const { server, port, lines } = await serve(data.path, { MEDIALAKE_SHUTDOWN_SECONDS: '600' });
    const upload = await stalledUpload(port);
    try {
      server.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = Date.now();
      server.kill('SIGINT');
      const [code] = await once(server, 'exit');
      expect(code).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(messages(lines)).toContainEqual(expect.stringMatching(/^stopping at once/));
    } finally {
      upload.destroy();
    }
  }, 60_000);
});
