import { inputArgs } from './ffmpeg';
import { CANDIDATES, candidateSelect } from './videoFrames';
import type { Size, VideoPlan } from './videoPlan';

/**
 * The ffmpeg arguments of the video renditions, pure. ffmpeg turns the
 * picture upright as it decodes (autorotate), so every size here is the
 * upright one; `setsar=1` makes the pixels square.
 */

/** Where each rendition goes: files in the processor's temporary folder. */
export interface VideoOutputs {
  poster: string;
  sprite: string;
  proxy: string;
  /** The representative-frame candidates, a PNG strip (processors/videoFrames.ts framesOfStrip). */
  frames: string;
}

const COMMON = ['-nostdin', '-v', 'error', '-y'];
const square = (size: Size) => `scale=${size.width}:${size.height},setsar=1`;

/**
 * Interlaced frames (broadcast, DV, a camcorder's 50i) woven into whole
 * ones, one output frame an input frame; `deint=interlaced` passes the
 * frames the decoder does not flag interlaced untouched, so a progressive
 * source's renditions are as before.
 */
const DEINTERLACE = 'bwdif=mode=send_frame:parity=auto:deint=interlaced';

/** zscale's names for the transfers of high dynamic range. */
const HDR_TRANSFER = { pq: 'smpte2084', hlg: 'arib-std-b67' } as const;

/**
 * HDR (PQ or HLG, BT.2020) to BT.709 SDR, as a browser without HDR and a
 * JPEG show it: linear light with 100 nits as SDR's white, BT.709 primaries,
 * then `mobius`, which keeps what lies within SDR's range as it was and
 * bends only the highlights above it (hable, the other usual curve, dims a
 * white field to mid-grey), and the BT.709 curve, limited range, 8-bit 4:2:0.
 * The input's colours are stated, not read from the frames: a file tagged
 * in its stream but not its frames would otherwise stop zscale.
 */
function toneMap(hdr: 'pq' | 'hlg'): string {
  return [
    `zscale=tin=${HDR_TRANSFER[hdr]}:pin=bt2020:min=bt2020nc:rin=tv:t=linear:npl=100`,
    'format=gbrpf32le',
    'zscale=p=bt709',
    'tonemap=tonemap=mobius:desat=0',
    'zscale=t=bt709:m=bt709:r=tv',
    'format=yuv420p',
  ].join(',');
}

/** The picture every rendition is made from: whole frames, in SDR. */
const picture = (plan: VideoPlan) => [DEINTERLACE, plan.hdr && toneMap(plan.hdr)].filter(Boolean).join(',');

/** The decoded picture, made whole and SDR, split to `count` labels; one label is the picture itself. */
function source(plan: VideoPlan, labels: string[]): string {
  return labels.length === 1 ? `[0:v:0]${picture(plan)}[${labels[0]}]` : `[0:v:0]${picture(plan)},split=${labels.length}${labels.map((l) => `[${l}]`).join('')}`;
}

