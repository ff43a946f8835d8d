import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { verifyAndRecord } from '../app/chainVerification';
import { openChainKeys } from '../app/backends';
import type { Config } from '../app/config';
import { verifyLogFile } from '../log/sqliteLogFile';
import { type ChainAnchor, type ChainReport } from '../log/hashChain';
import { AuditQuery, type AuditPage } from '../projections/audit/auditTrail';
import { AUDIT_COLUMNS, auditColumnNames, auditRows } from '../projections/audit/auditColumns';
import { csvLine, toCsv } from '../projections/audit/csv';
import { EVENT_TYPES } from '../schemas/events';
import type { CliContext, OutputFormat } from './context';
import { assetId, choiceFlag, dateOrTime, existingFile, flag, listOf, nameValue, queryError, text, wholeNumber, type FlagValue } from './flags';
import { formatTable } from './table';

const formatOption = () => choiceFlag('--format <format>', 'table, json or csv', ['table', 'json', 'csv']).default('table');

/** The columns a person reads in a terminal: the rest is in JSON and CSV. */
const TABLE_COLUMNS = ['time', 'asset_id', 'asset_version', 'type', 'actor', 'source', 'payload'];

/** Writes to stdout, waiting while it is full: a trail paged into a slow pipe (| gzip) is not held in memory. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

/**
 * One page in its format. JSON of every page (--all) is one document written
 * as it goes, an entry a line, `{"entries":[` … `]}`: a whole trail in one
 * string is past what a string may hold.
 */
async function printPage(page: AuditPage, format: OutputFormat, first: boolean, last: boolean): Promise<void> {
  if (format === 'json') {
    const entries = page.entries.map((entry) => JSON.stringify(entry));
    const separator = first || !entries.length ? '' : ',\n';
    return write(`${first ? '{"entries":[\n' : ''}${separator}${entries.join(',\n')}${last ? '\n]}\n' : ''}`);
  }
  const rows = auditRows(page.entries);
  if (format === 'csv') return write((first ? csvLine(auditColumnNames()) : '') + rows.map(csvLine).join(''));
  const keep = TABLE_COLUMNS.map((name) => AUDIT_COLUMNS.findIndex(([column]) => column === name));
  return write(formatTable(TABLE_COLUMNS, rows.map((row) => keep.map((i) => row[i]))));
}

const anchor: FlagValue<ChainAnchor> = {
  expects: 'OFFSET:HASH, as a previous `audit verify` printed the head',
  read(value) {
    const match = /^(\d+):(k1:[0-9a-f]{12}:[0-9a-f]{32}:[0-9a-f]{64}|[0-9a-f]{64})$/.exec(value);
    return match ? { offset: Number(match[1]), hash: match[2]! } : undefined;
  },
};

function printChain(reports: ChainReport[]): void {
  for (const report of reports) {
    const head = report.head ? `; head offset ${report.head.offset} hash ${report.head.hash}` : '';
    const unchained = report.unchained ? ` (${report.unchained} written before the log kept hashes)` : '';
    const unsigned = report.unsigned ? `, unsigned up to offset ${report.unsigned.upTo} (${report.unsigned.events} written before the log was signed)` : '';
    process.stdout.write(`partition ${report.partition}: ${report.events} events${unchained}${unsigned}, ${report.breaks.length ? `${report.breaks.length} break(s)` : 'chain intact'}${head}\n`);
    for (const found of report.breaks) process.stdout.write(`  ${found.message}\n`);
  }
}

/**
 * A copy of an embedded log, checked read-only with the keyring the command
 * is configured with (--config, the environment), else the chain.key beside
 * the copy, else the data directory's (--data); its result is not the
 * lake's, so it is not recorded.
 */
function verifyCopy(settings: Config, path: string, anchor?: ChainAnchor): Promise<ChainReport[]> {
  const keyDirectory = existsSync(join(dirname(path), 'chain.key')) ? dirname(path) : settings.data;
  return verifyLogFile(path, openChainKeys(settings, keyDirectory), anchor);
}

