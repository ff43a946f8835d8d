import type { AssetRecord } from '../api/types';
import { metadataRows } from './metadataRows';

/** Technical metadata, EXIF and place, as rows of what the asset holds (absent fields are left out). */
export function MetadataTable({ record }: { record: AssetRecord }) {
  const gps = record.metadata?.gps;
  return (
    <dl className="metadata" data-testid="metadata">
      {metadataRows(record).map(([label, value]) => (
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
