import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, type IngestContext } from '../../producers/ingest';
import type { ObjectStore } from '../../storage/objectStore';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { loadConfig } from '../../app/config';
import { openLake } from '../../app/lake';
import { ChainKeyMissingError, newChainKey } from '../../log/chainKey';
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

describe('what ingest takes a file for, by its bytes', () => {
  it('a PDF after blank lines is a PDF; text that mentions %PDF- is not; an MPEG program stream is video/mpeg', async () => {
    const lake = await openTestLake();
    const folder = temporaryDirectory();
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    // An MPEG-2 pack header: its start code, then the '01' marker bits of MPEG-2.
    const programStream = Buffer.from([0x00, 0x00, 0x01, 0xba, 0x44, 0x00, 0x04, 0x00, 0x04, 0x01, 0x01, 0x89, 0xc3, 0xf8, ...Array(50).fill(0)]);
    const files: [string, Buffer | string, object][] = [
      ['after-blanks.pdf', Buffer.concat([Buffer.from('\r\n\n'), pdf]), { mediaType: 'document', mimeType: 'application/pdf' }],
      ['after-bom.pdf', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n'), pdf]), { mediaType: 'document', mimeType: 'application/pdf' }],
      ['notes.txt', 'The header of a PDF: %PDF-1.7, then objects.', { mediaType: 'other' }],
      ['program.mpg', programStream, { mediaType: 'video', mimeType: 'video/mpeg' }],
    ];
    try {
      for (const [name, bytes, kind] of files) {
        writeFileSync(join(folder.path, name), bytes);
        const { assetId } = await ingestFile(ingestContext(lake), join(folder.path, name), { kind: 'upload' }, name);
        const [ingested] = await lake.log.readAsset(assetId);
        expect([name, ingested!.payload]).toEqual([name, expect.objectContaining(kind)]);
      }
    } finally {
      await lake.close();
      folder.remove();
    }
  });
});

describe('an ingest whose append the log refuses for good (a chain key not configured)', () => {
  const data = temporaryDirectory('medialake-refused-');
  afterAll(() => data.remove());

  it('leaves no original behind that no event names, and keeps those that events name', async () => {
    const settings = (key: string) => loadConfig({ data: data.path, logLevel: 'silent', 'log.sync': 'normal', 'chain.key': key }, {});
    const before = await openLake(settings(newChainKey()));
    const kept = await ingestFile(ingestContext(before), fixture('jpg/Canon_40D.jpg'), { kind: 'upload' }, 'kept.jpg');
    await before.close();

    // Another key only: the next link would follow one signed with a key it does not hold.
    const after = await openLake(settings(newChainKey()));
    try {
      await expect(ingestFile(ingestContext(after), fixture('jpg/Nikon_D70.jpg'), { kind: 'upload' }, 'refused.jpg')).rejects.toBeInstanceOf(ChainKeyMissingError);
      const originals: string[] = [];
      for await (const object of after.store.list('originals/')) originals.push(object.key);
      expect(originals).toEqual([(kept as { event: { payload: { objectKey: string } } }).event.payload.objectKey]);
    } finally {
      await after.close();
    }
  });
});
