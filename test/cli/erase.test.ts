import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { openLake } from '../../app/lake';
import { buildServer } from '../../api/server';
import { addTestUser, bearer } from '../support/principals';
import { walkFiles } from '../../storage/walk';
import { eraseSubjects } from '../../log/sealedLog';
import { eraseCommand } from '../../cli/erase';
import type { CliContext } from '../../cli/context';
import { INITIAL_GENERATION, ProjectionCatalog } from '../../projections/lifecycle/catalog';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { editDraft } from '../support/events';
import type { EventDraft } from '../../schemas/envelope';
import { waitFor } from '../support/waitFor';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const run = promisify(execFile);
/** The subject's name as people wrote it: the whole name, for 'jane' alone turns up now and then in sealed bytes (ciphertext, base64) by chance. */
const SUBJECT = /jane\s+doe/i;

/** Every file of the data directory that holds `text`, in any case: the log, the keys, every projection, every object. */
async function filesHolding(directory: string, text: RegExp): Promise<string[]> {
  const holding: string[] = [];
  for await (const path of walkFiles(directory)) if (text.test(readFileSync(path, 'latin1'))) holding.push(path);
  return holding;
}

describe('medialake erase: crypto-shredding a person out of every view, the log unchanged', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());
  const medialake = async (actor: string, ...args: string[]) =>
    (await run(process.execPath, [CLI, ...args], { env: { ...process.env, MEDIALAKE_DATA: data.path, MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_ACTOR: actor } })).stdout;

  /** Edits through the API, as a person would: one by Jane naming herself, one by Bob naming both. */
  async function editAsPeople(assetId: string): Promise<void> {
    const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
    lake.start();
    const keys = { jane: await addTestUser(lake, 'Jane Doe', 'editor'), bob: await addTestUser(lake, 'bob', 'editor') };
    const app = await buildServer(lake);
    const patch = (apiKey: string, body: object) => app.inject({ method: 'PATCH', url: `/assets/${assetId}`, headers: bearer(apiKey), payload: body });
    try {
      expect((await patch(keys.jane, { title: 'Harbour', creator: 'Jane Doe' })).statusCode).toBe(200);
      expect((await patch(keys.bob, { people: ['John Roe', 'jane  doe'] })).statusCode).toBe(200);
      expect((await patch(keys.bob, { creator: 'x'.repeat(201) })).statusCode).toBe(400);
      await lake.waitForIdle({ timeoutMs: 60_000 });
      const record = (await app.inject({ url: `/assets/${assetId}`, headers: bearer(keys.bob) })).json();
      expect(record.user).toEqual({ title: 'Harbour', tags: [], creator: 'Jane Doe', people: ['John Roe', 'jane  doe'] });
    } finally {
      await app.close();
      await lake.close();
    }
  }

  it('leaves no trace of the subject in any projection or file, keeps everyone else, and the chain still verifies', async () => {
    await medialake('Jane Doe', 'ingest', fixture('jpg/gps'), '--wait');
    const { hits } = JSON.parse(await medialake('bob', 'search', 'DSCN0010', '--json'));
    const assetId: string = hits[0].assetId;
    await editAsPeople(assetId);
    const before = (await filesHolding(data.path, SUBJECT)).map((path) => path.slice(data.path.length + 1));
    expect(before).toEqual(expect.arrayContaining(['assets.db', 'audit.db', 'search.db'])); // the views, in the clear
    expect(before.filter((name) => /^(log|keys)\.db/.test(name))).toEqual([]); // the log holds it sealed, the keys by hash
    const found = async (word: string) => JSON.parse(await medialake('bob', 'search', word, '--json')).hits.map((hit: { assetId: string }) => hit.assetId);
    expect(await found('jane')).toEqual([assetId]);

    const erasure = JSON.parse(await medialake('bob', 'erase', 'JANE DOE', '--json'));
    expect(erasure).toEqual({
      subjects: [{ subject: 'JANE DOE', erased: true }],
      rebuilt: ['assets', 'search', 'vectors', 'duplicates', 'cameras', 'audit', 'collections', 'principals', 'pipelines'],
      notRebuilt: [],
    });
    expect(await filesHolding(data.path, SUBJECT)).toEqual([]);
    expect(await found('jane')).toEqual([]);

    const { entries } = JSON.parse(await medialake('bob', 'audit', '--asset', assetId, '--type', 'AssetIngested,UserMetadataUpdated', '--format', 'json'));
    expect(entries.map((e: { actor: string }) => e.actor)).toEqual(['[erased]', '[erased]', 'bob']);
    expect(entries.map((e: { payload: object }) => e.payload).slice(1)).toEqual([
      { title: 'Harbour', creator: '[erased]' },
      { people: ['John Roe', '[erased]'] },
    ]);
    expect(JSON.parse(await medialake('bob', 'audit', '--actor', '[erased]', '--format', 'json', '--limit', '100')).entries).toHaveLength(11);
    expect(await medialake('bob', 'audit', 'verify')).toMatch(/chain intact/);
    // Her account goes with her name: listed as disabled, as sign-in treats it.
    const users: { name: string; disabled: boolean }[] = JSON.parse(await medialake('bob', 'users', 'list', '--json'));
    expect(users.map(({ name, disabled }) => ({ name, disabled }))).toEqual(
      expect.arrayContaining([{ name: '[erased]', disabled: true }, { name: 'bob', disabled: false }]),
    );
    expect(JSON.parse(await medialake('bob', 'erase', 'Jane Doe', '--json')).subjects).toEqual([{ subject: 'Jane Doe', erased: false }]);
  });

  it('finishes, when run again, an erase stopped after it destroyed the key and before the projections were rebuilt', async () => {
    const photos = temporaryDirectory();
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(photos.path, 'Canon_40D.jpg'));
    await medialake('Zoe Quill', 'ingest', photos.path, '--wait');
    photos.remove();
    // What a kill between the two steps leaves: the key gone, the projections as they were.
    const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
    expect(await eraseSubjects(lake.log, lake.subjectKeys, ['Zoe Quill'])).toEqual([true]);
    await lake.close();
    expect(await filesHolding(data.path, /zoe\s+quill/i)).not.toEqual([]);

    const erasure = JSON.parse(await medialake('bob', 'erase', 'Zoe Quill', '--json'));
    expect(erasure.subjects).toEqual([{ subject: 'Zoe Quill', erased: false }]);
    expect(erasure.rebuilt).toContain('audit');
    expect(await filesHolding(data.path, /zoe\s+quill/i)).toEqual([]);
  });

  const settings = () => loadConfig({ data: data.path, logLevel: 'silent' }, {});
  async function ingestAs(person: string, photo: string): Promise<void> {
    const photos = temporaryDirectory();
    copyFileSync(fixture(`jpg/${photo}`), join(photos.path, photo));
    await medialake(person, 'ingest', photos.path, '--wait');
    photos.remove();
  }
  const auditFile = (generation: string) => join(data.path, generation === INITIAL_GENERATION ? 'audit.db' : `audit.${generation}.db`);

  it('waits for a rebuild already running in another process, then rebuilds: what that rebuild read before the key went does not survive', async () => {
    const MIA = /mia\s+stone/i;
    await ingestAs('Mia Stone', 'Nikon_D70.jpg');
    // Another process rebuilds audit: recorded as running by it (alive), its new file filled while her key was there.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const catalog = new ProjectionCatalog(join(data.path, 'projections.db'));
    try {
      const live = catalog.live('audit')!;
      const OTHER = 'v1-other';
      catalog.beginRebuild('audit', OTHER, live.version, 0);
      const db = new Database(join(data.path, 'projections.db'));
      db.prepare("UPDATE rebuilds SET pid = ? WHERE name = 'audit'").run(other.pid);
      db.exec(`ATTACH '${auditFile(live.generation)}' AS live; VACUUM live INTO '${auditFile(OTHER)}'`);
      db.close();
      expect(readFileSync(auditFile(OTHER), 'latin1')).toMatch(MIA);

      const erase = spawn(process.execPath, [CLI, 'erase', 'Mia Stone', '--json'], { env: { ...process.env, MEDIALAKE_DATA: data.path, MEDIALAKE_LOG_LEVEL: 'silent' } });
      let stdout = '';
      let stderr = '';
      erase.stdout.on('data', (chunk) => (stdout += chunk));
      erase.stderr.on('data', (chunk) => (stderr += chunk));
      const exited = once(erase, 'exit');
      await Promise.race([waitFor('erase to say it waits', () => stderr.includes('waiting')), exited]);
      expect(stderr).toMatch(/^erase: waiting for the rebuild of audit running now \(generation v1-other, building 0\/0 events\) to end: no key is destroyed until it ends$/m);
      expect(erase.exitCode).toBe(null); // still waiting

      // The other rebuild ends as a swap does: its file goes live, the old one is deleted.
      catalog.setLive('audit', OTHER, live.version);
      catalog.finishRebuild('audit', OTHER, 'done');
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${auditFile(live.generation)}${suffix}`, { force: true });
      const [code] = await exited;

      expect({ code, stderr: stderr.replace(/^erase: waiting.*\n/m, '') }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(stdout)).toMatchObject({ subjects: [{ subject: 'Mia Stone', erased: true }], rebuilt: expect.arrayContaining(['audit']) });
      expect(await filesHolding(data.path, MIA)).toEqual([]);
      expect(JSON.parse(await medialake('bob', 'audit', '--actor', 'Mia Stone', '--format', 'json')).entries).toEqual([]);
      expect(catalog.rebuild('audit')).toMatchObject({ state: 'done', generation: expect.not.stringMatching(OTHER) });
    } finally {
      catalog.close();
      other.kill();
    }
  });

  it('destroys again the keys of values written while it rebuilt (an edit naming the person), and rebuilds again, so that nothing names them', async () => {
    const OMAR = /omar\s+vale/i;
    await ingestAs('Omar Vale', 'Olympus_C8080WZ.jpg');
    const existingLake: CliContext['existingLake'] = async (run) => {
      const lake = await openLake(settings());
      const [asset] = await lake.records.list({ limit: 1 }).then((page) => page.assets);
      // An editor names him while the first rebuild runs: the value is sealed under a new key.
      const rebuildAll = lake.projections.rebuildAll.bind(lake.projections);
      let rebuilds = 0;
      lake.projections.rebuildAll = async (names, options) => {
        if (++rebuilds === 1) await lake.log.append([{ ...editDraft(asset!.assetId, 'Market day'), payload: { title: 'Market day', creator: 'Omar Vale' } } as EventDraft]);
        return rebuildAll(names, options);
      };
      try {
        return await run(lake);
      } finally {
        expect(rebuilds).toBe(2);
        await lake.close();
      }
    };
    const cli: CliContext = { config: settings, withLake: existingLake, existingLake, readLake: (_, run) => existingLake(run), print: () => undefined, actor: () => 'bob' };
    await eraseCommand(cli).parseAsync(['Omar Vale', '--json'], { from: 'user' });
    expect(await filesHolding(data.path, OMAR)).toEqual([]);
  });

  it('says, when a rebuild still cannot start after the key is destroyed, that the key is gone, the erasure unfinished, and to run it again', async () => {
    const NIA = /nia\s+brook/i;
    await ingestAs('Nia Brook', 'Pentax_K10D.jpg');
    const RACED = 'v1-raced';
    const existingLake: CliContext['existingLake'] = async (run) => {
      const lake = await openLake(settings());
      // Another rebuild of audit begins after erase found none running, and before erase starts its own.
      const rebuildAll = lake.projections.rebuildAll.bind(lake.projections);
      lake.projections.rebuildAll = (names, options) => {
        const catalog = new ProjectionCatalog(join(data.path, 'projections.db'));
        catalog.beginRebuild('audit', RACED, catalog.live('audit')!.version, 0);
        catalog.close();
        return rebuildAll(names, options);
      };
      try {
        return await run(lake);
      } finally {
        await lake.close();
      }
    };
    const cli: CliContext = { config: settings, withLake: existingLake, existingLake, readLake: (_, run) => existingLake(run), print: () => undefined, actor: () => 'bob' };

    const error: Error = await eraseCommand(cli)
      .parseAsync(['Nia Brook', '--json'], { from: 'user' })
      .then(() => new Error('erase succeeded'), (e: Error) => e);

    expect(error.message).toMatch(
      /^the key of "Nia Brook" is destroyed, but the erasure is not finished \(.*\): a rebuild of audit is already running \(generation v1-raced, .*\).*; run `medialake erase 'Nia Brook'` again$/,
    );
    expect(error.message).not.toMatch(/\n/);
    expect(await filesHolding(data.path, NIA)).not.toEqual([]); // indeed not finished: audit still names her

    const catalog = new ProjectionCatalog(join(data.path, 'projections.db'));
    catalog.finishRebuild('audit', RACED, 'failed', 'stopped');
    catalog.close();
    expect(JSON.parse(await medialake('bob', 'erase', 'Nia Brook', '--json')).subjects).toEqual([{ subject: 'Nia Brook', erased: false }]);
    expect(await filesHolding(data.path, NIA)).toEqual([]);
  });
});
