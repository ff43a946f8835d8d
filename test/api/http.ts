import { connect } from 'node:net';
import { afterEach, expect } from 'vitest';
import { buildServer } from '../../api/server';
import { openTestLake } from '../support/lake';

/**
 * Lakes served by the API for the tests of one describe block, each opened
 * with the configuration overrides given and closed after its test.
 */
export function servedLakes(): (overrides?: Record<string, unknown>) => Promise<{ lake: Awaited<ReturnType<typeof openTestLake>>; app: Awaited<ReturnType<typeof buildServer>> }> {
  const opened: { lake: Awaited<ReturnType<typeof openTestLake>>; app: Awaited<ReturnType<typeof buildServer>> }[] = [];
  afterEach(async () => {
    for (const { app, lake } of opened.splice(0)) {
      await app.close();
      await lake.close();
    }
  });
  return async (overrides = {}) => {
    const lake = await openTestLake(overrides);
    const app = await buildServer(lake);
    opened.push({ lake, app });
    return { lake, app };
  };
}

/** What came back over one connection before the server closed it. */
export interface RawAnswer {
  status: number;
  headers: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** From the first byte sent to the server closing the connection. */
  elapsedMs: number;
}

/**
 * Sends bytes as they are over a fresh connection, the way a broken or stalled
 * client would (fetch cannot: it always finishes its requests), and reads
 * until the server closes the connection. `trickle` sends one more byte per
 * interval, a client that is slow but never quite silent.
 */
export function rawExchange(base: string, bytes: string, options: { trickleMs?: number } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    const trickle = options.trickleMs ? setInterval(() => socket.writable && socket.write('x'), options.trickleMs) : undefined;
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server that closes with bytes of ours unread resets the connection; what it answered first still counts.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => {
      clearInterval(trickle);
      const text = Buffer.concat(chunks).toString();
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: body ? JSON.parse(body) : undefined, elapsedMs: performance.now() - started });
    });
  });
}

/** The one error shape of this API: `{ error: { code, message } }`, the message a sentence a person can act on. */
export function expectApiError(body: unknown, code: string | RegExp): void {
  expect(body).toMatchObject({ error: { code: typeof code === 'string' ? code : expect.stringMatching(code), message: expect.any(String) } });
  const { message } = (body as { error: { message: string } }).error;
  expect(message.length).toBeGreaterThan(20);
  expect(Object.keys(body as object)).toEqual(['error']);
}

/** A multipart/form-data body with one part per file, as text (the tests' files are text). */
export function multipartBody(boundary: string, files: [name: string, content: string][]): string {
  const parts = files.map(
    ([name, content]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`,
  );
  return `${parts.join('')}--${boundary}--\r\n`;
}
