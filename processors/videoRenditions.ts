import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { StoredEvent } from '../schemas/envelope';
import type { PayloadOf } from '../schemas/events';
import { renditionKey } from '../storage/assetKeys';
import { temporaryName } from '../storage/localDirectory';
import { asBadInput, runMediaTool } from './ffmpeg';
import { mediaProbedFrom, probe } from './mediaProbe';
import type { Processor, ProcessorInput, ProcessorResult, ResultEvent } from './processor';
import { RENDITION_QUALITY } from './renditions';
import { posterArgs, proxyArgs, spriteArgs } from './videoCommands';
import { scrubCues, videoPlan, type VideoPlan } from './videoPlan';

export interface VideoRenditionOptions {
  /** The programs to run (processors/ffmpeg.ts mediaToolPath). */
  ffmpeg: string;
  ffprobe: string;
  /** The image renditions' boxes: the thumbnail's (WebP) and the poster's (JPEG). */
  thumbnailSize: number;
  proxySize: number;
  /** Where the renditions are made before they are streamed into the store (the lake's `<data>/tmp`, swept when it opens). */
  temporaryDirectory: string;
  /** Swappable so another transcoder (MediaConvert) can make the proxy; ffmpeg by default. */
  proxyEncoder?: ProxyEncoder;
}

/** Makes the web proxy of the original at `location` into the file `output`. */
export type ProxyEncoder = (location: string, plan: VideoPlan, output: string) => Promise<void>;

/** A rendition made into a file, and what its RenditionCreated says. */
interface Made {
  name: string;
  file: string;
  mimeType: string;
  extension: string;
  width?: number;
  height?: number;
  durationMs?: number;
}

/** Generous: a slow machine encodes a 720p proxy at a fraction of real time; a stalled one still ends. */
const timeoutFor = (plan: VideoPlan) => 120_000 + plan.durationSeconds * 20_000;

/** Runs ffmpeg for one rendition: a failure the file caused is bad input, a missing ffmpeg FFMPEG_UNAVAILABLE (retried). */
function ffmpegRunner(ffmpeg: string, plan: VideoPlan) {
  return (args: string[]) =>
    runMediaTool('ffmpeg', ffmpeg, args, { timeoutMs: timeoutFor(plan), maxOutputBytes: 4 * 1024 * 1024 }).catch((error: unknown) => {
      throw asBadInput(error);
    });
}

/** The default proxy step: ffmpeg with libx264 and AAC (processors/videoCommands.ts proxyArgs). */
export function ffmpegProxyEncoder(options: Pick<VideoRenditionOptions, 'ffmpeg'>): ProxyEncoder {
  return async (location, plan, output) => {
    await ffmpegRunner(options.ffmpeg, plan)(proxyArgs(location, plan, output));
  };
}

/** Poster (JPEG) and thumbnail (WebP, made from the poster by sharp, as images' are). */
async function stills(location: string, plan: VideoPlan, directory: string, options: VideoRenditionOptions): Promise<Made[]> {
  const poster = join(directory, 'poster.jpg');
  await ffmpegRunner(options.ffmpeg, plan)(posterArgs(location, plan, poster));
  const thumbnail = join(directory, 'thumbnail.webp');
  const box = options.thumbnailSize;
  const info = await sharp(poster).resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true }).webp({ quality: RENDITION_QUALITY }).toFile(thumbnail);
  return [
    { name: 'thumbnail', file: thumbnail, mimeType: 'image/webp', extension: '.webp', width: info.width, height: info.height },
    { name: 'poster', file: poster, mimeType: 'image/jpeg', extension: '.jpg', ...plan.poster },
  ];
}

/** The scrub sprite and its WebVTT cues, whose URLs are relative: the VTT is served beside `scrub-sprite`. */
async function scrubStrip(location: string, plan: VideoPlan, directory: string, options: VideoRenditionOptions): Promise<Made[]> {
  const sprite = join(directory, 'scrub-sprite.jpg');
  await ffmpegRunner(options.ffmpeg, plan)(spriteArgs(location, plan, sprite));
  const cues = join(directory, 'scrub.vtt');
  await writeFile(cues, scrubCues(plan.scrub, plan.durationSeconds, 'scrub-sprite'));
  const { columns, rows, tile } = plan.scrub;
  return [
    { name: 'scrub-sprite', file: sprite, mimeType: 'image/jpeg', extension: '.jpg', width: columns * tile.width, height: rows * tile.height },
    { name: 'scrub-vtt', file: cues, mimeType: 'text/vtt', extension: '.vtt' },
  ];
}

/** The proxy, with the size and length ffprobe reads from it (what a player will see). */
async function proxy(location: string, plan: VideoPlan, directory: string, options: VideoRenditionOptions): Promise<Made[]> {
  const file = join(directory, 'proxy.mp4');
  await (options.proxyEncoder ?? ffmpegProxyEncoder(options))(location, plan, file);
  const made = mediaProbedFrom(await probe(options.ffprobe, file));
  const durationMs = Math.round((made.durationSeconds ?? plan.durationSeconds) * 1000);
  return [{ name: 'proxy', file, mimeType: 'video/mp4', extension: '.mp4', ...plan.proxy, durationMs }];
}

async function created(assetId: string, made: Made): Promise<{ event: ResultEvent; object: { key: string; file: string; contentType: string } }> {
  const objectKey = renditionKey(assetId, made.name, made.extension);
  const { size } = await stat(made.file);
  const { name, mimeType, width, height, durationMs } = made;
  const payload: PayloadOf<'RenditionCreated'> = { name, objectKey, mimeType, size, watermarked: false, ...(width && { width, height }), ...(durationMs !== undefined && { durationMs }) };
  return { event: { type: 'RenditionCreated', payload }, object: { key: objectKey, file: made.file, contentType: mimeType } };
}

/** Every result, once all have ended (so none still writes into a directory being removed), or the first failure. */
async function allSettled<T>(work: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/**
 * Video renditions with ffmpeg: a thumbnail and a poster from a
 * representative frame, a scrub strip (sprite and WebVTT) and an H.264/AAC
 * web proxy. ffmpeg reads the original where it lies; the renditions are made
 * in a temporary directory, which the runner streams into the store and then
 * removes (dispose).
 */
export function videoRenditionsProcessor(options: VideoRenditionOptions): Processor {
  return {
    name: 'video-renditions',
    version: '1',
    // x264 already uses every core: two transcodes at once only take turns.
    concurrency: 1,
    accepts: (event) => event.type === 'AssetIngested' && event.payload.mediaType === 'video',
    async process(event: StoredEvent, input: ProcessorInput): Promise<ProcessorResult> {
      if (event.type !== 'AssetIngested') return { events: [] };
      const location = await input.originalLocation();
      const plan = videoPlan(mediaProbedFrom(await probe(options.ffprobe, location)), options.proxySize);
      const directory = join(options.temporaryDirectory, temporaryName());
      const dispose = () => rm(directory, { recursive: true, force: true });
      try {
        await mkdir(directory, { recursive: true });
        // The stills and the strip decode a little of the video each, beside the encode that keeps the cores busiest.
        const made = (await allSettled([stills(location, plan, directory, options), scrubStrip(location, plan, directory, options), proxy(location, plan, directory, options)])).flat();
        const results = await Promise.all(made.map((m) => created(event.assetId, m)));
        return { events: results.map((r) => r.event), files: results.map((r) => r.object), dispose };
      } catch (error) {
        await dispose();
        throw error;
      }
    },
  };
}
