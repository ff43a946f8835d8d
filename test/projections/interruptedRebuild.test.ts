import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { ProjectionCatalog } from '../../projections/lifecycle/catalog';
import { catchUp } from '../../projections/projection';
import { ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { openTestLake } from '../support/lake';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const GENERATION = 'v1-killed';
const WHAT_TO_DO = /ended while building: run `medialake projections rebuild audit` again/;

type TestLake = Awaited<ReturnType<typeof openTestLake>>;

/** The pid of a process that has exited: what a rebuild killed with SIGKILL leaves in the catalog. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

/**
 * Records a rebuild of audit as the process `pid` on `host` would have left it
 * mid-fill, with the half-built file beside the live one.
 */
function recordRebuild(lake: { dataDir: string }, owner: { pid: number; host?: string }): void {
  const catalog = new ProjectionCatalog(join(lake.dataDir, 'projections.db'));
  catalog.beginRebuild('audit', GENERATION, 1, 28586);
  catalog.close();
  setOwner(lake, owner);
  writeFileSync(join(lake.dataDir, `audit.${GENERATION}.db`), '');
}

/** beginRebuild records this process: the row is rewritten as another's, which no API does. */
function setOwner(lake: { dataDir: string }, { pid, host = hostname() }: { pid: number; host?: string }): void {
  const db = new Database(join(lake.dataDir, 'projections.db'));
  db.prepare('UPDATE rebuilds SET pid = ?, host = ? WHERE name = ?').run(pid, host, 'audit');
  db.close();
}

const auditRebuild = async (lake: TestLake) => (await lake.projections.status('audit'))[0]!.rebuild;

describe('a rebuild whose process is gone', () => {
  let lake: TestLake;
  beforeEach(async () => {
    lake = await openTestLake({ 'auth.enabled': false });
  });
  afterEach(async () => lake.close());

  it('is reported as interrupted, with what to do, in the status, over HTTP and by the CLI', async () => {
    recordRebuild(lake, { pid: await exitedPid() });

    expect(await auditRebuild(lake)).toMatchObject({ generation: GENERATION, state: 'interrupted', applied: 0, total: 28586, error: expect.stringMatching(WHAT_TO_DO) });

    const app = await buildServer(lake);
    try {
      const all = (await app.inject({ url: '/projections/status' })).json() as { projections: { name: string; rebuild?: unknown }[] };
      expect(all.projections.find((p) => p.name === 'audit')?.rebuild).toMatchObject({ state: 'interrupted' });
      expect((await app.inject({ url: '/projections/audit' })).json()).toMatchObject({ rebuild: { state: 'interrupted', error: expect.stringMatching(WHAT_TO_DO) } });
    } finally {
      await app.close();
    }

    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'projections', 'status', 'audit'], {
      env: { ...process.env, MEDIALAKE_DATA: lake.dataDir, MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_LOG_SYNC: 'normal' },
    });
    expect(stdout).toMatch(/^audit .* interrupted 0\/28586 events, 0\/s$/m);
    expect(stdout).toMatch(/^audit: rebuild interrupted: its process \(pid \d+ on .+\) ended while building: run `medialake projections rebuild audit` again/m);
  });

  it('is reported as running while its process lives, and when it ran on another host (which cannot be checked)', async () => {
    recordRebuild(lake, { pid: process.pid });
    expect(await auditRebuild(lake)).toMatchObject({ state: 'building' });
    setOwner(lake, { pid: await exitedPid(), host: 'another-host' });
    expect(await auditRebuild(lake)).toMatchObject({ state: 'building' });
  });

  it('gives way to the next rebuild, which removes what it left', async () => {
    recordRebuild(lake, { pid: await exitedPid() });

    const done = await lake.projections.rebuild('audit');

    expect(await auditRebuild(lake)).toMatchObject({ generation: done.generation, state: 'done' });
    expect(existsSync(join(lake.dataDir, `audit.${GENERATION}.db`))).toBe(false);
    expect(readdirSync(lake.dataDir).filter((file) => /^audit\.v.*\.db$/.test(file))).toEqual([`audit.${done.generation}.db`]);
  });
});

