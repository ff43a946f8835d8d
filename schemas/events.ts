import { z } from 'zod';
import { personal } from './personal';
import { AudioStream, MediaTags, OtherStream, VideoStream } from './mediaStreams';
import { principalSchemas } from './principals';

/**
 * The asset events: one schema per type, at its current version. Older
 * versions live in upcasting.ts and are upcast when read (law 6).
 */

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'other'] as const;
export const MediaType = z.enum(MEDIA_TYPES);
export type MediaType = z.infer<typeof MediaType>;

/** Where the bytes came from: the producer that saw them first. */
export const Origin = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('directory'), path: z.string() }),
  z.object({ kind: z.literal('watch'), path: z.string() }),
  z.object({ kind: z.literal('upload') }),
  z.object({ kind: z.literal('s3'), bucket: z.string(), key: z.string(), versionId: z.string().optional() }),
]);
export type Origin = z.infer<typeof Origin>;

export const AssetIngested = z.object({
  objectKey: z.string(),
  originalName: z.string(),
  mediaType: MediaType,
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  origin: Origin,
});

export const Gps = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  altitude: z.number().optional(),
});

export const TechnicalMetadataExtracted = z.object({
  format: z.string(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** EXIF orientation 1–8 as stored; renditions are already turned upright. */
  orientation: z.number().int().min(1).max(8).optional(),
  make: z.string().optional(),
  model: z.string().optional(),
  lens: z.string().optional(),
  capturedAt: z.string().optional(),
  exposureTime: z.number().optional(),
  fNumber: z.number().optional(),
  iso: z.number().optional(),
  focalLength: z.number().optional(),
  gps: Gps.optional(),
  colorSpace: z.string().optional(),
  iccProfile: z.string().optional(),
  hasAlpha: z.boolean().optional(),
  /** An animation's (GIF, WebP) frame count; absent for a still. Optional, so version 1 events stay valid as they are. */
  frames: z.number().int().positive().optional(),
  /** One play of an animation: the frames' delays added up, in milliseconds. */
  durationMs: z.number().nonnegative().optional(),
  /** XMP as read: title, description, subject (keywords, a list), creator, rights, Rating, Label. */
  xmp: z.record(z.string(), z.unknown()).optional(),
  /**
   * IPTC-IIM, as older newsroom software writes it: title (Object Name, else
   * Headline), description (Caption-Abstract), keywords. Optional, so
   * version 1 events stay valid as they are.
   */
  iptc: z
    .object({
      title: z.string().optional(),
      description: z.string().optional(),
      keywords: z.array(z.string()).optional(),
    })
    .optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  /** Tags that could not be read: the rest of the metadata is still good. */
  warnings: z.array(z.string()),
});

/** An asset's tags, each once (as typed, after trimming): "italy, rome, italy" is two tags. */
/** Composed (NFC), so that a tag typed on a Mac and the same tag typed elsewhere are one tag, not two that look alike. */
const Tags = z.array(z.string().trim().normalize('NFC').min(1).max(100)).max(100).transform((tags) => [...new Set(tags)]);

/** A person named by a user: personal data, sealed on the log under its own key (schemas/personal.ts). */
const Person = z.string().trim().min(1).max(200);

/** A user's edit as they give it. Fields present are set, null clears, absent leaves alone. */
export const UserMetadataEdit = z.object({
  title: z.string().max(500).nullable().optional(),
  description: z.string().max(10_000).nullable().optional(),
  tags: Tags.nullable().optional(),
  /** Who made the media (a photographer, an agency). */
  creator: Person.nullable().optional(),
  /** The people it shows. */
  people: z.array(Person).max(100).nullable().optional(),
});

/** The edit as the log keeps it: the people named in it may be sealed. */
export const UserMetadataUpdated = UserMetadataEdit.extend({
  creator: personal(Person).nullable().optional(),
  people: z.array(personal(Person)).max(100).nullable().optional(),
});

export const RenditionCreated = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
  objectKey: z.string(),
  mimeType: z.string(),
  /** Pixels, for renditions that are pictures or video; absent for sound, cue files and data. */
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** For renditions that play: audio and video proxies. */
  durationMs: z.number().nonnegative().optional(),
  size: z.number().int().positive(),
  watermarked: z.boolean(),
});

export const AssetProcessingFailed = z.object({
  processor: z.string(),
  causeEventId: z.string(),
  code: z.string(),
  message: z.string(),
  attempts: z.number().int().positive(),
  /** False when the input itself is bad: retrying cannot help. */
  retryable: z.boolean(),
});

