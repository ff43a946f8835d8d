import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey } from './keys';
import { walkFiles } from './walk';
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from './objectStore';

/**
 * Objects as files under a root directory. Writes go to a temporary file in
 * the same directory and are renamed into place, so a reader (or a crash)
 * never sees half an object.
 */
export class LocalDirectoryStore implements ObjectStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    return join(this.root, ...assertSafeKey(key).split('/'));
  }

  async put(key: string, body: Buffer | Readable): Promise<{ size: number }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.partial`;
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(temporary));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { size: (await stat(path)).size };
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    await this.mustExist(key, path);
    return createReadStream(path);
  }

  async getBuffer(key: string): Promise<Buffer> {
    const path = this.pathOf(key);
    await this.mustExist(key, path);
    return readFile(path);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await stat(this.pathOf(key)).catch(() => undefined);
    return info?.isFile() ? { key, size: info.size } : undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // Walk only the deepest directory the prefix names in full.
    const directory = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = directory ? this.pathOf(directory) : this.root;
    if (!(await stat(start).catch(() => undefined))?.isDirectory()) return;
    for await (const path of walkFiles(start, (name) => name.endsWith('.partial'))) {
      const key = relative(this.root, path).split(sep).join('/');
      if (key.startsWith(prefix)) yield { key, size: (await stat(path)).size };
    }
  }

  private async mustExist(key: string, path: string): Promise<void> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ObjectNotFoundError(key);
  }
}
