import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { temporaryName } from '../../../storage/localDirectory';
import { mediaProbedFrom, probe } from '../../mediaProbe';
import { posterArgs, proxyArgs, spriteArgs, PROXY_CRF } from '../../videoCommands';
import { fitInside, videoPlan, type VideoPlan } from '../../videoPlan';
import { created, ffmpegRunner, proxyRendition, scrubStrip, type Made } from '../../videoRenditions';
import { NodeError, type NodeContext, type NodeResult, type NodeType } from '../node';

/** The programs the video nodes run, and where they make their files before the store takes them. */
export interface VideoTools {
  ffmpeg: string;
  ffprobe: string;
  temporaryDirectory: string;
}

const RenditionName = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'a rendition name is 1–41 of a-z 0-9 -');

/** The original a video node works on: where it lies, the plan of its renditions, a folder of the node's own, and ffmpeg (stopped when the try's time is up). */
interface Video {
  location: string;
  plan: VideoPlan;
  directory: string;
  ffmpeg(args: string[], plan?: VideoPlan): Promise<unknown>;
}

/**
 * Probes the original, plans its renditions as the fixed video processor
 * does, and lets `make` write into a folder of its own, which goes once the
 * store has the files (or at once, should making them fail).
 */
async function withVideo(context: NodeContext, tools: VideoTools, posterSize: number, make: (video: Video) => Promise<Made[]>): Promise<NodeResult> {
  if (context.asset.mediaType !== 'video') throw new NodeError('NOT_A_VIDEO', `the asset is ${context.asset.mediaType === 'image' ? 'an image' : context.asset.mediaType}, not a video: limit the trigger to trigger.filter.mediaType ["video"]`, false);
  const location = await context.input.originalLocation();
  const plan = videoPlan(mediaProbedFrom(await probe(tools.ffprobe, location)), posterSize);
  const directory = join(tools.temporaryDirectory, temporaryName());
  const dispose = () => rm(directory, { recursive: true, force: true });
  try {
    await mkdir(directory, { recursive: true });
    const ffmpeg = (args: string[], planned = plan) => ffmpegRunner(tools.ffmpeg, planned, context.signal)(args);
    const results = await Promise.all((await make({ location, plan, directory, ffmpeg })).map((made) => created(context.assetId, made)));
    const payload = results[0]!.event.payload as { objectKey: string; width?: number; height?: number; size: number; durationMs?: number };
    return {
      events: results.map((result) => result.event),
      files: results.map((result) => result.object),
      dispose,
      outputs: { objectKey: payload.objectKey, width: payload.width, height: payload.height, size: payload.size, ...(payload.durationMs !== undefined && { durationMs: payload.durationMs }) },
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** A video node: its catalogue entry, the poster box its plan needs (none: 0), and the renditions it makes of the video. */
interface VideoNodeSpec<P> extends Pick<NodeType<P>, 'type' | 'description' | 'parameters' | 'outputs'> {
  posterSize?(parameters: P): number;
  make(parameters: P, video: Video): Promise<Made[]>;
}

function videoNode<P>(tools: VideoTools, { make, posterSize, ...entry }: VideoNodeSpec<P>): NodeType<P> {
  return { ...entry, needs: ['video'], gives: [], run: (parameters, context) => withVideo(context, tools, posterSize?.(parameters) ?? 0, (video) => make(parameters, video)) };
}

const ProxyParameters = z.strictObject({
  name: RenditionName,
  /** The picture's short side at most, as 360p, 480p, 720p say it (a portrait video's width). */
  maxHeight: z.literal([360, 480, 720]).default(720),
  /** x264's constant rate factor: lower is better and bigger; 23 is the fixed proxy's. */
  crf: z.number().int().min(16).max(35).default(PROXY_CRF),
});

const PosterParameters = z.strictObject({
  name: RenditionName,
  /** Inside a size × size box, never enlarged. */
  size: z.number().int().min(16).max(4096).default(1280),
});

const ScrubParameters = z.strictObject({
  /** The sprite is NAME-sprite, its WebVTT cues NAME-vtt. */
  name: RenditionName.default('scrub'),
});

/**
 * The video processor's renditions as nodes, each its own ffmpeg run (the
 * fixed processor decodes once for all three): an H.264/AAC web proxy at a
 * preset size and quality, a representative poster, a scrub strip.
 */
export function videoNodes(tools: VideoTools): NodeType<never>[] {
  const proxy = videoNode(tools, {
    type: 'video-proxy',
    description: 'an H.264/AAC MP4 web proxy at 360p, 480p or 720p, at a quality (CRF)',
    parameters: ProxyParameters,
    outputs: ['objectKey', 'width', 'height', 'size', 'durationMs'],
    async make({ name, maxHeight, crf }, { location, plan, directory, ffmpeg }) {
      const long = Math.round((maxHeight * 16) / 9);
      const portrait = plan.proxy.height > plan.proxy.width;
      const sized = { ...plan, proxy: fitInside(plan.proxy, portrait ? { width: maxHeight, height: long } : { width: long, height: maxHeight }) };
      const file = join(directory, 'proxy.mp4');
      await ffmpeg(proxyArgs(location, sized, file, crf), sized);
      return [await proxyRendition(tools.ffprobe, sized, file, name)];
    },
  });
  const poster = videoNode(tools, {
    type: 'video-poster',
    description: "a JPEG poster from a representative frame (past the leader, nearest the scenes' average colours)",
    parameters: PosterParameters,
    outputs: ['objectKey', 'width', 'height', 'size'],
    posterSize: ({ size }) => size,
    async make({ name }, { location, plan, directory, ffmpeg }) {
      const file = join(directory, 'poster.jpg');
      await ffmpeg(posterArgs(location, plan, file));
      return [{ name, file, mimeType: 'image/jpeg', extension: '.jpg', ...plan.poster }];
    },
  });
  const scrub = videoNode(tools, {
    type: 'video-scrub',
    description: 'a scrub strip: a sprite of frames every few seconds and its WebVTT cues, for a player to show on hover',
    parameters: ScrubParameters,
    outputs: ['objectKey', 'width', 'height', 'size'],
    async make({ name }, { location, plan, directory, ffmpeg }) {
      const sprite = join(directory, 'sprite.jpg');
      await ffmpeg(spriteArgs(location, plan, sprite));
      return scrubStrip(plan, sprite, directory, name);
    },
  });
  return [proxy, poster, scrub] as NodeType<never>[];
}
