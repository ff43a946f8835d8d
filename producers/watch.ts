import { relative, sep } from 'node:path';
import { watch } from 'chokidar';
import { ingestFile, type IngestContext, type IngestResult } from './ingest';

export interface FolderWatch {
  /** Resolves once the files already there have been seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** How long a file must stay the same size to count as written: a copy over a network or from a slow disk pauses for longer than a moment. */
const WRITTEN_AFTER_MS = 2_000;

/**
 * A watched folder works like a bucket with upload notifications: a file
 * dropped into it is ingested once it has stopped growing, under its path
 * below the folder (as a bulk ingest names it), and again when it is
 * written anew (its new bytes are a new asset). Hidden files below the
 * folder are left alone, as a bulk ingest leaves them; the folder itself
 * may be hidden (`--watch .`).
 */
export function watchFolder(
  context: IngestContext,
  root: string,
  onFile: (path: string, result: IngestResult | Error) => void,
): FolderWatch {
  const watcher = watch(root, {
    ignored: (path) => relative(root, path).split(sep).some((part) => part.startsWith('.')),
    awaitWriteFinish: { stabilityThreshold: WRITTEN_AFTER_MS, pollInterval: 100 },
    // As a bulk ingest walks (storage/walk.ts): a link to a folder can lead back up the tree.
    followSymlinks: false,
  });
  // A folder it cannot watch (no permission) is reported; the rest stays watched, and the process up.
  watcher.on('error', (error) => onFile((error as NodeJS.ErrnoException).path ?? root, error as Error));
  const take = (path: string) => {
    ingestFile({ ...context, source: 'watch' }, path, { kind: 'watch', path }, relative(root, path)).then(
      (result) => onFile(path, result),
      (error: Error) => onFile(path, error),
    );
  };
  watcher.on('add', take).on('change', take);
  return {
    ready: new Promise((resolve) => watcher.once('ready', () => resolve())),
    close: () => watcher.close(),
  };
}
