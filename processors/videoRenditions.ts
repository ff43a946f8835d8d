import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { StoredEvent } from '../schemas/envelope';
import type { PayloadOf } from '../schemas/events';
import { renditionKey } from '../storage/assetKeys';
import { temporaryName } from '../storage/localDirectory';
import { asBadInput, runMediaTool, wholeLength } from './ffmpeg';
import { isTimeBased, mediaProbedFrom, probe, type ProbeOriginal } from './mediaProbe';
import { InvalidMediaError, isInvalidMedia, type Processor, type ProcessorInput, type ProcessorResult, type ResultEvent } from './processor';
import { RENDITION_QUALITY } from './renditions';
import { allRenditionsArgs, firstFramesArgs, stillsArgs, type VideoOutputs } from './videoCommands';
import { CANDIDATES, FRAMES_RENDITION } from './videoFrames';
import { probeOnce } from './probeOnce';
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
  /** A reading of the original shared with media-probe (processors/probeOnce.ts); its own when absent. */
  probeOriginal?: ProbeOriginal;
  /** A transcoder that makes the proxy on its own time (MediaConvert); ffmpeg makes it, with the stills, when absent. */
  proxyJobs?: ProxyJobs;
}

/**
 * A transcoder that works apart from this process: the step submits the
 * proxy and records the submission; the proxy's RenditionCreated comes when
 * the transcoder reports (processors/mediaConvert.ts).
 */
export interface ProxyJobs {
  /** The submission's event; the same one again when the log holds it already. */
  submit(cause: StoredEvent<'AssetIngested'>, plan: VideoPlan): Promise<ResultEvent>;
}

/** A rendition made into a file, and what its RenditionCreated says. */
export interface Made {
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
export function ffmpegRunner(ffmpeg: string, plan: VideoPlan, signal?: AbortSignal) {
  return (args: string[]) =>
    runMediaTool('ffmpeg', ffmpeg, args, { timeoutMs: timeoutFor(plan), maxOutputBytes: 4 * 1024 * 1024, signal }).catch((error: unknown) => {
      throw asBadInput(error);
    });
}

/**
 * A picture that ends before the poster's and the frames' windows gives
 * neither: they are taken from its first frames; a picture with no frame at
 * all is bad input.
 */
async function ensureStills(location: string, plan: VideoPlan, outputs: VideoOutputs, options: VideoRenditionOptions): Promise<void> {
  const made = () => Promise.all([outputs.poster, outputs.frames].map((file) => stat(file).then(() => true, () => false)));
  if (!(await made()).includes(false)) return;
  await ffmpegRunner(options.ffmpeg, plan)(firstFramesArgs(location, plan, outputs));
  if ((await made()).includes(false)) throw new InvalidMediaError('NO_FRAMES', 'the video stream holds no picture to make a poster from');
}

/** Thumbnail (WebP, made from the poster by sharp, as images' are) and poster (JPEG). */
async function stills(plan: VideoPlan, outputs: VideoOutputs, directory: string, options: VideoRenditionOptions): Promise<Made[]> {
  const thumbnail = join(directory, 'thumbnail.webp');
  const box = options.thumbnailSize;
  const info = await sharp(outputs.poster).resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true }).webp({ quality: RENDITION_QUALITY }).toFile(thumbnail);
  return [
    { name: 'thumbnail', file: thumbnail, mimeType: 'image/webp', extension: '.webp', width: info.width, height: info.height },
    { name: 'poster', file: outputs.poster, mimeType: 'image/jpeg', extension: '.jpg', ...plan.poster },
  ];
}

/** The scrub sprite (`NAME-sprite`) and its WebVTT cues (`NAME-vtt`), whose URLs are relative: the VTT is served beside the sprite. */
export async function scrubStrip(plan: VideoPlan, sprite: string, directory: string, name = 'scrub'): Promise<Made[]> {
  const cues = join(directory, `${name}.vtt`);
  await writeFile(cues, scrubCues(plan.scrub, plan.durationSeconds, `${name}-sprite`));
  const { columns, rows, tile } = plan.scrub;
  return [
    { name: `${name}-sprite`, file: sprite, mimeType: 'image/jpeg', extension: '.jpg', width: columns * tile.width, height: rows * tile.height },
    { name: `${name}-vtt`, file: cues, mimeType: 'text/vtt', extension: '.vtt' },
  ];
}

/** The representative-frame candidates, which the perceptual hash and embeddings take instead of decoding the original again. */
function framesRendition(plan: VideoPlan, file: string): Made {
  return { name: FRAMES_RENDITION, file, mimeType: 'image/png', extension: '.png', width: CANDIDATES * plan.frame.width, height: plan.frame.height };
}

/** A proxy, with the length ffprobe reads from it (what a player will see); a partial copy's is bad input (wholeLength). */
export async function proxyRendition(ffprobe: string, plan: VideoPlan, file: string, name = 'proxy'): Promise<Made> {
  const made = mediaProbedFrom(await probe(ffprobe, file));
  wholeLength(plan.durationSeconds, made.durationSeconds);
  const durationMs = Math.round((made.durationSeconds ?? plan.durationSeconds) * 1000);
  return { name, file, mimeType: 'video/mp4', extension: '.mp4', ...plan.proxy, durationMs };
}

