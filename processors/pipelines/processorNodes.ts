import { z } from 'zod';
import { audioRenditionsProcessor } from '../audioRenditions';
import { documentsProcessor } from '../documents';
import type { Embedder } from '../embedder';
import { embeddingsProcessor } from '../embeddings';
import { mediaProbeProcessor, type ProbeOriginal } from '../mediaProbe';
import { probeOnce } from '../probeOnce';
import { metadataProcessor } from '../metadata';
import { perceptualHashProcessor } from '../perceptualHash';
import type { Processor } from '../processor';
import { renditionsProcessor, type RenditionOptions } from '../renditions';
import type { RepresentativeFrames } from '../videoFrames';
import { videoRenditionsProcessor, type ProxyJobs } from '../videoRenditions';

/**
 * A node type that is one of the lake's processors: its parameters and the
 * processor they make. The one place processors are built from parameters,
 * for the default pipelines (defaults.ts) and for a processor node in a
 * user's pipeline (nodes/processorNode.ts) alike.
 */
export interface ProcessorNodeType<P = Record<string, unknown>> {
  readonly type: string;
  readonly description: string;
  /** A parameter left out is the lake's configuration's (processors.thumbnailSize, processors.proxySize). */
  readonly parameters: z.ZodType<P>;
  build(parameters: P): Processor;
}

/** What the processors are built with: the lake's processor settings and tools. */
export interface ProcessorNodeSettings extends RenditionOptions {
  ffmpeg: string;
  ffprobe: string;
  /** Where media tools write before the store takes their files. */
  temporaryDirectory: string;
  /** ffprobe's reading of an original, shared by media-probe and video-renditions (processors/probeOnce.ts); one of their own when absent. */
  probeOriginal?: ProbeOriginal;
  /**
   * Decodes a video's frames from its original, for the perceptual hash and embeddings of a
   * pipeline's nodes (run on the ingest); without it they take the frames rendition's strip.
   */
  frames?: RepresentativeFrames;
  /** The CLIP model; no embeddings node without it. */
  embedder?: Embedder;
  /** MediaConvert makes the video proxy when configured. */
  proxyJobs?: ProxyJobs;
}

const ThumbnailSize = z.number().int().min(16).max(1024).optional().describe('the thumbnail box in px; processors.thumbnailSize when absent');
const ProxySize = z.number().int().min(64).max(8192).optional().describe('the proxy (or poster) box in px; processors.proxySize when absent');
const Sizes = z.strictObject({ thumbnailSize: ThumbnailSize, proxySize: ProxySize });
type Sizes = z.infer<typeof Sizes>;
const NoParameters = z.strictObject({});

/** A node type without parameters: its one processor, built once. */
function fixed(type: string, description: string, processor: Processor): ProcessorNodeType {
  return { type, description, parameters: NoParameters, build: () => processor };
}

function sized(type: string, description: string, make: (sizes: Required<Sizes>) => Processor, settings: ProcessorNodeSettings): ProcessorNodeType<Sizes> {
  return {
    type,
    description,
    parameters: Sizes,
    build: ({ thumbnailSize = settings.thumbnailSize, proxySize = settings.proxySize }) => make({ thumbnailSize, proxySize }),
  };
}

/** The lake's processors as node types, in the order they always ran (cleanup aside: it follows deletes, it is not media processing). */
export function processorNodeTypes(settings: ProcessorNodeSettings): ProcessorNodeType[] {
  const { frames, embedder, ffmpeg, ffprobe, temporaryDirectory, probeOriginal = probeOnce(ffprobe) } = settings;
  const types: ProcessorNodeType<never>[] = [
    fixed('metadata', 'technical metadata (EXIF, IPTC, XMP, dimensions), as the fixed metadata processor reads it', metadataProcessor()),
    sized('renditions', 'the thumbnail (WebP) and the proxy (JPEG, with the lake\'s watermark) of an image', (sizes) => renditionsProcessor({ ...settings, ...sizes }), settings),
    sized('documents', 'the thumbnail, proxy and text of a PDF or SVG', (sizes) => documentsProcessor({ ...settings, ...sizes }), settings),
    fixed('perceptual-hash', 'a perceptual hash for near-duplicate detection', perceptualHashProcessor(frames)),
    fixed('media-probe', 'technical metadata of video and audio, read by ffprobe', mediaProbeProcessor(probeOriginal)),
    sized('audio-renditions', 'the proxy, waveform, peaks and thumbnail of audio', ({ thumbnailSize }) => audioRenditionsProcessor({ ffmpeg, ffprobe, thumbnailSize, temporaryDirectory, probeOriginal }), settings),
    sized(
      'video-renditions',
      'the proxy, poster, thumbnail and scrub strip of a video',
      (sizes) => videoRenditionsProcessor({ ffmpeg, ffprobe, ...sizes, temporaryDirectory, probeOriginal, proxyJobs: settings.proxyJobs }),
      settings,
    ),
    ...(embedder ? [fixed('embeddings', "an image embedding with the lake's CLIP model", embeddingsProcessor(embedder, frames))] : []),
  ] as ProcessorNodeType<never>[];
  return types as ProcessorNodeType[];
}
