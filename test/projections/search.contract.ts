import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { draft, type EventDraft, type StoredEvent } from '../../schemas/envelope';
import type { EventType, PayloadOf } from '../../schemas/events';
import { derivedEventId } from '../../schemas/ids';
import type { ProjectionStore } from '../../projections/projection';
import { SearchQuery, type Facet, type SearchIndex, type SearchIndexOptions, type SearchResult } from '../../projections/search/searchIndex';
import { INDEXED_TEXT_MAX_CHARS } from '../../projections/search/searchRecord';
import { mediaToolPath } from '../../processors/ffmpeg';
import { mediaProbedFrom, probe } from '../../processors/mediaProbe';
import { ERASED } from '../../schemas/personal';
import { temporaryDirectory } from '../support/fixtures';
import { makeSearchMedia, makeTestMedia, SEARCH_MEDIA, TEST_MEDIA } from '../support/media';

/**
 * A log history in order: versions per asset and offsets as a log assigns
 * them, so the same drafts appended to a real log give the same events.
 */
class History {
  readonly events: StoredEvent[] = [];
  private readonly versions = new Map<string, number>();
  private minute = 0;

  add<T extends EventType>(type: T, assetId: string, payload: PayloadOf<T>): StoredEvent {
    const assetVersion = (this.versions.get(assetId) ?? 0) + 1;
    this.versions.set(assetId, assetVersion);
    const time = new Date(Date.UTC(2024, 4, 1, 10, this.minute++)).toISOString();
    const event = draft(type, {
      id: derivedEventId(assetId, assetVersion, type),
      assetId,
      actor: 'tester',
      source: type === 'AssetIngested' ? 'cli' : 'api',
      correlationId: `correlation-${assetId}`,
      causationId: null,
      payload,
      time,
    } as never);
    const stored = { ...event, assetVersion, partition: '0', offset: String(this.events.length) } as StoredEvent;
    this.events.push(stored);
    return stored;
  }
}

const sha = (assetId: string) => derivedEventId(assetId).replaceAll('-', '').padEnd(64, '0');

function ingest(history: History, assetId: string, originalName: string, size: number, mediaType: PayloadOf<'AssetIngested'>['mediaType'] = 'image') {
  const [mimeType, extension] = (
    { image: ['image/jpeg', '.jpg'], video: ['video/mp4', '.mp4'], audio: ['audio/wav', '.wav'], document: ['application/pdf', '.pdf'], other: ['application/octet-stream', ''] } as const
  )[mediaType];
  history.add('AssetIngested', assetId, {
    objectKey: `originals/${assetId}/original${extension}`,
    originalName,
    mediaType,
    mimeType,
    size,
    sha256: sha(assetId),
    origin: { kind: 'directory', path: `/media/${originalName}` },
  });
}

function extracted(history: History, assetId: string, size: number, exif: { make?: string; model?: string; capturedAt?: string; lens?: string } = {}) {
  history.add('TechnicalMetadataExtracted', assetId, { format: 'jpeg', width: 640, height: 480, ...exif, sha256: sha(assetId), size, warnings: [] });
}

/**
 * The cameras, capture dates and sizes of the real photos in
 * test/fixtures/images/jpg (as the metadata processor reads them),
 * plus video, audio and documents, user edits, a failure and a delete.
 */
const PHOTOS: [assetId: string, name: string, size: number, make?: string, model?: string, capturedAt?: string][] = [
  ['canon-40d', 'Canon_40D.jpg', 7958, 'Canon', 'Canon EOS 40D', '2008-05-30T15:56:01'],
  ['canon-ixus', 'Canon_DIGITAL_IXUS_400.jpg', 9198, 'Canon', 'Canon DIGITAL IXUS 400', '2004-08-27T13:52:55'],
  ['canon-s40', 'Canon_PowerShot_S40.jpg', 32764, 'Canon', 'Canon PowerShot S40', '2003-12-14T12:01:44'],
  ['fuji-6900', 'Fujifilm_FinePix6900ZOOM.jpg', 4278, 'FUJIFILM', 'FinePix6900ZOOM', '2001-02-19T06:40:05'],
  ['fuji-e500', 'Fujifilm_FinePix_E500.jpg', 2241, 'FUJIFILM', 'FinePix E500', '2006-08-17T09:24:48'],
  ['kodak-cx7530', 'Kodak_CX7530.jpg', 5958, 'EASTMAN KODAK COMPANY', 'KODAK CX7530 ZOOM DIGITAL CAMERA', '2005-08-13T09:47:23'],
  ['minolta-z3', 'Konica_Minolta_DiMAGE_Z3.jpg', 36971, 'KONICA MINOLTA', 'DiMAGE Z3', '2005-03-10T15:10:48'],
  ['nikon-p1', 'Nikon_COOLPIX_P1.jpg', 7068, 'NIKON', 'COOLPIX P1', '2008-03-07T09:55:46'],
  ['nikon-d70', 'Nikon_D70.jpg', 14034, 'NIKON CORPORATION', 'NIKON D70', '2008-03-15T09:52:01'],
  ['olympus-c8080', 'Olympus_C8080WZ.jpg', 3224, 'OLYMPUS CORPORATION', 'C8080WZ', '2006-10-22T15:44:29'],
  ['panasonic-fz30', 'Panasonic_DMC-FZ30.jpg', 10769, 'Panasonic', 'DMC-FZ30', '2008-07-16T11:33:20'],
  // With the zone its OffsetTimeOriginal would give: still May 4 as the camera said.
  ['pentax-k10d', 'Pentax_K10D.jpg', 12077, 'PENTAX Corporation', 'PENTAX K10D', '2008-05-04T16:47:24+02:00'],
  ['ricoh-rr330', 'Ricoh_Caplio_RR330.jpg', 3662, 'Caplio', 'RR330', '2004-08-31T19:52:58'],
  ['samsung-i50', 'Samsung_Digimax_i50_MP3.jpg', 45286, 'Samsung Techwin', '<Digimax i50 MP3, Samsung #1 MP3>', '2006-08-15T17:50:57'],
  ['sony-hc3', 'Sony_HDR-HC3.jpg', 3565, 'SONY', 'HDR-HC3', '2007-06-15T04:42:32'],
  ['long-description', 'long_description.jpg', 7585, undefined, undefined, '2005-12-17T22:03:32Z'],
  ['painttool', 'PaintTool_sample.jpg', 5738],
  ['reconyx', 'Reconyx_HC500_Hyperfire.jpg', 425890],
];

/** Collections of the realistic history: Holiday holds two photos (a third was taken out), Work two, one of them also in Holiday. */
export const HOLIDAY = `c${'a'.repeat(32)}`;
export const WORK = `c${'b'.repeat(32)}`;

