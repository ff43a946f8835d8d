import { execFile, spawn } from 'node:child_process';
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { waitFor } from '../support/waitFor';
import type { SearchResult } from '../../projections/search/searchIndex';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const run = promisify(execFile);

describe('the medialake command', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());
  const medialake = (...args: string[]) =>
    run(process.execPath, [CLI, ...args], { env: { ...process.env, MEDIALAKE_DATA: data.path, MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_ACTOR: 'carol' } });
  const fails = async (...args: string[]) => {
    const error = await medialake(...args).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error, `medialake ${args.join(' ')} should fail`).toBeDefined();
    return error!;
  };

  it('runs as an executable: its first line starts node with the heap setting', async () => {
    const { stdout } = await run(CLI, ['--help']);
    expect(stdout).toMatch(/^Usage: medialake/);
  });

  it('says its version', async () => {
    const { stdout } = await medialake('--version');
    expect(stdout).toBe(`${JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')).version}\n`);
  });

  it('stops quietly when its reader goes away (medialake … | head)', async () => {
    const child = spawn(process.execPath, [CLI, 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('ingests a folder, waits for processing, and finds what it ingested', async () => {
    const { stdout } = await medialake('ingest', fixture('jpg/gps'), '--wait', '--json');
    expect(JSON.parse(stdout)).toEqual({ ingested: 10, duplicates: 0, failed: [], skipped: [], degraded: [], notIngested: [], correlationId: expect.any(String) });
    const found = JSON.parse((await medialake('search', 'coolpix', '--json')).stdout);
    expect(found.total).toBe(9);
    const events = JSON.parse((await medialake('events', found.hits[0].assetId, '--json')).stdout);
    expect(events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['AssetIngested', 'TechnicalMetadataExtracted', 'RenditionCreated']),
    );
    expect(events[0]).toMatchObject({ actor: 'carol', source: 'cli' });
    const status = JSON.parse((await medialake('status', '--json')).stdout);
    expect(status.assets).toEqual({ ready: 10 });
    expect(status.consumers.every((c: { lag: number }) => c.lag === 0)).toBe(true);
  });

  it('ingests files named one by one beside a folder, each under its own name', async () => {
    const own = temporaryDirectory();
    const folder = temporaryDirectory();
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, 'inside.jpg'));
    const args = [CLI, '--data', own.path, 'ingest', fixture('jpg/gps/DSCN0010.jpg'), fixture('jpg/gps/DSCN0012.jpg'), folder.path, '--wait', '--json'];
    const { stdout } = await run(process.execPath, args, { env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' } });
    expect(JSON.parse(stdout)).toMatchObject({ ingested: 3, duplicates: 0, failed: [] });
    const { stdout: listed } = await run(process.execPath, [CLI, '--data', own.path, 'search', '--json'], { env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' } });
    expect(JSON.parse(listed).hits.map((hit: { originalName: string }) => hit.originalName).sort()).toEqual(['DSCN0010.jpg', 'DSCN0012.jpg', 'inside.jpg']);
    own.remove();
    folder.remove();
  });

  it('keeps --watch --json to JSON: the summary, then an object a line for each file taken', async () => {
    const own = temporaryDirectory();
    const folder = temporaryDirectory();
    const watching = spawn(process.execPath, [CLI, '--data', own.path, 'ingest', folder.path, '--watch', '--json'], { env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' } });
    let stdout = '';
    watching.stdout.on('data', (chunk) => (stdout += chunk));
    await waitFor('the summary', async () => stdout.includes('"ingested"'), 20_000);
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, 'dropped.jpg'));
    await waitFor('the dropped file', async () => stdout.includes('dropped.jpg'), 20_000);
    watching.kill('SIGINT');
    await once(watching, 'exit');
    const [summary, line] = stdout.split(/\n(?=\{"path")/);
    expect(JSON.parse(summary!)).toMatchObject({ ingested: 0, failed: [] });
    expect(JSON.parse(line!)).toEqual({ path: join(folder.path, 'dropped.jpg'), assetId: expect.any(String), status: 'ingested' });
    own.remove();
    folder.remove();
  });

  it('keeps --json whole when a HEIC cannot be read, and says why on one line', async () => {
    const own = temporaryDirectory();
    const folder = temporaryDirectory();
    writeFileSync(join(folder.path, 'cut.heic'), readFileSync(fixture('heic/samplefilehub.heif')).subarray(0, 3000));
    const failed = await run(process.execPath, [CLI, '--data', own.path, 'ingest', folder.path, '--wait', '--json'], { env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' } }).then(
      () => expect.unreachable('a file that fails exits 2'),
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed.code).toBe(2);
    const [{ error }] = JSON.parse(failed.stdout).failed as [{ error: string }];
    expect(error).toContain('the HEIF file cannot be read: Invalid input: Unexpected end of file');
    expect(error).not.toMatch(/bad seek|\n/);
    own.remove();
    folder.remove();
  });

  it('prints plain text for people', async () => {
    const { stdout } = await medialake('search', '--make', 'NIKON', '--limit', '2');
    expect(stdout.split('\n')[0]).toBe('9 found');
    expect(stdout).toMatch(/DSCN\d{4}\.jpg {2}2008-10-22 {2}NIKON COOLPIX P6000/);
  });

  it('pages a listing by the cursor each page names, on stderr for people and in the JSON for scripts', async () => {
    const hitIds = (stdout: string) => stdout.split('\n').slice(1, -1).map((line) => line.split('  ')[0]);
    const all = JSON.parse((await medialake('search', '--make', 'NIKON', '--limit', '9', '--json')).stdout) as SearchResult;
    const first = await medialake('search', '--make', 'NIKON', '--limit', '5');
    const [, cursor] = /^more: --after (\S+)\n$/.exec(first.stderr)!;
    const second = await medialake('search', '--make', 'NIKON', '--limit', '5', '--after', cursor!);

    expect([...hitIds(first.stdout), ...hitIds(second.stdout)]).toEqual(all.hits.map((hit) => hit.assetId));
    expect(second.stderr).toBe('');
    expect(all.next).toBeUndefined();
  });

  it('pages a search with words by offset, as its hint says', async () => {
    const hitIds = (stdout: string) => stdout.split('\n').slice(1, -1).map((line) => line.split('  ')[0]);
    const all = JSON.parse((await medialake('search', 'jpg', '--limit', '200', '--json')).stdout) as SearchResult;
    expect(all.total).toBeGreaterThan(4);
    const first = await medialake('search', 'jpg', '--limit', '3');
    expect(first.stderr).toBe('more: --offset 3\n');
    const second = await medialake('search', 'jpg', '--limit', '3', '--offset', '3');
    expect([...hitIds(first.stdout), ...hitIds(second.stdout)]).toEqual(all.hits.slice(0, 6).map((hit) => hit.assetId));
    const last = await medialake('search', 'jpg', '--limit', '3', '--offset', String(all.total - 2));
    expect(last.stderr).toBe('');
  });

  it('says why a path named on the command line cannot be read: a link loop, a name that is not UTF-8', async () => {
    const folder = temporaryDirectory();
    symlinkSync(join(folder.path, 'b'), join(folder.path, 'a'));
    symlinkSync(join(folder.path, 'a'), join(folder.path, 'b'));
    expect((await fails('ingest', join(folder.path, 'a'))).stderr).toBe(`medialake: ${join(folder.path, 'a')}: a link that leads round in a loop\n`);
    // What Node makes of a Latin-1 name's bytes in its arguments.
    expect((await fails('ingest', join(folder.path, 'caf\uFFFD.mp3'))).stderr).toMatch(/: its name is not UTF-8 text, which a command line cannot pass on: rename it, or name the folder that holds it\n$/);
    folder.remove();
  });

  it.each([
    [['ingest', '/no/such/folder'], /^medialake: \/no\/such\/folder: there is no such file or folder\n$/],
    [['ingest', '/dev/null'], /^medialake: \/dev\/null is neither a file nor a folder\n$/],
    [['ingest', '--watch', fixture('jpg/gps'), fixture('tiff')], /^medialake: --watch watches one folder: name it alone\n$/],
    [['events', 'a0000000000000000000000000000000'], /^medialake: there is no asset a0000000000000000000000000000000\n$/],
    [['search', '--from', 'yesterday'], /^medialake: --from expects a date like 2024-01-31, not "yesterday"\n$/],
    [['search', '--after', 'bm90IGEgY3Vyc29y'], /^medialake: the cursor is not one a previous page returned: start again without it\n$/],
    [['dead-letters', '--after', 'bm90IGEgY3Vyc29y'], /^medialake: the cursor is not one a previous page returned: start again without it\n$/],
    [['dead-letters', '--processor', 'nosuch'], /^medialake: there is no consumer processor:nosuch: the consumers are .*processor:metadata.*\n$/],
  ])('fails with one readable line and a non-zero exit: %j', async (args, message) => {
    const error = await fails(...args);
    expect(error.code).not.toBe(0);
    expect(error.stderr).toMatch(message);
  });

  it('serves the API until told to stop', async () => {
    const apiKey = (await medialake('users', 'add', 'operator', '--role', 'editor')).stdout.trimEnd().split('\n').at(-1)!;
    const server = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data', data.path], {
      env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let address: string | undefined;
    for await (const line of createInterface({ input: server.stderr! })) {
      address = (JSON.parse(line) as { address?: string }).address;
      if (address) break;
    }
    const status = (await (await fetch(`${address}/status`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { assets: object };
    expect(status.assets).toEqual({ ready: 10 });
    // The hash chain is checked as serve starts.
    await waitFor('the first check of the hash chain', async () => ((await (await fetch(`${address}/health`)).json()) as { tamperEvidence: unknown }).tamperEvidence !== null);
    expect(await (await fetch(`${address}/health`)).json()).toMatchObject({ ok: true, tamperEvidence: { ok: true, anchor: expect.any(Object) } });
    server.kill('SIGTERM');
    const [code] = await once(server, 'exit');
    expect(code).toBe(0);
  });

  it('has --help on every command', async () => {
    for (const command of ['serve', 'ingest', 'search', 'events', 'status', 'schema', 'erase', 'redact', 'audit', 'projections', 'cameras', 'reprocess', 'dead-letters', 'collections', 'users', 'keys', 'pipelines', 'coordination']) {
      const { stdout } = await medialake(command, '--help');
      expect(stdout).toContain(`Usage: medialake ${command}`);
    }
    // Eighteen starts of the CLI, each compiling and loading the sources: about 40 s on an idle two-core host.
  }, 180_000);
});
