import { execFile } from 'node:child_process';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, temporaryDirectory } from '../support/fixtures';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const run = promisify(execFile);

describe('the medialake command: projections, cameras, reprocess, audit', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());
  const medialake = async (...args: string[]) =>
    (
      await run(process.execPath, [CLI, ...args], {
        env: { ...process.env, MEDIALAKE_DATA: data.path, MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_ACTOR: 'dave' },
      })
    ).stdout;

  it('counts cameras, rebuilds a projection, reprocesses, and shows it all in the audit trail', async () => {
    await medialake('ingest', fixture('jpg/gps'), '--wait', '--json');
    expect(await medialake('cameras')).toBe('make   model          year  assets\nNIKON  COOLPIX P6000  2008  9\n');

    const [rebuilt] = JSON.parse(await medialake('projections', 'rebuild', 'cameras', '--json'));
    expect(rebuilt).toMatchObject({ projection: 'cameras', state: 'done' });
    const status = JSON.parse(await medialake('projections', 'status', 'cameras', '--json'));
    expect(status).toEqual([expect.objectContaining({ name: 'cameras', lag: 0, lagSeconds: 0, live: expect.objectContaining({ generation: rebuilt.generation }) })]);

    const reprocessed = JSON.parse(await medialake('reprocess', '--type', 'image', '--processor', 'metadata', '--reason', 'new reader', '--wait', '--json'));
    expect(reprocessed.requested).toHaveLength(9); // the images; the folder's README is no image

    const csv = await medialake('audit', '--type', 'ReprocessRequested', '--format', 'csv', '--all', '--limit', '3');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^time,asset_id,asset_version,type,actor,source,/);
    expect(lines.slice(1)).toHaveLength(9);
    expect(lines.slice(1).every((line) => line.includes(',ReprocessRequested,dave,cli,'))).toBe(true);
    // Every page as one JSON document, written page by page; an empty trail too.
    const json = JSON.parse(await medialake('audit', '--type', 'ReprocessRequested', '--format', 'json', '--all', '--limit', '4'));
    expect(json.entries.map((entry: { type: string }) => entry.type)).toEqual(Array(9).fill('ReprocessRequested'));
    expect(JSON.parse(await medialake('audit', '--actor', 'nobody', '--format', 'json', '--all'))).toEqual({ entries: [] });

    const counted = JSON.parse(
      await medialake('audit', 'sql', 'SELECT type, count(*) AS n FROM audit_events WHERE source = :source GROUP BY type ORDER BY type', '--param', 'source=processor:metadata@5', '--format', 'json'),
    );
    expect(counted).toEqual([{ type: 'TechnicalMetadataExtracted', n: 10 + 9 }]);
  });

  it('lists what the processors gave up on, newest first, a page at a time, and a reprocess takes it off the list', async () => {
    const [{ assetId }] = JSON.parse(await medialake('ingest', fixture('jpg/corrupted.jpg'), '--wait', '--json')).degraded;
    type Page = { deadLetters: { group: string; assetId: string; time: string }[]; next?: string };
    const all = JSON.parse(await medialake('dead-letters', '--asset', assetId, '--json')) as Page;
    expect(all.deadLetters.length).toBeGreaterThanOrEqual(2);
    expect(all.deadLetters.every((letter) => letter.assetId === assetId && letter.group.startsWith('processor:'))).toBe(true);
    expect(all.deadLetters.map((letter) => letter.time)).toEqual(all.deadLetters.map((letter) => letter.time).sort().reverse());
    expect(all.next).toBeUndefined();

    const first = await run(process.execPath, [CLI, 'dead-letters', '--limit', '1'], { env: { ...process.env, MEDIALAKE_DATA: data.path, MEDIALAKE_LOG_LEVEL: 'silent' } });
    expect(first.stdout.split('\n')[0]).toMatch(/^time +consumer +asset +attempts +error$/);
    expect(first.stdout).toContain(`  ${all.deadLetters[0]!.group}  `);
    const [, cursor] = /^more: --after (\S+)\n$/.exec(first.stderr)!;
    const rest = JSON.parse(await medialake('dead-letters', '--after', cursor!, '--json')) as Page;
    expect(rest.deadLetters).toEqual(all.deadLetters.slice(1));

    const processor = all.deadLetters[0]!.group.replace(/^processor:/, '');
    const its = JSON.parse(await medialake('dead-letters', '--processor', processor, '--json')) as Page;
    expect(its.deadLetters).toEqual([all.deadLetters[0]]);
    // Named as `status` names the consumer, the same; a consumer the lake does not run is refused with those it does.
    expect(JSON.parse(await medialake('dead-letters', '--processor', `processor:${processor}`, '--json'))).toEqual(its);
    expect(JSON.parse(await medialake('dead-letters', '--processor', 'projection:search', '--json'))).toEqual({ deadLetters: [] });
    await medialake('reprocess', assetId, '--processor', processor);
    expect((JSON.parse(await medialake('dead-letters', '--json')) as Page).deadLetters).toEqual(all.deadLetters.slice(1));
  });

  it('lists the projections for people', async () => {
    const list = await medialake('projections', 'list');
    expect(list.split('\n')[0]).toMatch(/^name +version +live generation +backend +state +description$/);
    expect(list).toMatch(/\ncameras +1 +v1-\S+ \(v1\) +sqlite/);
  });

  it("says which projections hold a position past the log's end (the log restored from an older copy) and how to mend them", async () => {
    const restored = temporaryDirectory();
    try {
      const inLake = (...args: string[]) => medialake('--data', restored.path, ...args);
      await inLake('ingest', fixture('jpg/Canon_40D.jpg'), '--wait', '--json');
      copyFileSync(join(restored.path, 'log.db'), join(restored.path, 'older-log.db'));
      await inLake('ingest', fixture('jpg/Canon_PowerShot_S40.jpg'), '--wait', '--json');
      // The log from the older copy, the projections from the later: their positions lie past its end.
      for (const suffix of ['-wal', '-shm']) rmSync(join(restored.path, `log.db${suffix}`), { force: true });
      renameSync(join(restored.path, 'older-log.db'), join(restored.path, 'log.db'));
      const [audit] = JSON.parse(await inLake('projections', 'status', 'audit', '--json'));
      expect(audit).toMatchObject({ name: 'audit', pastLogEnd: ['0'] });
      expect(await inLake('projections', 'status')).toContain(
        "\naudit: its position is past the log's end (partition 0): was the log restored from an older copy? It applies nothing until rebuilt: medialake projections rebuild audit\n",
      );
      await inLake('projections', 'rebuild', 'audit', '--json');
      expect(JSON.parse(await inLake('projections', 'status', 'audit', '--json'))[0].pastLogEnd).toBeUndefined();
    } finally {
      restored.remove();
    }
  });
});