export const AssetDeleted = z.object({
  reason: z.string().max(1000).optional(),
});

/**
 * An image embedding with the model that made it: on the log, so a new index is
 * built from history and never by re-embedding (law 2). Vectors of different
 * models (or revisions) are never compared.
 */
export const EmbeddingComputed = z
  .object({
    /** A Hugging Face hub id, or the name of the local model folder. */
    model: z.string().min(1).max(200),
    revision: z.string().min(1).max(100),
    dimensions: z.number().int().positive().max(8192),
    /** l2: scaled to unit length, so cosine similarity is a dot product. */
    normalization: z.enum(['l2']),
    vector: z.array(z.number()),
  })
  .refine((embedding) => embedding.vector.length === embedding.dimensions, {
    message: 'the vector must have `dimensions` numbers',
    path: ['vector'],
  });

/**
 * A perceptual hash of the upright image, for near-duplicate detection: its own
 * event because it needs no model, so grouping works without one and survives a
 * model change.
 */
export const PerceptualHashComputed = z.object({
  /** dhash: 64 bits, 16 hex digits (see processors/perceptualHash.ts). */
  algorithm: z.enum(['dhash']),
  hash: z.string().regex(/^[0-9a-f]{16}$/),
});

/**
 * What a video or audio file holds, as ffprobe reads it (processors/mediaProbe.ts):
 * its own event, not more optional fields on TechnicalMetadataExtracted, because
 * it comes from another processor, and streams are lists the image fields are not.
 */
export const MediaProbed = z.object({
  /** ffprobe's format name ("mov,mp4,m4a,3gp,3g2,mj2", "wav", "mp3", "ogg"), and its long name ("QuickTime / MOV"). */
  container: z.string().min(1).max(200),
  containerName: z.string().min(1).max(200).optional(),
  durationSeconds: z.number().nonnegative().optional(),
  /** Of the whole file, bits per second. */
  bitRate: z.number().int().positive().optional(),
  video: z.array(VideoStream).max(100),
  audio: z.array(AudioStream).max(100),
  subtitles: z.array(OtherStream).max(100),
  data: z.array(OtherStream).max(100),
  /** A picture attached to the file (an album cover), not a video stream. */
  coverArt: z.boolean(),
  /** When it was recorded, as the file says: with its offset where the file keeps one (QuickTime creationdate), else UTC. */
  createdAt: z.string().max(100).optional(),
  /** Where it was recorded: the ISO 6709 location of QuickTime and MP4 files. */
  location: Gps.optional(),
  tags: MediaTags,
});

/**
 * The cap on a document's text: with no control characters, JSON escaping at
 * most doubles it, so the event still fits a Kafka or Kinesis record (1 MB).
 * A string has no more UTF-16 units than UTF-8 bytes, so it is also the `max`.
 */
export const DOCUMENT_TEXT_MAX_BYTES = 256 * 1024;

/**
 * What a document says, for keyword search (processors/documents.ts): its own
 * event, not a field of TechnicalMetadataExtracted, because it comes from
 * another processor and can be large.
 */
export const DocumentTextExtracted = z.object({
  /** The pages' text in order, a blank line between pages; at most DOCUMENT_TEXT_MAX_BYTES of UTF-8. */
  text: z.string().max(DOCUMENT_TEXT_MAX_BYTES),
  pages: z.number().int().positive(),
  /** True when the text was cut at the cap: the first pages are searchable, the rest are not. */
  truncated: z.boolean(),
});

/**
 * A request to run processors again on an asset as it was last ingested: a
 * new cause, so their results get new ids and go on the log beside the old
 * ones, which stay (law 6). The runner hands it to the named processors as the
 * ingest it carries (processors/runner.ts), so no processor changes for it.
 */
export const ReprocessRequested = z.object({
  /** Processor names, as `medialake status` lists their groups (metadata, renditions, …). */
  processors: z.array(z.string().min(1).max(200)).min(1).max(50),
  /** The ingest processed again, and what it recorded. */
  ingestEventId: z.string(),
  ingested: AssetIngested,
  reason: z.string().max(1000).optional(),
});

/**
 * A rendition handed to a transcoder that finishes on its own time (AWS
 * Elemental MediaConvert): the job's memory, so a restarted processor does
 * not submit it again and its state change, arriving later through SQS, is
 * matched to the asset (processors/mediaConvert.ts). The rendition itself
 * comes as a RenditionCreated caused by this event, or an
 * AssetProcessingFailed when the job fails or never reports.
 */
