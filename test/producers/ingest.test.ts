import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, type IngestContext } from '../../producers/ingest';
import type { ObjectStore } from '../../storage/objectStore';
import { temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';

describe('a large file that changes while it is ingested', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  const folder = temporaryDirectory();
  afterAll(async () => {
    await lake?.close();
    folder.remove();
  });
  beforeAll(async () => {
    lake = await openTestLake();
  });

  it('is stored whole, byte for byte, when nothing changes it (read twice: hashed, then stored)', async () => {
    const path = join(folder.path, 'steady.bin');
    const bytes = Buffer.alloc(17 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32LE(i, i);
    writeFileSync(path, bytes);
    const result = await ingestFile(ingestContext(lake), path, { kind: 'upload' }, 'steady.bin');
    expect(result.status).toBe('ingested');
    const [ingested] = await lake.log.readAsset(result.assetId);
    const stored = await lake.store.getBuffer((ingested!.payload as { objectKey: string }).objectKey);
    expect(stored.equals(bytes)).toBe(true);
  });

  it('is refused, and neither its bytes nor an event stay: the asset would not hold its own content', async () => {
    const path = join(folder.path, 'recording.bin');
    writeFileSync(path, Buffer.alloc(17 * 1024 * 1024, 7)); // past the size read whole: hashed, then read again to be stored
    const written: string[] = [];
    // The writer goes on between the two reads: it appends just as the lake starts storing the file.
    const put: ObjectStore['put'] = (key, body, options) => {
      appendFileSync(path, Buffer.alloc(1024, 9));
      written.push(key);
      return lake.store.put(key, body, options);
    };
    const store: ObjectStore = Object.assign(Object.create(lake.store) as ObjectStore, { put });
    const context: IngestContext = { ...ingestContext(lake), store };
    await expect(ingestFile(context, path, { kind: 'upload' }, 'recording.bin')).rejects.toMatchObject({ code: 'FILE_CHANGED' });
    expect(written).toHaveLength(1);
    expect(await lake.store.head(written[0]!)).toBeUndefined();
    const assetId = written[0]!.split('/').find((part) => /^a[0-9a-f]{32}$/.test(part))!;
    expect(await lake.log.readAsset(assetId)).toEqual([]);
  });
});

describe('a file read from a temporary copy (an upload, an object of a bucket)', () => {
  it('is typed by the name it goes by where its bytes cannot tell: an SVG is a document, stored under .svg', async () => {
    const lake = await openTestLake();
    const folder = temporaryDirectory();
    try {
      const copy = join(folder.path, '4711.a1b2c3'); // as uploads and bucket objects are copied: a name of the lake's own
      writeFileSync(copy, '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');
      const { assetId } = await ingestFile(ingestContext(lake), copy, { kind: 's3', bucket: 'raw', key: 'incoming/logo.svg' }, 'incoming/logo.svg');
      const [ingested] = await lake.log.readAsset(assetId);
      expect(ingested!.payload).toMatchObject({ mediaType: 'document', mimeType: 'image/svg+xml', objectKey: expect.stringMatching(/\/original\.svg$/) });
    } finally {
      await lake.close();
      folder.remove();
    }
  });
});
