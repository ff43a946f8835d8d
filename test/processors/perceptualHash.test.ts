import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { differenceHash, perceptualHashProcessor } from '../../processors/perceptualHash';
import { InvalidMediaError } from '../../processors/processor';
import { inputOf } from '../../processors/readOnce';
import { MAX_HASH_DISTANCE, hammingDistance, hashHalves } from '../../projections/duplicates/duplicateGroups';
import type { StoredEvent } from '../../schemas/envelope';
import { fixture } from '../support/fixtures';

const input = (bytes: Buffer) => inputOf(bytes, { maxInputPixels: 100_000_000, box: 1280 });
const hash = async (bytes: Buffer) => differenceHash(await input(bytes).image());
const distance = (a: string, b: string) => hammingDistance(hashHalves(a), hashHalves(b));
const read = (name: string) => readFileSync(fixture(name));

const PHOTOS = [
  'jpg/Canon_40D.jpg',
  'jpg/Nikon_D70.jpg',
  'jpg/Fujifilm_FinePix_E500.jpg',
  'jpg/Pentax_K10D.jpg',
  'jpg/Sony_HDR-HC3.jpg',
  'jpg/Kodak_CX7530.jpg',
  'jpg/Olympus_C8080WZ.jpg',
  'jpg/Ricoh_Caplio_RR330.jpg',
];

describe('the perceptual hash (dHash)', () => {
  it('is 64 bits in 16 hex digits, the same for the same bytes', async () => {
    const bytes = read('jpg/Canon_40D.jpg');
    const first = await hash(bytes);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(await hash(bytes)).toBe(first);
  });

  it('barely moves for a resized, re-encoded or recompressed copy', async () => {
    const original = read('jpg/Canon_40D.jpg');
    const copies = await Promise.all([
      sharp(original).resize({ width: 200 }).jpeg({ quality: 60 }).toBuffer(),
      sharp(original).webp({ quality: 50 }).toBuffer(),
      sharp(original).png().toBuffer(),
    ]);
    const base = await hash(original);
    for (const copy of copies) expect(distance(base, await hash(copy))).toBeLessThanOrEqual(MAX_HASH_DISTANCE);
  });

  it('hashes the upright picture: the eight EXIF orientations of one photo agree', async () => {
    const hashes = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => hash(read(`jpg/orientation/landscape_${n}.jpg`))));
    for (const other of hashes) expect(distance(hashes[0]!, other)).toBeLessThanOrEqual(MAX_HASH_DISTANCE);
  });

  it('keeps different photos far apart', async () => {
    const hashes = await Promise.all(PHOTOS.map((name) => hash(read(name))));
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) {
        expect(distance(hashes[i]!, hashes[j]!), `${PHOTOS[i]} vs ${PHOTOS[j]}`).toBeGreaterThan(MAX_HASH_DISTANCE);
      }
    }
  });

  it('becomes a PerceptualHashComputed event, and an undecodable image a bad-input failure', async () => {
    const processor = perceptualHashProcessor();
    const event = { type: 'AssetIngested', payload: { mediaType: 'image' } } as StoredEvent;
    const bytes = read('jpg/Nikon_D70.jpg');
    expect(await processor.process(event, input(bytes))).toEqual({
      events: [{ type: 'PerceptualHashComputed', payload: { algorithm: 'dhash', hash: await hash(bytes) } }],
    });
    const broken = processor.process(event, input(Buffer.from('not an image')));
    await expect(broken).rejects.toBeInstanceOf(InvalidMediaError);
    await expect(broken).rejects.toMatchObject({ code: 'UNREADABLE_IMAGE' });
  });
});
