import { realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { undisguised } from '../schemas/shownText';
import { SkippedEntry } from '../storage/walk';

/** One part of a name (a file's, or a folder's on its path) as the lake keeps it, whichever way it came: without disguising characters (schemas/shownText.ts), trimmed. */
export function cleanName(part: string): string {
  return undisguised(part).trim();
}

/** A path below an ingested or watched folder as the asset's name: each part cleaned, one left empty by it as `_` (so parts are not run together). */
export function cleanPath(path: string): string {
  return path
    .split(sep)
    .map((part) => cleanName(part) || '_')
    .join(sep);
}

/** A file or folder that is the lake's own, and why a folder ingest or watch holding it passes it over. */
export interface LakeFile {
  path: string;
  reason: string;
}

/**
 * What the lake itself keeps in files: its data directory (the log, the
 * keys, the originals and renditions), and the chain key and secrets files
 * wherever configured. A folder ingest or watch holding them passes them
 * over, saying so: else the lake takes its own databases and keys as media
 * (the chain key then downloadable as an original), and a watch takes each
 * rendition it makes as a new file, without end.
 */
export function lakeFiles(config: { data: string; chain: { keyFile?: string }; pipelines: { secretsFile?: string } }): LakeFile[] {
  const { keyFile } = config.chain;
  const { secretsFile } = config.pipelines;
  return [
    { path: config.data, reason: "the lake's own data directory" },
    ...(keyFile ? [{ path: keyFile, reason: "the lake's own chain key file (chain.keyFile)" }] : []),
    ...(secretsFile ? [{ path: secretsFile, reason: "the lake's own secrets file (pipelines.secretsFile)" }] : []),
  ];
}

/** A path by what it leads to (a folder named through a link holds the same files); as it is, where it is not there. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Whether a path at or below `root` (as a walk or watch of it names it) is
 * one of the lake's files, compared by real path: the SkippedEntry that says
 * so, or undefined.
 */
export function lakeFileAt(root: string, files: readonly LakeFile[]): (path: string) => SkippedEntry | undefined {
  if (!files.length) return () => undefined;
  const realRoot = realPath(root);
  const reasons = new Map(files.map((file) => [realPath(file.path), file.reason]));
  return (path) => {
    const reason = reasons.get(join(realRoot, relative(root, path)));
    return reason === undefined ? undefined : new SkippedEntry(reason);
  };
}
