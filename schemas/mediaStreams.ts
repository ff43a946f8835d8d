import { z } from 'zod';

/**
 * The parts of a MediaProbed event (schemas/events.ts): what a video or
 * audio file holds, stream by stream, as ffprobe reads it
 * (processors/mediaProbe.ts maps its JSON to these).
 */

const Text = z.string().min(1).max(1000);
/** ISO 639-2, as containers store it; "und" (undetermined) is left out. */
const Language = z.string().min(2).max(16);
const StreamIndex = z.number().int().nonnegative();
const BitRate = z.number().int().positive();

/** How light is encoded: SDR (BT.709, BT.601 or unstated), PQ (SMPTE ST 2084, HDR10, Dolby Vision) or HLG (ARIB STD-B67). */
export const Transfer = z.enum(['sdr', 'pq', 'hlg']);

export const VideoStream = z.object({
  index: StreamIndex,
  codec: Text,
  profile: Text.optional(),
  /** Stored size, before rotation. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The picture's shape on screen ("16:9"), non-square pixels included. */
  displayAspectRatio: Text.optional(),
  /** Degrees a player turns the stored picture clockwise to show it upright. */
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  /** Frames per second on average; for a constant rate, the rate. */
  frameRate: z.number().positive().optional(),
  /** Frames come at uneven intervals (phones, screen recordings): the average differs from the base rate. */
  variableFrameRate: z.boolean(),
  bitDepth: z.number().int().positive().optional(),
  pixelFormat: Text.optional(),
  transfer: Transfer,
  /** The container's own name for the transfer, when stated (bt709, smpte2084, arib-std-b67). */
  colorTransfer: Text.optional(),
  bitRate: BitRate.optional(),
  language: Language.optional(),
});

export const AudioStream = z.object({
  index: StreamIndex,
  codec: Text,
  profile: Text.optional(),
  channels: z.number().int().positive(),
  /** "stereo", "5.1(side)"; absent where the file does not say (plain WAV). */
  channelLayout: Text.optional(),
  sampleRate: z.number().int().positive(),
  bitDepth: z.number().int().positive().optional(),
  bitRate: BitRate.optional(),
  language: Language.optional(),
});

/** A subtitle or data stream (timecode, GPS track, chapters text): named, not decoded. */
export const OtherStream = z.object({
  index: StreamIndex,
  codec: Text.optional(),
  language: Language.optional(),
  title: Text.optional(),
});

/** The descriptive tags a library shows, whichever scheme wrote them (ID3, Vorbis comments, MP4/QuickTime atoms). */
export const MediaTags = z.object({
  title: Text.optional(),
  artist: Text.optional(),
  album: Text.optional(),
  albumArtist: Text.optional(),
  genre: Text.optional(),
  date: Text.optional(),
  comment: Text.optional(),
});
