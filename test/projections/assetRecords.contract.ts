import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draft, type StoredEvent } from '../../schemas/envelope';
import type { EventType, PayloadOf } from '../../schemas/events';
import { derivedEventId } from '../../schemas/ids';
import type { AssetRecords, ListOptions } from '../../projections/assets/assetRecords';

const SHA_PHOTO = 'a'.repeat(64);
const SHA_SCAN = 'b'.repeat(64);
const SHA_CLIP = 'c'.repeat(64);

/** A stored event as a log hands it to a projection. */
function stored<T extends EventType>(
  type: T,
  assetId: string,
  assetVersion: number,
  payload: PayloadOf<T>,
  at: { time: string; offset: number; partition?: string },
): StoredEvent {
  const event = draft(type, {
    id: derivedEventId(assetId, assetVersion),
    assetId,
    actor: 'tester',
    source: 'cli',
    correlationId: `correlation-${assetId}`,
    causationId: null,
    payload,
    time: at.time,
  } as never);
  return { ...event, assetVersion, partition: at.partition ?? '0', offset: String(at.offset) } as StoredEvent;
}

const ingested = (assetId: string, sha256: string, origin: PayloadOf<'AssetIngested'>['origin'], name: string) => ({
  objectKey: `originals/${assetId}/original.jpg`,
  originalName: name,
  mediaType: 'image' as const,
  mimeType: 'image/jpeg',
  size: 2_048_000,
  sha256,
  origin,
});

/**
 * A realistic history in log order, assets interleaved: a photo from S3 that
 * gets metadata, renditions and a title (ready); the same bytes uploaded
 * again under another id; a scan that fails; a clip that is deleted.
 */
export function assetHistory(): StoredEvent[] {
  let offset = 0;
  const at = (minute: number) => ({ time: `2024-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`, offset: ++offset });
  const photo = 'photo-1';
  return [
    stored('AssetIngested', photo, 1, ingested(photo, SHA_PHOTO, { kind: 's3', bucket: 'camera-uploads', key: 'DCIM/IMG 0001.jpg' }, 'DCIM/IMG 0001.jpg'), at(1)),
    stored('AssetIngested', 'scan-1', 1, ingested('scan-1', SHA_SCAN, { kind: 'upload' }, 'scan.jpg'), at(2)),
    stored('TechnicalMetadataExtracted', photo, 2, { format: 'jpeg', width: 4000, height: 3000, make: 'Canon', model: 'Canon EOS 40D', sha256: SHA_PHOTO, size: 2_048_000, warnings: [] }, at(3)),
    stored('AssetIngested', 'clip-1', 1, { ...ingested('clip-1', SHA_CLIP, { kind: 'directory', path: '/media/clip.mp4' }, 'clip.mp4'), mediaType: 'video', mimeType: 'video/mp4' }, at(4)),
    stored('RenditionCreated', photo, 3, { name: 'thumbnail', objectKey: `renditions/${photo}/thumbnail.webp`, mimeType: 'image/webp', width: 256, height: 192, size: 9000, watermarked: false }, at(5)),
    stored('AssetProcessingFailed', 'scan-1', 2, { processor: 'processor:metadata@1', causeEventId: 'x', code: 'CORRUPT', message: 'not a JPEG', attempts: 1, retryable: false }, at(6)),
    stored('RenditionCreated', photo, 4, { name: 'proxy', objectKey: `renditions/${photo}/proxy.jpg`, mimeType: 'image/jpeg', width: 1280, height: 960, size: 150_000, watermarked: true }, at(7)),
    stored('TechnicalMetadataExtracted', 'clip-1', 2, { format: 'mp4', sha256: SHA_CLIP, size: 2_048_000, warnings: [] }, at(8)),
    stored('UserMetadataUpdated', photo, 5, { title: 'Harbour at dawn', tags: ['harbour', 'dawn'] }, at(9)),
    stored('AssetIngested', 'photo-2', 1, ingested('photo-2', SHA_PHOTO, { kind: 'upload' }, 'copy of IMG 0001.jpg'), at(10)),
    stored('AssetDeleted', 'clip-1', 3, { reason: 'removed from the bucket' }, at(11)),
  ];
}

/** Applies events in batches of `size`, as a consumer would receive them. */
export async function applyInBatches(records: AssetRecords, events: StoredEvent[], size = 3): Promise<void> {
  for (let i = 0; i < events.length; i += size) await records.apply(events.slice(i, i + size));
}

async function allPages(records: AssetRecords, options: Omit<ListOptions, 'after'>) {
  const pages = [];
  let after: string | undefined;
  do {
    const page = await records.list({ ...options, after });
    pages.push(page.assets.map((a) => a.assetId));
    after = page.next;
  } while (after);
  return pages;
}

