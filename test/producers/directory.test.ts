import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDirectory, type DirectoryIngestSummary } from '../../producers/directory';
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
