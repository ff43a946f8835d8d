import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchFolder, type FolderWatch } from '../../producers/watch';
import { lakeFiles } from '../../producers/fileNames';
import type { IngestResult } from '../../producers/ingest';
import type { ObjectStore } from '../../storage/objectStore';
import { isSkippedEntry } from '../../storage/walk';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';

describe('a watched folder', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let watch: FolderWatch;
  const folder = temporaryDirectory();
  const seen = new Map<string, IngestResult | Error>();

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    // A link back up the tree: followed, it would be watched without end (and chokidar's ELOOP error, unheard, took the process down).
    symlinkSync('..', join(folder.path, 'up'));
    watch = watchFolder(ingestContext(lake), folder.path, (path, result) => seen.set(path, result));
    await watch.ready;
  });
  afterAll(async () => {
    await watch.close();
    await lake.close();
    folder.remove();
  });

  it('ingests a file dropped into it, as a bucket upload would be, beside a link back up the tree', async () => {
    const dropped = join(folder.path, 'Rømø kanzel.jpg');
    copyFileSync(fixture('jpg/Panasonic_DMC-FZ30.jpg'), dropped);
    const deadline = Date.now() + 20_000;
    while (!seen.has(dropped) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const result = seen.get(dropped) as IngestResult;
    expect(result.status).toBe('ingested');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(await lake.records.get(result.assetId)).toMatchObject({
      originalName: 'Rømø kanzel.jpg',
      origin: { kind: 'watch', path: dropped },
      status: 'ready',
      metadata: { make: 'Panasonic' },
    });
    const [ingested] = await lake.log.readAsset(result.assetId);
    expect(ingested!.source).toBe('watch');
    expect([...seen.keys()].filter((path) => path.includes(join('up', 'up')))).toEqual([]);
  });
});

describe('a watched folder that is itself hidden, written to slowly', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let watch: FolderWatch;
  const parent = temporaryDirectory();
  const folder = join(parent.path, '.inbox');
  const seen = new Map<string, IngestResult | Error>();
  const taken = async (path: string) => {
    const deadline = Date.now() + 20_000;
    while (!seen.has(path) && Date.now() < deadline) await sleep(50);
    return seen.get(path) as IngestResult;
  };

  beforeAll(async () => {
    lake = await openTestLake();
    mkdirSync(join(folder, 'shoot'), { recursive: true });
    watch = watchFolder(ingestContext(lake), folder, (path, result) => seen.set(path, result));
    await watch.ready;
  });
  afterAll(async () => {
    await watch.close();
    await lake.close();
    parent.remove();
  });

  it('takes a file below it under its path there, once the writer has paused longer than a moment, whole', async () => {
    const bytes = readFileSync(fixture('jpg/Canon_40D.jpg'));
    const path = join(folder, 'shoot', 'slow.jpg');
    writeFileSync(path, bytes.subarray(0, 4096));
    await sleep(900); // a network copy's pause
    appendFileSync(path, bytes.subarray(4096));
    const result = await taken(path);
    expect(result.status).toBe('ingested');
    const [ingested] = await lake.log.readAsset(result.assetId);
    expect(ingested).toMatchObject({ type: 'AssetIngested', payload: { originalName: join('shoot', 'slow.jpg'), size: bytes.length } });
  });

  it('takes a file written anew as its new bytes', async () => {
    const path = join(folder, 'shoot', 'slow.jpg');
    const first = (await taken(path)).assetId;
    seen.delete(path);
    copyFileSync(fixture('jpg/Nikon_D70.jpg'), path);
    const again = await taken(path);
    expect(again.status).toBe('ingested');
    expect(again.assetId).not.toBe(first);
  });
});

describe('a burst of files dropped into a watched folder', () => {
  it('is ingested a few at a time, as a bulk ingest takes a folder, not all at once', async () => {
    const lake = await openTestLake();
    const folder = temporaryDirectory();
    let storing = 0;
    let most = 0;
    // Each original takes a while to store, so that ingests that overlap are seen to.
    const put: ObjectStore['put'] = async (key, body, options) => {
      most = Math.max(most, ++storing);
      await sleep(300);
      storing--;
      return lake.store.put(key, body, options);
    };
    const store: ObjectStore = Object.assign(Object.create(lake.store) as ObjectStore, { put });
    const seen = new Map<string, IngestResult | Error>();
    const watch = watchFolder({ ...ingestContext(lake), store }, folder.path, (path, result) => seen.set(path, result));
    try {
      await watch.ready;
      for (let i = 0; i < 12; i++) writeFileSync(join(folder.path, `drop-${i}.bin`), randomBytes(1024));
      await waitFor('the twelve files', () => seen.size === 12, 30_000);
      expect([...seen.values()].map((result) => (result as IngestResult).status)).toEqual(Array(12).fill('ingested'));
      expect(most).toBeLessThanOrEqual(4);
    } finally {
      await watch.close();
      await lake.close();
      folder.remove();
    }
  });
});

