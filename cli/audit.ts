import { Command, Option } from 'commander';
import { SqliteEventLog } from '../log/sqlite';
import { isTamperEvident, type ChainAnchor, type ChainReport } from '../log/hashChain';
import { AuditQuery, type AuditPage } from '../projections/audit/auditTrail';
import { AUDIT_COLUMNS, auditColumnNames, auditRows } from '../projections/audit/auditColumns';
import { csvLine, toCsv } from '../projections/audit/csv';
import type { CliContext, OutputFormat } from './context';
import { formatTable } from './table';

const formatOption = () => new Option('--format <format>', 'table, json or csv').choices(['table', 'json', 'csv']).default('table');

/** The columns a person reads in a terminal: the rest is in JSON and CSV. */
const TABLE_COLUMNS = ['time', 'asset_id', 'asset_version', 'type', 'actor', 'source', 'payload'];

function printPage(page: AuditPage, format: OutputFormat, first: boolean): void {
  const rows = auditRows(page.entries);
  if (format === 'csv') {
    process.stdout.write((first ? csvLine(auditColumnNames()) : '') + rows.map(csvLine).join(''));
  } else {
    const keep = TABLE_COLUMNS.map((name) => AUDIT_COLUMNS.findIndex(([column]) => column === name));
    process.stdout.write(formatTable(TABLE_COLUMNS, rows.map((row) => keep.map((i) => row[i]))));
  }
}

function parseAnchor(value: string): ChainAnchor {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value);
  if (!match) throw new Error('--anchor: OFFSET:HASH, as a previous `audit verify` printed the head');
  return { offset: Number(match[1]), hash: match[2]! };
}

function printChain(reports: ChainReport[]): void {
  for (const report of reports) {
    const head = report.head ? `; head offset ${report.head.offset} hash ${report.head.hash}` : '';
    const unchained = report.unchained ? ` (${report.unchained} written before the log kept hashes)` : '';
    process.stdout.write(`partition ${report.partition}: ${report.events} events${unchained}, ${report.breaks.length ? `${report.breaks.length} break(s)` : 'chain intact'}${head}\n`);
    for (const found of report.breaks) process.stdout.write(`  ${found.message}\n`);
  }
}

/** `medialake audit`: the audit trail, SQL over it, and the log's hash chain. */
export function auditCommand(cli: CliContext): Command {
  const command = new Command('audit')
    .description('the audit trail: who did what to which asset, when, from where (filters, paging, table/JSON/CSV)')
    .option('--asset <id>', 'one asset')
    .option('--actor <name>', 'one actor')
    .option('--type <types>', 'event types, comma-separated (AssetDeleted,UserMetadataUpdated)')
    .option('--source <source>', 'api, cli, s3, processor:metadata@1, or a prefix ending in * (processor:*)')
    .option('--from <time>', 'from this date or time on (UTC)')
    .option('--to <time>', 'before this time; a date includes its whole day (UTC)')
    .addOption(new Option('--order <order>', 'oldest (asc) or newest (desc) first').choices(['asc', 'desc']).default('asc'))
    .option('--limit <n>', 'entries per page', '100')
    .option('--after <cursor>', 'the page after this cursor (as a previous page printed it)')
    .option('--all', 'every page, to the end')
    .addOption(formatOption())
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { all, format, ...filters } = options as { all?: boolean; format: OutputFormat } & Record<string, string>;
      const parsed = AuditQuery.safeParse(filters);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
      await cli.withLake(async (lake) => {
        let query = parsed.data;
        const collected: AuditPage['entries'] = [];
        for (let first = true; ; first = false) {
          const page = await lake.audit.query(query);
          if (format === 'json') collected.push(...page.entries);
          else printPage(page, format, first);
          if (!all || !page.next) {
            if (format === 'json') cli.print({ entries: collected, ...(page.next && !all && { next: page.next }) });
            else if (page.next) process.stderr.write(`more: --after ${page.next}\n`);
            return;
          }
          query = { ...query, after: page.next };
        }
      });
    });

  command
    .command('sql <statement>')
    .description('read-only SQL over the audit table audit_events (SQLite; see the README\'s "Audit and compliance"); --format table, json or csv')
    .option('--param <name=value...>', 'named parameters (:name in the statement)')
    // --format is the audit command's own: an option of both would always go to the parent.
    .action(async (statement: string, _: unknown, self: Command) => {
      const options = self.optsWithGlobals<{ param?: string[]; format: OutputFormat }>();
      const parameters = Object.fromEntries(
        (options.param ?? []).map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new Error(`--param ${pair}: write it as name=value`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
      );
      const result = await cli.withLake((lake) => lake.audit.sql(statement, parameters));
      if (options.format === 'json') return cli.print(result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]]))));
      process.stdout.write(options.format === 'csv' ? toCsv(result.columns, result.rows) : formatTable(result.columns, result.rows));
    });

  command
    .command('verify')
    .description("check the log's hash chain: finds an edited, deleted, inserted or reordered event and says where")
    .option('--log-file <path>', 'an embedded log file (a copy, say) instead of the configured log')
    .option('--anchor <offset:hash>', 'embedded log: a head printed by an earlier verify, to also find events dropped from the end (Kafka and Kinesis check against the heads Redis keeps)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { logFile?: string; anchor?: string; json?: boolean }) => {
      const anchor = options.anchor ? parseAnchor(options.anchor) : undefined;
      const verify = async (log: object) => {
        if (!isTamperEvident(log)) throw new Error('this log backend keeps no hash chain: verify the embedded, Kafka or Kinesis log');
        return log.verifyChain(anchor);
      };
      let reports: ChainReport[];
      if (options.logFile) {
        const log = new SqliteEventLog({ path: options.logFile });
        reports = await verify(log).finally(() => log.close());
      } else reports = await cli.withLake((lake) => verify(lake.log));
      if (options.json) cli.print(reports);
      else printChain(reports);
      if (reports.some((r) => r.breaks.length)) process.exitCode = 3;
    });

  return command;
}
