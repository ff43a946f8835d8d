import { basename } from 'node:path';
import { watch } from 'chokidar';
import { ingestFile, type IngestContext, type IngestResult } from './ingest';

export interface FolderWatch {
  /** Resolves once the files already there have been seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * A watched folder works like a bucket with upload notifications: a file
 * dropped into it is ingested once it has stopped growing.
 */
export function watchFolder(
  context: IngestContext,
  root: string,
  onFile: (path: string, result: IngestResult | Error) => void,
): FolderWatch {
  const watcher = watch(root, {
    ignored: (path) => basename(path).startsWith('.'),
    awaitWriteFinish: { stabilityThreshold: 300, pollInterval: 50 },
    // As a bulk ingest walks (storage/walk.ts): a link to a folder can lead back up the tree.
    followSymlinks: false,
  });
  // A folder it cannot watch (no permission) is reported; the rest stays watched, and the process up.
  watcher.on('error', (error) => onFile((error as NodeJS.ErrnoException).path ?? root, error as Error));
  watcher.on('add', (path) => {
    ingestFile({ ...context, source: 'watch' }, path, { kind: 'watch', path }, basename(path)).then(
      (result) => onFile(path, result),
      (error: Error) => onFile(path, error),
    );
  });
  return {
    ready: new Promise((resolve) => watcher.once('ready', () => resolve())),
    close: () => watcher.close(),
  };
}