/** The AssetRecords contract: every backend passes it (SQLite, DynamoDB). `open` gives a fresh, empty store. */
export function assetRecordsContract(backend: string, open: () => Promise<AssetRecords>): void {
  describe(`AssetRecords contract: ${backend}`, () => {
    let records: AssetRecords;
    beforeEach(async () => {
      records = await open();
    });
    afterEach(() => records.close());

    it('folds a history into the records a user sees', async () => {
      await applyInBatches(records, assetHistory());

      expect(await records.get('photo-1')).toMatchObject({
        assetId: 'photo-1',
        version: 5,
        status: 'ready',
        originalName: 'DCIM/IMG 0001.jpg',
        origin: { kind: 's3', bucket: 'camera-uploads', key: 'DCIM/IMG 0001.jpg' },
        ingestedAt: '2024-05-01T10:01:00.000Z',
        updatedAt: '2024-05-01T10:09:00.000Z',
        metadata: { make: 'Canon', width: 4000 },
        user: { title: 'Harbour at dawn', tags: ['harbour', 'dawn'] },
      });
      expect(Object.keys((await records.get('photo-1'))!.renditions).sort()).toEqual(['proxy', 'thumbnail']);
      expect(await records.get('scan-1')).toMatchObject({ status: 'failed', failures: [{ code: 'CORRUPT' }] });
      expect(await records.get('clip-1')).toMatchObject({ status: 'deleted', version: 3 });
      expect(await records.get('nothing-here')).toBeUndefined();
      expect(await records.countByStatus()).toEqual({ ready: 1, failed: 1, deleted: 1, processing: 1 });
    });

    it('redacts a file name with the path or key it came from, keeping only the detected type\'s extension', async () => {
      await applyInBatches(records, assetHistory());
      const at = (offset: number) => ({ time: '2024-05-02T00:00:00.000Z', offset });
      const portrait = { ...ingested('portrait-1', SHA_SCAN, { kind: 'directory', path: '/home/jane.doe/Portrait of J.Doe' }, 'Portrait of J.Doe') };
      await records.apply([
        stored('AssetIngested', 'portrait-1', 1, portrait, at(20)),
        stored('AssetTextRedacted', 'portrait-1', 2, { fields: ['originalName'] }, at(21)),
        stored('AssetTextRedacted', 'photo-1', 6, { fields: ['originalName'] }, at(22)),
      ]);
      expect(await records.get('portrait-1')).toMatchObject({ originalName: '[redacted].jpg', origin: { kind: 'directory', path: '[redacted]' } });
      expect(await records.get('photo-1')).toMatchObject({ originalName: '[redacted].jpg', origin: { kind: 's3', bucket: 'camera-uploads', key: '[redacted]' } });
      expect(JSON.stringify(await records.get('portrait-1'))).not.toMatch(/doe/i);
    });

    it("keeps a redacted title out of the record, the one the media's own tags give included, when they are read again", async () => {
      const at = (offset: number) => ({ time: '2024-05-02T00:00:00.000Z', offset });
      const probed = {
        container: 'mp3', durationSeconds: 3, video: [], audio: [{ index: 0, codec: 'mp3', channels: 1, sampleRate: 44100 }],
        subtitles: [], data: [], coverArt: false, tags: { title: 'Jane Doe at home', album: 'Interviews' },
      };
      const song = ingested('song-1', SHA_SCAN, { kind: 'upload' }, 'song.mp3');
      await records.apply([
        stored('AssetIngested', 'song-1', 1, { ...song, mediaType: 'audio', mimeType: 'audio/mpeg' }, at(30)),
        stored('MediaProbed', 'song-1', 2, probed, at(31)),
        stored('AssetTextRedacted', 'song-1', 3, { fields: ['title'] }, at(32)),
      ]);
      expect((await records.get('song-1'))!.media!.tags).toEqual({ album: 'Interviews' });
      await records.apply([stored('MediaProbed', 'song-1', 4, probed, at(33))]); // reprocessed
      expect(await records.get('song-1')).toMatchObject({ redacted: ['title'], media: { tags: { album: 'Interviews' } } });
      expect(JSON.stringify(await records.get('song-1'))).not.toMatch(/jane/i);
    });

    it("keeps a redacted title and description out of the record, a photo's own XMP and IPTC ones included, when they are read again", async () => {
      const at = (offset: number) => ({ time: '2024-05-02T00:00:00.000Z', offset });
      const read = {
        format: 'jpeg', sha256: SHA_SCAN, size: 2_048_000, warnings: [],
        xmp: { title: 'Jane Doe at the harbour', description: 'Jane Doe mends her nets', subject: ['nets'], Rating: 4 },
        iptc: { title: 'Jane Doe, fisher', description: 'Portrait of Jane Doe', keywords: ['portrait'] },
      };
      const photo = ingested('portrait-2', SHA_SCAN, { kind: 'upload' }, 'portrait.jpg');
      await records.apply([
        stored('AssetIngested', 'portrait-2', 1, photo, at(40)),
        stored('TechnicalMetadataExtracted', 'portrait-2', 2, read, at(41)),
        stored('AssetTextRedacted', 'portrait-2', 3, { fields: ['title'] }, at(42)),
      ]);
      expect((await records.get('portrait-2'))!.metadata).toMatchObject({
        xmp: { description: 'Jane Doe mends her nets', subject: ['nets'], Rating: 4 },
        iptc: { description: 'Portrait of Jane Doe', keywords: ['portrait'] },
      });
      expect(JSON.stringify(await records.get('portrait-2'))).not.toMatch(/harbour|fisher/i);

      await records.apply([
        stored('AssetTextRedacted', 'portrait-2', 4, { fields: ['description'] }, at(43)),
        stored('TechnicalMetadataExtracted', 'portrait-2', 5, read, at(44)), // reprocessed
      ]);
      const record = (await records.get('portrait-2'))!;
      expect(record).toMatchObject({ redacted: ['title', 'description'], metadata: { xmp: { subject: ['nets'], Rating: 4 }, iptc: { keywords: ['portrait'] } } });
      expect(JSON.stringify(record)).not.toMatch(/jane/i);
    });

    it('changes nothing when a batch is delivered again or an older event arrives late', async () => {
      const history = assetHistory();
      await applyInBatches(records, history);
      const before = await Promise.all(['photo-1', 'photo-2', 'scan-1', 'clip-1'].map((id) => records.get(id)));

      await applyInBatches(records, history.slice(3), 4); // redelivery after a crash
      await records.apply([history[2]!]); // the photo's metadata (v2) again, long after v5

      expect(await Promise.all(['photo-1', 'photo-2', 'scan-1', 'clip-1'].map((id) => records.get(id)))).toEqual(before);
      expect(await records.countByStatus()).toEqual({ ready: 1, failed: 1, deleted: 1, processing: 1 });
    });

    it('lists only the assets of the collections a caller may see, and pages through them', async () => {
      const [holiday, work] = [`c${'a'.repeat(32)}`, `c${'b'.repeat(32)}`];
      await applyInBatches(records, [
        ...assetHistory(),
        stored('AssetAddedToCollection', 'photo-1', 6, { collectionId: holiday }, { time: '2024-05-01T11:00:00.000Z', offset: 20 }),
        stored('AssetAddedToCollection', 'scan-1', 3, { collectionId: holiday }, { time: '2024-05-01T11:01:00.000Z', offset: 21 }),
        stored('AssetAddedToCollection', 'photo-2', 2, { collectionId: work }, { time: '2024-05-01T11:02:00.000Z', offset: 22 }),
        stored('AssetAddedToCollection', 'photo-2', 3, { collectionId: holiday }, { time: '2024-05-01T11:03:00.000Z', offset: 23 }),
        stored('AssetRemovedFromCollection', 'photo-2', 4, { collectionId: holiday }, { time: '2024-05-01T11:04:00.000Z', offset: 24 }),
      ]);
      expect(await records.get('photo-2')).toMatchObject({ collections: [work] });
      const pages = [];
      let after: string | undefined;
      do {
        const page = await records.list({ limit: 1, after, within: [holiday] });
        pages.push(page.assets.map((a) => a.assetId));
        after = page.next;
      } while (after);
      expect(pages).toEqual([['scan-1'], ['photo-1']]);
      expect((await records.list({ limit: 10, within: [work, holiday] })).assets.map((a) => a.assetId)).toEqual(['photo-2', 'scan-1', 'photo-1']);
      expect((await records.list({ limit: 10, within: [] })).assets).toEqual([]);
    });

    it('keeps a deleted asset out of lists and lookups, and brings it back when it is ingested again', async () => {
      await applyInBatches(records, assetHistory());
      expect((await records.list({ limit: 10 })).assets.map((a) => a.assetId)).not.toContain('clip-1');
      expect((await records.list({ limit: 10, includeDeleted: true })).assets.map((a) => a.assetId)).toContain('clip-1');
      expect(await records.findBySha256(SHA_CLIP)).toEqual([]);

      await records.apply([
        stored('AssetIngested', 'clip-1', 4, ingested('clip-1', SHA_CLIP, { kind: 'upload' }, 'clip.mp4'), { time: '2024-05-02T08:00:00.000Z', offset: 99 }),
      ]);

      expect(await records.get('clip-1')).toMatchObject({ status: 'processing', version: 4, ingestedAt: '2024-05-02T08:00:00.000Z' });
      expect((await records.list({ limit: 1 })).assets.map((a) => a.assetId)).toEqual(['clip-1']);
      expect((await records.findBySha256(SHA_CLIP)).map((a) => a.assetId)).toEqual(['clip-1']);
    });

    it('pages through assets newest first, each once, with a cursor', async () => {
      const many = Array.from({ length: 7 }, (_, i) =>
        stored('AssetIngested', `asset-${i}`, 1, ingested(`asset-${i}`, SHA_SCAN, { kind: 'upload' }, `${i}.jpg`), {
          // Two assets share each second: the asset id breaks the tie.
          time: `2024-06-01T00:00:0${Math.floor(i / 2)}.000Z`,
          offset: i + 1,
        }),
      );
      await records.apply(many);
      await records.apply([stored('AssetDeleted', 'asset-3', 2, {}, { time: '2024-06-02T00:00:00.000Z', offset: 8 })]);

      expect(await allPages(records, { limit: 2 })).toEqual([
        ['asset-6', 'asset-5'],
        ['asset-4', 'asset-2'],
        ['asset-1', 'asset-0'],
      ]);
      expect((await allPages(records, { limit: 3, includeDeleted: true })).flat()).toEqual(['asset-6', 'asset-5', 'asset-4', 'asset-3', 'asset-2', 'asset-1', 'asset-0']);
      expect(await records.list({ limit: 10 })).toMatchObject({ next: undefined });
    });

    it('pages by capture date, newest or oldest first, an asset without one by its ingest date, ties by asset id', async () => {
      const captured = [
        ['asset-0', '2010-05-01T12:00:00'],
        ['asset-1', undefined],
        ['asset-2', '2010-05-01T12:00:00'],
        ['asset-3', '2001-01-01T08:00:00+02:00'],
        ['asset-4', '2030-01-01T00:00:00'],
        ['asset-5', undefined],
      ] as const;
      let offset = 0;
      await records.apply(
        captured.flatMap(([assetId, capturedAt], i) => {
          const at = { time: `2024-06-01T00:00:0${i}.000Z`, offset: ++offset };
          return [
            stored('AssetIngested', assetId, 1, ingested(assetId, SHA_SCAN, { kind: 'upload' }, `${i}.jpg`), at),
            stored('TechnicalMetadataExtracted', assetId, 2, { format: 'jpeg', sha256: SHA_SCAN, size: 2_048_000, warnings: [], ...(capturedAt && { capturedAt }) }, { ...at, offset: ++offset }),
          ];
        }),
      );
      await records.apply([stored('AssetDeleted', 'asset-5', 3, {}, { time: '2024-06-02T00:00:00.000Z', offset: ++offset })]);

      expect(await allPages(records, { limit: 2, sort: 'captured' })).toEqual([
        ['asset-4', 'asset-1'],
        ['asset-2', 'asset-0'],
        ['asset-3'],
      ]);
      expect(await allPages(records, { limit: 2, sort: 'captured', order: 'asc' })).toEqual([
        ['asset-3', 'asset-0'],
        ['asset-2', 'asset-1'],
        ['asset-4'],
      ]);
      expect((await allPages(records, { limit: 4, sort: 'captured', includeDeleted: true })).flat()).toEqual(['asset-4', 'asset-5', 'asset-1', 'asset-2', 'asset-0', 'asset-3']);
      expect((await allPages(records, { limit: 3, order: 'asc' })).flat()).toEqual(['asset-0', 'asset-1', 'asset-2', 'asset-3', 'asset-4']);
    });

    it('finds live assets by content hash and by the S3 object they came from', async () => {
      await applyInBatches(records, assetHistory());

      expect((await records.findBySha256(SHA_PHOTO)).map((a) => a.assetId)).toEqual(['photo-1', 'photo-2']);
      expect((await records.findByS3Object('camera-uploads', 'DCIM/IMG 0001.jpg')).map((a) => a.assetId)).toEqual(['photo-1']);
      expect(await records.findByS3Object('camera-uploads', 'DCIM/IMG 0002.jpg')).toEqual([]);
      expect(await records.findBySha256('d'.repeat(64))).toEqual([]);
    });

    it('remembers the last applied offset of each partition', async () => {
      expect(await records.positions()).toEqual({});
      const [first, second, third] = assetHistory();
      await records.apply([{ ...first!, partition: '0', offset: '17' }, { ...second!, partition: '1', offset: '4' }]);
      await records.apply([{ ...third!, partition: '0', offset: '18' }]);

      expect(await records.positions()).toEqual({ '0': '18', '1': '4' });
    });
  });
}