export const TranscodeJobSubmitted = z.object({
  service: z.enum(['mediaconvert']),
  jobId: z.string().min(1).max(200),
  /** The rendition the job makes, and the store key it writes. */
  rendition: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
  objectKey: z.string(),
  /** The picture the job was asked for, upright, in square pixels. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** When the job counts as lost if it has not reported: it is then failed and dead-lettered. */
  deadline: z.iso.datetime(),
});

/** The user's free text an asset can have redacted: its title, description and file name. */
export const REDACTABLE_FIELDS = ['title', 'description', 'originalName'] as const;

/**
 * A request to take an asset's free text out of every view: the fields
 * named, never their text (the event must not repeat what it redacts).
 * The events that carried the text stay on the log as written (law 6);
 * the projections fold this one over them (projections/assetRecord.ts).
 */
export const AssetTextRedacted = z.object({
  fields: z
    .array(z.enum(REDACTABLE_FIELDS))
    .min(1)
    .max(REDACTABLE_FIELDS.length)
    .refine((fields) => new Set(fields).size === fields.length, 'name each field once'),
});

/**
 * Collections (docs/access.md): a collection's own events go on its stream
 * (the envelope's assetId is the collection id, `c` and 32 hex digits), so
 * they are ordered per collection like an asset's (law 3). An asset's
 * membership goes on the asset's stream, ordered with its ingest and delete,
 * so every asset projection folds it with the asset.
 */
export const COLLECTION_ID = /^c[0-9a-f]{32}$/;
export const CollectionId = z.string().regex(COLLECTION_ID, 'a collection id is c and 32 hex digits');

export const CollectionName = z.string().trim().normalize('NFC').min(1).max(200);

export const CollectionCreated = z.object({
  name: CollectionName,
  /** The collection it is nested under; null at the top. */
  parentId: CollectionId.nullable(),
});

export const CollectionRenamed = z.object({ name: CollectionName });

/** Nested under another collection (never under itself or its own descendants), or moved to the top (null). */
export const CollectionMoved = z.object({ parentId: CollectionId.nullable() });

export const CollectionDeleted = z.object({});

export const SHARE_ROLES = ['viewer', 'editor'] as const;
export const ShareRole = z.enum(SHARE_ROLES);
export type ShareRole = z.infer<typeof ShareRole>;

/** Who a collection is shared with: a principal (its id, api/principal.ts) or a group (its name). */
export const ShareSubject = z.object({
  kind: z.enum(['principal', 'group']),
  id: z.string().min(1).max(200),
});
export type ShareSubject = z.infer<typeof ShareSubject>;

/** A share as viewer or editor; sharing again with the same subject replaces its role. */
export const CollectionShared = z.object({ subject: ShareSubject, role: ShareRole });

export const CollectionShareRevoked = z.object({ subject: ShareSubject });

export const AssetAddedToCollection = z.object({ collectionId: CollectionId });

export const AssetRemovedFromCollection = z.object({ collectionId: CollectionId });

/** A principal's favourite: per principal, on the asset's stream (the actor is who asked, which may be an admin for another). */
export const AssetFavourited = z.object({ principalId: z.string().min(1).max(200) });

export const AssetUnfavourited = z.object({ principalId: z.string().min(1).max(200) });

/**
 * Pipelines (docs/pipelines.md). Their definition events are on the log under
 * the subject `pipeline-NAME` (pipelineSubject), so one pipeline's history is
 * ordered as an asset's is; executions are on the asset they ran on, beside
 * the results their nodes appended (whose causationId is the execution's
 * start event).
 */
export const pipelineSubject = (name: string) => `pipeline-${name}`;

/** A definition deployed as its version: what new triggers of the pipeline run from now on. Kept as deployed (checked then), so later checks never make history unreadable. */
export const PipelineDeployed = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  definition: z.record(z.string(), z.unknown()),
});

export const PipelineEnabled = z.object({ name: z.string() });
export const PipelineDisabled = z.object({ name: z.string(), reason: z.string().max(1000).optional() });

/** A run asked for by a person (manual), a backfill or the inbound webhook: the runner starts it from this event. */
export const PipelineRunRequested = z.object({
  pipeline: z.string(),
  version: z.number().int().positive(),
  reason: z.enum(['manual', 'backfill', 'webhook']),
});

const ExecutionFields = {
  executionId: z.string(),
  pipeline: z.string(),
  version: z.number().int().positive(),
};

export const PipelineExecutionStarted = z.object({
  ...ExecutionFields,
  /** What started it: an asset event, another pipeline's end, or a run request; and that event's id. */
  trigger: z.object({ kind: z.enum(['asset', 'pipeline', 'manual', 'backfill', 'webhook']), eventId: z.string() }),
});

