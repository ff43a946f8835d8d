import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SharedInputs, type OriginalRef } from '../../processors/readOnce';
import { InvalidMediaError, undecodable } from '../../processors/processor';
import { fixture } from '../support/fixtures';

const photo = readFileSync(fixture('jpg/gps/DSCN0010.jpg'));
const original: OriginalRef = { objectKey: 'originals/a/original.jpg', sha256: 'a'.repeat(64), size: photo.length };
const decode = { maxInputPixels: 100_000_000, box: 320 };

/** Shared inputs over a store that counts its reads and answers with `read`. */
function counting(read: () => Promise<Buffer> = async () => photo) {
  const reads = { count: 0 };
  const inputs = new SharedInputs(async () => (reads.count++, read()), decode);
  return { inputs, reads };
}

describe('the inputs the processors of a process share', () => {
  it('reads and decodes an original once for every processor that takes it, upright inside the box', async () => {
    const { inputs, reads } = counting();
    const takers = () => ['renditions', 'perceptual-hash', 'metadata'];
    const [renditions, hash, metadata] = takers().map((name) => inputs.use(original, name, takers));
    const [a, b] = await Promise.all([renditions!.image(), hash!.image()]);
    expect(b).toBe(a);
    expect(await metadata!.original()).toBe(photo);
    expect(reads.count).toBe(1);
    expect([a.width, a.height, a.channels]).toEqual([320, 240, 3]);
  });

  it('lets go of an original once every processor that takes it is done, and reads it again when asked after that', async () => {
    const { inputs, reads } = counting();
    const takers = () => ['renditions', 'perceptual-hash'];
    const first = inputs.use(original, 'renditions', takers);
    await first.original();
    first.release();
    const second = inputs.use(original, 'perceptual-hash', takers);
    await second.original();
    second.release();
    expect(reads.count).toBe(1);
    await inputs.use(original, 'renditions', takers).original();
    expect(reads.count).toBe(2);
  });

  it('gives every processor the same bad-input failure, and reads again after a failure that may pass', async () => {
    const broken = counting(async () => Buffer.from('not an image'));
    const takers = () => ['renditions', 'perceptual-hash'];
    for (const name of takers()) {
      const failure = broken.inputs.use(original, name, takers).image();
      await expect(failure).rejects.toBeInstanceOf(InvalidMediaError);
      await expect(failure).rejects.toMatchObject({ code: 'UNREADABLE_IMAGE' });
    }
    expect(broken.reads.count).toBe(1);

    let attempts = 0;
    const flaky = counting(async () => {
      if (attempts++ === 0) throw new Error('connection reset');
      return photo;
    });
    const input = flaky.inputs.use(original, 'renditions', takers);
    await expect(input.image()).rejects.toThrow('connection reset');
    expect((await input.image()).width).toBe(320);
    expect(flaky.reads.count).toBe(2);
  });

  it('says an empty file is empty', async () => {
    const { inputs } = counting(async () => Buffer.alloc(0));
    await expect(inputs.use(original, 'renditions', () => []).image()).rejects.toMatchObject({ code: 'EMPTY_FILE' });
  });

  it("passes the decoder's reason on, and says when libvips lost it rather than repeat sharp's \"Unknown error\"", () => {
    expect(undecodable(new Error('VipsJpeg: Premature end of input file')).message).toBe('the image cannot be decoded: VipsJpeg: Premature end of input file');
    expect(undecodable(new Error('Unknown error'), 'the frames rendition')).toMatchObject({
      code: 'UNREADABLE_IMAGE',
      message: 'the frames rendition cannot be decoded: the decoder gave no reason',
    });
  });
});