export function searchHistory(): StoredEvent[] {
  const history = new History();
  realisticHistory(history);
  return history.events;
}

/** Photos of many cameras, 1 to 8 of each, spread as a library is: whose facet's counts several shards must add up right. */
export function camerasHistory(): StoredEvent[] {
  const history = new History();
  for (let camera = 0; camera < 80; camera++) {
    for (let photo = 0; photo < 1 + ((camera * 7) % 8); photo++) {
      const assetId = `camera-${camera}-${photo}`;
      ingest(history, assetId, `photo ${camera} ${photo}.jpg`, 1000 + photo);
      extracted(history, assetId, 1000 + photo, { make: `Make${String(camera).padStart(3, '0')}` });
    }
  }
  return history.events;
}

/** More photos of a crowd than the exact limit the contract opens indices with; one of them at the lighthouse. */
export const CROWD = 60;
export const SMALL_EXACT_LIMIT = 50;

/** The realistic history, then the crowd: `crowd` is in 60 assets, `jpg` in 77, and the listing holds 82. */
export function crowdedHistory(): StoredEvent[] {
  const history = new History();
  realisticHistory(history);
  for (let n = 0; n < CROWD; n++) ingest(history, `crowd-${n}`, `crowd-${n}.jpg`, 1000 + n);
  history.add('UserMetadataUpdated', 'crowd-7', { title: 'Crowd at the lighthouse' });
  return history.events;
}

function realisticHistory(history: History): void {
  for (const [assetId, name, size] of PHOTOS) ingest(history, assetId, name, size);
  ingest(history, 'clip-harbour', 'harbour-timelapse.mp4', 48_000_000, 'video');
  ingest(history, 'dawn-chorus', 'dawn chorus.wav', 12_500_000, 'audio');
  ingest(history, 'harbour-plan', 'Harbour Master Plan 2008.pdf', 2_000_000, 'document');
  for (const [assetId, , size, make, model, capturedAt] of PHOTOS) extracted(history, assetId, size, { make, model, capturedAt });
  history.add('TechnicalMetadataExtracted', 'clip-harbour', { format: 'video/mp4', sha256: sha('clip-harbour'), size: 48_000_000, warnings: [] });
  history.add('UserMetadataUpdated', 'canon-40d', { title: 'Boats at dawn', tags: ['boats'] });
  history.add('UserMetadataUpdated', 'canon-40d', { title: 'Harbour at dawn', tags: ['harbour', 'boats'] });
  history.add('UserMetadataUpdated', 'canon-ixus', { description: 'Family picnic by the harbour wall' });
  history.add('UserMetadataUpdated', 'fuji-e500', { title: 'Café de Flore', tags: ['paris'] });
  history.add('UserMetadataUpdated', 'clip-harbour', { tags: ['dawn', 'timelapse'] });
  history.add('UserMetadataUpdated', 'dawn-chorus', { tags: ['birdsong', 'supercalifragilisticexpialidocious'] });
  history.add('AssetProcessingFailed', 'reconyx', { processor: 'processor:renditions@1', causeEventId: 'x', code: 'TOO_LARGE', message: 'too many pixels', attempts: 3, retryable: false });
  history.add('AssetDeleted', 'nikon-d70', { reason: 'duplicate' });
  history.add('AssetAddedToCollection', 'fuji-e500', { collectionId: HOLIDAY });
  history.add('AssetAddedToCollection', 'fuji-e500', { collectionId: WORK });
  history.add('AssetAddedToCollection', 'kodak-cx7530', { collectionId: HOLIDAY });
  history.add('AssetAddedToCollection', 'fuji-6900', { collectionId: HOLIDAY });
  history.add('AssetRemovedFromCollection', 'fuji-6900', { collectionId: HOLIDAY });
  history.add('AssetAddedToCollection', 'sony-hc3', { collectionId: WORK });
  // Two scans with no capture date, ingested in the same millisecond: the asset id orders them.
  ingest(history, 'scan-b', 'scan.png', 80_000);
  ingest(history, 'scan-a', 'scan.png', 80_000);
  const scans = history.events.slice(-2);
  scans[1]!.time = scans[0]!.time;
  // Metadata of an asset the log never saw ingested: nothing to show.
  extracted(history, 'ghost', 1, { make: 'Ghost' });
}

/** The time-based media of the media history: asset id → its file, made by makeSearchMedia and makeTestMedia. */
const MEDIA_FILES: [assetId: string, file: string, mediaType: 'video' | 'audio'][] = [
  ['hd-minute', SEARCH_MEDIA.hdMinute, 'video'],
  ['portrait', SEARCH_MEDIA.portrait, 'video'],
  ['uhd', SEARCH_MEDIA.uhd, 'video'],
  ['clip', TEST_MEDIA.clip, 'video'],
  ['talk', SEARCH_MEDIA.talk, 'audio'],
  ['hour', SEARCH_MEDIA.hour, 'audio'],
  ['tone', TEST_MEDIA.wav, 'audio'],
];

/** A word only past the indexed part of a document's text. */
const PAST_THE_BOUND = 'albatross';

/**
 * Video and audio as ffprobe reads real files (made with ffmpeg), a PDF's
 * text, and the people users named, some of them erased: the history of the
 * media contract.
 */
export async function mediaHistory(): Promise<StoredEvent[]> {
  const directory = temporaryDirectory();
  try {
    await Promise.all([makeSearchMedia(directory.path), makeTestMedia(directory.path)]);
    const history = new History();
    for (const [assetId, file, mediaType] of MEDIA_FILES) {
      ingest(history, assetId, file, 1000, mediaType);
      history.add('MediaProbed', assetId, mediaProbedFrom(await probe(mediaToolPath('ffprobe'), `${directory.path}/${file}`)));
    }
    ingest(history, 'report', 'Harbour report.pdf', 2000, 'document');
    history.add('DocumentTextExtracted', 'report', { text: 'Page one.\n\nThe keeper counted cormorants on the breakwater.', pages: 2, truncated: false });
    ingest(history, 'long-report', 'Annual report.pdf', 3000, 'document');
    const filler = 'tide '.repeat(Math.floor(INDEXED_TEXT_MAX_CHARS / 5) - 2);
    history.add('DocumentTextExtracted', 'long-report', { text: `${filler}lastword ${PAST_THE_BOUND}`, pages: 40, truncated: false });
    ingest(history, 'alice-portrait', 'IMG_0001.jpg', 4000);
    history.add('UserMetadataUpdated', 'alice-portrait', { creator: 'Alice Example', people: ['Bob Builder', 'Alice Example'] });
    ingest(history, 'alice-boat', 'IMG_0002.jpg', 5000);
    history.add('UserMetadataUpdated', 'alice-boat', { title: "Alice's boat" });
    // As the log reads once their subjects are erased (schemas/personal.ts).
    ingest(history, 'erased-portrait', 'IMG_0003.jpg', 6000);
    history.add('UserMetadataUpdated', 'erased-portrait', { creator: ERASED, people: [ERASED, 'Bob Builder'] });
    return history.events;
  } finally {
    directory.remove();
  }
}

