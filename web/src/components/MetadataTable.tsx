import type { AssetRecord } from '../api/types';

const bytes = (size: number) =>
  size < 1024 ? `${size} B` : size < 1024 ** 2 ? `${(size / 1024).toFixed(1)} KB` : `${(size / 1024 ** 2).toFixed(1)} MB`;

/** Technical metadata, EXIF and place, as rows of what the asset holds (absent fields are left out). */
export function MetadataTable({ record }: { record: AssetRecord }) {
  const metadata = record.metadata;
  const media = record.media as { durationMs?: number; container?: string } | undefined;
  const gps = metadata?.gps;
  const rows: [string, string | number | undefined][] = [
    ['File', record.originalName],
    ['Type', record.mimeType],
    ['Size', bytes(record.size)],
    ['Format', metadata?.format ?? media?.container],
    ['Dimensions', metadata?.width && metadata.height ? `${metadata.width} × ${metadata.height}` : undefined],
    ['Duration', media?.durationMs !== undefined ? `${(media.durationMs / 1000).toFixed(1)} s` : undefined],
    ['Camera', [metadata?.make, metadata?.model].filter(Boolean).join(' ') || undefined],
    ['Lens', metadata?.lens],
    ['Captured', metadata?.capturedAt],
    ['Exposure', metadata?.exposureTime ? `1/${Math.round(1 / metadata.exposureTime)} s` : undefined],
    ['Aperture', metadata?.fNumber ? `f/${metadata.fNumber}` : undefined],
    ['ISO', metadata?.iso],
    ['Focal length', metadata?.focalLength ? `${metadata.focalLength} mm` : undefined],
    ['Ingested', record.ingestedAt],
    ['SHA-256', record.sha256],
  ];
  return (
    <dl className="metadata" data-testid="metadata">
      {rows
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      {gps && (
        <div>
          <dt>Place</dt>
          <dd>
            <a href={`https://www.openstreetmap.org/?mlat=${gps.latitude}&mlon=${gps.longitude}#map=15/${gps.latitude}/${gps.longitude}`} target="_blank" rel="noreferrer">
              {gps.latitude.toFixed(5)}, {gps.longitude.toFixed(5)}
            </a>
            {gps.altitude !== undefined && ` (${Math.round(gps.altitude)} m)`}
          </dd>
        </div>
      )}
    </dl>
  );
}
