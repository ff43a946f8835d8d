import type { AssetRecord } from '../api/types';

const bytes = (size: number) =>
  size < 1024 ? `${size} B` : size < 1024 ** 2 ? `${(size / 1024).toFixed(1)} KB` : `${(size / 1024 ** 2).toFixed(1)} MB`;

/** An exposure as photographers write it: a fraction of a second below one, seconds from there (a night sky's 30 s). */
const exposure = (seconds: number) => (seconds < 1 ? `1/${Math.round(1 / seconds)} s` : `${Number(seconds.toFixed(1))} s`);

/**
 * A photo's dimensions, else a video's first picture stream's, as shown: the
 * file stores a portrait photo or phone video turned (EXIF orientation 5–8,
 * a rotation of 90° or 270°), and says how to turn it upright.
 */
function dimensions({ metadata, media }: AssetRecord): string | undefined {
  const video = media?.video[0];
  const [picture, turned] = metadata?.width && metadata.height ? [metadata, (metadata.orientation ?? 1) >= 5] : [video, Math.abs(video?.rotation ?? 0) % 180 === 90];
  if (!picture?.width || !picture.height) return undefined;
  return turned ? `${picture.height} × ${picture.width}` : `${picture.width} × ${picture.height}`;
}

/** A video's or audio file's length, else an animation's. */
function duration({ metadata, media }: AssetRecord): string | undefined {
  const seconds = media?.durationSeconds ?? (metadata?.durationMs !== undefined ? metadata.durationMs / 1000 : undefined);
  return seconds !== undefined ? `${seconds.toFixed(1)} s` : undefined;
}

/** The texts the file's own tags hold, each once: one, or a list (keywords). */
const textsOf = (...values: unknown[]) => [...new Set(values.flatMap((value) => (Array.isArray(value) ? value : [value])).filter((text): text is string => typeof text === 'string' && text !== ''))];

/** XMP's rating as Lightroom and Bridge set it: 1 to 5 stars, -1 rejected, 0 none. */
const rating = (value: unknown) => (value === -1 ? 'rejected' : typeof value === 'number' && value >= 1 && value <= 5 ? `${value} of 5` : undefined);

/** Where a photo was taken or a video recorded, in signed decimal degrees (as maps take them), with the altitude where known. */
function location({ metadata, media }: AssetRecord): string | undefined {
  const place = metadata?.gps ?? media?.location;
  if (!place) return undefined;
  const altitude = place.altitude !== undefined ? `, ${Math.round(place.altitude)} m` : '';
  return `${place.latitude.toFixed(5)}, ${place.longitude.toFixed(5)}${altitude}`;
}

/** The rows of the asset view's metadata table, by label; absent values are left out. */
export function metadataRows(record: AssetRecord): [string, string | number][] {
  const { metadata, media } = record;
  const { xmp, iptc } = metadata ?? {};
  const rows: [string, string | number | undefined][] = [
    ['File', record.originalName],
    ['Type', record.mimeType],
    ['Size', bytes(record.size)],
    ['Format', metadata?.format ?? media?.container],
    ['Dimensions', dimensions(record)],
    ['Duration', duration(record)],
    // What the file's own tags say (XMP, IPTC, ID3 and the like): a photo desk's caption and keywords, a recording's artist and album.
    ['Title', textsOf(xmp?.title, iptc?.title, media?.tags?.title)[0]],
    ['Artist', media?.tags?.artist],
    ['Album', media?.tags?.album],
    ['Caption', textsOf(xmp?.description, iptc?.description)[0]],
    ['Keywords', textsOf(xmp?.subject, iptc?.keywords).join(', ')],
    ['Rating', rating(xmp?.Rating)],
    ['Camera', [metadata?.make, metadata?.model].filter(Boolean).join(' ') || undefined],
    ['Lens', metadata?.lens],
    ['Captured', metadata?.capturedAt ?? media?.createdAt],
    ['Exposure', metadata?.exposureTime ? exposure(metadata.exposureTime) : undefined],
    ['Aperture', metadata?.fNumber ? `f/${metadata.fNumber}` : undefined],
    ['ISO', metadata?.iso],
    ['Focal length', metadata?.focalLength ? `${metadata.focalLength} mm` : undefined],
    ['Location', location(record)],
    ['Ingested', record.ingestedAt],
    ['SHA-256', record.sha256],
  ];
  return rows.filter((row): row is [string, string | number] => row[1] !== undefined && row[1] !== '');
}
