import { draft, type EventDraft } from '../schemas/envelope';

const MAKES = ['Canon', 'NIKON CORPORATION', 'SONY', 'FUJIFILM', 'PENTAX Corporation'];

type Envelope = { id: string; assetId: string; actor: string; source: string; correlationId: string; causationId: null };

/**
 * Photo n's first two facts, as ingest and the metadata processor write them:
 * five makes, seventeen models, 25 years of capture dates, so filters and
 * facets of the benchmarks that share it have the same spread.
 */
export function syntheticPhoto(
  n: number,
  envelope: (source: string, actor?: string) => Envelope,
  file: { originalName: string; path: string; objectKey: string; mediaType?: 'image' | 'video' },
): [EventDraft, EventDraft] {
  const sha256 = n.toString(16).padStart(64, '0');
  const size = 1_000_000 + n;
  return [
    draft('AssetIngested', {
      ...envelope('cli', 'alice'),
      payload: {
        objectKey: file.objectKey,
        originalName: file.originalName,
        mediaType: file.mediaType ?? 'image',
        mimeType: 'image/jpeg',
        size,
        sha256,
        origin: { kind: 'directory', path: file.path },
      },
    }),
    draft('TechnicalMetadataExtracted', {
      ...envelope('processor:metadata@1'),
      payload: {
        format: 'jpeg',
        width: 4000,
        height: 3000,
        make: MAKES[n % MAKES.length],
        model: `Model ${n % 17}`,
        capturedAt: `${2000 + (n % 25)}-0${1 + (n % 9)}-1${n % 10}T12:00:00`,
        sha256,
        size,
        warnings: [],
      },
    }),
  ];
}
