import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { ProjectionCatalog } from '../../projections/lifecycle/catalog';
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
function recordRebuild(lake: TestLake, owner: { pid: number; host?: string }): void {
  const catalog = new ProjectionCatalog(join(lake.dataDir, 'projections.db'));
  catalog.beginRebuild('audit', GENERATION, 1, 28586);
  catalog.close();
  setOwner(lake, owner);
  writeFileSync(join(lake.dataDir, `audit.${GENERATION}.db`), '');
}

/** beginRebuild records this process: the row is rewritten as another's, which no API does. */
function setOwner(lake: TestLake, { pid, host = hostname() }: { pid: number; host?: string }): void {
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
