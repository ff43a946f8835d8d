import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Command } from 'commander';
import { ConsumersFailingError, type Lake } from '../app/lake';
import type { AssetRecords } from '../projections/assets/assetRecords';
import { filesBelow, ingestDirectory } from '../producers/directory';
import { lakeFiles, type LakeFile } from '../producers/fileNames';
import type { IngestContext, IngestResult } from '../producers/ingest';
import type { FolderWatch } from '../producers/watch';
import { isSkippedEntry } from '../storage/walk';
import { isCoordinationUnavailable } from '../log/redisConnection';
import { CoordinatorOutage } from '../producers/coordinatorOutage';
import type { CliContext } from './context';
import { failureReason, summaryText, type IngestReport, type Problem } from './ingestSummary';
import { progressBar } from './progress';
import { oneLine } from './table';

/** The bar shows the work left to the slowest consumer shrinking; it never goes back when processors append more. */
async function waitWithProgress(lake: Lake): Promise<void> {
  let most = 0;
  let shown = 0;
  const bar = progressBar('processing', 1);
  try {
    await lake.waitForIdle({
      onProgress: (status) => {
        const lag = Math.max(...status.map((s) => s.lag));
        most = Math.max(most, lag);
        shown = Math.max(shown, most - lag);
        bar.update(shown, most);
      },
    });
  } finally {
    bar.stop();
  }
}

/** What processing made of the assets of this ingest's files (path by asset id): those it failed and those it degraded. */
async function processingProblems(records: AssetRecords, taken: Map<string, string>): Promise<{ failed: Problem[]; degraded: Problem[] }> {
  const found = { failed: [] as Problem[], degraded: [] as Problem[] };
  for (const [assetId, path] of taken) {
    const record = await records.get(assetId);
    if (record?.status === 'failed' || record?.status === 'degraded') found[record.status].push({ path, assetId, error: failureReason(record.failures) });
  }
  return found;
}

/** While the coordinator is out of reach: one line when the retries begin and one when appends go through again. */
const outageLines = {
  onDown: (error: Error, retryMs: number) =>
    process.stderr.write(`medialake: ${error.message.replace(/,.*$/, '')}; retrying for up to ${Math.round(retryMs / 1000)} s (ingest.outageRetryMs)\n`),
  onBack: () => process.stderr.write('medialake: reachable again; ingest goes on\n'),
};

/**
 * Ingests the folders and files with a bar; returns the counts and, by asset
 * id, the path of each file's asset, whether this run added it or found it
 * there: a run again over the same folder counts what processing made of its
 * files as the first did.
 */
async function ingestWithProgress(
  context: IngestContext & { correlationId: string },
  paths: string[],
  options: { outageRetryMs: number; lakeFiles: readonly LakeFile[] },
): Promise<{ report: IngestReport; taken: Map<string, string> }> {
  let total = 0;
  // What the walk cannot take (a name that is not UTF-8, a link loop) is reported as a file is: counted too.
  for await (const _ of filesBelow(paths, () => total++, options.lakeFiles)) total++;
  const bar = progressBar('ingesting', total);
  const taken = new Map<string, string>();
  let done = 0;
  const summary = await ingestDirectory(context, paths, {
    ...options,
    outage: outageLines,
    onFile: (path, result) => {
      if (!(result instanceof Error)) taken.set(result.assetId, path);
      bar.update(++done);
    },
  });
  bar.stop();
  return { report: { ...summary, correlationId: context.correlationId }, taken };
}

/** Each file the watch takes: a line for people, or with --json a JSON object a line (as the summary before it is, on one line). */
function watchedLine(path: string, result: IngestResult | Error, json: boolean): string {
  if (json) {
    const line = isSkippedEntry(result)
      ? { path, skipped: result.message }
      : result instanceof Error
        ? { path, failed: result.message }
        : { path, assetId: result.assetId, status: result.status };
    return `${JSON.stringify(line)}\n`;
  }
  if (isSkippedEntry(result)) return `${oneLine(path)}: skipped: ${oneLine(result.message)}\n`;
  return `${oneLine(path)}: ${result instanceof Error ? `failed: ${oneLine(result.message)}` : result.status}\n`;
}

/**
 * Watches the folder from before the first pass, so that a file dropped
 * during it is not missed, but not the files already there (the first pass
 * takes them, and would read each twice). Each file's line is held back
 * until `release`, so that the summary comes first.
 */
async function watchFromNow(context: IngestContext, dir: string, json: boolean, lake: readonly LakeFile[]): Promise<FolderWatch & { release(): void }> {
  const { watchFolder } = await import('../producers/watch');
  const held: string[] = [];
  let write = (line: string) => void held.push(line);
  const folder = watchFolder(context, dir, (path, result) => write(watchedLine(path, result, json)), { ignoreInitial: true, lakeFiles: lake });
  await folder.ready;
  return {
    ...folder,
    release() {
      write = (line) => void process.stdout.write(line);
      held.splice(0).forEach(write);
    },
  };
}

/** sysexits' EX_TEMPFAIL: some files were not ingested because of an outage; the same command later takes them. */
const EXIT_TRY_AGAIN = 75;

interface IngestOptions {
  wait?: boolean;
  watch?: boolean;
  json?: boolean;
  verbose?: boolean;
}

/**
 * Why a path named on the command line cannot be read. A name that is not
 * UTF-8 (a Latin-1 archive's) reaches Node with its bytes replaced (U+FFFD),
 * so no such file is found by it.
 */
