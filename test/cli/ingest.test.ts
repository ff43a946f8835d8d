import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventLog } from '../../app/backends';
import { loadConfig } from '../../app/config';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { waitFor } from '../support/waitFor';
import { CLI, medialake } from './medialakeProcess';

const quiet = { MEDIALAKE_LOG_LEVEL: 'silent' };

describe('ingest, run again over a folder it took before', () => {
  // One good photo, one broken (degraded), one empty (failed).
  const photos = temporaryDirectory();
  const data = temporaryDirectory();
  afterAll(() => [photos, data].forEach((directory) => directory.remove()));

  it('with --wait counts what processing made of the files already in the lake, as the first run did, and exits 2', async () => {
    copyFileSync(fixture('jpg/gps/DSCN0010.jpg'), join(photos.path, 'DSCN0010.jpg'));
    copyFileSync(fixture('jpg/corrupted.jpg'), join(photos.path, 'corrupted.jpg'));
    writeFileSync(join(photos.path, 'empty.jpg'), '');
    const run = () => medialake(['--data', data.path, 'ingest', photos.path, '--wait', '--json'], quiet);
    const first = await run();
    const again = await run();
    for (const outcome of [first, again]) {
      const summary = JSON.parse(outcome.stdout);
      expect(summary.failed.map((problem: { path: string }) => problem.path)).toEqual([join(photos.path, 'empty.jpg')]);
      expect(summary.degraded.map((problem: { path: string }) => problem.path)).toEqual([join(photos.path, 'corrupted.jpg')]);
      expect(outcome.code).toBe(2);
    }
    expect(JSON.parse(again.stdout)).toMatchObject({ ingested: 0, duplicates: 3 });
  });
});

describe('ingest --watch --json', () => {
  it('prints the summary as one line, then a line per file dropped after it, and does not take the files already there again', async () => {
    const data = temporaryDirectory();
    const folder = temporaryDirectory();
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, 'there.jpg'));
    const watching = spawn(process.execPath, [CLI, '--data', data.path, 'ingest', folder.path, '--watch', '--json'], { env: { ...process.env, ...quiet } });
    let stdout = '';
    watching.stdout.on('data', (chunk) => (stdout += chunk));
    try {
      await waitFor('the summary', () => stdout.includes('\n'), 20_000);
      const dropped = join(folder.path, 'dropped.jpg');
      copyFileSync(fixture('jpg/Nikon_D70.jpg'), dropped);
      // Taken 2 s after it is written: the file already there, were it watched from the start, would be taken by then.
      await waitFor('the dropped file', () => stdout.includes('dropped.jpg'), 20_000);
      const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(lines).toEqual([
        expect.objectContaining({ ingested: 1, duplicates: 0, failed: [] }),
        { path: dropped, assetId: expect.any(String), status: 'ingested' },
      ]);
    } finally {
      watching.kill('SIGINT');
      await once(watching, 'exit');
      data.remove();
      folder.remove();
    }
  });
});

describe('ingest of a folder holding a link to a folder', () => {
  const data = temporaryDirectory();
  const folder = temporaryDirectory();
  afterAll(() => [data, folder].forEach((directory) => directory.remove()));

  it('reports the link as skipped, with why, not as failed, and exits 0; every file of the run has the correlation id its summary gives', async () => {
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, 'one.jpg'));
    mkdirSync(join(folder.path, 'inner'));
    copyFileSync(fixture('jpg/Nikon_D70.jpg'), join(folder.path, 'inner', 'two.jpg'));
    symlinkSync('..', join(folder.path, 'inner', 'up'));
    const json = await medialake(['--data', data.path, 'ingest', folder.path, '--json'], quiet);
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout);
    expect(summary).toMatchObject({
      ingested: 2,
      failed: [],
      skipped: [{ path: join(folder.path, 'inner', 'up'), reason: 'a link to a folder is not followed: name the folder itself' }],
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    const log = await openEventLog(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
    const correlations = new Set<string>();
    for await (const batch of log.readAll()) for (const event of batch) if (event.type === 'AssetIngested') correlations.add(event.correlationId);
    await log.close();
    expect([...correlations]).toEqual([summary.correlationId]);

    const text = await medialake(['--data', data.path, 'ingest', folder.path, '--verbose'], quiet);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')).toEqual([
      'ingested 0, duplicates 2, failed 0, skipped 1; `medialake serve` processes them, or --wait does now and counts the files that processing fails or degrades',
      `  skipped   ${join(folder.path, 'inner', 'up')}: a link to a folder is not followed: name the folder itself`,
      '',
    ]);
  });
});

describe("ingest --watch of a folder that holds the lake's data directory (--data ./lake ingest .)", () => {
  it('takes the photo alone, reports the data directory as skipped, and takes none of the files processing writes there', async () => {
    const folder = temporaryDirectory();
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, 'photo.jpg'));
    const watching = spawn(process.execPath, [CLI, '--data', './lake', 'ingest', '.', '--watch', '--json'], { cwd: folder.path, env: { ...process.env, ...quiet } });
    let stdout = '';
    watching.stdout.on('data', (chunk) => (stdout += chunk));
    try {
      await waitFor('the summary', () => stdout.includes('\n'), 20_000);
      // Processing writes renditions below ./lake; a watch taking them would print a line for each after 2 s.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(lines).toEqual([expect.objectContaining({ ingested: 1, failed: [], skipped: [{ path: join(folder.path, 'lake'), reason: "the lake's own data directory" }] })]);
    } finally {
      watching.kill('SIGINT');
      await once(watching, 'exit');
      folder.remove();
    }
  }, 60_000);
});
