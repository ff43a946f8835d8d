import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';
import { makeTestMedia, TEST_MEDIA } from '../support/media';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const run = promisify(execFile);

describe('medialake search on video and audio, and medialake redact', () => {
  const data = temporaryDirectory();
  const media = temporaryDirectory();
  const medialake = (...args: string[]) =>
    run(process.execPath, [CLI, ...args], { env: { ...process.env, MEDIALAKE_DATA: data.path, MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_ACTOR: 'carol' } });
  const failure = (...args: string[]) =>
    medialake(...args).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
  const found = async (...args: string[]) => JSON.parse((await medialake('search', ...args, '--json')).stdout).hits.map((hit: { originalName: string }) => hit.originalName);

  beforeAll(async () => {
    await makeTestMedia(media.path);
    // Only a clip and a tone: the rest of the test media fail on purpose.
    for (const name of Object.values(TEST_MEDIA)) if (name !== TEST_MEDIA.clip && name !== TEST_MEDIA.wav) rmSync(join(media.path, name));
    await medialake('ingest', media.path, '--wait');
  }, 180_000);
  afterAll(() => {
    data.remove();
    media.remove();
  });

  it('filters by codec, resolution and duration (seconds or m:ss), and shows them on each hit', async () => {
    expect(await found('--codec', 'aac')).toEqual([TEST_MEDIA.clip]);
    expect(await found('--resolution', 'sd')).toEqual([TEST_MEDIA.clip]);
    expect(await found('--min-duration', '0:01', '--max-duration', '1.5')).toEqual([TEST_MEDIA.wav]);
    const { stdout } = await medialake('search', '--type', 'video');
    expect(stdout).toMatch(/ clip\.mp4 {2}\d{4}-\d\d-\d\d {2}0:02 {2}sd {2}h264\/aac\n/);
  });

  it.each([
    [['search', '--resolution', '8k'], /^medialake: --resolution expects one of sd, hd, fhd or uhd, not "8k"\n$/],
    [['search', '--min-duration', 'soon'], /^medialake: --min-duration expects a duration in seconds \(90\) or as m:ss or h:mm:ss \(1:30\), not "soon"\n$/],
    [['redact', 'a0000000000000000000000000000000'], /^medialake: name what to redact: --title, --description, --name, or more than one\n$/],
    [['redact', 'a0000000000000000000000000000000', '--title'], /^medialake: there is no asset a0000000000000000000000000000000\n$/],
    [['redact', 'clip.mp4', '--name'], /^medialake: "clip.mp4" is not an asset id, as search and events print it\n$/],
  ])('fails with one readable line and a non-zero exit: %j', async (args, message) => {
    const error = await failure(...args);
    expect(error.code).not.toBe(0);
    expect(error.stderr).toMatch(message);
  });

  it('redacts a file name and a title: the event names the fields, and search no longer finds either', async () => {
    const [hit] = JSON.parse((await medialake('search', 'clip', '--json')).stdout).hits;
    // The clip's name and its own title tag ("Test clip") both say clip.
    expect(await found('test')).toEqual(['clip.mp4']);
    const event = JSON.parse((await medialake('redact', hit.assetId, '--name', '--title', '--wait', '--json')).stdout);
    expect(event).toMatchObject({ type: 'AssetTextRedacted', actor: 'carol', source: 'cli', payload: { fields: ['title', 'originalName'] } });
    expect(await found('clip')).toEqual([]);
    expect(await found('--codec', 'aac')).toEqual(['[redacted].mp4']);
  });
});
