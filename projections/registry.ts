import { EVENT_TYPES, MEMBERSHIP_EVENTS } from '../schemas/events';
import type { ProjectionDefinition } from './projection';
import { CAMERA_INVENTORY } from './cameras/cameraInventory';
import { AUDIT_TRAIL } from './audit/auditTrail';
import { COLLECTIONS } from './collections/collections';
import { PRINCIPALS } from './principals/principalDirectory';
import { PIPELINE_HISTORY } from './pipelines/pipelineHistory';

/**
 * Every projection the lake keeps: its name, what it reads, its version.
 * Bump a version when its fold or stored shape changes; `medialake projections
 * status` then shows it stale, and a rebuild brings it to the new version.
 */
export const ASSET_RECORDS: ProjectionDefinition = {
  name: 'assets',
  // 2: video and audio records hold what ffprobe read (media) and are ready only with it.
  // 3: a video is ready only with its thumbnail, poster and proxy, an audio file only with its proxy and waveform.
  // 4: a record holds the collections its asset is in; AssetTextRedacted takes its title, description or file name out.
  // 5: listed by capture date too (DynamoDB's items carry the byCapture index's key).
  // 6: a redacted file name takes its origin's path or key with it, and keeps only the detected type's extension;
  //    sound alone in a video's container is audio.
  // 7: a video, audio file or document that no processor could read is failed, not degraded (the metadata of a
  //    file that is no image repeats ingest's hash and size: it is no result); a video's or audio file's own
  //    creation time is its capture date, where no EXIF gives one.
  // 8: a redacted title takes the title a video's or audio file's own tags give with it.
  // 9: a redacted title or description takes a photo's own (XMP, IPTC) with it, read again or not; a file ingest
  //    could not name (RF64, DV) is the video or audio its probe finds, processing until probed.
  version: 9,
  events: EVENT_TYPES,
  description: 'the current state of each asset (the asset fold)',
};

export const SEARCH_INDEX: ProjectionDefinition = {
  name: 'search',
  // 2: prefix indexes, so a prefix query stops when its window is full.
  // 3: creator and people, a document's text, video and audio duration, resolution class and codecs, and the
  //    collections its asset is in (a filter, a facet, and what a viewer may see).
  // 4: redacted file names as the asset records have them (version 6).
  // 5: statuses as the asset records have them (version 7); a video's or audio file's own creation time is its date.
  // 6: on OpenSearch, text composed (NFC) before it is analysed, and the Greek final sigma folded to σ, as FTS5 does;
  //    the title, album and genre of a video's or audio file's own tags (a redacted title takes theirs with it).
  // 7: a photo's own title, description and keywords (XMP, IPTC-IIM) as text; records as the asset records have them (version 9).
  // 8: on OpenSearch, make, model and codecs case folded as the lake folds names, for their filters (the embedded
  //    index fills its own when it opens).
  version: 8,
  events: EVENT_TYPES,
  description:
    'keyword search with filters and facets over names, titles, tags, descriptions, cameras, people and document text; ' +
    'video and audio by duration, resolution and codec',
};

export const VECTOR_INDEX: ProjectionDefinition = {
  name: 'vectors',
  // 2: a vector's asset holds the collections it is in, so a viewer's search ranks only what they may see.
  // 3: redacted file names as the asset records have them (version 6).
  // 4: a video's duration, resolution, codecs and own creation time (MediaProbed), for the filters and the date;
  //    records as the asset records have them (version 8).
  // 5: records as the asset records have them (version 9: a redaction takes a photo's own title and description).
  version: 5,
  // What a hit shows (names, title, date, camera), whether the asset is live, which collections it is in, and its vectors.
  events: [
    'AssetIngested',
    'TechnicalMetadataExtracted',
    'MediaProbed',
    'UserMetadataUpdated',
    'AssetTextRedacted',
    'AssetDeleted',
    'EmbeddingComputed',
    ...MEMBERSHIP_EVENTS,
  ],
  description: 'image and video embeddings by model, for semantic search and similar assets',
};

export const DUPLICATE_GROUPS: ProjectionDefinition = {
  name: 'duplicates',
  // 2: a group is a representative and the duplicates nearest it (no chains), pairs keep their distance.
  // 3: the collections each asset is in, so a viewer's page holds only groups and members they may see.
  // 4: redacted file names as the asset records have them (version 6).
  // 5: a flat picture's hash (within MAX_HASH_DISTANCE bits of all zeros or all ones) is not grouped by.
  version: 5,
  // What a group shows (name, size), whether the asset is live, its hash, its vectors and its collections;
  // AssetTextRedacted as for vectors.
  events: ['AssetIngested', 'AssetTextRedacted', 'AssetDeleted', 'PerceptualHashComputed', 'EmbeddingComputed', ...MEMBERSHIP_EVENTS],
  description: 'groups of near-duplicate images around a representative (perceptual hashes, confirmed by embeddings)',
};

export const PROJECTIONS: ProjectionDefinition[] = [
  ASSET_RECORDS,
  SEARCH_INDEX,
  VECTOR_INDEX,
  DUPLICATE_GROUPS,
  CAMERA_INVENTORY,
  AUDIT_TRAIL,
  COLLECTIONS,
  PRINCIPALS,
  PIPELINE_HISTORY,
];