/** What every backend answers on the media history. */
export const MEDIA_CONFORMANCE: ConformanceCase[] = [
  { name: 'filters from a duration, inclusive', query: { minDuration: 61 }, set: ['hd-minute', 'talk', 'hour'] },
  { name: 'filters up to a duration, inclusive; assets without one are in no range', query: { maxDuration: 1 }, set: ['uhd', 'tone'] },
  { name: 'filters by a duration range', query: { minDuration: 1.5, maxDuration: 120 }, set: ['portrait', 'clip', 'hd-minute'] },
  { name: 'filters by resolution class: portrait full HD', query: { resolution: 'fhd' }, set: ['portrait'] },
  { name: 'filters by resolution class: 4K', query: { resolution: 'uhd' }, set: ['uhd'] },
  { name: 'filters by resolution class: below 720p', query: { resolution: 'sd' }, set: ['clip'] },
  { name: 'filters by an audio codec', query: { codec: 'aac' }, set: ['hd-minute', 'clip'] },
  { name: 'filters by a video codec, in any case', query: { codec: 'H264' }, set: ['hd-minute', 'portrait', 'uhd', 'clip'] },
  { name: 'words and media filters together', query: { q: 'mp3', minDuration: 3600 }, set: ['hour'] },
  { name: "a word only in a document's text finds it", query: { q: 'cormorants' }, set: ['report'] },
  { name: "a document's text matches by word prefix", query: { q: 'breakwat' }, set: ['report'] },
  { name: 'the last word within the bound is found', query: { q: 'lastword' }, set: ['long-report'] },
  { name: 'a word past the bound is not', query: { q: PAST_THE_BOUND }, set: [], total: 0 },
  { name: 'the creator and the people shown are words', query: { q: 'alice' }, set: ['alice-portrait', 'alice-boat'] },
  { name: 'a person named on two assets finds both', query: { q: 'bob builder' }, set: ['alice-portrait', 'erased-portrait'] },
  { name: 'an erased name is not indexed, not even as "erased"', query: { q: 'erased' }, set: [], total: 0 },
  { name: "the title, album and genre of an audio file's own tags are words", query: { q: 'slapton devon nature' }, set: ['talk'] },
  { name: "the artist an audio file's tags name is not indexed: erasure cannot reach it there", query: { q: 'birdwhistle' }, set: [], total: 0 },
];
const byValue = (facets: Facet[]) => [...facets].sort((a, b) => a.value.localeCompare(b.value));

/** A draft of each event, to append to a real log (which gives the same versions). */
export function drafts(events: StoredEvent[]): EventDraft[] {
  return events.map(({ assetVersion: _v, partition: _p, offset: _o, ...event }) => event as EventDraft);
}

/** Applies events in batches of `size`, as a consumer would hand them over. */
export async function applyInBatches(store: ProjectionStore, events: StoredEvent[], size = 7): Promise<void> {
  for (let i = 0; i < events.length; i += size) await store.apply(events.slice(i, i + size));
}

/** Every live asset, newest capture (or ingest) date first, then by asset id. */
const LISTING = [
  'scan-a', 'scan-b', 'harbour-plan', 'dawn-chorus', 'clip-harbour', 'reconyx', 'painttool',
  'panasonic-fz30', 'canon-40d', 'pentax-k10d', 'nikon-p1', 'sony-hc3', 'olympus-c8080', 'fuji-e500',
  'samsung-i50', 'long-description', 'kodak-cx7530', 'minolta-z3', 'ricoh-rr330', 'canon-ixus',
  'canon-s40', 'fuji-6900',
];

export interface ConformanceCase {
  name: string;
  query: Partial<SearchQuery>;
  /** Ordered hits (listing without words). */
  ids?: string[];
  /** Scored hits: the set, and the top hit where the ranking leaves no doubt. */
  set?: string[];
  top?: string;
  total?: number;
}