/**
 * Makes the renditions ffmpeg makes into `directory`: the poster, the
 * sprite, the frames and the proxy in one run that decodes the picture once
 * for all four, or, when another transcoder makes the proxy, the others alone.
 */
async function make(location: string, plan: VideoPlan, directory: string, options: VideoRenditionOptions): Promise<{ renditions: Made[]; frames: Made }> {
  const file = (name: string) => join(directory, name);
  const outputs = { poster: file('poster.jpg'), sprite: file('scrub-sprite.jpg'), proxy: file('proxy.mp4'), frames: file('frames.png') };
  const run = ffmpegRunner(options.ffmpeg, plan);
  await run(options.proxyJobs ? stillsArgs(location, plan, outputs) : allRenditionsArgs(location, plan, outputs));
  await ensureStills(location, plan, outputs, options);
  const made = [stills(plan, outputs, directory, options), scrubStrip(plan, outputs.sprite, directory)];
  if (!options.proxyJobs) made.push(proxyRendition(options.ffprobe, plan, outputs.proxy).then((proxy) => [proxy]));
  return { renditions: (await Promise.all(made)).flat(), frames: framesRendition(plan, outputs.frames) };
}

export async function created(assetId: string, made: Made): Promise<{ event: ResultEvent; object: { key: string; file: string; contentType: string } }> {
  const objectKey = renditionKey(assetId, made.name, made.extension);
  const { size } = await stat(made.file);
  const { name, mimeType, width, height, durationMs } = made;
  const payload: PayloadOf<'RenditionCreated'> = { name, objectKey, mimeType, size, watermarked: false, ...(width && { width, height }), ...(durationMs !== undefined && { durationMs }) };
  return { event: { type: 'RenditionCreated', payload }, object: { key: objectKey, file: made.file, contentType: mimeType } };
}

/** The processor's name and version: a transcoder that finishes later (ProxyJobs) writes its results under them. */
// 2: interlaced pictures deinterlaced, PQ and HLG tone-mapped to BT.709 (the proxy tagged so), black frames left out of
//    the poster's candidates, the first two mono audio streams as the proxy's left and right, the scrub strip and
//    poster window from the measured length of files with no index; raw DV and the like that ingest could not place.
// 3: the poster chosen among 10 frames of its window, not 30.
// 4: no chapters in the proxy; a proxy much shorter than the length the original states (a partial copy, in any
//    container) fails as TRUNCATED_MEDIA, not ready with a short proxy.
export const VIDEO_RENDITIONS = { name: 'video-renditions', version: '4' } as const;

/**
 * Video renditions with ffmpeg: a thumbnail and a poster from a
 * representative frame, a scrub strip (sprite and WebVTT), the candidates of
 * the representative frames (for the perceptual hash and embeddings) and an
 * H.264/AAC web proxy, or, with `proxyJobs`, the proxy's submission in its place.
 * ffmpeg reads the original where it lies; the renditions are made in a
 * temporary directory, which the runner streams into the store and then
 * removes (dispose).
 */
export function videoRenditionsProcessor(options: VideoRenditionOptions): Processor {
  const probeOriginal = options.probeOriginal ?? probeOnce(options.ffprobe);
  return {
    ...VIDEO_RENDITIONS,
    // Two videos at once: one run leaves cores idle at its start and end (the
    // probe, x264 filling and draining its frame threads, the proxy's probe,
    // the writes), which the other's encode fills; more would only take turns.
    concurrency: 2,
    // A file of no recognised type named as media (raw DV that ingest could not place) is a video when its probe finds a picture.
    accepts: (event) => event.type === 'AssetIngested' && (event.payload.mediaType === 'video' || (event.payload.mediaType === 'other' && isTimeBased(event.payload))),
    async process(event: StoredEvent, input: ProcessorInput): Promise<ProcessorResult> {
      if (event.type !== 'AssetIngested') return { events: [] };
      const unplaced = event.payload.mediaType === 'other';
      // An unplaced file that is no media, or that is empty, is media-probe's failure to report, once.
      if (unplaced && event.payload.size === 0) return { events: [] };
      const location = await input.originalLocation();
      const read = await probeOriginal(event, location).catch((error: unknown) => (unplaced && isInvalidMedia(error) ? undefined : Promise.reject(error)));
      if (!read) return { events: [] };
      const probed = mediaProbedFrom(read);
      // Sound alone in a video's container: audio-renditions makes its renditions.
      if (!probed.video.length && (probed.audio.length || unplaced)) return { events: [] };
      const plan = videoPlan(probed, options.proxySize);
      const directory = join(options.temporaryDirectory, temporaryName());
      const dispose = () => rm(directory, { recursive: true, force: true });
      try {
        await mkdir(directory, { recursive: true });
        const { renditions, frames } = await make(location, plan, directory, options);
        const results = await Promise.all([...renditions, frames].map((m) => created(event.assetId, m)));
        const submitted = options.proxyJobs ? [await options.proxyJobs.submit(event, plan)] : [];
        // The frames' event goes last: the others keep their places, so the derived ids an ingest redelivered across versions gets.
        const events = results.map((r) => r.event);
        return { events: [...events.slice(0, -1), ...submitted, ...events.slice(-1)], files: results.map((r) => r.object), dispose };
      } catch (error) {
        await dispose();
        throw error;
      }
    },
  };
}
