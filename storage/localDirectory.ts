import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, UnsafeKeyError } from './keys';
import { walkFiles } from './walk';
import { ObjectNotFoundError, type ByteRange, type ObjectInfo, type ObjectStore } from './objectStore';

/** Writes in flight, under the root (one file system, so a rename completes them); never a key. */
const IN_FLIGHT = '.partial';
/**
 * A temporary file untouched this long was left by a process that died, even
 * if its name cannot tell (another process took the pid, or the name is not
 * one of ours): a live writer keeps appending to its file.
 */
const ABANDONED_MS = 60 * 60_000;
/** Tells this process from an earlier one with the same pid (a restarted container's is often 1). */
const PROCESS_TOKEN = randomUUID().slice(0, 8);

/** A name for a temporary file that says which process writes it: `<pid>.<process token>.<uuid>`. */
export function temporaryName(): string {
  return `${process.pid}.${PROCESS_TOKEN}.${randomUUID()}`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // running, as another user
  }
}

/** Whether the process that named a temporary file is gone; false where the name cannot tell. */
function writerIsGone(name: string): boolean {
  const [pid, token] = name.split('.');
  if (!pid || !/^[1-9]\d*$/.test(pid)) return false;
  return Number(pid) === process.pid ? token !== PROCESS_TOKEN : !isRunning(Number(pid));
}

/**
 * Removes from a directory of temporary files (made if missing) those whose
 * writer is gone or that nobody touched for an hour; other processes' live
 * files stay. Safe to run while this process writes there.
 */
export async function sweepTemporaryFiles(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  for (const name of await readdir(directory)) {
    const path = join(directory, name);
    const info = await stat(path).catch(() => undefined);
    if (info && (writerIsGone(name) || Date.now() - info.mtimeMs > ABANDONED_MS)) await rm(path, { recursive: true, force: true });
  }
}

/**
 * Objects as files under a root directory. Writes go to a temporary file and
 * are renamed into place, so a reader (or a crash) never sees half an object;
 * what a killed process left half-written is swept when the lake opens
 * (`sweep`), and again beside the first write.
 */
export class LocalDirectoryStore implements ObjectStore {
  private inFlight?: Promise<void>;

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const segments = assertSafeKey(key).split('/');
    if (segments.includes(IN_FLIGHT)) throw new UnsafeKeyError(key, `the store keeps writes in flight in "${IN_FLIGHT}"`);
    return join(this.root, ...segments);
  }

  async put(key: string, body: Buffer | Readable): Promise<{ size: number }> {
    const path = this.pathOf(key);
    await (this.inFlight ??= this.prepareInFlight().catch((error: unknown) => {
      this.inFlight = undefined; // tried again by the next write
      throw error;
    }));
    await mkdir(dirname(path), { recursive: true });
    const temporary = join(this.root, IN_FLIGHT, temporaryName());
    try {
      if (Buffer.isBuffer(body)) await writeFile(temporary, body);
      else await pipeline(body, createWriteStream(temporary));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { size: Buffer.isBuffer(body) ? body.length : (await stat(path)).size };
  }

  /** Made once per store; the sweep runs beside the writes. */
  private async prepareInFlight(): Promise<void> {
    await mkdir(join(this.root, IN_FLIGHT), { recursive: true });
    // What a sweep cannot remove now stays for the next one.
    this.sweep().catch(() => undefined);
  }

  /** Removes the writes in flight that dead processes left. */
  sweep(): Promise<void> {
    return sweepTemporaryFiles(join(this.root, IN_FLIGHT));
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    await this.mustExist(key, path);
    return createReadStream(path, range && { start: range.start, end: range.end });
  }

  async getBuffer(key: string): Promise<Buffer> {
    const path = this.pathOf(key);
    await this.mustExist(key, path);
    return readFile(path);
  }

  /** The object's own file: a reader sees a whole object, as writes are renamed into place. */
  async localPathOrUrl(key: string): Promise<string> {
    const path = this.pathOf(key);
    await this.mustExist(key, path);
    return path;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await stat(this.pathOf(key), { bigint: true }).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    // A write renames a new file into place: a new inode, even where size and mtime come out the same.
    const etag = [info.ino, info.size, info.mtimeNs].map((n) => n.toString(36)).join('-');
    return { key, size: Number(info.size), lastModified: info.mtime, etag };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // Walk only the deepest directory the prefix names in full.
    const directory = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = directory ? this.pathOf(directory) : this.root;
    if (!(await stat(start).catch(() => undefined))?.isDirectory()) return;
    for await (const path of walkFiles(start, (name) => name === IN_FLIGHT)) {
      const key = relative(this.root, path).split(sep).join('/');
      if (key.startsWith(prefix)) yield { key, size: (await stat(path)).size };
    }
  }

  private async mustExist(key: string, path: string): Promise<void> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ObjectNotFoundError(key);
  }
}
