import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaToolPath, runMediaTool } from '../../processors/ffmpeg';
import { probe } from '../../processors/mediaProbe';
import { temporaryDirectory } from '../support/fixtures';

describe('a media tool that refuses a presigned URL', () => {
  const server = createServer((_request, response) => response.end('Shot list for Monday, not a video.\n'));
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('says why with the file name alone: the URL says where the lake keeps it, and its query holds a signature that would stay on the log for good', async () => {
    const signed = `${base}/media/original.mp4?X-Amz-Credential=AKIAEXAMPLE%2F20261206%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=SECRETTOKEN&X-Amz-Signature=0123abcd`;
    const failure = await probe(mediaToolPath('ffprobe'), signed).then(
      () => expect.unreachable('a text file is no video'),
      (error: Error & { code: string }) => error,
    );
    expect(failure.code).toBe('UNREADABLE_MEDIA');
    expect(failure.message).toContain('original.mp4: Invalid data found');
    expect(failure.message).not.toMatch(/X-Amz|SECRETTOKEN|0123abcd|127\.0\.0\.1|\/media\//);
  });
});

describe('a FLAC cut off in its header', () => {
  const folder = temporaryDirectory('medialake-cut-flac-');
  let stub: Buffer;
  const server = createServer((_request, response) => response.end(stub));
  let base: string;
  beforeAll(async () => {
    const whole = join(folder.path, 'whole.flac');
    await runMediaTool('ffmpeg', mediaToolPath('ffmpeg'), ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'flac', whole], { timeoutMs: 30_000, maxOutputBytes: 1024 });
    stub = readFileSync(whole).subarray(0, 30);
    writeFileSync(join(folder.path, 'stub.flac'), stub);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    folder.remove();
  });
  const failure = (location: string) => probe(mediaToolPath('ffprobe'), location).then(() => expect.unreachable('30 bytes are no sound'), (error: Error & { code: string }) => error);

  it('is bad input as a local file: ffprobe’s "Input/output error" is the file’s fault', async () => {
    expect(await failure(join(folder.path, 'stub.flac'))).toMatchObject({ code: 'UNREADABLE_MEDIA', message: expect.stringContaining('stub.flac: Input/output error') });
  });

  it('is retried at a URL, where the same words may be a dropped connection', async () => {
    expect(await failure(`${base}/stub.flac`)).toMatchObject({ code: 'FFPROBE_FAILED', message: expect.stringContaining('stub.flac: Input/output error') });
  });
});

describe('a media tool that crashes', () => {
  it('says it crashed, by which signal, with what it said last', async () => {
    const scripts = temporaryDirectory('medialake-tool-');
    const crashing = join(scripts.path, 'ffprobe');
    writeFileSync(crashing, '#!/bin/sh\necho "reading the service table" >&2\nkill -SEGV $$\n', { mode: 0o755 });
    try {
      await expect(runMediaTool('ffprobe', crashing, [], { timeoutMs: 10_000, maxOutputBytes: 1024 })).rejects.toMatchObject({
        code: 'FFPROBE_FAILED',
        message: 'ffprobe was stopped by SIGSEGV (it crashed): reading the service table',
      });
    } finally {
      scripts.remove();
    }
  });
});
