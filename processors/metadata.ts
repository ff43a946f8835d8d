import { extname } from 'node:path';
import exifr, * as exifrExports from 'exifr';
import iconv from 'iconv-lite';
import { undisguisedLines } from '../schemas/shownText';
import sharp, { type Metadata } from 'sharp';
import type { StoredEvent } from '../schemas/envelope';
import type { PayloadOf } from '../schemas/events';
import { InvalidMediaError, undecodableAlone, type Processor, type ProcessorInput, type ProcessorResult } from './processor';

type TechnicalMetadata = PayloadOf<'TechnicalMetadataExtracted'>;

/**
 * "2008:10:22 16:28:39" (EXIF) or "2005-09-07T15:07:40-07:00" (XMP) → ISO 8601.
 * EXIF keeps local time with no zone unless an offset tag gives one; so do we.
 * The fraction of a second (the date's own, or a SubSecTime tag's digits) is
 * kept: the frames of a burst share their second and are ordered by it.
 */
function exifDate(value: unknown, offset: unknown, subSeconds?: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?/.exec(value.trim());
  if (!match || match[1] === '0000') return undefined;
  const [, y, mo, d, h, mi, s = '00', ownFraction, ownZone] = match;
  const digits = ownFraction ?? /^\d{1,9}$/.exec(String(subSeconds ?? '').trim())?.[0];
  // Only after seconds; a fraction of zeros (Canon writes "00") says nothing the second does not.
  const fraction = match[6] !== undefined && digits && !/^0+$/.test(digits) ? digits : undefined;
  // A clock set wrong writes what no calendar has (month 13, 25:61): that is no date.
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (at.getUTCMonth() !== Number(mo) - 1 || at.getUTCDate() !== Number(d) || at.getUTCHours() !== Number(h) || at.getUTCMinutes() !== Number(mi)) return undefined;
  const zone = ownZone ?? (typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : '');
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction ? `.${fraction}` : ''}${zone}`;
}

/** Whether y-m-d is a day of the calendar (not month 13, nor February 30). */
function isDay(y: string, mo: string, d: string): boolean {
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return y !== '0000' && at.getUTCFullYear() === Number(y) && at.getUTCMonth() === Number(mo) - 1 && at.getUTCDate() === Number(d);
}

/**
 * An XMP date (photoshop:DateCreated): with its time as exifDate reads it, or
 * a day alone ("1962-07-14", as a scan's is often known). A year or a month
 * alone is no capture date: it gives way to the next.
 */
function xmpDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  return day ? (isDay(day[1]!, day[2]!, day[3]!) ? day[0] : undefined) : exifDate(value, undefined);
}

/** IPTC-IIM's DateCreated ("19710305") and TimeCreated ("093000+0100"): the day, with its time and zone where given. */
function iimDate(date: unknown, time: unknown): string | undefined {
  const day = typeof date === 'string' ? /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim()) : null;
  if (!day || !isDay(day[1]!, day[2]!, day[3]!)) return undefined;
  const clock = typeof time === 'string' ? /^(\d{2})(\d{2})(\d{2})(?:([+-]\d{2})(\d{2}))?$/.exec(time.trim()) : null;
  const [, y, mo, d] = day;
  if (!clock) return `${y}-${mo}-${d}`;
  const [, h, mi, s, zoneHours, zoneMinutes] = clock;
  return exifDate(`${y}:${mo}:${d} ${h}:${mi}:${s}${zoneHours ? `${zoneHours}:${zoneMinutes}` : ''}`, undefined);
}

/** The altitude, signed: GPSAltitudeRef 1 puts it below sea level (exifr leaves the sign to its reader, as for the coordinates). */
function altitude(tags: Record<string, unknown>): number | undefined {
  const metres = number(tags.GPSAltitude);
  const ref = tags.GPSAltitudeRef;
  const below = (typeof ref === 'number' ? ref : ArrayBuffer.isView(ref) || Array.isArray(ref) ? Number((ref as ArrayLike<number>)[0]) : 0) === 1;
  return metres !== undefined && below ? -metres : metres;
}

/** A tag's string as the file holds it. */
function rawText(value: unknown): string | undefined {
  // EXIF strings are C strings: what follows a NUL is padding or garbage.
  if (typeof value === 'string') return value.split('\0')[0]!.trim() || undefined;
  if (value && typeof value === 'object' && 'value' in value) return rawText((value as { value: unknown }).value);
  return undefined;
}

/**
 * A tag's text as the record keeps and the asset view shows it: without the
 * characters that would disguise it (a right-to-left override, a bell), as a
 * file's name is kept; a caption keeps its lines.
 */
function shown(raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : undisguisedLines(raw).trim() || undefined;
}

const text = (value: unknown): string | undefined => shown(rawText(value));

/** A list of texts, from one (exifr gives a list of one as its item) or many. */
function texts(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(text).filter((item): item is string => item !== undefined);
}

/**
 * IIM text as the file holds it. exifr gives each byte as a Latin-1
 * character, also where CodedCharacterSet (1:90) says UTF-8, as every
 * newsroom system of this century writes: text whose bytes are UTF-8 is read
 * as UTF-8 (accented Latin-1 text almost never is). Other text is read as
 * Windows-1252, what Windows newsroom tools write without a 1:90: Latin-1
 * where Latin-1 prints, and typographic quotes, dashes and the euro sign for
 * the bytes 0x80–0x9F that Latin-1 gives to invisible control characters.
 * (iconv-lite, as Node 20's TextDecoder reads "windows-1252" as Latin-1.)
 */
function iimText(value: unknown): string | undefined {
  const raw = rawText(value);
  if (raw === undefined || /[^\x00-\xff]/.test(raw)) return shown(raw);
  const bytes = Buffer.from(raw, 'latin1');
  const utf8 = bytes.toString('utf8');
  return shown(utf8.includes('\uFFFD') ? iconv.decode(bytes, 'windows-1252') : utf8);
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function coordinate(value: unknown, limit: number): number | undefined {
  const n = number(value);
  return n !== undefined && Math.abs(n) <= limit ? n : undefined;
}

/**
 * Where the picture was made, if the camera knew: a receiver without a fix
 * writes GPSStatus V (void) and, as many do without any status, zeros, which
 * would put the photo in the Gulf of Guinea (no photo is taken at exactly
 * 0° 0′ 0″ in both).
 */
function position(tags: Record<string, unknown>): TechnicalMetadata['gps'] {
  const latitude = coordinate(tags.latitude, 90);
  const longitude = coordinate(tags.longitude, 180);
  if (latitude === undefined || longitude === undefined || text(tags.GPSStatus) === 'V' || (latitude === 0 && longitude === 0)) return undefined;
  return withoutUndefined({ latitude, longitude, altitude: altitude(tags) });
}

/** The XMP properties a record keeps: Dublin Core's title, description, keywords (subject), creator and rights, and xmp's rating and label. */
const XMP_KEPT = ['title', 'description', 'subject', 'creator', 'rights', 'Rating', 'Label'];

/** XMP's language alternatives (rdf:Alt of xml:lang, as dc:title, dc:description and dc:rights are): exifr gives them as { lang, value } items. */
const LANGUAGE_ALTERNATIVES = new Set(['title', 'description', 'rights']);

/** Of a language alternative, the default's text (x-default, else the first given): a title is one text, in any number of languages. */
function defaultLanguage(value: unknown): string | undefined {
  if (!Array.isArray(value)) return text(value);
  const items = value as { lang?: unknown }[];
  return text(items.find((item) => item?.lang === 'x-default') ?? items[0]);
}

function xmpOf(tags: Record<string, unknown>): Record<string, unknown> | undefined {
  const xmp = Object.fromEntries(
    XMP_KEPT.filter((key) => tags[key] !== undefined).map((key) => [
      key,
      LANGUAGE_ALTERNATIVES.has(key) ? defaultLanguage(tags[key]) : Array.isArray(tags[key]) ? (tags[key] as unknown[]).map(text) : text(tags[key]) ?? tags[key],
    ]),
  );
  // Keywords are a list, also when there is one (exifr then gives the keyword alone).
  if (tags.subject !== undefined) xmp.subject = texts(tags.subject);
  return Object.keys(xmp).length ? xmp : undefined;
}

/** IPTC-IIM's title (Object Name, else Headline), description (Caption-Abstract) and keywords. */
function iptcOf(iim: Record<string, unknown>): TechnicalMetadata['iptc'] {
  const keywords = (Array.isArray(iim.Keywords) ? iim.Keywords : [iim.Keywords]).map(iimText).filter((keyword) => keyword !== undefined);
  const iptc = withoutUndefined({
    title: iimText(iim.ObjectName) ?? iimText(iim.Headline),
    description: iimText(iim.Caption),
    keywords: keywords.length ? keywords : undefined,
  });
  return Object.keys(iptc).length ? iptc : undefined;
}

/**
 * When the picture was made, each date with its own offset; a blank or
 * impossible one gives way to the next: the camera's DateTimeOriginal; the
 * date the picture was created as a photo editor or a newsroom recorded it
 * (XMP photoshop:DateCreated, IPTC-IIM DateCreated with TimeCreated: a scan's
 * 1962, not the day it was scanned); CreateDate (when it was digitised).
 * Never ModifyDate: that is when software last saved the file (Lightroom's
 * xmp:ModifyDate, EXIF's DateTime), not when anything was photographed.
 */
function capturedAt(tags: Record<string, unknown>, iim: Record<string, unknown>): string | undefined {
  return (
    exifDate(tags.DateTimeOriginal, tags.OffsetTimeOriginal, tags.SubSecTimeOriginal) ??
    xmpDate(tags.DateCreated) ??
    iimDate(iim.DateCreated, iim.TimeCreated) ??
    exifDate(tags.CreateDate, tags.OffsetTimeDigitized, tags.SubSecTimeDigitized)
  );
}

/** The tags a media library searches and shows; the rest stay in the original. */
function fromTags({ tags, iim }: Tags): Partial<TechnicalMetadata> {
  return {
    make: text(tags.Make),
    model: text(tags.Model),
    lens: text(tags.LensModel),
    capturedAt: capturedAt(tags, iim),
    exposureTime: number(tags.ExposureTime),
    fNumber: number(tags.FNumber),
    iso: number(tags.ISO),
    focalLength: number(tags.FocalLength),
    gps: position(tags),
    iccProfile: text(tags.ProfileDescription),
    xmp: xmpOf(tags),
    iptc: iptcOf(iim),
  };
}

/** EXIF, XMP and ICC, merged into one set of tags (IPTC-IIM is read on its own: IPTC_OPTIONS). */
const TAG_OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  xmp: true,
  icc: true,
  iptc: false,
  translateValues: false,
  reviveValues: false,
  mergeOutput: true,
} as const;

/**
 * IPTC-IIM (the APP13 block of older newsroom software: caption, object
 * name, headline, keywords, date created), on its own: merged with XMP, its
 * DateCreated ("19710305") and Keywords would take the places of XMP's
 * (photoshop:DateCreated, pdf:Keywords), and iptc would not be IIM's alone.
 */
const IPTC_OPTIONS = { ...TAG_OPTIONS, tiff: false, exif: false, gps: false, xmp: false, icc: false, jfif: false, ihdr: false, iptc: true } as const;

/** sharp gives the EXIF of WebP, AVIF and HEIF as stored there: "Exif\0\0" and a TIFF header, which exifr reads without the prefix. */
function tiffOf(exif: Buffer): Buffer {
  return exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
}

/** Containers whose EXIF exifr finds by itself. In WebP it finds nothing (it throws), in AVIF no EXIF (only ICC). */
const EXIFR_CONTAINERS = new Set(['jpeg', 'png', 'tiff']);

type Parsed = Record<string, unknown> | undefined | Error;

const parseTags = (bytes: Buffer, options: typeof TAG_OPTIONS | typeof IPTC_OPTIONS = TAG_OPTIONS): Promise<Parsed> =>
  exifr.parse(bytes, options).catch((error: Error) => error);

/** exifr's ESM build (what Vite loads) has sidecar() as an export of its own only; its UMD build (what Node loads) on the default export only. */
const sidecar = exifrExports.sidecar ?? exifr.sidecar;

/**
 * An XMP packet as exifr reads one in a file: its namespaces' properties
 * merged (exifr gives a packet on its own by namespace, whatever mergeOutput says).
 */
const parseXmp = (packet: Buffer): Promise<Parsed> =>
  sidecar(packet, TAG_OPTIONS, 'xmp')
    .then((namespaces) =>
      Object.assign(
        {},
        ...Object.entries((namespaces ?? {}) as Record<string, unknown>)
          .filter(([prefix, properties]) => prefix !== 'xmlns' && properties !== null && typeof properties === 'object' && !Array.isArray(properties))
          .map(([, properties]) => properties),
      ) as Record<string, unknown>,
    )
    .catch((error: Error) => error);

/** A file's tags: EXIF, XMP and ICC merged, and IPTC-IIM apart. */
interface Tags {
  tags: Record<string, unknown>;
  iim: Record<string, unknown>;
}

/**
 * The file's tags as exifr reads them, and in other containers the EXIF block
 * that sharp finds, read by exifr (its tags win: they are the camera's).
 * exifr reads no XMP in PNG, WebP or AVIF: the packet sharp finds is read
 * first, so the file's own reading (where exifr found the same packet) and
 * the EXIF block win over it. Broken EXIF does not make a broken image: what
 * sharp can tell is kept, with a warning; a container exifr does not know is
 * no warning.
 */
async function readTags(bytes: Buffer, image: Metadata, warnings: string[]): Promise<Tags> {
  const knownContainer = EXIFR_CONTAINERS.has(image.format ?? '');
  const [packet, own, exif, iim] = await Promise.all([
    image.xmp ? parseXmp(image.xmp) : undefined,
    parseTags(bytes),
    image.exif && !knownContainer ? parseTags(tiffOf(image.exif)) : undefined,
    parseTags(bytes, IPTC_OPTIONS),
  ]);
  // What breaks one reading of a file mostly breaks the others too: each warning is said once.
  const warn = (error: Error) => {
    const warning = `metadata could not be read: ${error.message}`;
    if ((knownContainer || !/unknown file format/i.test(error.message)) && !warnings.includes(warning)) warnings.push(warning);
  };
  const tags: Record<string, unknown> = {};
  for (const result of [packet, own, exif]) {
    if (result instanceof Error) warn(result);
    else Object.assign(tags, result);
  }
  if (iim instanceof Error) warn(iim);
  return { tags, iim: iim instanceof Error ? {} : (iim ?? {}) };
}

/** Frames and one play's length of an animated GIF or WebP (sharp gives a delay per frame); nothing for a still. */
function animationOf(image: Metadata): Pick<TechnicalMetadata, 'frames' | 'durationMs'> {
  if (!image.pages || image.pages < 2 || !image.delay?.length) return {};
  return { frames: image.pages, durationMs: image.delay.reduce((sum, delay) => sum + delay, 0) };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

type Ingested = PayloadOf<'AssetIngested'>;

/**
 * The hash and size ingest computed as it streamed the original in: the same
 * bytes, not read or hashed again (a video can be far larger than memory
 * should hold, and ffprobe reads what it is: processors/mediaProbe.ts).
 */
function asIngested(payload: Ingested): TechnicalMetadata {
  if (payload.size === 0) throw new InvalidMediaError('EMPTY_FILE', 'the file is empty');
  return { sha256: payload.sha256, size: payload.size, warnings: [], format: payload.mimeType };
}

/** Names that say a photo. */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.gif', '.webp', '.tif', '.tiff', '.heic', '.heif', '.avif', '.bmp']);

/**
 * Whether a file whose bytes nobody recognised is named as a photo: it is read
 * as one, and fails with the decoder's reason (a damaged JPEG would otherwise
 * end ready, as a file of no kind, and drop out of every view of photos).
 */
const namedAsImage = (name: string) => IMAGE_EXTENSIONS.has(extname(name).toLowerCase());

/**
 * Technical metadata: format, dimensions, EXIF, XMP, IPTC, GPS, orientation, ICC, checksum.
 * It reads the header only, with no pixel limit: the limit guards decodes
 * (processors/decodedImage.ts), and a photo over it keeps its metadata (its
 * renditions fail, and it is degraded). The settings are taken, and need nothing.
 */
export function metadataProcessor(): Processor {
  return {
    name: 'metadata',
    // 2: the EXIF of WebP and AVIF, and the frames and length of animations (version 1 left them out of the same files).
    // 3: an altitude below sea level is negative; each capture date with its own offset; a blank or impossible date gives way;
    //    a file named as a photo whose bytes nobody recognised is read as one (and fails with the reason).
    // 4: no pixel limit on the header (a 102 MP photo has metadata); IPTC-IIM (title, description, keywords, date created);
    //    the XMP of PNG, WebP and AVIF; XMP keywords always a list; the capture date from photoshop:DateCreated or IPTC's
    //    before CreateDate, and never from ModifyDate; a failure's reason from the file alone.
    // 5: IIM text that is not UTF-8 read as Windows-1252; no position without a GPS fix; one text of an XMP title or
    //    description in several languages; a decoder's complaint said once.
    version: '5',
    accepts: (event) => event.type === 'AssetIngested',
    async process(event: StoredEvent, input: ProcessorInput): Promise<ProcessorResult> {
      if (event.type !== 'AssetIngested') return { events: [] };
      const base = asIngested(event.payload);
      if (event.payload.mediaType !== 'image' && !namedAsImage(event.payload.originalName)) return { events: [{ type: 'TechnicalMetadataExtracted', payload: base }] };
      const bytes = await input.original();
      const image = await sharp(bytes, { limitInputPixels: false })
        .metadata()
        .catch(async (error: Error) => {
          throw await undecodableAlone(bytes, error, { read: 'header' });
        });
      const tags = await readTags(bytes, image, base.warnings);
      const payload: TechnicalMetadata = withoutUndefined({
        ...base,
        ...withoutUndefined(fromTags(tags)),
        format: image.format ?? event.payload.mimeType,
        width: image.width,
        height: image.height,
        orientation: image.orientation,
        colorSpace: image.space,
        hasAlpha: image.hasAlpha,
        ...animationOf(image),
      });
      return { events: [{ type: 'TechnicalMetadataExtracted', payload }] };
    },
  };
}
