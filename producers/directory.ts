import { stat } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import { isSkippedEntry, walkFiles } from '../storage/walk';
import pLimit from 'p-limit';
import { isCoordinationUnavailable } from '../log/redisConnection';
import { CoordinatorOutage, type OutageHooks } from './coordinatorOutage';
import { leftAlone } from '../schemas/notMedia';
import { cleanPath, lakeFileAt, type LakeFile } from './fileNames';
import { ingestFile, type IngestContext, type IngestResult } from './ingest';

export interface DirectoryIngestSummary {
  ingested: number;
  duplicates: number;
  failed: { path: string; error: string }[];
  /** What below a folder is not a file and was passed over, with why (a link to a folder, a link loop, a named pipe): no failure. */
  skipped: { path: string; reason: string }[];
  /**
   * Files neither ingested nor failed: the log's coordinator was out of reach
   * past `outageRetryMs`, so whether each is in the lake is unknown; ingesting
   * the folder again takes them (files already in the lake then count as duplicates).
   */
  notIngested: string[];
  /** Why files were not ingested; absent when none were. */
  outage?: string;
}

export interface DirectoryIngestOptions {
  concurrency?: number;
  /** Called after each file, for progress bars. */
  onFile?: (path: string, result: IngestResult | Error) => void;
  /** How long to retry while the log's coordinator (Redis) is out of reach, from the outage's start; 0: not at all. */
  outageRetryMs?: number;
  /** Told when such an outage begins and ends. */
  outage?: OutageHooks;
  /** The lake's own files (producers/fileNames.ts lakeFiles): passed over where a folder holds them, as skipped. */
  lakeFiles?: readonly LakeFile[];
}

/**
 * The files a bulk ingest takes, by absolute path (wherever the command
 * ran): a file named, and all below a folder named but those left alone
 * (hidden ones, Windows' own) and the lake's own (`lake`: its data
 * directory, its key and secrets files); what below a folder it does not
 * take goes to `onUnwalked` (storage/walk.ts), the lake's own as a
 * SkippedEntry.
 */
export async function* filesBelow(
  roots: string | readonly string[],
  onUnwalked: (path: string, error: Error) => void = () => undefined,
  lake: readonly LakeFile[] = [],
): AsyncIterable<{ root: string; path: string }> {
  for (const root of [roots].flat().map((named) => resolve(named))) {
    const lakeFile = lakeFileAt(root, lake);
    const own = lakeFile(root);
    if (own) onUnwalked(root, own);
    else if ((await stat(root)).isFile()) yield { root, path: root };
    else for await (const path of walkFiles(root, (name, path) => leftAlone(name) || (lakeFile(path) ?? false), onUnwalked)) yield { root, path };
  }
}

/**
 * Bulk ingest of folders and files (each file named under its path below
 * the folder named, or its own name, cleaned as uploads are named:
 * producers/fileNames.ts). Files are hashed and stored a few at a time; a
 * file that cannot be read is reported and the rest go on.
 */
export async function ingestDirectory(
  context: IngestContext,
  roots: string | readonly string[],
  options: DirectoryIngestOptions = {},
): Promise<DirectoryIngestSummary> {
  const limit = pLimit(options.concurrency ?? 4);
  const summary: DirectoryIngestSummary = { ingested: 0, duplicates: 0, failed: [], skipped: [], notIngested: [] };
  const outage = new CoordinatorOutage(options.outageRetryMs ?? 0, options.outage);
  const running = new Set<Promise<void>>();
  const unwalked = (path: string, error: Error) => {
    if (isSkippedEntry(error)) return void summary.skipped.push({ path, reason: error.message });
    summary.failed.push({ path, error: error.message });
    options.onFile?.(path, error);
  };
  for await (const { root, path } of filesBelow(roots, unwalked, options.lakeFiles)) {
    const task = limit(async () => {
      try {
        // Past the outage's deadline the rest are not tried: each would wait in vain.
        if (outage.over) throw outage.error;
        const result = await outage.call(() => ingestFile(context, path, { kind: 'directory', path }, cleanPath(relative(root, path) || basename(path))));
        summary[result.status === 'ingested' ? 'ingested' : 'duplicates']++;
        options.onFile?.(path, result);
      } catch (error) {
        if (isCoordinationUnavailable(error)) {
          summary.notIngested.push(path);
          summary.outage = error.message;
        } else summary.failed.push({ path, error: (error as Error).message });
        options.onFile?.(path, error as Error);
      }
    }).finally(() => running.delete(task));
    running.add(task);
    // Backpressure: the walk waits while the queue is full.
    if (running.size >= 4 * (options.concurrency ?? 4)) await Promise.race(running);
  }
  await Promise.all(running);
  return summary;
}
