import { opendir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every regular file below a directory, depth first, streamed: one open
 * directory per level, so memory stays flat for any tree size. (Node 20's
 * `opendir(…, { recursive: true })` drops entries past its first buffer in
 * subdirectories, so it is not used.)
 */
export async function* walkFiles(root: string, skip: (name: string) => boolean = () => false): AsyncIterable<string> {
  for await (const entry of await opendir(root)) {
    if (skip(entry.name)) continue;
    const path = join(root, entry.name);
    if (entry.isDirectory()) yield* walkFiles(path, skip);
    else if (entry.isFile()) yield path;
  }
}
