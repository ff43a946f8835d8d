import type { AssetRecord } from '../projections/assetRecord';
import { oneLine } from './table';

/** A file that did not fully make it: where it is, its asset when it became one, and why. */
export interface Problem {
  path: string;
  assetId?: string;
  error: string;
}

/**
 * What `ingest` reports. `failed`: files that could not be ingested, and with
 * --wait also assets that no processor could make anything of; `degraded`
 * (known only with --wait, so present only then): assets with some results
 * and some failures.
 */
export interface IngestReport {
  ingested: number;
  duplicates: number;
  failed: Problem[];
  degraded?: Problem[];
  /** What below a folder is not a file (a link to a folder, a link loop, a named pipe) and was passed over, with why: reported, not failed. */
  skipped: { path: string; reason: string }[];
  /** Files the command could not ingest for an outage of the log's coordinator (not failed: ingesting again takes them). */
  notIngested: string[];
  /** The outage, when there was one. */
  outage?: string;
  /** The correlation id of every event this command appended: its run in the audit trail. */
  correlationId: string;
}

/** Why processing fell short, each distinct reason once with the processors that gave it. */
export function failureReason(failures: AssetRecord['failures']): string {
  const byReason = new Map<string, string[]>();
  for (const { processor, code, message } of failures) {
    const reason = `${code} ${oneLine(message)}`;
    byReason.set(reason, [...(byReason.get(reason) ?? []), processor.replace(/^processor:/, '')]);
  }
  return [...byReason].map(([reason, processors]) => `${processors.join(', ')}: ${reason}`).join('; ');
}

/** The summary for people: one line of counts; with `verbose`, a line per failed, degraded or skipped file saying why. */
export function summaryText(report: IngestReport, { verbose, waited }: { verbose: boolean; waited: boolean }): string {
  const counts = [`ingested ${report.ingested}`, `duplicates ${report.duplicates}`, `failed ${report.failed.length}`];
  if (waited) counts.push(`degraded ${report.degraded?.length ?? 0}`);
  if (report.notIngested.length) counts.push(`not ingested ${report.notIngested.length}`);
  if (report.skipped.length) counts.push(`skipped ${report.skipped.length}`);
  const lines = [counts.join(', ') + (waited ? '' : '; `medialake serve` processes them, or --wait does now and counts the files that processing fails or degrades')];
  if (report.notIngested.length) {
    lines.push(`  ${report.notIngested.length} files not ingested: ${report.outage} (files already in the lake then count as duplicates)`);
    if (verbose) for (const path of report.notIngested) lines.push(`  not ingested  ${oneLine(path)}`);
  }
  const problems = [
    ...report.failed.map((p) => ['failed', p] as const),
    ...(report.degraded ?? []).map((p) => ['degraded', p] as const),
    ...report.skipped.map(({ path, reason }) => ['skipped', { path, error: reason }] as const),
  ];
  if (verbose) for (const [kind, problem] of problems) lines.push(`  ${kind.padEnd(8)}  ${oneLine(problem.path)}: ${oneLine(problem.error)}`);
  else if (problems.length) lines.push(`  --verbose names each ${report.skipped.length ? 'failed, degraded or skipped' : 'failed or degraded'} file and why`);
  return `${lines.join('\n')}\n`;
}
