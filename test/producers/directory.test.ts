import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDirectory, type DirectoryIngestSummary } from '../../producers/directory';
import { lakeFiles } from '../../producers/fileNames';
import type { StoredEvent } from '../../schemas/envelope';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';

async function ingestEvents(lake: Awaited<ReturnType<typeof openTestLake>>): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const batch of lake.log.readAll()) events.push(...batch.filter((event) => event.type === 'AssetIngested'));
  return events;
}

describe('a bulk ingest of a folder named by a relative path, holding more than files', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let summary: DirectoryIngestSummary;
  let events: StoredEvent[];
  const folder = temporaryDirectory();
  const at = (...parts: string[]) => join(folder.path, ...parts);

  beforeAll(async () => {
    lake = await openTestLake();
    mkdirSync(at('shoot\u0007'));
    copyFileSync(fixture('jpg/Canon_40D.jpg'), at('shoot\u0007', 'photo\u202Egpj.exe'));
    copyFileSync(fixture('jpg/Nikon_D70.jpg'), at('plain.jpg'));
    for (const junk of ['Thumbs.db', 'desktop.ini', 'DESKTOP.INI', '.DS_Store']) writeFileSync(at(junk), junk);
    symlinkSync('..', at('shoot\u0007', 'up'));
    symlinkSync('loop', at('loop'));
    execFileSync('mkfifo', [at('pipe.jpg')]);
    summary = await ingestDirectory(ingestContext(lake), relative(process.cwd(), folder.path));
    events = await ingestEvents(lake);
  });
  afterAll(async () => {
    await lake.close();
    folder.remove();
  });

  it('reports a link to a folder, a link loop and a named pipe as skipped, saying why, and none as failed', () => {
    expect(summary.failed).toEqual([]);
    expect(summary.skipped.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: at('loop'), reason: 'a link that leads round in a loop is not followed' },
      { path: at('pipe.jpg'), reason: 'a named pipe (FIFO) is not a file' },
      { path: at('shoot\u0007', 'up'), reason: 'a link to a folder is not followed: name the folder itself' },
    ]);
  });

  it("ingests the files, but neither hidden ones nor Windows' own (Thumbs.db, desktop.ini)", () => {
    expect(summary.ingested).toBe(2);
    expect(events.map((event) => (event.payload as { originalName: string }).originalName).sort()).toEqual(['plain.jpg', join('shoot', 'photogpj.exe')]);
  });

  it('names each file without control or direction-overriding characters, as an upload is named, and records where it was by its absolute path', () => {
    const disguised = events.find((event) => (event.payload as { originalName: string }).originalName.startsWith('shoot'))!;
    expect(disguised.payload).toMatchObject({ originalName: join('shoot', 'photogpj.exe'), origin: { kind: 'directory', path: at('shoot\u0007', 'photo\u202Egpj.exe') } });
  });
});

describe("a bulk ingest of a folder that holds the lake's own data directory (not hidden), key file and secrets file", () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let summary: DirectoryIngestSummary;
  const folder = temporaryDirectory();
  const at = (...parts: string[]) => join(folder.path, ...parts);

  beforeAll(async () => {
    mkdirSync(at('config'));
    writeFileSync(at('config', 'chain.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`);
    writeFileSync(at('config', 'secrets.json'), '{}');
    copyFileSync(fixture('jpg/Canon_40D.jpg'), at('photo.jpg'));
    lake = await openTestLake({ data: at('lake'), 'chain.keyFile': at('config', 'chain.key'), 'pipelines.secretsFile': at('config', 'secrets.json') });
    // Named through a link: the lake's files are known by their real paths.
    symlinkSync(folder.path, `${folder.path}-link`);
    summary = await ingestDirectory(ingestContext(lake), `${folder.path}-link`, { lakeFiles: lakeFiles(lake.config) });
  });
  afterAll(async () => {
    await lake.close();
    folder.remove();
    execFileSync('rm', ['-f', `${folder.path}-link`]);
  });

  it('takes the photo alone, and reports the data directory, the key file and the secrets file as skipped, saying why', async () => {
    expect(summary).toMatchObject({ ingested: 1, duplicates: 0, failed: [] });
    const link = `${folder.path}-link`;
    expect(summary.skipped.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: join(link, 'config', 'chain.key'), reason: "the lake's own chain key file (chain.keyFile)" },
      { path: join(link, 'config', 'secrets.json'), reason: "the lake's own secrets file (pipelines.secretsFile)" },
      { path: join(link, 'lake'), reason: "the lake's own data directory" },
    ]);
    expect((await ingestEvents(lake)).map((event) => (event.payload as { originalName: string }).originalName)).toEqual(['photo.jpg']);
  });
});