describe('a folder watched after a bulk ingest of it (ingest --watch)', () => {
  it('leaves the files already there to the bulk ingest, and takes those dropped after', async () => {
    const lake = await openTestLake();
    const folder = temporaryDirectory();
    const there = join(folder.path, 'there.jpg');
    copyFileSync(fixture('jpg/Canon_40D.jpg'), there);
    const seen = new Map<string, IngestResult | Error>();
    const watch = watchFolder(ingestContext(lake), folder.path, (path, result) => seen.set(path, result), { ignoreInitial: true });
    try {
      await watch.ready;
      const dropped = join(folder.path, 'dropped.jpg');
      copyFileSync(fixture('jpg/Nikon_D70.jpg'), dropped);
      // The dropped file is taken 2 s after it is written: a file already there would have been taken by then.
      await waitFor('the dropped file', () => seen.has(dropped), 20_000);
      expect([...seen.keys()]).toEqual([dropped]);
    } finally {
      await watch.close();
      await lake.close();
      folder.remove();
    }
  });
});

describe('what is dropped into a folder watched by a relative path', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let watch: FolderWatch;
  const folder = temporaryDirectory();
  const seen = new Map<string, IngestResult | Error>();
  const taken = async (path: string) => {
    await waitFor(path, () => seen.has(path), 20_000);
    return seen.get(path)!;
  };

  beforeAll(async () => {
    lake = await openTestLake();
    mkdirSync(join(folder.path, 'a\tb'));
    watch = watchFolder(ingestContext(lake), relative(process.cwd(), folder.path), (path, result) => seen.set(resolve(path), result));
    await watch.ready;
  });
  afterAll(async () => {
    await watch.close();
    await lake.close();
    folder.remove();
  });

  it('is named without control or direction-overriding characters, as an upload is, and its origin is its absolute path', async () => {
    const disguised = join(folder.path, 'a\tb', 'photo\u202Egpj.exe\u0007');
    copyFileSync(fixture('jpg/Canon_40D.jpg'), disguised);
    const result = (await taken(disguised)) as IngestResult;
    const [ingested] = await lake.log.readAsset(result.assetId);
    expect(ingested!.payload).toMatchObject({ originalName: join('ab', 'photogpj.exe'), origin: { kind: 'watch', path: disguised } });
  });

  it("leaves Windows' own files alone, as hidden ones", async () => {
    for (const name of ['Thumbs.db', 'desktop.ini', '.DS_Store']) writeFileSync(join(folder.path, name), name);
    const photo = join(folder.path, 'photo.jpg');
    copyFileSync(fixture('jpg/Nikon_D70.jpg'), photo);
    await taken(photo);
    expect([...seen.keys()].filter((path) => /Thumbs|desktop|DS_Store/.test(path))).toEqual([]);
  });

  it('reports a named pipe as skipped, not read (reading it would wait for a writer for good)', async () => {
    const pipe = join(folder.path, 'pipe.jpg');
    execFileSync('mkfifo', [pipe]);
    const result = await taken(pipe);
    expect(isSkippedEntry(result)).toBe(true);
    expect((result as Error).message).toBe('a named pipe (FIFO) is not a file');
  });
});

describe("a watched folder that holds the lake's own data directory (not hidden)", () => {
  it('takes a photo dropped into it once, and neither the databases nor the renditions processing writes below it, reporting the data directory as skipped', async () => {
    const folder = temporaryDirectory();
    const data = join(folder.path, 'lake');
    const lake = await openTestLake({ data });
    lake.start();
    const seen = new Map<string, IngestResult | Error>();
    const watch = watchFolder(ingestContext(lake), folder.path, (path, result) => seen.set(path, result), { lakeFiles: lakeFiles(lake.config) });
    try {
      await watch.ready;
      copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder.path, 'photo.jpg'));
      await waitFor('the photo', () => seen.has(join(folder.path, 'photo.jpg')), 20_000);
      await lake.waitForIdle({ timeoutMs: 30_000 });
      // Renditions written below the data directory would be taken 2 s after they stop growing.
      await sleep(4_000);
      const skipped = seen.get(data);
      expect(isSkippedEntry(skipped) && skipped.message).toBe("the lake's own data directory");
      expect([...seen.keys()].filter((path) => path !== data)).toEqual([join(folder.path, 'photo.jpg')]);
      expect((await lake.records.list({ limit: 100 })).assets).toHaveLength(1);
    } finally {
      await watch.close();
      await lake.close();
      folder.remove();
    }
  }, 60_000);
});
