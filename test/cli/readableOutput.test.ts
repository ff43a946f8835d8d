import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { hasPseudoTerminal, medialake, onTerminal } from './medialakeProcess';

/** What a log line or a stack trace looks like on a screen. */
const isLogOrStack = (line: string) => line.trimStart().startsWith('{"level"') || /^\s+at /.test(line);

describe('the CLI on a terminal and off it: a bar and a summary for people, JSON logs for programs', () => {
  // One good photo, one broken on purpose (some processors fail on it: degraded), one empty file (nothing comes of it: failed).
  const photos = temporaryDirectory();
  const lakes: { remove(): void }[] = [];
  const freshLake = () => {
    const lake = temporaryDirectory();
    lakes.push(lake);
    return lake.path;
  };
  beforeAll(() => {
    copyFileSync(fixture('jpg/gps/DSCN0010.jpg'), join(photos.path, 'DSCN0010.jpg'));
    copyFileSync(fixture('jpg/corrupted.jpg'), join(photos.path, 'corrupted.jpg'));
    writeFileSync(join(photos.path, 'empty.jpg'), '');
  });
  afterAll(() => [photos, ...lakes].forEach((directory) => directory.remove()));

  it.skipIf(!hasPseudoTerminal)('on a terminal, ingest shows a progress bar and a summary, and no log line or stack trace', async () => {
    const { code, lines } = await onTerminal(['--data', freshLake(), 'ingest', photos.path, '--wait']);
    expect(lines.filter(isLogOrStack)).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^ingesting \[█{40}\] 3\/3 \d+s$/));
    expect(lines.slice(-2)).toEqual(['ingested 3, duplicates 0, failed 1, degraded 1', '  --verbose names each failed or degraded file and why']);
    expect(code).toBe(2); // a file that nothing came of is a failure
  });

  it.skipIf(!hasPseudoTerminal)('counts in its bar what the walk cannot take (a name that is not UTF-8) as it reports it, so the bar ends at its total', async () => {
    const odd = temporaryDirectory();
    lakes.push(odd);
    copyFileSync(fixture('jpg/gps/DSCN0010.jpg'), join(odd.path, 'photo.jpg'));
    writeFileSync(Buffer.concat([Buffer.from(join(odd.path, 'latin')), Buffer.from([0xe9]), Buffer.from('.jpg')]), 'bytes');
    const { lines } = await onTerminal(['--data', freshLake(), 'ingest', odd.path]);
    expect(lines.filter((line) => line.startsWith('ingesting')).at(-1)).toMatch(/^ingesting \[█{40}\] 2\/2 \d+s$/);
  });

  it.skipIf(!hasPseudoTerminal)('on a terminal, a log level asked for brings the JSON logs back', async () => {
    const { lines } = await onTerminal(['--data', freshLake(), '--log-level', 'warn', 'ingest', photos.path, '--wait']);
    expect(lines.filter(isLogOrStack).map((line) => JSON.parse(line).msg)).toContain('cannot process this file');
  });

  it('--verbose names each failed or degraded file and why, one line each', async () => {
    const { code, stdout } = await medialake(['--data', freshLake(), 'ingest', photos.path, '--wait', '--verbose'], { MEDIALAKE_LOG_LEVEL: 'silent' });
    expect(stdout.split('\n')).toEqual([
      'ingested 3, duplicates 0, failed 1, degraded 1',
      `  failed    ${join(photos.path, 'empty.jpg')}: metadata@5: EMPTY_FILE the file is empty`,
      expect.stringMatching(
        new RegExp(`^  degraded  ${join(photos.path, 'corrupted.jpg')}: (renditions@\\d, perceptual-hash@\\d|perceptual-hash@\\d, renditions@\\d): UNREADABLE_IMAGE the image cannot be decoded: (VipsJpeg: Corrupt JPEG data: [^\\n]+|the decoder gave no reason)$`),
      ),
      '',
    ]);
    expect(code).toBe(2);
  });

  it('--json counts failed and degraded assets once processing is waited for', async () => {
    const { stdout } = await medialake(['--data', freshLake(), 'ingest', photos.path, '--wait', '--json'], { MEDIALAKE_LOG_LEVEL: 'silent' });
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ ingested: 3, duplicates: 0 });
    expect(summary.failed).toEqual([{ path: join(photos.path, 'empty.jpg'), assetId: expect.any(String), error: 'metadata@5: EMPTY_FILE the file is empty' }]);
    expect(summary.degraded).toEqual([{ path: join(photos.path, 'corrupted.jpg'), assetId: expect.any(String), error: expect.stringContaining('UNREADABLE_IMAGE') }]);
  });

  it('off a terminal, logs stay JSON on stderr; a file that cannot be decoded is one warning with its code and reason, no stack', async () => {
    const { stdout, stderr } = await medialake(['--data', freshLake(), 'ingest', photos.path, '--wait']);
    expect(stdout).toBe('ingested 3, duplicates 0, failed 1, degraded 1\n  --verbose names each failed or degraded file and why\n');
    const logs = stderr.trim().split('\n').map((line) => JSON.parse(line));
    const badInput = logs.filter((log) => log.code === 'UNREADABLE_IMAGE');
    expect(badInput.length).toBeGreaterThan(0);
    for (const log of badInput) {
      expect(log).toMatchObject({ level: 40, msg: 'cannot process this file', reason: expect.stringMatching(/^the image cannot be decoded: [^\n]+$/) });
      expect(log.err).toBeUndefined();
    }
    expect(stderr).not.toMatch(/\bat <anonymous>|\\n\s+at /);
  });

  it('without --wait, says that processing is not counted yet; what was ingested is found at once, with no server running', async () => {
    const data = freshLake();
    const quiet = { MEDIALAKE_LOG_LEVEL: 'silent' };
    const { stdout } = await medialake(['--data', data, 'ingest', photos.path], quiet);
    // search, audit and cameras fold the embedded log into what they read first.
    expect(JSON.parse((await medialake(['--data', data, 'search', 'dscn0010', '--json'], quiet)).stdout).total).toBe(1);
    expect(JSON.parse((await medialake(['--data', data, 'audit', '--type', 'AssetIngested', '--format', 'json'], quiet)).stdout).entries).toHaveLength(3);
    expect(JSON.parse((await medialake(['--data', data, 'cameras', '--json'], quiet)).stdout)).toEqual([]);
    expect(stdout).toBe('ingested 3, duplicates 0, failed 0; `medialake serve` processes them, or --wait does now and counts the files that processing fails or degrades\n');
  });

  it('status: each column as wide as its widest cell, headed by its name', async () => {
    const data = freshLake();
    await medialake(['--data', data, 'ingest', photos.path, '--wait'], { MEDIALAKE_LOG_LEVEL: 'silent' });
    const { stdout } = await medialake(['--data', data, 'status']);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^consumer +position +lag +dead letters$/);
    const consumers = rows.filter((row) => row.startsWith('p'));
    expect(consumers.map((row) => row.split(/ {2,}/))).toContainEqual(['processor:perceptual-hash', expect.stringMatching(/^0:\d+$/), '0', '1']);
    for (const column of ['position', 'lag', 'dead letters']) {
      const at = header!.indexOf(column);
      for (const row of consumers) expect(row[at - 1], `${column} of "${row}"`).toBe(' ');
      for (const row of consumers) expect(row[at], `${column} of "${row}"`).not.toBe(' ');
    }
    expect(rows.slice(-2)).toEqual([
      'assets: 1 degraded, 1 failed, 1 ready',
      `dead letters: ${consumers.reduce((sum, row) => sum + Number(row.split(/ {2,}/)[3]), 0)} (medialake dead-letters lists them; medialake reprocess runs them again)`,
    ]);
  });

  it('a file name with a newline or an escape sequence is ingested without them (as an upload is named): it stays on its one line, and the terminal is not told anything', async () => {
    const data = freshLake();
    const odd = temporaryDirectory();
    lakes.push(odd);
    copyFileSync(fixture('jpg/gps/DSCN0010.jpg'), join(odd.path, 'harbour\nat dawn \u001b[31mred.jpg'));
    await medialake(['--data', data, 'ingest', odd.path, '--wait'], { MEDIALAKE_LOG_LEVEL: 'silent' });
    const { stdout } = await medialake(['--data', data, 'search', 'dawn']);
    expect(stdout).toMatch(/^1 found\na[0-9a-f]{32} {2}harbourat dawn \[31mred\.jpg {2}\d{4}-\d\d-\d\d {2}NIKON COOLPIX P6000\n$/);
  });
});
