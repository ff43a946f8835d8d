import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { medialake } from '../cli/medialakeProcess';

const PRESS = join(import.meta.dirname, '../fixtures/pipelines/press.yaml');

/** `medialake pipelines` as a user runs it: apply a file, list, backfill, executions, and errors as one line. */
describe('medialake pipelines', () => {
  const data = temporaryDirectory();
  const files = temporaryDirectory();
  afterAll(() => {
    data.remove();
    files.remove();
  });
  const run = (...args: string[]) => medialake(['--data', data.path, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });

  it('applies the press definition, backfills it over what was ingested before, and lists its executions', async () => {
    mkdirSync(join(files.path, 'in', 'press'), { recursive: true });
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(files.path, 'in', 'press', 'a.jpg'));
    expect((await run('ingest', join(files.path, 'in'), '--wait')).code).toBe(0);
    expect(await run('pipelines', 'apply', PRESS, '--wait', '--json')).toMatchObject({ code: 0, stdout: expect.stringContaining('"deployed": true') });
    const backfill = await run('pipelines', 'backfill', 'press', '--wait', '--json');
    expect(JSON.parse(backfill.stdout)).toMatchObject({ pipeline: 'press', version: 1, requested: [expect.any(String)], skipped: [] });
    const listed = JSON.parse((await run('pipelines', 'list', '--json')).stdout) as { name: string }[];
    expect(listed.map((pipeline) => pipeline.name)).toEqual(expect.arrayContaining(['default-images', 'default-metadata', 'press']));
    expect(listed.find((pipeline) => pipeline.name === 'press')).toMatchObject({ name: 'press', version: 1, enabled: true, executions: { completed: 1, failed: 0 } });
    const [execution] = JSON.parse((await run('pipelines', 'executions', 'press', '--json')).stdout);
    expect(execution).toMatchObject({ pipeline: 'press', status: 'completed', trigger: { kind: 'backfill' } });
  });

  it('without --wait or a running lake, sees what was just ingested and deployed: show, list and backfill catch up first', async () => {
    const own = temporaryDirectory();
    const fresh = (...args: string[]) => medialake(['--data', own.path, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
    mkdirSync(join(files.path, 'fresh', 'press'), { recursive: true });
    copyFileSync(fixture('jpg/Nikon_D70.jpg'), join(files.path, 'fresh', 'press', 'b.jpg'));
    expect((await fresh('ingest', join(files.path, 'fresh'))).code).toBe(0);
    expect((await fresh('pipelines', 'apply', PRESS)).code).toBe(0);
    expect(JSON.parse((await fresh('pipelines', 'show', 'press', '--json')).stdout)).toMatchObject({ name: 'press', version: 1 });
    const listed = JSON.parse((await fresh('pipelines', 'list', '--json')).stdout) as { name: string }[];
    expect(listed.map((pipeline) => pipeline.name)).toEqual(expect.arrayContaining(['default-images', 'press']));
    expect(JSON.parse((await fresh('pipelines', 'backfill', 'press', '--json')).stdout)).toMatchObject({ requested: [expect.any(String)] });
    own.remove();
  });

  it('applies a definition naming a collection created just before, with no lake running', async () => {
    const own = temporaryDirectory();
    const fresh = (...args: string[]) => medialake(['--data', own.path, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
    expect((await fresh('collections', 'create', 'Picks')).code).toBe(0);
    const filing = join(files.path, 'filing.yaml');
    writeFileSync(filing, 'name: filing\nversion: 1\ntrigger: { on: manual }\nnodes: [{ id: file, type: add-to-collection, parameters: { collection: Picks } }]\n');
    expect(await fresh('pipelines', 'apply', filing)).toMatchObject({ code: 0, stdout: 'deployed filing v1\n' });
    // What deploys but may not do what was meant is said on stderr, as --json and the API say it.
    const after = join(files.path, 'after.yaml');
    writeFileSync(after, 'name: after\nversion: 1\ntrigger: { on: pipeline, pipeline: nosuch, status: completed }\nnodes: [{ id: file, type: add-to-collection, parameters: { collection: Picks } }]\n');
    expect(await fresh('pipelines', 'apply', after)).toMatchObject({ code: 0, stdout: 'deployed after v1\n', stderr: expect.stringMatching(/^warning: trigger\.pipeline: there is no pipeline "nosuch" deployed yet/) });
    own.remove();
  });

  it('refuses an invalid definition with one line naming the place, and a pipeline there is none of', async () => {
    const bad = join(files.path, 'bad.yaml');
    writeFileSync(bad, 'name: press\nversion: 1\ntrigger: { on: asset, filter: { colour: red } }\nnodes: [{ id: a, type: stamp }]\n');
    const refused = await run('pipelines', 'apply', bad);
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    // The shape is checked first: the catalogue's checks (the unknown node) come once it holds.
    expect(refused.stderr).toBe('medialake: the pipeline definition is invalid: trigger.filter: Unrecognized key: "colour"\n');
    const huge = join(files.path, 'huge.yaml');
    writeFileSync(huge, `# ${'x'.repeat(1024 * 1024)}\n`);
    const tooLarge = await run('pipelines', 'apply', huge);
    expect([tooLarge.code, tooLarge.stderr]).toEqual([1, `medialake: ${huge} is 1048579 bytes: a definition is at most 1048576 (keep large values in the object store or the secret store)\n`]);
    for (const args of [['disable', 'nope'], ['executions', 'nope']]) {
      const missing = await run('pipelines', ...args);
      expect([missing.code, missing.stderr]).toEqual([1, 'medialake: there is no pipeline nope: deploy one with `medialake pipelines apply FILE`\n']);
    }
  });

  it('disables a default pipeline, saying the processes that run processors take it up at their next start', async () => {
    expect(await run('pipelines', 'disable', 'default-video', '--wait')).toMatchObject({ code: 0, stdout: 'disabled default-video (a default pipeline: the processes that run processors take this up at their next start)\n' });
    const listed = JSON.parse((await run('pipelines', 'list', '--json')).stdout) as { name: string; enabled: boolean }[];
    expect(listed.find((pipeline) => pipeline.name === 'default-video')).toMatchObject({ enabled: false });
  });
});
