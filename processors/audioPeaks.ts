/**
 * Waveform peaks as web players read them: the JSON of BBC's audiowaveform
 * (format version 2), which wavesurfer.js and peaks.js load as they are. One
 * channel, 8-bit: `data` holds a min and a max per pixel, each in -128…127.
 */
export interface Peaks {
  version: 2;
  channels: 1;
  /** The rate the peaks were taken at (the decode's, not the original's). */
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  /** Pixels: half the length of `data`. */
  length: number;
  data: number[];
}

/** The rate ffmpeg decodes to for peaks: 4 kHz of bandwidth is plenty to draw, and 1/5 of the work of 44.1 kHz. */
export const PEAKS_SAMPLE_RATE = 8000;
/** At most 100 pixels a second (10 ms each): finer says nothing on a screen. */
const MIN_SAMPLES_PER_PIXEL = PEAKS_SAMPLE_RATE / 100;
/** At most this many pixels, however long the recording: an hour is still a JSON of a few hundred kB. */
const MAX_PIXELS = 20_000;

/** Samples per pixel for a recording of this length: fine for short ones, coarser for long ones so the peaks stay small. */
export function samplesPerPixelFor(durationSeconds: number | undefined): number {
  const samples = (durationSeconds ?? 0) * PEAKS_SAMPLE_RATE;
  return Math.max(MIN_SAMPLES_PER_PIXEL, Math.ceil(samples / MAX_PIXELS));
}

/** A 16-bit sample as an 8-bit one, as audiowaveform scales it. */
const toEightBits = (sample: number) => sample >> 8;

/**
 * Folds signed 16-bit little-endian mono PCM, chunk by chunk as it arrives,
 * into min/max pairs: it holds one pixel's extremes and the pairs so far,
 * never the audio, so a long recording costs no more memory than its peaks.
 */
export class PeaksFold {
  private readonly data: number[] = [];
  private min = 0;
  private max = 0;
  private inPixel = 0;
  /** The first byte of a sample split between two chunks (a pipe cuts anywhere). */
  private pending: Buffer | undefined;

  constructor(
    readonly samplesPerPixel: number,
    readonly sampleRate = PEAKS_SAMPLE_RATE,
  ) {}

  push(chunk: Buffer): void {
    const bytes = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 2);
    this.pending = whole < bytes.length ? bytes.subarray(whole) : undefined;
    for (let offset = 0; offset < whole; offset += 2) this.add(bytes.readInt16LE(offset));
  }

  private add(sample: number): void {
    if (this.inPixel === 0 || sample < this.min) this.min = sample;
    if (this.inPixel === 0 || sample > this.max) this.max = sample;
    if (++this.inPixel === this.samplesPerPixel) this.closePixel();
  }

  private closePixel(): void {
    this.data.push(toEightBits(this.min), toEightBits(this.max));
    this.inPixel = 0;
  }

  /** The peaks of everything pushed; a last, partly filled pixel counts. */
  finish(): Peaks {
    if (this.inPixel > 0) this.closePixel();
    const { data } = this;
    return { version: 2, channels: 1, sample_rate: this.sampleRate, samples_per_pixel: this.samplesPerPixel, bits: 8, length: data.length / 2, data };
  }
}

export interface WaveformStyle {
  width: number;
  height: number;
  background: [number, number, number];
  foreground: [number, number, number];
}

/** The min and max of the pixels of `peaks` that fall in column `x` of `columns` (stretched when there are fewer peaks than columns). */
function columnExtremes(peaks: Peaks, x: number, columns: number): [min: number, max: number] {
  const first = Math.floor((x * peaks.length) / columns);
  const end = Math.max(first + 1, Math.floor(((x + 1) * peaks.length) / columns));
  let [min, max] = [127, -128];
  for (let pixel = first; pixel < end; pixel++) {
    min = Math.min(min, peaks.data[2 * pixel]!);
    max = Math.max(max, peaks.data[2 * pixel + 1]!);
  }
  return [min, max];
}

/** The rows a column's extremes cover: 0 at the top; at least the centre row, so silence draws a line. */
function rowSpan([min, max]: [number, number], height: number): [top: number, bottom: number] {
  const centre = (height - 1) / 2;
  const row = (value: number) => Math.round(centre - (value / 128) * centre);
  return [Math.min(row(max), Math.floor(centre)), Math.max(row(min), Math.ceil(centre))];
}

/** The waveform as raw RGB pixels (width × height × 3), one column of bars per pixel of the picture. */
export function waveformPixels(peaks: Peaks, style: WaveformStyle): Buffer {
  const { width, height, background, foreground } = style;
  const pixels = Buffer.alloc(width * height * 3);
  for (let offset = 0; offset < pixels.length; offset += 3) pixels.set(background, offset);
  if (peaks.length === 0) return pixels;
  for (let x = 0; x < width; x++) {
    const [top, bottom] = rowSpan(columnExtremes(peaks, x, width), height);
    for (let y = top; y <= bottom; y++) pixels.set(foreground, (y * width + x) * 3);
  }
  return pixels;
}
