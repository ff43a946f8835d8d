import { relative, resolve, sep } from 'node:path';
import { watch } from 'chokidar';
import pLimit from 'p-limit';
import { whyNotAFile } from '../storage/walk';
import { leftAlone } from '../schemas/notMedia';
import { cleanPath, lakeFileAt, type LakeFile } from './fileNames';
import { ingestFile, type IngestContext, type IngestResult } from './ingest';

export interface FolderWatch {
  /** Resolves once the files already there have been seen (taken, unless `ignoreInitial`). */
  ready: Promise<void>;
  /** Stops watching; files still waiting their turn are not taken, those being ingested finish first. */
  close(): Promise<void>;
}

export interface FolderWatchOptions {
  /** Files ingested at once, as a bulk ingest takes them (producers/directory.ts): a burst of dropped files waits its turn rather than being read all together. */
  concurrency?: number;
  /** Leaves the files already there to a bulk ingest of the folder, started once `ready`; only those that arrive or change after are taken. */
  ignoreInitial?: boolean;
  /**
   * The lake's own files (producers/fileNames.ts lakeFiles): passed over
   * where the folder holds them, reported once each as a SkippedEntry
   * (unless `ignoreInitial`: the bulk ingest reports them). Watched, a data
   * directory would bring each rendition back in as a new asset, without end.
   */
  lakeFiles?: readonly LakeFile[];
}

/** How long a file must stay the same size to count as written: a copy over a network or from a slow disk pauses for longer than a moment. */
const WRITTEN_AFTER_MS = 2_000;

/**
 * A watched folder works like a bucket with upload notifications: a file
 * dropped into it is ingested once it has stopped growing, under its path
 * below the folder (as a bulk ingest names it), and again when it is
 * written anew (its new bytes are a new asset). Files and folders below it
 * that a bulk ingest leaves alone (hidden ones, Windows' own, the lake's
 * own: `lakeFiles`) are left alone here too; the folder itself may be hidden (`--watch .`). What is not a
 * file (a link to a folder, a named pipe) is reported as a SkippedEntry
 * (storage/walk.ts).
 */
export function watchFolder(
  context: IngestContext,
  folder: string,
  onFile: (path: string, result: IngestResult | Error) => void,
  options: FolderWatchOptions = {},
): FolderWatch {
  // Absolute, so that each asset's origin says where its file was, wherever the command ran.
  const root = resolve(folder);
  const limit = pLimit(options.concurrency ?? 4);
  const lakeFile = lakeFileAt(root, options.lakeFiles ?? []);
  const reported = new Set<string>();
  const isLakeFile = (path: string) => {
    const own = lakeFile(path);
    if (own && !options.ignoreInitial && !reported.has(path)) {
      reported.add(path);
      queueMicrotask(() => onFile(path, own));
    }
    return Boolean(own);
  };
  const watcher = watch(root, {
    ignored: (path) => relative(root, path).split(sep).some(leftAlone) || isLakeFile(path),
    ignoreInitial: options.ignoreInitial ?? false,
    awaitWriteFinish: { stabilityThreshold: WRITTEN_AFTER_MS, pollInterval: 100 },
    // As a bulk ingest walks (storage/walk.ts): a link to a folder can lead back up the tree.
    followSymlinks: false,
  });
  // A folder it cannot watch (no permission) is reported; the rest stays watched, and the process up.
  watcher.on('error', (error) => onFile((error as NodeJS.ErrnoException).path ?? root, error as Error));
  const ingest = async (path: string) => {
    // chokidar reports links to folders and named pipes as files too; reading a pipe would hold its turn for good.
    const notAFile = await whyNotAFile(path);
    if (notAFile) throw notAFile;
    return ingestFile({ ...context, source: 'watch' }, path, { kind: 'watch', path }, cleanPath(relative(root, path)));
  };
  let closed = false;
  const inFlight = new Set<Promise<void>>();
  const take = (path: string) => {
    const task = limit(async () => {
      // Once closed, a file still waiting its turn is left where it is: the next bulk ingest or watch of the folder takes it.
      if (closed) return;
      onFile(path, await ingest(path).catch((error: Error) => error));
    }).finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  watcher.on('add', take).on('change', take);
  return {
    ready: new Promise((seen) => watcher.once('ready', () => seen())),
    // Those in flight finish before the caller closes the lake under them.
    async close() {
      closed = true;
      await watcher.close();
      await Promise.all(inFlight);
    },
  };
}
