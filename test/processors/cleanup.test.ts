import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupProcessor } from '../../processors/cleanup';
import type { ProcessorInput } from '../../processors/processor';
import { deleteAsset } from '../../producers/commands';
import { ingestFile } from '../../producers/ingest';
import type { StoredEvent } from '../../schemas/envelope';
import { renditionKey } from '../../storage/assetKeys';
import { fixture } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';

/** Cleanup takes no media input: it works from the event and the store. */
const noInput = {} as ProcessorInput;

describe('cleanup of a deleted asset', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  const photo = fixture('jpg/Canon_40D.jpg');
  const origin = { kind: 'directory' as const, path: photo };

  /** Runs cleanup on the delete as the runner would, however late: its deletes done. */
  async function cleanUp(deleted: StoredEvent): Promise<void> {
    const result = await cleanupProcessor(lake.store, lake.log).process(deleted, noInput);
    for (const key of result.deletes ?? []) await lake.store.delete(key);
  }

  /** Ingests the photo and gives it a rendition, as the renditions processor would write it. */
  async function ingestWithRendition(): Promise<{ assetId: string; original: string; thumbnail: string }> {
    const result = await ingestFile(ingestContext(lake), photo, origin, 'Canon_40D.jpg');
    const [ingested] = (await lake.log.readAsset(result.assetId)).filter((event) => event.type === 'AssetIngested').slice(-1);
    const thumbnail = renditionKey(result.assetId, 'thumbnail', '.webp');
    await lake.store.put(thumbnail, Buffer.from('a thumbnail'), { contentType: 'image/webp' });
    return { assetId: result.assetId, original: (ingested!.payload as { objectKey: string }).objectKey, thumbnail };
  }

  beforeEach(async () => {
    lake = await openTestLake();
  });
  afterEach(() => lake.close());

  it('removes the original and the renditions of an asset that stays deleted', async () => {
    const { assetId, original, thumbnail } = await ingestWithRendition();
    const deleted = await deleteAsset({ log: lake.log, actor: 'tester', source: 'cli' }, assetId);
    await cleanUp(deleted);
    expect(await lake.store.head(original)).toBeUndefined();
    expect(await lake.store.head(thumbnail)).toBeUndefined();
  });

  it('keeps the media of the same bytes ingested again before cleanup came to the delete (a lagging processors node, a restart)', async () => {
    const { assetId } = await ingestWithRendition();
    const deleted = await deleteAsset({ log: lake.log, actor: 'tester', source: 'cli' }, assetId);
    const again = await ingestWithRendition();
    expect(again.assetId).toBe(assetId);
    expect((await lake.log.assetHead(assetId)).live).toBe(true);
    await cleanUp(deleted);
    expect(await lake.store.head(again.original)).toMatchObject({ size: expect.any(Number) });
    expect(await lake.store.head(again.thumbnail)).toMatchObject({ size: expect.any(Number) });
  });
});
