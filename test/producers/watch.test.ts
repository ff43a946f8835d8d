import { appendFileSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchFolder, type FolderWatch } from '../../producers/watch';
import type { IngestResult } from '../../producers/ingest';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';

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
