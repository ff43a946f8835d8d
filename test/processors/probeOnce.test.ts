import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaToolPath } from '../../processors/ffmpeg';
import { probeOnce } from '../../processors/probeOnce';
import type { StoredEvent } from '../../schemas/envelope';
import { temporaryDirectory } from '../support/fixtures';
import { makeTestMedia, TEST_MEDIA } from '../support/media';

const ingest = (id: string) => ({ id, type: 'AssetIngested' }) as StoredEvent;

describe("one ffprobe reading of an ingest's original for the processors that probe it", () => {
  const media = temporaryDirectory('medialake-probe-once-');
  const at = (name: string) => join(media.path, name);
  beforeAll(() => makeTestMedia(media.path));
  afterAll(() => media.remove());

  it('gives the second asker the first reading, wherever it says the original lies (a presigned URL differs at every asking)', async () => {
    const probeOriginal = probeOnce(mediaToolPath('ffprobe'));
    const first = await probeOriginal(ingest('e1'), at(TEST_MEDIA.clip));
    const second = await probeOriginal(ingest('e1'), at('elsewhere.mp4'));
    expect(second).toBe(first);
    expect(second.format?.format_name).toMatch(/mp4/);
  });

  it('reads another ingest for itself', async () => {
    const probeOriginal = probeOnce(mediaToolPath('ffprobe'));
    await probeOriginal(ingest('e1'), at(TEST_MEDIA.clip));
    await expect(probeOriginal(ingest('e2'), at(TEST_MEDIA.mislabelled))).rejects.toMatchObject({ code: expect.any(String) });
  });

  it('forgets a failed reading, so that a retry reads again', async () => {
    const probeOriginal = probeOnce(mediaToolPath('ffprobe'));
    await expect(probeOriginal(ingest('e1'), at('missing.mp4'))).rejects.toThrow();
    await expect(probeOriginal(ingest('e1'), at(TEST_MEDIA.clip))).resolves.toMatchObject({ streams: expect.any(Array) });
  });
});