/** BT.709 tags on a tone-mapped proxy: what its pixels now are (an untagged file's colours are the player's guess). */
const colourTags = (plan: VideoPlan) => (plan.hdr ? ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'] : []);

/** Two mono tracks (a broadcast master's first two channels) joined as left and right, in a graph of their own. */
const MONO_PAIR_GRAPH = '[0:a:0][0:a:1]join=inputs=2:channel_layout=stereo[stereo]';

/** The poster is picked from frames after the first tenth (past black leaders and fades), over at most this long. */
const POSTER_WINDOW_SECONDS = 10;
/**
 * How many frames the `thumbnail` filter compares, spread evenly over the
 * window (one a second over a full one): each is held decoded at poster
 * size, and each costs its scaling, black check and histogram, which at
 * 640 × 360 made 30 of them a tenth of the proxy's encode.
 */
const POSTER_CANDIDATES = 10;

/**
 * Black candidates are left out before the choice: `blackframe` gives each
 * the share of its pixels darker than 32 (of 255), and those 98 % black or
 * more go. A picture that is black throughout leaves none: its poster is
 * then taken from its first frame (videoRenditions.ts ensureStills).
 */
const NOT_BLACK = 'blackframe=amount=0:threshold=32,metadata=mode=select:key=lavfi.blackframe.pblack:value=98:function=less';

/**
 * A representative frame: ffmpeg's `thumbnail` filter takes the frame
 * nearest the average colour histogram of the candidates, so a faded frame
 * among them loses to the scene; black ones are left out first, or a black
 * leader over most of the window would be the average, and the poster.
 */
function posterFilter(plan: VideoPlan): string {
  const start = plan.durationSeconds * 0.1;
  const window = Math.min(POSTER_WINDOW_SECONDS, plan.durationSeconds - start);
  const step = window / POSTER_CANDIDATES;
  const candidates = `select='lt(t\\,${(start + window).toFixed(3)})*gte(t\\,${start.toFixed(3)}+selected_n*${step.toFixed(3)})'`;
  return `${candidates},${square(plan.poster)},${NOT_BLACK},thumbnail=${POSTER_CANDIDATES}`;
}

/** The scrub sprite: the first frame at or after each interval, tiled in rows into one picture. */
function spriteFilter(plan: VideoPlan): string {
  const { intervalSeconds, columns, rows, tile } = plan.scrub;
  return `select='gte(t\\,selected_n*${intervalSeconds})',${square(tile)},tile=${columns}x${rows}`;
}

/**
 * The representative-frame candidates side by side in one picture, lossless
 * (PNG) so that hashes and embeddings see the decoded pixels; a candidate
 * past the stream's last frame is left transparent. Scaled as a decode of the
 * frames alone scales them (videoFrames.ts), so the pixels are the same: a
 * complex graph's `scale` is bilinear unless told, and scaling straight into
 * RGBA rounds otherwise than into RGB.
 */
function framesFilter(plan: VideoPlan): string {
  const { width, height } = plan.frame;
  return `${candidateSelect(plan.durationSeconds)},scale=${width}:${height}:flags=bicubic,setsar=1,format=rgb24,format=rgba,tile=${CANDIDATES}x1:color=black@0`;
}

const framesOutput = (output: string) => ['-map', '[frames]', '-frames:v', '1', output];

/** One JPEG from a labelled branch of the filter graph. */
const stillOutput = (label: string, quality: number, output: string) => ['-map', `[${label}]`, '-frames:v', '1', '-q:v', String(quality), output];

/** x264's constant rate factor of the fixed proxy: lower is better and bigger. */
export const PROXY_CRF = 23;

/**
 * The web proxy's encoding: H.264 (CRF 23, veryfast: quality-based, and quick
 * on a few cores) and AAC 128k stereo when there is sound, in an MP4 whose
 * index comes first so a browser plays before the download ends. A constant
 * frame rate at the source's average keeps a variable-rate phone video's
 * length (ffmpeg 4.1 has `-vsync`, not `-fps_mode`). The original's tags
 * (title, artist, a phone's location) stay out, as images' renditions carry
 * no EXIF: they are in the record, where redaction and erasure reach; so do
 * its chapters, which the MP4 muxer would write without their titles and
 * with a chapter track the proxy does not hold.
 * Sound that runs on long after the picture (a still with music) queues up
 * behind the video's frames: a longer muxing queue takes it.
 */
function proxyOutput(plan: VideoPlan, output: string, crf = PROXY_CRF): string[] {
  const video = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(crf), '-pix_fmt', 'yuv420p', ...colourTags(plan), '-vsync', 'cfr', '-r', plan.frameRate.toFixed(3)];
  const audio = plan.hasAudio ? ['-map', plan.monoPair ? '[stereo]' : '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-ac', '2'] : [];
  return [...video, ...audio, '-map_metadata', '-1', '-map_chapters', '-1', '-max_muxing_queue_size', '4096', '-movflags', '+faststart', '-f', 'mp4', output];
}