/** The subject an erasure was for: her name in the clear is what a file left behind must not keep. */
const JANE = /jane\s+doe/i;

describe('the old file of a swap whose process died before it deleted it', () => {
  let data: ReturnType<typeof temporaryDirectory>;
  let lake: Lake & { dataDir: string };
  const open = async () => Object.assign(await openLake(loadConfig({ data: data.path, logLevel: 'silent', 'log.sync': 'normal', 'auth.enabled': false }, {})), { dataDir: data.path });
  beforeEach(async () => {
    data = temporaryDirectory('medialake-lake-');
    lake = await open();
  });
  afterEach(async () => {
    await lake.close();
    data.remove();
  });

  /** The .db files of audit's generations. */
  const auditFiles = () => readdirSync(data.path).filter((file) => /^audit\..*db$/.test(file)).sort();
  /** What the live audit trail answers: every event, in order. */
  const auditEntries = async () => (await lake.audit.sql('SELECT seq, event_id, actor FROM audit_events ORDER BY seq')).rows;

  /**
   * Jane's events in the live audit.db, then what a rebuild killed between its
   * switch and its unlink leaves (strace: unlink of audit.db answered with
   * SIGKILL): the catalog naming the new generation, the old file still there
   * with her name in the clear, the rebuild recorded as swapping by a process
   * now gone.
   */
  async function killedBetweenSwitchAndDelete(): Promise<string> {
    await lake.log.append([ingestedDraft('asset-1', { actor: 'Jane Doe' }), ingestedDraft('asset-2', { actor: 'Jane Doe' })]);
    await catchUp(lake.log, lake.audit, lake.logger);
    const old = join(data.path, 'audit.db');
    const copy = join(data.path, 'audit-before-swap');
    const live = new Database(old, { readonly: true });
    live.exec(`VACUUM INTO '${copy}'`); // the file as it was, its WAL included
    live.close();
    const { generation } = await lake.projections.rebuild('audit');
    renameSync(copy, old);
    const catalog = new Database(join(data.path, 'projections.db'));
    catalog.prepare("UPDATE rebuilds SET state = 'swapping', finished_at = NULL, pid = ? WHERE name = 'audit'").run(await exitedPid());
    catalog.close();
    expect(readFileSync(old, 'latin1')).toMatch(JANE);
    expect(auditFiles()).toEqual(['audit.db', `audit.${generation}.db`]);
    return generation;
  }

  it('is removed when the projection next opens (serve or any command), and the live generation answers as before', async () => {
    const generation = await killedBetweenSwitchAndDelete();
    const entries = await auditEntries();
    expect(entries.filter(([, , actor]) => actor === 'Jane Doe')).toHaveLength(2);
    await lake.close();

    lake = await open();

    expect(auditFiles()).toEqual([`audit.${generation}.db`]);
    expect(await auditEntries()).toEqual(entries);
    // The swap went through before the process died: done, not interrupted with a rebuild to run again.
    expect(await auditRebuild(lake)).toMatchObject({ generation, state: 'done' });
    expect((await auditRebuild(lake))!.error).toBeUndefined();
  });

  it('is removed by the next rebuild, which keeps the live data', async () => {
    await killedBetweenSwitchAndDelete();
    const entries = await auditEntries();

    const done = await lake.projections.rebuild('audit');

    expect(auditFiles()).toEqual([`audit.${done.generation}.db`]);
    expect((await auditEntries()).map(([, id, actor]) => [id, actor])).toEqual(entries.map(([, id, actor]) => [id, actor]));
  });

  it('is told apart from the file of a rebuild still running in another process, which stays until that process is gone', async () => {
    recordRebuild(lake, { pid: process.pid });
    await lake.close();

    lake = await open();
    expect(auditFiles()).toEqual(['audit.db', `audit.${GENERATION}.db`]);

    setOwner(lake, { pid: await exitedPid(), host: 'another-host' }); // cannot be checked: taken to be running
    await lake.close();
    lake = await open();
    expect(auditFiles()).toEqual(['audit.db', `audit.${GENERATION}.db`]);

    setOwner(lake, { pid: await exitedPid() });
    await lake.close();
    lake = await open();
    expect(auditFiles()).toEqual(['audit.db']);
  });
});
