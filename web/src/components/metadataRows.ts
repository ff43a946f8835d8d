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

/** The rows of the asset view's metadata table, by label; absent values are left out. */
export function metadataRows(record: AssetRecord): [string, string | number][] {
  const { metadata, media } = record;
  const rows: [string, string | number | undefined][] = [
    ['File', record.originalName],
    ['Type', record.mimeType],
    ['Size', bytes(record.size)],
    ['Format', metadata?.format ?? media?.container],
    ['Dimensions', dimensions(record)],
    ['Duration', duration(record)],
    ['Camera', [metadata?.make, metadata?.model].filter(Boolean).join(' ') || undefined],
    ['Lens', metadata?.lens],
    ['Captured', metadata?.capturedAt ?? media?.createdAt],
    ['Exposure', metadata?.exposureTime ? exposure(metadata.exposureTime) : undefined],
    ['Aperture', metadata?.fNumber ? `f/${metadata.fNumber}` : undefined],
    ['ISO', metadata?.iso],
    ['Focal length', metadata?.focalLength ? `${metadata.focalLength} mm` : undefined],
    ['Ingested', record.ingestedAt],
    ['SHA-256', record.sha256],
  ];
  return rows.filter((row): row is [string, string | number] => row[1] !== undefined && row[1] !== '');
}