/** The proxy alone (what a plain script would run; bench/video.ts compares the lake against it), at a CRF. */
export function proxyArgs(location: string, plan: VideoPlan, output: string, crf = PROXY_CRF): string[] {
  const sound = plan.hasAudio && plan.monoPair ? ['-filter_complex', MONO_PAIR_GRAPH] : [];
  return [...COMMON, ...inputArgs(location), ...sound, '-map', '0:v:0', '-vf', `${picture(plan)},${square(plan.proxy)}`, ...proxyOutput(plan, output, crf)];
}

/** The sound's graph after the picture's, where the proxy joins two mono tracks. */
const withSound = (plan: VideoPlan, graph: string) => (plan.hasAudio && plan.monoPair ? `${graph};${MONO_PAIR_GRAPH}` : graph);

/** The poster alone. */
export function posterArgs(location: string, plan: VideoPlan, output: string): string[] {
  return [...COMMON, ...inputArgs(location), '-filter_complex', `${source(plan, ['v'])};[v]${posterFilter(plan)}[poster]`, ...stillOutput('poster', 3, output)];
}

/**
 * The poster and the frames from the picture's first frames: for a picture
 * that ends before their windows, which start a tenth into the file's length
 * (a single frame, a cover image, a picture much shorter than the sound).
 */
export function firstFramesArgs(location: string, plan: VideoPlan, outputs: Pick<VideoOutputs, 'poster' | 'frames'>): string[] {
  const graph = `${source(plan, ['t', 'f'])};[t]${square(plan.poster)}[poster];[f]${framesFilter({ ...plan, durationSeconds: 0 })}[frames]`;
  return [...COMMON, ...inputArgs(location), '-filter_complex', graph, ...stillOutput('poster', 3, outputs.poster), ...framesOutput(outputs.frames)];
}

/** The scrub sprite alone. */
export function spriteArgs(location: string, plan: VideoPlan, output: string): string[] {
  return [...COMMON, ...inputArgs(location), '-filter_complex', `${source(plan, ['v'])};[v]${spriteFilter(plan)}[sprite]`, ...stillOutput('sprite', 5, output)];
}

/**
 * Every video rendition in one run: the picture is decoded once and split to
 * the proxy's encoder, the sprite, the poster and the frames, which cost
 * little beside the encode (the proxy comes out byte for byte as proxyArgs
 * makes it).
 */
export function allRenditionsArgs(location: string, plan: VideoPlan, outputs: VideoOutputs): string[] {
  const pictures = `${source(plan, ['p', 's', 't', 'f'])};[p]${square(plan.proxy)}[proxy];[s]${spriteFilter(plan)}[sprite];[t]${posterFilter(plan)}[poster];[f]${framesFilter(plan)}[frames]`;
  const graph = withSound(plan, pictures);
  return [
    ...COMMON,
    ...inputArgs(location),
    '-filter_complex', graph,
    '-map', '[proxy]', ...proxyOutput(plan, outputs.proxy),
    ...stillOutput('sprite', 5, outputs.sprite),
    ...stillOutput('poster', 3, outputs.poster),
    ...framesOutput(outputs.frames),
  ];
}

/** The poster, sprite and frames alone, in one decode: for when another transcoder makes the proxy. */
export function stillsArgs(location: string, plan: VideoPlan, outputs: Omit<VideoOutputs, 'proxy'>): string[] {
  const graph = `${source(plan, ['s', 't', 'f'])};[s]${spriteFilter(plan)}[sprite];[t]${posterFilter(plan)}[poster];[f]${framesFilter(plan)}[frames]`;
  return [
    ...COMMON,
    ...inputArgs(location),
    '-filter_complex', graph,
    ...stillOutput('sprite', 5, outputs.sprite),
    ...stillOutput('poster', 3, outputs.poster),
    ...framesOutput(outputs.frames),
  ];
}
