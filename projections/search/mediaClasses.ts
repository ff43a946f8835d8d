import type { PayloadOf } from '../../schemas/events';

/**
 * What search filters and counts video and audio by: a resolution class and a
 * duration bucket, derived from the MediaProbed event (processors/mediaProbe.ts)
 * the same way for every backend.
 */

type VideoStream = PayloadOf<'MediaProbed'>['video'][number];

export const RESOLUTION_CLASSES = ['sd', 'hd', 'fhd', 'uhd'] as const;
export type ResolutionClass = (typeof RESOLUTION_CLASSES)[number];

/** The least "16:9 height" of each class above sd: 720p, 1080p, 2160p (4K UHD). */
const CLASS_HEIGHTS: [ResolutionClass, number][] = [
  ['uhd', 2160],
  ['fhd', 1080],
  ['hd', 720],
];

/** "16:9" → 16/9; undefined for what is not a positive ratio. */
function ratio(aspect: string | undefined): number | undefined {
  const [width, height] = (aspect ?? '').split(':').map(Number);
  return width! > 0 && height! > 0 ? width! / height! : undefined;
}

/**
 * The class of a video by its display size: its stored height with its
 * display aspect ratio's width (non-square pixels count as shown). The size
 * counts as the height of the 16:9 frame it fills: the shorter side, or the
 * longer side × 9/16 when that is more. So 1920×1080, 1080×1920 (portrait),
 * 1920×800 (scope) and 1440×1080 anamorphic shown at 16:9 are all fhd;
 * 3840×2160 and 4096×2160 are uhd; 1280×720 is hd; less is sd. Rotation
 * changes nothing: the rule does not depend on which side is which.
 */
export function resolutionClass(stream: VideoStream | undefined): ResolutionClass | undefined {
  if (!stream) return undefined;
  const width = (ratio(stream.displayAspectRatio) ?? stream.width / stream.height) * stream.height;
  const [short, long] = [Math.min(width, stream.height), Math.max(width, stream.height)];
  const height = Math.round(Math.max(short, (long * 9) / 16));
  return CLASS_HEIGHTS.find(([, least]) => height >= least)?.[0] ?? 'sd';
}

/** Duration buckets, by their least duration in seconds: each holds durations from its least up to the next one's. */
export const DURATION_BUCKETS = [
  ['0-1m', 0],
  ['1-10m', 60],
  ['10-60m', 600],
  ['1h+', 3600],
] as const;
export type DurationBucket = (typeof DURATION_BUCKETS)[number][0];

export function durationBucket(seconds: number | undefined): DurationBucket | undefined {
  if (seconds === undefined) return undefined;
  return DURATION_BUCKETS.findLast(([, least]) => seconds >= least)![0];
}
