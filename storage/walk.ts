import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every regular file below a directory, depth first, streamed: one open
 * directory per level, so memory stays flat for any tree size. (Node 20's
 * `opendir(…, { recursive: true })` drops entries past its first buffer in
 * subdirectories, so it is not used.)
 *
 * A link to a file counts as the file; a link to a folder is not followed (a
 * link can lead back up the tree) and, like a folder below the root that
 * cannot be read, goes to `onUnwalked` while the walk goes on. The root
 * itself must be readable: that error is thrown.
 */
export async function* walkFiles(
  root: string,
  skip: (name: string) => boolean = () => false,
  onUnwalked: (path: string, error: Error) => void = () => undefined,
): AsyncIterable<string> {
  for await (const entry of await opendir(root)) {
    if (skip(entry.name)) continue;
    const path = join(root, entry.name);
    if (entry.isDirectory()) yield* walkBelow(path, skip, onUnwalked);
    else if (entry.isFile()) yield path;
    else if (entry.isSymbolicLink()) {
      const target = await stat(path).catch((error: Error) => error);
      if (target instanceof Error) onUnwalked(path, target);
      else if (target.isFile()) yield path;
      else if (target.isDirectory()) onUnwalked(path, new Error('a link to a folder is not followed: name the folder itself'));
    }
  }
}

async function* walkBelow(path: string, skip: (name: string) => boolean, onUnwalked: (path: string, error: Error) => void): AsyncIterable<string> {
  try {
    yield* walkFiles(path, skip, onUnwalked);
  } catch (error) {
    onUnwalked(path, error as Error);
  }
}
