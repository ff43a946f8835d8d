import { posix } from 'node:path';
import type { AssetEvent } from '../schemas/envelope';
import type { MediaType, Origin, PayloadOf } from '../schemas/events';
import { isTimeBasedName } from '../processors/mediaProbe';

export const ASSET_STATUSES = ['processing', 'ready', 'degraded', 'failed', 'deleted'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** A type rather than an interface: the API's schemas take it as an open object, which an interface (no index signature) is not. */
export type AssetRecord = {
  assetId: string;
  /** The asset version of the last event folded in. */
  version: number;
  status: AssetStatus;
  originalName: string;
  objectKey: string;
  mediaType: MediaType;
  mimeType: string;
  size: number;
  sha256: string;
  origin: Origin;
  ingestedAt: string;
  updatedAt: string;
  metadata?: PayloadOf<'TechnicalMetadataExtracted'>;
  /** Video and audio: container, duration, streams, recording time and place, tags (processors/mediaProbe.ts). */
  media?: PayloadOf<'MediaProbed'>;
  user: { title?: string; description?: string; tags: string[]; creator?: string; people?: string[] };
  renditions: Record<string, PayloadOf<'RenditionCreated'>>;
  failures: PayloadOf<'AssetProcessingFailed'>[];
  /** The collections it is in, sorted (what a viewer may see goes by them: api/visibility.ts). Absent in records folded before collections. */
  collections?: string[];
  /** The fields an AssetTextRedacted named: a title or description redacted keeps the ones the media's own tags give out, whenever they are read again. */
  redacted?: PayloadOf<'AssetTextRedacted'>['fields'];
};

/** When the picture or the recording was made: the photo's EXIF date, else the video's or audio file's own creation time. */
export function capturedAt(record: Pick<AssetRecord, 'metadata' | 'media'>): string | undefined {
  return record.metadata?.capturedAt || record.media?.createdAt || undefined;
}

/** What a video needs to be shown and played: a thumbnail like every asset, a poster and a web proxy (the scrub strip is a nicety). */
const VIDEO_RENDITIONS = ['thumbnail', 'poster', 'proxy'];

/** The processors an asset waits for before it is ready, by media type. */
function expectedResults(record: AssetRecord): boolean {
  const hasMetadata = record.metadata !== undefined;
  if (record.mediaType === 'video') return hasMetadata && record.media !== undefined && VIDEO_RENDITIONS.every((name) => name in record.renditions);
  // Audio: a proxy to play and a waveform to see (the peaks and thumbnail come with them, from the same processor).
  if (record.mediaType === 'audio') return hasMetadata && record.media !== undefined && 'proxy' in record.renditions && 'waveform' in record.renditions;
  // A document's renditions and text come in one result: its thumbnail stands for them all.
  if (record.mediaType === 'document') return hasMetadata && 'thumbnail' in record.renditions;
  // A file of no recognised type named as video or audio waits for its probe, which may make it either.
  if (record.mediaType === 'other' && isTimeBasedName(record.originalName)) return hasMetadata && record.media !== undefined;
  if (record.mediaType !== 'image') return hasMetadata;
  return hasMetadata && 'thumbnail' in record.renditions && 'proxy' in record.renditions;
}

/**
 * Whether a processor made anything of the file. The metadata processor reads
 * only images: for any other file its result repeats ingest's hash and size,
 * which a file of any bytes has.
 */
function anyResult(record: AssetRecord): boolean {
  const readMetadata = record.mediaType === 'image' && record.metadata !== undefined;
  return readMetadata || record.media !== undefined || Object.keys(record.renditions).length > 0;
}

function statusOf(record: AssetRecord): AssetStatus {
  if (record.status === 'deleted') return 'deleted';
  if (!record.failures.length) return expectedResults(record) ? 'ready' : 'processing';
  return anyResult(record) ? 'degraded' : 'failed';
}

function applyUserEdit(user: AssetRecord['user'], edit: PayloadOf<'UserMetadataUpdated'>): AssetRecord['user'] {
  const next = { ...user };
  if (edit.title !== undefined) next.title = edit.title ?? undefined;
  if (edit.description !== undefined) next.description = edit.description ?? undefined;
  if (edit.tags !== undefined) next.tags = edit.tags ?? [];
  if (edit.creator !== undefined) next.creator = edit.creator ?? undefined;
  if (edit.people !== undefined) next.people = edit.people ?? undefined;
  return next;
}

/** What a redacted file name, and the path or key it came from, read as. */
export const REDACTED = '[redacted]';

/**
 * A redacted file name: REDACTED with the extension the lake gave the
 * original's object for the type it detected (.jpg), which says what kind of file it is;
 * never the name's own, which may be words ("Portrait of J.Doe"). A file of no
 * detected type keeps none.
 */
export const redactedName = ({ mimeType, objectKey }: { mimeType: string; objectKey: string }) =>
  `${REDACTED}${mimeType === 'application/octet-stream' ? '' : posix.extname(objectKey)}`;

/** Where the asset came from, without the path or key: they hold the file name, and the folders' names may be personal too. */
export function redactedOrigin(origin: Origin): Origin {
  if (origin.kind === 'directory' || origin.kind === 'watch') return { ...origin, path: REDACTED };
  if (origin.kind === 's3') return { ...origin, key: REDACTED };
  return origin;
}

/**
 * The record without the free text an AssetTextRedacted names: no title (the
 * user's, nor the one a video's or audio file's own tags give, nor a photo's
 * own XMP or IPTC title) or description (the user's, nor the photo's own), the
 * file name as REDACTED.ext and no path.
 */
function redacted(record: AssetRecord, fields: PayloadOf<'AssetTextRedacted'>['fields']): AssetRecord {
  const next = { ...record, user: { ...record.user }, redacted: [...new Set([...(record.redacted ?? []), ...fields])] };
  for (const field of fields) {
    if (field === 'originalName') Object.assign(next, { originalName: redactedName(record), origin: redactedOrigin(record.origin) });
    else delete next.user[field];
  }
  return { ...next, media: next.media && shownMedia(next.media, next.redacted), metadata: next.metadata && shownMetadata(next.metadata, next.redacted) };
}

/** What ffprobe read, less the title its tags give where the asset's title was redacted. */
function shownMedia(media: PayloadOf<'MediaProbed'>, redactedFields: AssetRecord['redacted']): PayloadOf<'MediaProbed'> {
  if (!redactedFields?.includes('title')) return media;
  const { title: _title, ...tags } = media.tags;
  return { ...media, tags };
}

/** The text fields of a photo's own tags that a redaction of the asset's title or description takes with it. */
const EMBEDDED_TEXT = ['title', 'description'] as const;

/**
 * What the metadata processor read, less the title and description the
 * photo's own XMP and IPTC give where the asset's were redacted: read again
 * (a reprocess), they stay out. Exported for the views of the events that
 * carried them (the API's asset history).
 */
export function shownMetadata(
  metadata: PayloadOf<'TechnicalMetadataExtracted'>,
  redactedFields: AssetRecord['redacted'],
): PayloadOf<'TechnicalMetadataExtracted'> {
  const gone = EMBEDDED_TEXT.filter((field) => redactedFields?.includes(field));
  if (!gone.length || (!metadata.xmp && !metadata.iptc)) return metadata;
  const without = <T extends object>(block: T | undefined): T | undefined => {
    if (!block) return undefined;
    const kept = Object.fromEntries(Object.entries(block).filter(([key]) => !(gone as readonly string[]).includes(key)));
    return Object.keys(kept).length ? (kept as T) : undefined;
  };
  const { xmp, iptc, ...rest } = metadata;
  const shown = { xmp: without(xmp), iptc: without(iptc) };
  return { ...rest, ...(shown.xmp && { xmp: shown.xmp }), ...(shown.iptc && { iptc: shown.iptc }) };
}

/** processor:NAME@VERSION (a failure's `processor`) → NAME. */
const processorName = (source: string) => source.replace(/^processor:/, '').replace(/@[^@]*$/, '');

/**
 * The asset-record fold: (record, event) → record. Pure, so every backend and
 * every rebuild computes the same state from the same history (law 5).
 * Events of an asset that does not exist (or was deleted) change nothing
 * until it is ingested again.
 */
export function foldAsset(record: AssetRecord | undefined, event: AssetEvent): AssetRecord | undefined {
  if (event.type === 'AssetIngested') {
    const { objectKey, originalName, mediaType, mimeType, size, sha256, origin } = event.payload;
    return {
      assetId: event.assetId,
      version: event.assetVersion,
      status: 'processing',
      originalName,
      objectKey,
      mediaType,
      mimeType,
      size,
      sha256,
      origin,
      ingestedAt: event.time,
      updatedAt: event.time,
      user: { tags: [] },
      renditions: {},
      failures: [],
      // A re-ingest after a delete keeps the asset where it was: membership is on its stream, not in the bytes.
      collections: record?.collections ?? [],
    };
  }
  if (!record) return undefined;
  let next: AssetRecord = { ...record, version: event.assetVersion };
  if (record.status === 'deleted') return next;
  next.updatedAt = event.time;
  switch (event.type) {
    case 'TechnicalMetadataExtracted':
      next.metadata = shownMetadata(event.payload, record.redacted);
      break;
    case 'MediaProbed':
      next.media = shownMedia(event.payload, record.redacted);
      // Sound alone in a video's container (a WebM or MP4 recording): audio, with audio's renditions.
      if (record.mediaType === 'video' && !event.payload.video.length && event.payload.audio.length) next.mediaType = 'audio';
      // A file ingest could not place (an RF64 WAV, raw DV) that ffprobe reads: what its streams say, with that type's renditions.
      if (record.mediaType === 'other') next.mediaType = event.payload.video.length ? 'video' : event.payload.audio.length ? 'audio' : 'other';
      break;
    case 'UserMetadataUpdated':
      next.user = applyUserEdit(record.user, event.payload);
      break;
    case 'RenditionCreated':
      next.renditions = { ...record.renditions, [event.payload.name]: event.payload };
      break;
    case 'AssetTextRedacted':
      next = redacted(next, event.payload.fields);
      break;
    case 'AssetProcessingFailed':
      next.failures = [...record.failures, event.payload];
      break;
    case 'ReprocessRequested': {
      // Their earlier failures no longer stand: the new run's results (or failures) will say.
      const again = new Set(event.payload.processors);
      next.failures = record.failures.filter((failure) => !again.has(processorName(failure.processor)));
      break;
    }
    case 'AssetAddedToCollection':
      next.collections = [...new Set([...(record.collections ?? []), event.payload.collectionId])].sort();
      break;
    case 'AssetRemovedFromCollection':
      next.collections = (record.collections ?? []).filter((id) => id !== event.payload.collectionId);
      break;
    case 'AssetDeleted':
      next.status = 'deleted';
      return next;
  }
  next.status = statusOf(next);
  return next;
}
