import { describe, expect, it } from 'vitest';
import { PEAKS_SAMPLE_RATE, PeaksFold, samplesPerPixelFor, waveformPixels, type Peaks } from '../../processors/audioPeaks';

/** Signed 16-bit little-endian PCM, as ffmpeg's `-f s16le` writes it. */
const pcm = (...samples: number[]) => {
  const bytes = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, index) => bytes.writeInt16LE(sample, index * 2));
  return bytes;
};

describe('PeaksFold', () => {
  it('keeps the min and max of each pixel, scaled to 8 bits, and counts a last partial pixel', () => {
    const fold = new PeaksFold(3);
    fold.push(pcm(0, 256, -512, 32767, -32768, 0, 1280));
    expect(fold.finish()).toEqual({ version: 2, channels: 1, sample_rate: PEAKS_SAMPLE_RATE, samples_per_pixel: 3, bits: 8, length: 3, data: [-2, 1, -128, 127, 5, 5] });
  });

  it('gives the same peaks whichever way a pipe cuts the bytes, a sample split across chunks included', () => {
    const bytes = pcm(...Array.from({ length: 100 }, (_, i) => Math.round(Math.sin(i / 3) * 20000)));
    const whole = new PeaksFold(7);
    whole.push(bytes);
    const cut = new PeaksFold(7);
    for (let offset = 0; offset < bytes.length; offset += 5) cut.push(bytes.subarray(offset, offset + 5));
    expect(cut.finish()).toEqual(whole.finish());
  });

  it('has no pixels for no sound', () => {
    expect(new PeaksFold(80).finish()).toMatchObject({ length: 0, data: [] });
  });
});

describe('samplesPerPixelFor', () => {
  it('takes 100 pixels a second for short recordings, and at most 20,000 pixels for long ones', () => {
    expect(samplesPerPixelFor(2)).toBe(80);
    expect(samplesPerPixelFor(undefined)).toBe(80);
    const hour = samplesPerPixelFor(3600);
    expect((3600 * PEAKS_SAMPLE_RATE) / hour).toBeLessThanOrEqual(20_000);
  });
});

describe('waveformPixels', () => {
  const style = { width: 4, height: 5, background: [0, 0, 0] as [number, number, number], foreground: [255, 255, 255] as [number, number, number] };
  const peaks = (data: number[]): Peaks => ({ version: 2, channels: 1, sample_rate: 8000, samples_per_pixel: 80, bits: 8, length: data.length / 2, data });
  /** Which rows of column x are drawn. */
  const drawn = (pixels: Buffer, x: number) => Array.from({ length: style.height }, (_, y) => pixels[(y * style.width + x) * 3] === 255);

  it('draws silence as the centre line and full scale as the whole column, stretching fewer peaks over the width', () => {
    const pixels = waveformPixels(peaks([0, 0, -128, 127]), style);
    expect(drawn(pixels, 0)).toEqual([false, false, true, false, false]);
    expect(drawn(pixels, 1)).toEqual([false, false, true, false, false]);
    expect(drawn(pixels, 3)).toEqual([true, true, true, true, true]);
  });

  it('folds more peaks than columns into each column’s extremes', () => {
    const pixels = waveformPixels(peaks([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -128, 127]), style);
    expect(drawn(pixels, 2)).toEqual([false, false, true, false, false]);
    expect(drawn(pixels, 3)).toEqual([true, true, true, true, true]);
  });
});
