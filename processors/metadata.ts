import { extname } from 'node:path';
import exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';
import type { StoredEvent } from '../schemas/envelope';
import type { PayloadOf } from '../schemas/events';
import { decoderReason, InvalidMediaError, type Processor, type ProcessorInput, type ProcessorResult } from './processor';

type TechnicalMetadata = PayloadOf<'TechnicalMetadataExtracted'>;

/**
 * "2008:10:22 16:28:39" (EXIF) or "2005-09-07T15:07:40-07:00" (XMP) → ISO 8601.
 * EXIF keeps local time with no zone unless an offset tag gives one; so do we.
 */
function exifDate(value: unknown, offset: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?/.exec(value.trim());
  if (!match || match[1] === '0000') return undefined;
  const [, y, mo, d, h, mi, s = '00', ownZone] = match;
  // A clock set wrong writes what no calendar has (month 13, 25:61): that is no date.
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (at.getUTCMonth() !== Number(mo) - 1 || at.getUTCDate() !== Number(d) || at.getUTCHours() !== Number(h) || at.getUTCMinutes() !== Number(mi)) return undefined;
  const zone = ownZone ?? (typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : '');
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
}

/** The altitude, signed: GPSAltitudeRef 1 puts it below sea level (exifr leaves the sign to its reader, as for the coordinates). */
function altitude(tags: Record<string, unknown>): number | undefined {
  const metres = number(tags.GPSAltitude);
  const ref = tags.GPSAltitudeRef;
  const below = (typeof ref === 'number' ? ref : ArrayBuffer.isView(ref) || Array.isArray(ref) ? Number((ref as ArrayLike<number>)[0]) : 0) === 1;
  return metres !== undefined && below ? -metres : metres;
}

function text(value: unknown): string | undefined {
  // EXIF strings are C strings: what follows a NUL is padding or garbage.
  if (typeof value === 'string') return value.split('\0')[0]!.trim() || undefined;
  if (value && typeof value === 'object' && 'value' in value) return text((value as { value: unknown }).value);
  return undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function coordinate(value: unknown, limit: number): number | undefined {
  const n = number(value);
  return n !== undefined && Math.abs(n) <= limit ? n : undefined;
}

/** The tags a media library searches and shows; the rest stay in the original. */
function fromTags(tags: Record<string, unknown>): Partial<TechnicalMetadata> {
  const latitude = coordinate(tags.latitude, 90);
  const longitude = coordinate(tags.longitude, 180);
  const xmp = Object.fromEntries(
    ['title', 'description', 'subject', 'creator', 'rights', 'Rating', 'Label']
      .filter((key) => tags[key] !== undefined)
      .map((key) => [key, Array.isArray(tags[key]) ? (tags[key] as unknown[]).map(text) : text(tags[key]) ?? tags[key]]),
  );
  return {
    make: text(tags.Make),
    model: text(tags.Model),
    lens: text(tags.LensModel),
    // Each date with its own offset; a blank or impossible one gives way to the next.
    capturedAt:
      exifDate(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ?? exifDate(tags.CreateDate, tags.OffsetTimeDigitized) ?? exifDate(tags.ModifyDate, tags.OffsetTime),
    exposureTime: number(tags.ExposureTime),
    fNumber: number(tags.FNumber),
    iso: number(tags.ISO),
    focalLength: number(tags.FocalLength),
    gps:
      latitude !== undefined && longitude !== undefined
        ? withoutUndefined({ latitude, longitude, altitude: altitude(tags) })
        : undefined,
    iccProfile: text(tags.ProfileDescription),
    xmp: Object.keys(xmp).length ? xmp : undefined,
  };
}

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

/** sharp gives the EXIF of WebP, AVIF and HEIF as stored there: "Exif\0\0" and a TIFF header, which exifr reads without the prefix. */
function tiffOf(exif: Buffer): Buffer {
  return exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
}

/** Containers whose EXIF exifr finds by itself. In WebP it finds nothing (it throws), in AVIF no EXIF (only ICC). */
const EXIFR_CONTAINERS = new Set(['jpeg', 'png', 'tiff']);

const parseTags = (bytes: Buffer): Promise<Record<string, unknown> | undefined | Error> =>
  exifr.parse(bytes, TAG_OPTIONS).catch((error: Error) => error);

/**
 * The file's tags as exifr reads them, and in other containers the EXIF block
 * that sharp finds, read by exifr (its tags win: they are the camera's).
 * Broken EXIF does not make a broken image: what sharp can tell is kept, with
 * a warning; a container exifr does not know is no warning.
 */
async function readTags(bytes: Buffer, image: Metadata, warnings: string[]): Promise<Record<string, unknown>> {
  const knownContainer = EXIFR_CONTAINERS.has(image.format ?? '');
  const results = await Promise.all([parseTags(bytes), image.exif && !knownContainer ? parseTags(tiffOf(image.exif)) : undefined]);
  const tags: Record<string, unknown> = {};
  for (const result of results) {
    if (!(result instanceof Error)) Object.assign(tags, result);
    else if (knownContainer || !/unknown file format/i.test(result.message)) warnings.push(`metadata could not be read: ${result.message}`);
  }
  return tags;
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

/** Technical metadata: format, dimensions, EXIF, XMP, GPS, orientation, ICC, checksum. */
export function metadataProcessor(options: { maxInputPixels: number }): Processor {
  return {
    name: 'metadata',
    // 2: the EXIF of WebP and AVIF, and the frames and length of animations (version 1 left them out of the same files).
    // 3: an altitude below sea level is negative; each capture date with its own offset; a blank or impossible date gives way;
    //    a file named as a photo whose bytes nobody recognised is read as one (and fails with the reason).
    version: '3',
    accepts: (event) => event.type === 'AssetIngested',
    async process(event: StoredEvent, input: ProcessorInput): Promise<ProcessorResult> {
      if (event.type !== 'AssetIngested') return { events: [] };
      const base = asIngested(event.payload);
      if (event.payload.mediaType !== 'image' && !namedAsImage(event.payload.originalName)) return { events: [{ type: 'TechnicalMetadataExtracted', payload: base }] };
      const bytes = await input.original();
      const image = await sharp(bytes, { limitInputPixels: options.maxInputPixels })
        .metadata()
        .catch((error: Error) => {
          throw new InvalidMediaError('UNREADABLE_IMAGE', `the image cannot be read: ${decoderReason(error)}`);
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