/** The conformance set: every backend answers these the same way. */
export const CONFORMANCE: ConformanceCase[] = [
  { name: 'lists every live asset newest first, ties by asset id', query: { limit: 100 }, ids: LISTING, total: 22 },
  { name: 'pages through the listing', query: { limit: 5, offset: 5 }, ids: LISTING.slice(5, 10), total: 22 },
  { name: 'a last page is short', query: { limit: 5, offset: 20 }, ids: LISTING.slice(20), total: 22 },
  { name: 'a word matches names, titles, tags and descriptions, title first', query: { q: 'harbour' }, set: ['canon-40d', 'canon-ixus', 'clip-harbour', 'harbour-plan'], top: 'canon-40d' },
  { name: 'a word prefix matches', query: { q: 'harb' }, set: ['canon-40d', 'canon-ixus', 'clip-harbour', 'harbour-plan'], top: 'canon-40d' },
  { name: 'every word must match', query: { q: 'harbour dawn' }, set: ['canon-40d', 'clip-harbour'], top: 'canon-40d' },
  { name: 'case and punctuation do not matter', query: { q: 'HARBOUR, Dawn!' }, set: ['canon-40d', 'clip-harbour'], top: 'canon-40d' },
  { name: 'camera make and model are words too', query: { q: 'canon eos' }, set: ['canon-40d'] },
  { name: 'a make matches every camera of it', query: { q: 'canon' }, set: ['canon-40d', 'canon-ixus', 'canon-s40'] },
  { name: 'accents are ignored in the text', query: { q: 'cafe' }, set: ['fuji-e500'] },
  { name: 'accents are ignored in the query', query: { q: 'CAFÉ flo' }, set: ['fuji-e500'] },
  { name: 'words inside names split at punctuation', query: { q: 'digimax mp3' }, set: ['samsung-i50'] },
  { name: 'digits are words', query: { q: '2008' }, set: ['harbour-plan'] },
  { name: 'a deleted asset is not found', query: { q: 'd70' }, set: [], total: 0 },
  { name: 'an unknown word finds nothing', query: { q: 'zeppelin' }, set: [], total: 0 },
  { name: 'a long word matches as a prefix too', query: { q: 'supercalifragilisticexpialid' }, set: ['dawn-chorus'] },
  { name: 'a long word matches only its own prefix', query: { q: 'supercalifragilisticexpixyz' }, set: [], total: 0 },
  { name: 'filters by media type', query: { type: 'video' }, ids: ['clip-harbour'] },
  { name: 'filters by size, inclusive', query: { minSize: 10_769, maxSize: 45_286 }, ids: ['panasonic-fz30', 'pentax-k10d', 'samsung-i50', 'minolta-z3', 'canon-s40'] },
  { name: 'filters by date range, both days inclusive', query: { from: '2008-03-07', to: '2008-05-30' }, ids: ['canon-40d', 'pentax-k10d', 'nikon-p1'] },
  { name: 'filters from a date', query: { from: '2024-05-01' }, ids: LISTING.slice(0, 7) },
  { name: 'filters up to a date', query: { to: '2004-08-31' }, ids: ['ricoh-rr330', 'canon-ixus', 'canon-s40', 'fuji-6900'] },
  { name: 'filters by make, in any case', query: { make: 'canon' }, ids: ['canon-40d', 'canon-ixus', 'canon-s40'] },
  { name: 'filters by model', query: { model: 'COOLPIX P1' }, ids: ['nikon-p1'] },
  { name: 'words and filters together', query: { q: 'harbour', type: 'image' }, set: ['canon-40d', 'canon-ixus'], top: 'canon-40d' },
  { name: 'words, make and date together', query: { q: 'jpg', make: 'Canon', to: '2005-01-01' }, set: ['canon-ixus', 'canon-s40'] },
  { name: 'filters by collection', query: { collection: HOLIDAY }, ids: ['fuji-e500', 'kodak-cx7530'] },
  { name: 'shows only the collections the caller may see', query: { within: [WORK] }, ids: ['sony-hc3', 'fuji-e500'] },
  { name: 'words within what the caller may see', query: { q: 'jpg', within: [HOLIDAY] }, set: ['fuji-e500', 'kodak-cx7530'] },
  { name: 'nothing to a caller with no collection', query: { within: [] }, ids: [], total: 0 },
  { name: 'a collection filter within what the caller may see', query: { collection: HOLIDAY, within: [WORK], q: 'jpg' }, set: ['fuji-e500'] },
  { name: 'words within a collection', query: { q: 'jpg', collection: HOLIDAY }, set: ['fuji-e500', 'kodak-cx7530'], total: 2 },
  { name: 'words, a make and a date within what the caller may see', query: { q: 'jpg', make: 'fujifilm', from: '2006-01-01', within: [HOLIDAY, WORK] }, set: ['fuji-e500'], total: 1 },
  { name: 'words no asset of the collection has', query: { q: 'harbour', collection: HOLIDAY }, set: [], total: 0 },
];

const ids = (result: SearchResult) => result.hits.map((hit) => hit.assetId);
/** A query as the API hands it over: parsed, with what the caller may see (never from a query string). */
export const parse = ({ within, ...query }: Partial<SearchQuery>): SearchQuery => ({ ...SearchQuery.parse(query), ...(within && { within }) });
/** A result without its scores, where two indices with the same state may score apart (term statistics differ). */
export const unscored = (result: SearchResult) => ({ ...result, hits: result.hits.map(({ score: _score, ...hit }) => hit) });