function whyNotThere(path: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ELOOP') return 'a link that leads round in a loop';
  if (error.code === 'EACCES') return 'not readable here (permission denied)';
  if (path.includes('\uFFFD')) return 'its name is not UTF-8 text, which a command line cannot pass on: rename it, or name the folder that holds it';
  return 'there is no such file or folder';
}

/** Each path a file or a folder; --watch watches one folder. */
async function checkPaths(paths: string[], watch: boolean): Promise<void> {
  for (const path of paths) {
    const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (found instanceof Error) throw new Error(`${oneLine(path)}: ${whyNotThere(path, found)}`);
    if (!found.isFile() && !found.isDirectory()) throw new Error(`${path} is neither a file nor a folder`);
    if (watch && (paths.length > 1 || !found.isDirectory())) throw new Error('--watch watches one folder: name it alone');
  }
}

/** `medialake ingest PATH...`: each file, and every file below each folder, then a summary (with --wait, of what processing made of them too). */
export function ingestCommand(cli: CliContext): Command {
  return new Command('ingest')
    .description('ingest files, and every file below folders; the same bytes twice make one asset')
    .argument('<paths...>', 'files and folders')
    .option('--wait', 'return only when processing and projections have caught up, and count what processing failed or degraded')
    .option('--watch', 'then keep watching the folder for files dropped into it (until interrupted)')
    .option('--verbose', 'name each failed, degraded or skipped file and say why')
    .option('--json', 'print the summary as JSON')
    .action(async (paths: string[], options: IngestOptions) => {
      await checkPaths(paths, Boolean(options.watch));
      const settings = cli.config();
      const opened = await openRidingOut(cli, settings.ingest.outageRetryMs, async (lake) => {
        // Consumers run here too: on the embedded log a running server's leases win and these wait; on a partitioned
        // log a group that workers consume is left to them, and only waited on (Lake.startForCommand).
        if (options.wait || options.watch) await lake.startForCommand();
        // One correlation id for every file of this command: its run is found in the audit trail (law 8).
        const context = { log: lake.log, store: lake.store, actor: cli.actor(), source: 'cli', correlationId: randomUUID() };
        // The lake's own files are passed over wherever the folders hold them (its data directory below the folder ingested).
        const own = lakeFiles(lake.config);
        const watching = options.watch ? await watchFromNow(context, paths[0]!, Boolean(options.json), own) : undefined;
        try {
          const { report, taken } = await ingestWithProgress(context, paths, { outageRetryMs: lake.config.ingest.outageRetryMs, lakeFiles: own });
          // Processing appends too: with the coordinator gone there is nothing to wait for.
          if (options.wait && !report.notIngested.length) {
            // Consumers that keep failing (a full disk): what the ingest did is told, then why the wait ended (exit 1).
            await waitWithProgress(lake).catch((error: unknown) => {
              if (error instanceof ConsumersFailingError) printReport(cli, report, options);
              throw error;
            });
            const processing = await processingProblems(lake.records, taken);
            report.failed.push(...processing.failed);
            report.degraded = processing.degraded;
          }
          printReport(cli, report, options);
          if (watching) {
            watching.release();
            await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
          }
        } finally {
          await watching?.close();
        }
      });
      if (opened instanceof Error) {
        // The lake never opened: every file is left for the same command later, as when the outage comes mid-run.
        const report: IngestReport = { ingested: 0, duplicates: 0, failed: [], skipped: [], notIngested: [], outage: opened.message, correlationId: randomUUID() };
        const unwalked = (path: string, error: Error) =>
          void (isSkippedEntry(error) ? report.skipped.push({ path, reason: error.message }) : report.failed.push({ path, error: error.message }));
        for await (const { path } of filesBelow(paths, unwalked, lakeFiles(settings))) report.notIngested.push(path);
        printReport(cli, report, options);
        // What the failed opens made before the coordinator refused them (its reconnecting client among them) is not closed by openLake and would hold the process up.
        await new Promise((written) => process.stdout.write('', written));
        process.exit();
      }
    });
}

/** The summary, for people or (--json) programs, and the exit status it calls for. */
function printReport(cli: CliContext, report: IngestReport, options: IngestOptions): void {
  // Under --watch, a line a JSON object: the summary too, before the files' lines.
  if (options.json && options.watch) process.stdout.write(`${JSON.stringify(report)}\n`);
  else if (options.json) cli.print(report);
  else process.stdout.write(summaryText(report, { verbose: Boolean(options.verbose), waited: Boolean(options.wait) }));
  if (report.notIngested.length) process.exitCode = EXIT_TRY_AGAIN;
  else if (report.failed.length) process.exitCode = 2;
}

/** An error the command met once the lake was open: its own, not the open's outage, so not retried. */
class AfterOpen {
  constructor(readonly error: unknown) {}
}

/**
 * Runs `run` on the lake, opening it through an outage of the log's
 * coordinator (Redis, on a Kafka or Kinesis log) as the ingest itself rides
 * one out: retried for up to `retryMs`, saying so. Past that, the outage's
 * error is returned, for the command to report its files as not ingested.
 */
async function openRidingOut(cli: CliContext, retryMs: number, run: (lake: Lake) => Promise<void>): Promise<void | Error> {
  let opened = false;
  const outage = new CoordinatorOutage(retryMs, outageLines);
  try {
    await outage.call(() =>
      cli
        .withLake((lake) => {
          opened = true;
          return run(lake);
        })
        .catch((error: unknown) => {
          throw opened ? new AfterOpen(error) : error;
        }),
    );
  } catch (error) {
    if (error instanceof AfterOpen) throw error.error;
    if (isCoordinationUnavailable(error)) return error;
    throw error;
  }
}
