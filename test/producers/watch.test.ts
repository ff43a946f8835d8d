import { copyFileSync, symlinkSync } from 'node:fs';
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