/** The SearchIndex contract: every backend passes it (SQLite FTS5, OpenSearch). `open` gives a fresh, empty index. */
export function searchIndexContract(backend: string, open: (options?: SearchIndexOptions) => Promise<SearchIndex>): void {
  describe(`SearchIndex contract: ${backend}`, () => {
    describe('the conformance set, on a realistic history', () => {
      let index: SearchIndex;
      beforeAll(async () => {
        index = await open();
        await applyInBatches(index, searchHistory());
      });
      afterAll(() => index?.close());

      for (const conformance of CONFORMANCE) {
        it(conformance.name, async () => {
          const result = await index.search(parse(conformance.query));
          if (conformance.ids) expect(ids(result)).toEqual(conformance.ids);
          if (conformance.set) expect(ids(result).sort()).toEqual([...conformance.set].sort());
          if (conformance.top) expect(ids(result)[0]).toBe(conformance.top);
          expect(result.total).toBe(conformance.total ?? (conformance.ids ?? conformance.set)!.length);
        });
      }

      it('shows each hit as the user knows the asset', async () => {
        const { hits } = await index.search(parse({ q: 'harbour', type: 'image' }));
        expect(hits[0]).toEqual({
          assetId: 'canon-40d',
          score: expect.any(Number),
          originalName: 'Canon_40D.jpg',
          title: 'Harbour at dawn',
          mediaType: 'image',
          size: 7958,
          date: '2008-05-30T15:56:01',
          make: 'Canon',
          model: 'Canon EOS 40D',
          highlights: [
            { field: 'title', parts: ['', 'Harbour', ' at dawn'] },
            { field: 'tags', parts: ['', 'harbour', ' boats'] },
          ],
        });
        expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      });

      it('marks where the words matched, field by field, as plain text in parts: whole words for a prefix, as written', async () => {
        const highlights = async (q: string) => Object.fromEntries((await index.search(parse({ q }))).hits.map((hit) => [hit.assetId, hit.highlights]));
        expect(await highlights('harb dawn')).toEqual({
          'canon-40d': [
            { field: 'title', parts: ['', 'Harbour', ' at ', 'dawn', ''] },
            { field: 'tags', parts: ['', 'harbour', ' boats'] },
          ],
          'clip-harbour': [
            { field: 'name', parts: ['', 'harbour', '-timelapse.mp4'] },
            { field: 'tags', parts: ['', 'dawn', ' timelapse'] },
          ],
        });
        expect((await highlights('cafe'))['fuji-e500']).toEqual([{ field: 'title', parts: ['', 'Café', ' de Flore'] }]);
        expect((await highlights('picnic'))['canon-ixus']).toEqual([{ field: 'description', parts: ['Family ', 'picnic', ' by the harbour wall'] }]);
        // A listing without words marks nothing.
        expect((await index.search(parse({ type: 'video' }))).hits[0]).not.toHaveProperty('highlights');
      });

      it('counts facets over all matches: by count, then by value', async () => {
        const { facets } = await index.search(parse({ limit: 1 }));
        expect(facets.type).toEqual([
          { value: 'image', count: 19 },
          { value: 'audio', count: 1 },
          { value: 'document', count: 1 },
          { value: 'video', count: 1 },
        ]);
        expect(facets.make.slice(0, 3)).toEqual([
          { value: 'Canon', count: 3 },
          { value: 'FUJIFILM', count: 2 },
          { value: 'Caplio', count: 1 },
        ]);
        expect(facets.make).toHaveLength(11);
        expect(facets.year.slice(0, 3)).toEqual([
          { value: '2024', count: 7 },
          { value: '2008', count: 4 },
          { value: '2005', count: 3 },
        ]);
      });

      it('counts facets of the matches only', async () => {
        const { facets } = await index.search(parse({ q: 'harbour' }));
        expect(facets).toEqual({
          type: [
            { value: 'image', count: 2 },
            { value: 'document', count: 1 },
            { value: 'video', count: 1 },
          ],
          make: [{ value: 'Canon', count: 2 }],
          year: [
            { value: '2024', count: 2 },
            { value: '2004', count: 1 },
            { value: '2008', count: 1 },
          ],
          // The video has no MediaProbed in this history.
          resolution: [],
          codec: [],
          duration: [],
          collection: [],
        });
      });

      it('counts only the collections the caller may see', async () => {
        expect((await index.search(parse({ limit: 1 }))).facets.collection).toEqual([
          { value: HOLIDAY, count: 2 },
          { value: WORK, count: 2 },
        ]);
        const { facets, total } = await index.search(parse({ limit: 1, within: [HOLIDAY] }));
        expect(total).toBe(2);
        expect(facets.collection).toEqual([{ value: HOLIDAY, count: 2 }]);
        expect(facets.type).toEqual([{ value: 'image', count: 2 }]);
      });

      it('counts the collections of the matches only, and a collection filter keeps its own count', async () => {
        expect((await index.search(parse({ q: 'paris', limit: 1 }))).facets.collection).toEqual([
          { value: HOLIDAY, count: 1 },
          { value: WORK, count: 1 },
        ]);
        const filtered = await index.search(parse({ collection: WORK, limit: 10 }));
        expect(filtered.total).toBe(2);
        expect(filtered.facets.collection).toEqual([
          { value: WORK, count: 2 },
          { value: HOLIDAY, count: 1 },
        ]);
      });

      it('pages through the listing by cursor: every asset once, in order, and the last page names none after it', async () => {
        const pages: SearchResult[] = [await index.search(parse({ limit: 5 }))];
        while (pages.at(-1)!.next) pages.push(await index.search(parse({ limit: 5, after: pages.at(-1)!.next })));

        expect(pages.flatMap(ids)).toEqual(LISTING);
        expect(pages.map((page) => page.hits.length)).toEqual([5, 5, 5, 5, 2]);
        expect(pages.every((page) => page.total === LISTING.length)).toBe(true);
        const filtered = await index.search(parse({ make: 'canon', limit: 2 }));
        expect(ids(await index.search(parse({ make: 'canon', limit: 2, after: filtered.next })))).toEqual(['canon-s40']);
      });

      it('names the page after an offset page, and none after a page of words', async () => {
        const offsetPage = await index.search(parse({ limit: 5, offset: 15 }));
        expect(ids(await index.search(parse({ limit: 5, after: offsetPage.next })))).toEqual(LISTING.slice(20));
        expect((await index.search(parse({ q: 'jpg', limit: 2 }))).next).toBeUndefined();
      });

      it('refuses a cursor it did not give, one with words, and one with an offset', async () => {
        const { next } = await index.search(parse({ limit: 5 }));
        const forged = Buffer.from('2024-01-01T00:00:00.000Z').toString('base64url');
        for (const query of [{ after: forged }, { after: `${next}x` }, { after: next, q: 'jpg' }, { after: next, offset: 5 }]) {
          await expect(index.search(parse(query)), JSON.stringify(query)).rejects.toMatchObject({ code: 'INVALID_CURSOR', statusCode: 400 });
        }
      });

      it('pages through scored hits, each hit once', async () => {
        const all = ids(await index.search(parse({ q: 'jpg', limit: 100 })));
        const pages = [];
        for (let offset = 0; offset < all.length; offset += 4) pages.push(...ids(await index.search(parse({ q: 'jpg', limit: 4, offset }))));
        expect(pages).toEqual(all);
        expect(all).toHaveLength(17);
      });
    });

    describe('words as people type them', () => {
      let index: SearchIndex;
      beforeAll(async () => {
        index = await open();
        const history = new History();
        // A file named on a Mac: its name comes in decomposed form (NFD), e + U+0300 and so on.
        ingest(history, 'nfd-creme', 'Cre\u0300me bru\u0302le\u0301e.jpg', 1000);
        ingest(history, 'greek-caps', 'ΟΔΟΣ ΑΘΗΝΑΣ.jpg', 1000);
        ingest(history, 'istanbul', 'İstanbul Boğazı.jpg', 1000);
        // Japanese from a Mac: the voiced marks come apart (カ + U+3099 for ガ), marks no accent folding takes away.
        ingest(history, 'nfd-guidebook', 'ガイドブック 東京.jpg'.normalize('NFD'), 1000);
        ingest(history, 'cairo', 'مُحَمَّد في القاهرة.jpg', 1000);
        ingest(history, 'aleppo', 'مدينة حلب دمشق.jpg', 1000);
        await applyInBatches(index, history.events);
      });
      afterAll(() => index?.close());
      const found = async (q: string) => ids(await index.search(parse({ q })));
      it('finds a decomposed (NFD) name by its words, with or without accents', async () => {
        expect(await found('creme')).toEqual(['nfd-creme']);
        expect(await found('crème brûlée')).toEqual(['nfd-creme']);
      });
      it('finds a decomposed (NFD) Japanese name by the words typed composed, and not by half a letter', async () => {
        expect(await found('ガイド')).toEqual(['nfd-guidebook']);
        expect(await found('ガイドブック')).toEqual(['nfd-guidebook']);
        expect(await found('イド')).toEqual([]);
      });
      it('keeps the vowel marks of a word typed with them in the word, not finding every text with its letters', async () => {
        expect(await found('مُحَمَّد')).toEqual(['cairo']);
        expect(await found('القاهرة')).toEqual(['cairo']);
      });
      it('finds capitals by a word typed in small letters with a final sigma', async () => {
        expect(await found('οδος')).toEqual(['greek-caps']);
        expect(await found('ΑΘΗΝΑΣ')).toEqual(['greek-caps']);
      });
      it('finds a word typed with a capital dotted İ as it finds it in capitals', async () => {
        expect(await found('ISTANBUL')).toEqual(['istanbul']);
        expect(await found('İstanbul')).toEqual(['istanbul']);
      });
    });

    describe('ranking by where the words are', () => {
      /**
       * A title that names the lighthouse, beside a long description that
       * does not, and before it descriptions that say it four times, the
       * newest the shortest: four instances in a description (2 each) must
       * not outscore one in a title (10), as they do when the weighted
       * instances of a row are summed before they are saturated.
       */
      function lighthouses(): StoredEvent[] {
        const history = new History();
        for (let n = 0; n < 3; n++) {
          ingest(history, `described-${n}`, `IMG_10${n}.jpg`, 1000);
          history.add('UserMetadataUpdated', `described-${n}`, {
            description: `The lighthouse keeper walked to the lighthouse every night; the lighthouse stood on the rock, and from the lighthouse gallery he watched the ships${' and the waves'.repeat((2 - n) * 5)}`,
          });
        }
        ingest(history, 'titled', 'IMG_200.jpg', 1000);
        history.add('UserMetadataUpdated', 'titled', {
          title: 'Lighthouse',
          description: 'A long walk along the cliffs in the evening, with the sea below and gulls over the rocks, past the old chapel and the huts, until the path turns north toward the village and its harbour where boats wait for the tide',
        });
        return history.events;
      }

      it('ranks a title match above matches in a long description only, as OpenSearch boosts the title', async () => {
        const index = await open();
        try {
          await applyInBatches(index, lighthouses());
          const result = await index.search(parse({ q: 'lighthouse' }));
          expect(ids(result)[0]).toBe('titled');
          expect(result.total).toBe(4);
        } finally {
          await index.close();
        }
      });

      it('ranks a title match first past the exact limit too, where the embedded index ranks its newest matches without idf', async () => {
        const index = await open({ exactLimit: 3 });
        try {
          await applyInBatches(index, lighthouses());
          const result = await index.search(parse({ q: 'lighthouse' }));
          expect(result.totalRelation).toBe('gte');
          expect(ids(result)[0]).toBe('titled');
        } finally {
          await index.close();
        }
      });
    });

    describe('words longer than the indexed prefixes', () => {
      /** More words that a long word begins than a prefix expansion takes (OpenSearch's max_expansions: 50 by default, or as set). */
      const NUMBERED = 1_050;
      const LONG_WORD = 'supercalifragilisticexpialidocious';
      let index: SearchIndex;
      beforeAll(async () => {
        index = await open();
        const history = new History();
        for (let n = 0; n < NUMBERED; n++) ingest(history, `numbered-${n}`, `${LONG_WORD}${n}.jpg`, 1000);
        // Two words that share their first 27 letters, more than the indexed prefixes hold.
        ingest(history, 'lookalikes', 'IMG_0001.jpg', 1000);
        history.add('UserMetadataUpdated', 'lookalikes', { title: 'Antidisestablishmentarianism, said the antidisestablishmentarianists' });
        await applyInBatches(index, history.events, 500);
      }, 120_000);
      afterAll(() => index?.close());

      it('finds every asset that has a word the query word begins, however many such words there are', async () => {
        const total = async (q: string) => (await index.search(parse({ q, limit: 1 }))).total;
        expect(await total(LONG_WORD)).toBe(NUMBERED);
        expect(await total('SUPERCALIFRÀGILISTICEXPIALIDOCIOUS')).toBe(NUMBERED);
        // 104 and 1040 to 1049
        expect(await total(`${LONG_WORD}104`)).toBe(11);
      });

      // In a field longer than a fragment the backends may still differ: OpenSearch picks its fragment by the
      // first 24 letters, and may pick one holding only a word that shares them (docs/search.md).
      it('marks only the words that the long query word begins, not those that share only its first letters', async () => {
        const { hits } = await index.search(parse({ q: 'antidisestablishmentarianism' }));
        expect(hits.map((hit) => [hit.assetId, hit.highlights])).toEqual([
          ['lookalikes', [{ field: 'title', parts: ['', 'Antidisestablishmentarianism', ', said the antidisestablishmentarianists'] }]],
        ]);
      });
    });

    describe('cameras named in any case', () => {
      let index: SearchIndex;
      beforeAll(async () => {
        index = await open();
        const history = new History();
        const cameras = [
          ['eclair-capitals', 'ÉCLAIR', 'CAMÉRA ÉCLAIR ACL', '2001-01-01T10:00:00'],
          ['eclair-small', 'éclair', 'caméra éclair npr', '2002-01-01T10:00:00'],
          ['strasse', 'Leica Camera AG', 'Straße S', '2003-01-01T10:00:00'],
        ] as const;
        for (const [assetId, make, model, capturedAt] of cameras) {
          ingest(history, assetId, `${assetId}.jpg`, 1000);
          extracted(history, assetId, 1000, { make, model, capturedAt });
        }
        await applyInBatches(index, history.events);
      });
      afterAll(() => index?.close());
      const found = async (query: Partial<SearchQuery>) => ids(await index.search(parse(query)));

      it('filters by make and model with case folded as names are, beyond ASCII', async () => {
        expect(await found({ make: 'éclair' })).toEqual(['eclair-small', 'eclair-capitals']);
        expect(await found({ make: 'ÉCLAIR' })).toEqual(['eclair-small', 'eclair-capitals']);
        expect(await found({ model: 'caméra éclair acl' })).toEqual(['eclair-capitals']);
        expect(await found({ model: 'STRASSE S', make: 'leica camera ag' })).toEqual(['strasse']);
        // Accents are not case: a make without them is another make.
        expect(await found({ make: 'eclair' })).toEqual([]);
      });

      it('with words, and shows each make as written', async () => {
        const result = await index.search(parse({ q: 'jpg', make: 'Éclair' }));
        expect(ids(result).sort()).toEqual(['eclair-capitals', 'eclair-small']);
        expect(result.facets.make).toEqual([
          { value: 'ÉCLAIR', count: 1 },
          { value: 'éclair', count: 1 },
        ]);
      });
    });

    describe('video, audio, documents and people', () => {
      let index: SearchIndex;
      beforeAll(async () => {
        index = await open();
        await applyInBatches(index, await mediaHistory());
      }, 60_000);
      afterAll(() => index?.close());

      for (const conformance of MEDIA_CONFORMANCE) {
        it(conformance.name, async () => {
          const result = await index.search(parse(conformance.query));
          expect(ids(result).sort()).toEqual([...conformance.set!].sort());
          expect(result.total).toBe(conformance.total ?? conformance.set!.length);
        });
      }

      it('shows a video hit with its duration, resolution class and codecs', async () => {
        const { hits } = await index.search(parse({ resolution: 'hd' }));
        expect(hits).toEqual([
          {
            assetId: 'hd-minute',
            score: 0,
            originalName: 'hd-minute.mp4',
            title: '',
            mediaType: 'video',
            size: 1000,
            date: expect.any(String),
            duration: 61,
            resolution: 'hd',
            videoCodec: 'h264',
            audioCodec: 'aac',
          },
        ]);
      });

      it('counts resolution classes, codecs and duration buckets', async () => {
        const { resolution, codec, duration } = (await index.search(parse({ limit: 1 }))).facets;
        const counts = (facets: Facet[]) => Object.fromEntries(facets.map(({ value, count }) => [value, count]));
        expect([resolution, codec].map((facet) => facet.map(({ value }) => value))).toEqual([
          ['fhd', 'hd', 'sd', 'uhd'], // ties by value
          ['h264', 'aac', 'mp3', 'pcm_s16le'], // by count, then value
        ]);
        expect([counts(resolution), counts(codec), counts(duration)]).toEqual([
          { fhd: 1, hd: 1, sd: 1, uhd: 1 },
          { h264: 4, aac: 2, mp3: 2, pcm_s16le: 1 },
          { '0-1m': 4, '1-10m': 1, '10-60m': 1, '1h+': 1 },
        ]);
      });

      it('counts the media facets of the matches only', async () => {
        const { facets } = await index.search(parse({ type: 'audio' }));
        expect(facets.resolution).toEqual([]);
        expect(facets.codec).toEqual([
          { value: 'mp3', count: 2 },
          { value: 'pcm_s16le', count: 1 },
        ]);
        expect(byValue(facets.duration)).toEqual([
          { value: '0-1m', count: 1 },
          { value: '10-60m', count: 1 },
          { value: '1h+', count: 1 },
        ]);
      });
    });

    describe('past the exact limit', () => {
      let index: SearchIndex;
      beforeAll(async () => {
        index = await open({ exactLimit: SMALL_EXACT_LIMIT });
        await applyInBatches(index, crowdedHistory(), 25);
      });
      afterAll(() => index?.close());

      /** What a sample may say of a facet: values that are there, each counted at most as often as it is. */
      const atMost = (sampled: Facet[], truth: Record<string, number>) =>
        sampled.every(({ value, count }) => count >= 1 && count <= (truth[value] ?? 0));

      it('says a word in more assets than the limit has at least the limit, with facets counted in a sample', async () => {
        const result = await index.search(parse({ q: 'crowd' }));

        expect(result).toMatchObject({ total: SMALL_EXACT_LIMIT, totalRelation: 'gte', facetsRelation: 'gte' });
        expect(result.hits).toHaveLength(20);
        expect(result.hits.every((hit) => hit.assetId.startsWith('crowd-'))).toBe(true);
        expect(atMost(result.facets.type, { image: CROWD })).toBe(true);
        expect(atMost(result.facets.year, { '2024': CROWD })).toBe(true);
        expect(result.facets.make).toEqual([]);
      });

      it('says so of a listing without words, and of a word most assets have', async () => {
        for (const query of [{}, { q: 'jpg' }, { q: 'jpg', type: 'image' as const }]) {
          expect(await index.search(parse(query)), JSON.stringify(query)).toMatchObject({
            total: SMALL_EXACT_LIMIT,
            totalRelation: 'gte',
            facetsRelation: 'gte',
          });
        }
      });

      it('pages a listing by cursor past the exact limit, to its end', async () => {
        const listed: string[] = [];
        for (let page = await index.search(parse({ limit: 30 })); ; page = await index.search(parse({ limit: 30, after: page.next }))) {
          listed.push(...ids(page));
          if (!page.next) break;
        }

        expect(listed).toHaveLength(82);
        expect(new Set(listed).size).toBe(82);
      });

      it('counts a rare word exactly, with exact facets', async () => {
        const result = await index.search(parse({ q: 'harbour' }));

        expect(result).toMatchObject({ total: 4, totalRelation: 'eq', facetsRelation: 'eq' });
        expect(ids(result).sort()).toEqual(['canon-40d', 'canon-ixus', 'clip-harbour', 'harbour-plan']);
        expect(result.facets.type).toEqual([
          { value: 'image', count: 2 },
          { value: 'document', count: 1 },
          { value: 'video', count: 1 },
        ]);
        expect(result.facets.make).toEqual([{ value: 'Canon', count: 2 }]);
      });

      it('counts exactly when words or filters narrow common words below the limit', async () => {
        const cases: [Partial<SearchQuery>, string[]][] = [
          [{ q: 'crowd lighthouse' }, ['crowd-7']],
          [{ q: 'jpg', make: 'canon' }, ['canon-40d', 'canon-ixus', 'canon-s40']],
          [{ type: 'video' }, ['clip-harbour']],
        ];
        for (const [query, expected] of cases) {
          const result = await index.search(parse(query));
          expect(result, JSON.stringify(query)).toMatchObject({ total: expected.length, totalRelation: 'eq', facetsRelation: 'eq' });
          expect(ids(result).sort(), JSON.stringify(query)).toEqual(expected);
        }
      });
    });

    describe('as the log goes on', () => {
      let index: SearchIndex;
      let history: StoredEvent[];
      beforeEach(async () => {
        index = await open();
        history = searchHistory();
        await applyInBatches(index, history);
      });
      afterEach(() => index.close());

      /** The next event of an asset, as the log would give it. */
      function next<T extends EventType>(type: T, assetId: string, payload: PayloadOf<T>): StoredEvent {
        const last = history.filter((event) => event.assetId === assetId).at(-1);
        const assetVersion = (last?.assetVersion ?? 0) + 1;
        const event = {
          ...draft(type, {
            id: derivedEventId(assetId, assetVersion, type),
            assetId,
            actor: 'tester',
            source: 'api',
            correlationId: 'later',
            causationId: null,
            payload,
            time: '2024-06-01T08:00:00.000Z',
          } as never),
          assetVersion,
          partition: '0',
          offset: String(history.length),
        } as unknown as StoredEvent;
        history.push(event);
        return event;
      }

      it("lists a collection in its members' order as their dates change, a page at a time, and without a member deleted", async () => {
        const listing = async (query: Partial<SearchQuery> = {}) => index.search(parse({ collection: HOLIDAY, ...query }));
        expect(ids(await listing())).toEqual(['fuji-e500', 'kodak-cx7530']);
        await index.apply([
          next('TechnicalMetadataExtracted', 'fuji-e500', { format: 'jpeg', width: 640, height: 480, make: 'FUJIFILM', capturedAt: '2001-01-01T00:00:00', sha256: sha('fuji-e500'), size: 2241, warnings: [] }),
          next('AssetAddedToCollection', 'canon-40d', { collectionId: HOLIDAY }),
        ]);
        const pages: string[][] = [];
        for (let after: string | undefined, result: SearchResult; (result = await listing({ limit: 1, after })).hits.length; after = result.next) {
          pages.push(ids(result));
          expect(result.total).toBe(3);
          if (!result.next) break;
        }
        expect(pages).toEqual([['canon-40d'], ['kodak-cx7530'], ['fuji-e500']]);

        await index.apply([next('AssetDeleted', 'kodak-cx7530', { reason: 'not needed' })]);
        expect(await listing()).toMatchObject({ total: 2, totalRelation: 'eq' });
        expect(ids(await listing())).toEqual(['canon-40d', 'fuji-e500']);
        expect(ids(await listing({ type: 'image', within: [HOLIDAY, WORK] }))).toEqual(['canon-40d', 'fuji-e500']);
        expect(ids(await listing({ make: 'canon' }))).toEqual(['canon-40d']);
        expect(ids(await listing({ within: [WORK] }))).toEqual(['fuji-e500']);
      });

      it('reflects an edit: the new words are found, the old ones are not', async () => {
        await index.apply([next('UserMetadataUpdated', 'canon-40d', { title: 'Marina at sunrise', tags: null })]);

        expect(ids(await index.search(parse({ q: 'marina' })))).toEqual(['canon-40d']);
        expect(ids(await index.search(parse({ q: 'harbour' }))).sort()).toEqual(['canon-ixus', 'clip-harbour', 'harbour-plan']);
        expect((await index.search(parse({ q: 'marina' }))).hits[0]).toMatchObject({ title: 'Marina at sunrise' });
      });

      it('forgets redacted free text: a title, a description, a file name', async () => {
        await index.apply([
          next('AssetTextRedacted', 'fuji-e500', { fields: ['title', 'originalName'] }),
          next('AssetTextRedacted', 'canon-ixus', { fields: ['description'] }),
        ]);

        for (const q of ['cafe', 'flore', 'picnic']) expect(ids(await index.search(parse({ q }))), q).toEqual([]);
        const { hits } = await index.search(parse({ model: 'FinePix E500' }));
        expect(hits[0]).toMatchObject({ assetId: 'fuji-e500', originalName: '[redacted].jpg', title: '' });
        // What was not redacted is still found: the camera, the tags.
        expect(ids(await index.search(parse({ q: 'fujifilm paris' })))).toEqual(['fuji-e500']);
        expect(ids(await index.search(parse({ q: 'ixus' })))).toEqual(['canon-ixus']);
      });

      it("finds a photo by its own XMP and IPTC title, description and keywords, not by its creator; a redaction takes the title and description, read again or not", async () => {
        const read: PayloadOf<'TechnicalMetadataExtracted'> = {
          format: 'jpeg', sha256: sha('painttool'), size: 5738, warnings: [],
          xmp: { title: 'Lighthouse keeper', description: 'Storm over Valparaiso', subject: ['trawler'], creator: 'Ana Pereira' },
          iptc: { title: 'Dockside auction', description: 'The morning catch at the Zanzibar quay', keywords: ['fishmarket'] },
        };
        await index.apply([next('TechnicalMetadataExtracted', 'painttool', read)]);

        for (const q of ['keeper', 'valparaiso', 'trawler', 'dockside', 'zanzibar', 'fishmarket']) expect(ids(await index.search(parse({ q }))), q).toEqual(['painttool']);
        expect((await index.search(parse({ q: 'trawler' }))).hits[0]!.highlights).toEqual([{ field: 'text', parts: expect.arrayContaining(['trawler']) }]);
        // A creator's name in the tags is a person's, which erasure cannot reach there.
        expect(ids(await index.search(parse({ q: 'pereira' })))).toEqual([]);

        await index.apply([next('AssetTextRedacted', 'painttool', { fields: ['title'] })]);
        for (const q of ['keeper', 'dockside']) expect(ids(await index.search(parse({ q }))), q).toEqual([]);
        expect(ids(await index.search(parse({ q: 'valparaiso zanzibar trawler' })))).toEqual(['painttool']);

        await index.apply([next('AssetTextRedacted', 'painttool', { fields: ['description'] }), next('TechnicalMetadataExtracted', 'painttool', read)]);
        for (const q of ['keeper', 'dockside', 'valparaiso', 'zanzibar']) expect(ids(await index.search(parse({ q }))), q).toEqual([]);
        // Keywords are not among the redactable fields (title, description, file name).
        expect(ids(await index.search(parse({ q: 'trawler fishmarket' })))).toEqual(['painttool']);
      });

      it('drops a deleted asset from hits, totals and facets, and shows it again when ingested anew', async () => {
        await index.apply([next('AssetDeleted', 'canon-s40', { reason: 'blurred' })]);

        const canon = await index.search(parse({ q: 'canon' }));
        expect(ids(canon).sort()).toEqual(['canon-40d', 'canon-ixus']);
        expect(canon.facets.make).toEqual([{ value: 'Canon', count: 2 }]);
        expect((await index.search(parse({ limit: 100 }))).total).toBe(21);

        await index.apply([
          next('AssetIngested', 'canon-s40', {
            objectKey: 'originals/canon-s40/original',
            originalName: 'PowerShot retake.jpg',
            mediaType: 'image',
            mimeType: 'image/jpeg',
            size: 30_000,
            sha256: sha('canon-s40-retake'),
            origin: { kind: 'upload' },
          }),
        ]);
        expect(ids(await index.search(parse({ q: 'retake' })))).toEqual(['canon-s40']);
        // A new life: the old camera metadata is gone with the old bytes.
        expect(ids(await index.search(parse({ q: 'canon' }))).sort()).toEqual(['canon-40d', 'canon-ixus']);
        expect(ids(await index.search(parse({ limit: 1 })))).toEqual(['canon-s40']);
      });

      it('ignores redelivered batches and events older than what it holds', async () => {
        const queries = [parse({ limit: 100 }), parse({ q: 'harbour' }), parse({ make: 'canon' }), parse({ q: 'cafe' })];
        const before = await Promise.all(queries.map((query) => index.search(query)));

        await applyInBatches(index, history.slice(10), 5); // redelivery after a crash, cut differently
        const firstTitle = history.find((event) => event.type === 'UserMetadataUpdated' && event.assetId === 'canon-40d')!;
        await index.apply([firstTitle]); // 'Boats at dawn', long after 'Harbour at dawn'
        await index.apply([history.find((event) => event.assetId === 'nikon-d70' && event.type === 'AssetIngested')!]);

        expect(await Promise.all(queries.map((query) => index.search(query)))).toEqual(before);
        expect(ids(await index.search(parse({ q: 'boats' })))).toEqual(['canon-40d']);
        expect((await index.search(parse({ q: 'boats' }))).hits[0]).toMatchObject({ title: 'Harbour at dawn' });
      });

      it('remembers the last applied offset of each partition', async () => {
        expect(await index.positions()).toEqual({ '0': String(history.length - 1) });
        await index.apply([{ ...next('UserMetadataUpdated', 'sony-hc3', { title: 'Camcorder still' }), partition: '3', offset: '41' }]);
        expect(await index.positions()).toEqual({ '0': String(history.length - 2), '3': '41' });
      });
    });
  });
}