export const PipelineNodeStarted = z.object({ ...ExecutionFields, node: z.string(), type: z.string(), attempt: z.number().int().positive() });

/** Why a node or an execution failed: a code, a sentence, and for HTTP nodes the response's status and the start of its body. */
export const PipelineError = z.object({
  code: z.string(),
  message: z.string().max(2000),
  status: z.number().int().optional(),
  body: z.string().max(1000).optional(),
});

export const PipelineNodeFinished = z.object({
  ...ExecutionFields,
  node: z.string(),
  type: z.string(),
  /** skipped: its incoming edges' conditions did not hold. */
  status: z.enum(['succeeded', 'failed', 'skipped']),
  attempts: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  error: PipelineError.optional(),
});

export const PipelineExecutionFinished = z.object({
  ...ExecutionFields,
  status: z.enum(['completed', 'failed']),
  durationMs: z.number().nonnegative(),
  /** The values the definition's `emits` names, by their path. */
  outputs: z.record(z.string(), z.unknown()),
  failedNode: z.string().optional(),
  error: PipelineError.optional(),
});

export const payloadSchemas = {
  AssetIngested,
  TechnicalMetadataExtracted,
  UserMetadataUpdated,
  RenditionCreated,
  AssetProcessingFailed,
  AssetDeleted,
  EmbeddingComputed,
  PerceptualHashComputed,
  ReprocessRequested,
  MediaProbed,
  DocumentTextExtracted,
  TranscodeJobSubmitted,
  AssetTextRedacted,
  CollectionCreated,
  CollectionRenamed,
  CollectionMoved,
  CollectionDeleted,
  CollectionShared,
  CollectionShareRevoked,
  AssetAddedToCollection,
  AssetRemovedFromCollection,
  AssetFavourited,
  AssetUnfavourited,
  ...principalSchemas,
  PipelineDeployed,
  PipelineEnabled,
  PipelineDisabled,
  PipelineRunRequested,
  PipelineExecutionStarted,
  PipelineNodeStarted,
  PipelineNodeFinished,
  PipelineExecutionFinished,
} as const;

export type EventType = keyof typeof payloadSchemas;
export const EVENT_TYPES = Object.keys(payloadSchemas) as EventType[];
export type PayloadOf<T extends EventType> = z.infer<(typeof payloadSchemas)[T]>;

/** The version each type is written at today. */
export const currentVersions: Record<EventType, number> = {
  AssetIngested: 2,
  TechnicalMetadataExtracted: 1,
  UserMetadataUpdated: 1,
  RenditionCreated: 1,
  AssetProcessingFailed: 1,
  AssetDeleted: 1,
  EmbeddingComputed: 1,
  PerceptualHashComputed: 1,
  ReprocessRequested: 1,
  MediaProbed: 1,
  DocumentTextExtracted: 1,
  TranscodeJobSubmitted: 1,
  AssetTextRedacted: 1,
  CollectionCreated: 1,
  CollectionRenamed: 1,
  CollectionMoved: 1,
  CollectionDeleted: 1,
  CollectionShared: 1,
  CollectionShareRevoked: 1,
  AssetAddedToCollection: 1,
  AssetRemovedFromCollection: 1,
  AssetFavourited: 1,
  AssetUnfavourited: 1,
  UserAdded: 1,
  UserRoleChanged: 1,
  UserDisabled: 1,
  ApiKeyCreated: 1,
  ApiKeyRevoked: 1,
  PipelineDeployed: 1,
  PipelineEnabled: 1,
  PipelineDisabled: 1,
  PipelineRunRequested: 1,
  PipelineExecutionStarted: 1,
  PipelineNodeStarted: 1,
  PipelineNodeFinished: 1,
  PipelineExecutionFinished: 1,
};

/** The events of a collection's own stream. */
export const COLLECTION_EVENTS = [
  'CollectionCreated',
  'CollectionRenamed',
  'CollectionMoved',
  'CollectionDeleted',
  'CollectionShared',
  'CollectionShareRevoked',
] as const satisfies readonly EventType[];

/** The events of an asset's stream that say which collections it is in. */
export const MEMBERSHIP_EVENTS = ['AssetAddedToCollection', 'AssetRemovedFromCollection'] as const satisfies readonly EventType[];

export const FAVOURITE_EVENTS = ['AssetFavourited', 'AssetUnfavourited'] as const satisfies readonly EventType[];
