/**
 * The README's quick start, run as a stranger would: in a copy of the tracked
 * files alone, with nothing beside it, so a file the project reads from
 * outside itself fails here. The copy shares this checkout's node_modules
 * (CI has just run `npm ci` on a clean clone); every other step of the
 * README's first command runs as written, `serve` until it answers.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from './engines/freePorts';
import { temporaryDirectory } from './support/fixtures';
import { waitFor } from './support/waitFor';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The first command of the README's quick start, split into its steps. */
function quickStartSteps(): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const command = block.split('\n').find((line) => line.trim() && !line.startsWith('#')) ?? '';
  return command.split('&&').map((step) => step.trim().split(/\s+/));
}

/** Copies the files git tracks into an empty folder that has nothing beside it. */
function copyOfTrackedFiles(into: string): string {
  const copy = join(into, 'medialake');
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

describe("the README's quick start in a copy of the repository alone", () => {
  const outside = temporaryDirectory('medialake-clone-');
  let copy = '';
  const steps = quickStartSteps();
  beforeAll(() => {
    copy = copyOfTrackedFiles(outside.path);
  });
  afterAll(() => outside.remove());

  it('has nothing beside the copy', () => {
    expect(readdirSync(outside.path)).toEqual(['medialake']);
  });

  it('is install, ingest --wait, search, serve', () => {
    expect(steps.map((step) => step.slice(0, 3).join(' '))).toEqual([
      'npm ci',
      expect.stringMatching(/^npx medialake ingest/),
      expect.stringMatching(/^npx medialake search/),
      'npx medialake serve',
    ]);
  });

  it('ingests the sample images, finds them, and serves the API', async () => {
    const env = { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' };
    const [, ingest, search] = steps as [string[], string[], string[], string[]];
    const ingested = await run(ingest[0]!, [...ingest.slice(1), '--json'], { cwd: copy, env });
    expect(JSON.parse(ingested.stdout)).toMatchObject({ ingested: 81 });
    const found = await run(search[0]!, [...search.slice(1), '--json'], { cwd: copy, env });
    expect(JSON.parse(found.stdout).total).toBeGreaterThan(0);

    const [port] = await freePorts(1);
    // Its own process group, so the server that npx starts goes down with it.
    const server = spawn('npx', ['medialake', 'serve', '--port', String(port)], { cwd: copy, env, stdio: 'ignore', detached: true });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor('serve to answer', async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok === true, 60_000);
      // A lake with no user yet serves nothing but liveness.
      expect((await fetch(`${base}/openapi.json`)).status).toBe(401);
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
    }
  }, 240_000);
});
