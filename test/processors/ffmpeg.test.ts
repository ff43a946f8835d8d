import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaToolPath } from '../../processors/ffmpeg';
import { probe } from '../../processors/mediaProbe';

describe('a media tool that refuses a presigned URL', () => {
  const server = createServer((_request, response) => response.end('Shot list for Monday, not a video.\n'));
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('says why with the URL but without its query, whose signature would stay on the log for good', async () => {
    const signed = `${base}/media/original.mp4?X-Amz-Credential=AKIAEXAMPLE%2F20261206%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=SECRETTOKEN&X-Amz-Signature=0123abcd`;
    const failure = await probe(mediaToolPath('ffprobe'), signed).then(
      () => expect.unreachable('a text file is no video'),
      (error: Error & { code: string }) => error,
    );
    expect(failure.code).toBe('UNREADABLE_MEDIA');
    expect(failure.message).toContain(`${base}/media/original.mp4: Invalid data found`);
    expect(failure.message).not.toMatch(/X-Amz|SECRETTOKEN|0123abcd/);
  });
});