/** `medialake audit`: the audit trail, SQL over it, and the log's hash chain. */
export function auditCommand(cli: CliContext): Command {
  const command = new Command('audit')
    .description('the audit trail: who did what to which asset, when, from where (filters, paging, table/JSON/CSV)')
    .addOption(flag('--asset <id>', 'one asset', assetId))
    .addOption(flag('--actor <name>', 'one actor', text(200)))
    .addOption(flag('--type <types>', 'event types, comma-separated (AssetDeleted,UserMetadataUpdated)', listOf(EVENT_TYPES)))
    .addOption(flag('--source <source>', 'api, cli, s3, processor:metadata@1, or a prefix ending in * (processor:*)', text(200)))
    .addOption(flag('--from <time>', 'from this date or time on (UTC)', dateOrTime))
    .addOption(flag('--to <time>', 'before this time; a date includes its whole day (UTC)', dateOrTime))
    .addOption(choiceFlag('--order <order>', 'oldest (asc) or newest (desc) first', ['asc', 'desc']).default('asc'))
    .addOption(flag('--limit <n>', 'entries per page (at most 1000)', wholeNumber(1, 1000)).default(100))
    .addOption(flag('--after <cursor>', 'the page after this cursor (as a previous page printed it)', text(10_000)))
    .option('--all', 'every page, to the end')
    .addOption(formatOption())
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { all, format, ...filters } = options as { all?: boolean; format: OutputFormat } & Record<string, unknown>;
      const parsed = AuditQuery.safeParse(filters);
      if (!parsed.success) throw queryError(parsed.error);
      await cli.readLake((lake) => [lake.audit], async (lake) => {
        let query = parsed.data;
        if (!all) {
          const page = await lake.audit.query(query);
          if (format === 'json') return cli.print({ entries: page.entries, ...(page.next && { next: page.next }) });
          await printPage(page, format, true, true);
          if (page.next) process.stderr.write(`more: --after ${page.next}\n`);
          return;
        }
        for (let first = true; ; first = false) {
          const page = await lake.audit.query(query);
          await printPage(page, format, first, !page.next);
          if (!page.next) return;
          query = { ...query, after: page.next };
        }
      });
    });

  command
    .command('sql <statement>')
    .description('one read-only SQL statement over the audit table audit_events (SQLite): its columns and worked examples are in docs/audit.md')
    .addOption(flag('--param <name=value...>', 'named parameters (:name in the statement)', nameValue))
    // --format is the audit command's own: an option of both would always go to the parent, so the help says it here.
    .addHelpText('after', '\nOutput: --format table, json or csv (default table), the option of `medialake audit`, given before or after the statement.')
    .action(async (statement: string, _: unknown, self: Command) => {
      const options = self.optsWithGlobals<{ param?: [string, string][]; format: OutputFormat }>();
      const result = await cli.readLake((lake) => [lake.audit], (lake) => lake.audit.sql(statement, Object.fromEntries(options.param ?? [])));
      if (options.format === 'json') return cli.print(result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]]))));
      process.stdout.write(options.format === 'csv' ? toCsv(result.columns, result.rows) : formatTable(result.columns, result.rows));
    });

  command
    .command('verify')
    .description("check the log's hash chain: finds an edited, deleted, inserted or reordered event and says where")
    .addOption(flag('--log-file <path>', 'an embedded log file (a copy, say) instead of the configured log', existingFile))
    .addOption(
      flag('--anchor <offset:hash>', 'embedded log: a head printed by an earlier verify, to also find events dropped from the end (Kafka and Kinesis check against the heads Redis keeps)', anchor),
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { logFile?: string; anchor?: ChainAnchor; json?: boolean }) => {
      const reports = options.logFile ? await verifyCopy(cli.config(), options.logFile, options.anchor) : await cli.existingLake((lake) => verifyAndRecord(lake, options.anchor));
      if (options.json) cli.print(reports);
      else printChain(reports);
      if (reports.some((r) => r.breaks.length)) process.exitCode = 3;
    });

  return command;
}
