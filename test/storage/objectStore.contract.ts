import { createReadStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectNotFoundError, type ObjectStore } from '../../storage/objectStore';
import { UnsafeKeyError } from '../../storage/keys';

/** The ObjectStore contract: every backend passes it (local directory, S3). `open` gives a fresh, empty store. */
export function objectStoreContract(backend: string, open: () => Promise<ObjectStore>): void {
  describe(`ObjectStore contract: ${backend}`, () => {
    let store: ObjectStore;
    beforeEach(async () => {
      store = await open();
    });

    it('stores bytes from a buffer and from a stream, and gives them back', async () => {
      const small = Buffer.from('hello');
      const large = randomBytes(3 * 1024 * 1024 + 17);
      await store.put('originals/a/one.txt', small, { contentType: 'text/plain' });
      expect(await store.put('originals/a/two.bin', Readable.from([large.subarray(0, 1000), large.subarray(1000)]))).toEqual({
        size: large.length,
      });
      expect(await store.getBuffer('originals/a/one.txt')).toEqual(small);
      expect((await buffer(await store.get('originals/a/two.bin'))).equals(large)).toBe(true);
      expect(await store.head('originals/a/two.bin')).toMatchObject({ key: 'originals/a/two.bin', size: large.length });
    });

    it('stores a file streamed from disk, as a processor’s transcode is', async () => {
      const bytes = randomBytes(2 * 1024 * 1024 + 5);
      const file = join(tmpdir(), `medialake-contract-${randomBytes(6).toString('hex')}`);
      await writeFile(file, bytes);
      try {
        expect(await store.put('renditions/v/proxy.mp4', createReadStream(file), { contentType: 'video/mp4' })).toEqual({ size: bytes.length });
        expect((await store.getBuffer('renditions/v/proxy.mp4')).equals(bytes)).toBe(true);
      } finally {
        await rm(file, { force: true });
      }
    });

    it('reads a range of bytes: from the start, inside, to the last byte, a single byte', async () => {
      const bytes = randomBytes(2 * 1024 * 1024 + 3);
      await store.put('renditions/a/proxy.mp4', bytes);
      const read = async (start: number, end: number) => buffer(await store.get('renditions/a/proxy.mp4', { start, end }));
      for (const [start, end] of [[0, 99], [1_000_000, 1_500_000], [bytes.length - 10, bytes.length - 1], [7, 7]] as const) {
        expect((await read(start, end)).equals(bytes.subarray(start, end + 1))).toBe(true);
      }
      await expect(store.get('nothing/here', { start: 0, end: 1 })).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('heads an object with its last write time and a tag that a rewrite of the same size changes', async () => {
      const before = Date.now();
      await store.put('renditions/a/thumbnail.webp', Buffer.from('first'));
      const first = await store.head('renditions/a/thumbnail.webp');
      await store.put('renditions/a/thumbnail.webp', Buffer.from('again'));
      const second = await store.head('renditions/a/thumbnail.webp');
      expect(first).toMatchObject({ size: 5, lastModified: expect.any(Date), etag: expect.stringMatching(/^[!#-~]+$/) });
      // Whole seconds on S3.
      expect(first!.lastModified!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(second!.etag).not.toBe(first!.etag);
    });

    it('keeps Unicode keys as given', async () => {
      await store.put('originals/ü/Rømø – kanzel.jpg', Buffer.from('x'));
      expect((await store.getBuffer('originals/ü/Rømø – kanzel.jpg')).toString()).toBe('x');
    });

    it('overwrites an object whole', async () => {
      await store.put('k/v', Buffer.from('first version'));
      await store.put('k/v', Buffer.from('2nd'));
      expect((await store.getBuffer('k/v')).toString()).toBe('2nd');
    });

    it('lists by prefix and deletes, and deleting twice is fine', async () => {
      await store.put('renditions/a/thumbnail.webp', Buffer.from('1'));
      await store.put('renditions/a/proxy.jpg', Buffer.from('22'));
      await store.put('renditions/b/proxy.jpg', Buffer.from('333'));
      const listed = [];
      for await (const object of store.list('renditions/a/')) listed.push(object.key);
      expect(listed.sort()).toEqual(['renditions/a/proxy.jpg', 'renditions/a/thumbnail.webp']);
      await store.delete('renditions/a/proxy.jpg');
      await store.delete('renditions/a/proxy.jpg');
      expect(await store.head('renditions/a/proxy.jpg')).toBeUndefined();
    });

    it('lists every object below a prefix, however many and however deep', async () => {
      const keys = Array.from({ length: 60 }, (_, i) => `many/${i % 3}/sub-${i % 2}/object-${i}`);
      await Promise.all(keys.map((key) => store.put(key, Buffer.from(key))));
      await store.put('manyother/x', Buffer.from('not below many/'));
      const listed: string[] = [];
      for await (const object of store.list('many/')) listed.push(object.key);
      expect(listed.sort()).toEqual([...keys].sort());
    });

    it('says clearly when an object is missing', async () => {
      await expect(store.getBuffer('nothing/here')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.get('nothing/here')).rejects.toThrow(/no object at key "nothing\/here"/);
      expect(await store.head('nothing/here')).toBeUndefined();
    });

    it('names a local path or a URL another program can read the object from, without credentials', async () => {
      const bytes = randomBytes(64 * 1024);
      await store.put('originals/v/clip.mp4', bytes, { contentType: 'video/mp4' });
      const location = await store.localPathOrUrl('originals/v/clip.mp4', { expiresInSeconds: 60 });
      const read = /^https?:\/\//.test(location) ? Buffer.from(await (await fetch(location)).arrayBuffer()) : await readFile(location);
      expect(read.equals(bytes)).toBe(true);
      await expect(store.localPathOrUrl('nothing/here')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it.each([
      ['../escape', '".." segment'],
      ['a/../../etc/passwd', '".." segment'],
      ['/etc/passwd', 'absolute'],
      ['a\\..\\b', 'backslash'],
      ['a\u0000b', 'control'],
      ['a/\u202egpj.exe', 'bidi'],
      ['a//b', 'empty segment'],
      ['e\u0301', 'normal form'],
      ['C:/windows', 'drive'],
      ['', 'empty'],
    ])('refuses the unsafe key %j (%s)', async (key, reason) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(UnsafeKeyError);
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(reason);
      await expect(store.getBuffer(key)).rejects.toBeInstanceOf(UnsafeKeyError);
    });
  });
}
