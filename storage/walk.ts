import { opendir, readlink, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';

/**
 * An entry passed over on purpose, not for an error: a link to a folder or
 * one that leads round in a loop, a named pipe, a socket, a device. It is
 * reported with why (nothing is silently skipped), and is no failure.
 */
export class SkippedEntry extends Error {
  readonly code = 'SKIPPED';
}

export function isSkippedEntry(error: unknown): error is SkippedEntry {
  return error instanceof SkippedEntry;
}

/** What a thing that is neither a file nor a folder is, for a person. */
function kindOf(target: Stats): string {
  if (target.isFIFO()) return 'a named pipe (FIFO)';
  if (target.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Why the entry at `path` (a link, or something that is not a regular file)
 * is not taken as a file: undefined when it is one, or a link to one; a
 * SkippedEntry (a link whose target is gone is no file either: archives keep
 * stale links); or the error that reading it gave.
 */
export async function whyNotAFile(path: string): Promise<Error | undefined> {
  const target = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (target instanceof Error) {
    if (target.code === 'ELOOP') return new SkippedEntry('a link that leads round in a loop is not followed');
    const to = target.code === 'ENOENT' ? await readlink(path).catch(() => undefined) : undefined;
    return to === undefined ? target : new SkippedEntry(`a link to ${to}, which is not there`);
  }
  if (target.isFile()) return undefined;
  if (target.isDirectory()) return new SkippedEntry('a link to a folder is not followed: name the folder itself');
  return new SkippedEntry(`${kindOf(target)} is not a file`);
}

/**
 * A name written in another encoding than UTF-8 (Latin-1 from an old archive,
 * a zip file or a Samba share) does not survive as text: the path read back
 * names no file. Said so, rather than "no such file".
 */
const NOT_UTF8 = 'its name is not UTF-8 text (it was written in another encoding, such as Latin-1): rename it to ingest it (for example with convmv -f latin1 -t utf8)';

/** A directory whose entries' names come as their bytes: Node takes the encoding 'buffer' here, though its types do not say so. */
const openNamesAsBytes = (path: string) => opendir(path, { encoding: 'buffer' as BufferEncoding }) as unknown as Promise<AsyncIterable<Dirent<Buffer>>>;

/**
 * Every regular file below a directory, depth first, streamed: one open
 * directory per level, so memory stays flat for any tree size. (Node 20's
 * `opendir(…, { recursive: true })` drops entries past its first buffer in
 * subdirectories, so it is not used.)
 *
 * A link to a file counts as the file. Everything else goes to `onUnwalked`
 * while the walk goes on: as a SkippedEntry, a link to a folder (not
 * followed: a link can lead back up the tree), a link loop, and what is not
 * a file (named pipes, sockets, devices); as its error, a link whose target
 * is gone, a folder below the root that cannot be read and a name that is
 * not UTF-8 (NOT_UTF8). The root itself
 * must be readable: that error is thrown.
 *
 * `skip` passes over an entry (and all below it): true leaves it alone
 * unsaid (hidden files); a SkippedEntry goes to `onUnwalked`.
 */
export async function* walkFiles(
  root: string,
  skip: Skip = () => false,
  onUnwalked: (path: string, error: Error) => void = () => undefined,
): AsyncIterable<string> {
  for await (const entry of await openNamesAsBytes(root)) {
    const name = entry.name.toString();
    const path = join(root, name);
    const skipped = skip(name, path);
    if (skipped instanceof SkippedEntry) onUnwalked(path, skipped);
    if (skipped) continue;
    if (!Buffer.from(name).equals(entry.name)) {
      onUnwalked(path, new Error(NOT_UTF8));
      continue;
    }
    if (entry.isDirectory()) yield* walkBelow(path, skip, onUnwalked);
    else if (entry.isFile()) yield path;
    else {
      const notAFile = await whyNotAFile(path);
      if (notAFile) onUnwalked(path, notAFile);
      else yield path;
    }
  }
}

/** Whether the walk passes over an entry, by its name and its path below the root: see walkFiles. */
export type Skip = (name: string, path: string) => boolean | SkippedEntry;

async function* walkBelow(path: string, skip: Skip, onUnwalked: (path: string, error: Error) => void): AsyncIterable<string> {
  try {
    yield* walkFiles(path, skip, onUnwalked);
  } catch (error) {
    onUnwalked(path, error as Error);
  }
}
