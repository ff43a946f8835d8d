import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { renditionsProcessor, type RenditionOptions } from '../../processors/renditions';
import { inputOf } from '../../processors/readOnce';
import type { StoredEvent } from '../../schemas/envelope';
import { ingestedDraft } from '../support/events';
import { fixture, temporaryDirectory } from '../support/fixtures';

const event = { ...ingestedDraft('asset-a'), assetVersion: 1, partition: '0', offset: '0' } as StoredEvent;
const options = (overrides: Partial<RenditionOptions> = {}): RenditionOptions => ({
  thumbnailSize: 256,
  proxySize: 1280,
  maxInputPixels: 100_000_000,
  watermark: { gravity: 'southeast', opacity: 0.8 },
  ...overrides,
});

async function render(bytes: Buffer, settings: RenditionOptions) {
  const input = inputOf(bytes, { maxInputPixels: settings.maxInputPixels, box: settings.proxySize });
  const result = await renditionsProcessor(settings).process(event, input);
  return Object.fromEntries(
    result.events.map((e, i) => [(e.payload as { name: string }).name, { event: e, body: result.objects![i]!.body }]),
  );
}

/** Mean absolute difference of the bottom-right quarter of two same-size images. */
async function cornerDifference(a: Buffer, b: Buffer): Promise<number> {
  const corner = async (image: Buffer) => {
    const { width, height } = await sharp(image).metadata();
    return sharp(image)
      .extract({ left: Math.floor(width / 2), top: Math.floor(height / 2), width: Math.floor(width / 2), height: Math.floor(height / 2) })
      .raw()
      .toBuffer();
  };
  const [x, y] = await Promise.all([corner(a), corner(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

describe('image renditions', () => {
  const directory = temporaryDirectory();
  afterAll(() => directory.remove());
  const photo = readFileSync(fixture('jpg/gps/DSCN0010.jpg'));

  it('makes a WebP thumbnail and a JPEG proxy inside their boxes, never enlarged', async () => {
    const { thumbnail, proxy } = await render(photo, options());
    expect(thumbnail!.event.payload).toMatchObject({ mimeType: 'image/webp', width: 256, height: 192, watermarked: false });
    expect(proxy!.event.payload).toMatchObject({ mimeType: 'image/jpeg', width: 640, height: 480, watermarked: false });
    expect((await sharp(thumbnail!.body).metadata()).format).toBe('webp');
  });

  it('watermarks the proxy with a text when configured', async () => {
    const plain = await render(photo, options());
    const marked = await render(photo, options({ watermark: { text: '© medialake', gravity: 'southeast', opacity: 0.9 } }));
    expect(marked.proxy!.event.payload).toMatchObject({ watermarked: true, width: 640, height: 480 });
    expect(marked.thumbnail!.event.payload).toMatchObject({ watermarked: false });
    expect(await cornerDifference(plain.proxy!.body, marked.proxy!.body)).toBeGreaterThan(1);
  });

  it('watermarks the proxy with an image when configured', async () => {
    const logo = join(directory.path, 'logo.png');
    writeFileSync(logo, await sharp({ create: { width: 200, height: 80, channels: 4, background: '#ff0000' } }).png().toBuffer());
    const plain = await render(photo, options());
    const marked = await render(photo, options({ watermark: { image: logo, gravity: 'southeast', opacity: 1 } }));
    expect(marked.proxy!.event.payload).toMatchObject({ watermarked: true });
    expect(await cornerDifference(plain.proxy!.body, marked.proxy!.body)).toBeGreaterThan(5);
  });

  it('lays a transparent picture on white for the JPEG proxy, and keeps its transparency in the WebP thumbnail', async () => {
    // A logo: a black square on nothing.
    const square = await sharp({ create: { width: 32, height: 32, channels: 4, background: '#000000ff' } }).png().toBuffer();
    const logo = await sharp({ create: { width: 64, height: 64, channels: 4, background: '#00000000' } }).composite([{ input: square }]).png().toBuffer();
    const { thumbnail, proxy } = await render(logo, options());
    const pixel = async (image: Buffer, x: number, y: number) => {
      const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
      return [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels)];
    };
    expect(await pixel(proxy!.body, 60, 60)).toEqual([255, 255, 255]);
    expect(await pixel(proxy!.body, 16, 16)).toEqual([0, 0, 0]);
    expect((await pixel(thumbnail!.body, 60, 60))[3]).toBe(0);
  });

  it.each([
    ['a favicon', 16, 16],
    ['a thin strip', 300, 15],
  ])('watermarks %s, smaller than the watermark would be, with one that fits', async (_name, width, height) => {
    const small = await sharp({ create: { width, height, channels: 3, background: '#336699' } }).png().toBuffer();
    const marked = await render(small, options({ watermark: { text: '© Agency', gravity: 'southeast', opacity: 0.9 } }));
    expect(marked.proxy!.event.payload).toMatchObject({ watermarked: true, width, height });
    expect(marked.thumbnail!.event.payload).toMatchObject({ mimeType: 'image/webp', watermarked: false });
  });

  it('refuses an image with more pixels than allowed (decompression bomb) as bad input', async () => {
    // 4000 × 4000 of one colour: a few kilobytes of PNG that decode to 48 MB.
    const bomb = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#000' } }).png().toBuffer();
    expect(bomb.length).toBeLessThan(100_000);
    const failure = render(bomb, options({ maxInputPixels: 1_000_000 }));
    await expect(failure).rejects.toMatchObject({ code: 'UNREADABLE_IMAGE' });
    await expect(failure).rejects.toThrow(/pixel limit/i);
  });
});
