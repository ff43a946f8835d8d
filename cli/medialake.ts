import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../app/config';
import type { Lake } from '../app/lake';
import { filesBelow, ingestDirectory } from '../producers/directory';
import { ModeSearchQuery, SEARCH_MODES, searchInMode } from '../projections/vectors/semanticSearch';
import { eventJsonSchema } from '../schemas/jsonSchema';
import { progressBar } from './progress';
import { projectionsCommand } from './projections';
import { camerasCommand } from './cameras';
import { reprocessCommand } from './reprocess';
import { auditCommand } from './audit';
import { eraseCommand } from './erase';
import { userInfo } from 'node:os';
import { stat } from 'node:fs/promises';

const program = new Command('medialake')
  .description('An event-sourced media lake: ingest, process, project and search media; every fact on a durable log.')
  .option('--data <dir>', 'data directory (env MEDIALAKE_DATA, default ./.medialake)')
  .option('--config <file>', 'JSON config file (env MEDIALAKE_CONFIG, default ./medialake.config.json)')
  .showHelpAfterError('(add --help for usage)');

// A reader that stops early (`medialake search … | head`) is no error: stop quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

function config(): Config {
  const { data, config: file } = program.opts<{ data?: string; config?: string }>();
  return loadConfig({ data }, file ? { ...process.env, MEDIALAKE_CONFIG: file } : process.env);
}

/** The lake and the API load when a command needs them: `--help` and errors in arguments stay quick. */
async function openLake(config: Config): Promise<Lake> {
  return (await import('../app/lake')).openLake(config);
}

/** Opens the lake for one command and always closes it. */
async function withLake<T>(run: (lake: Lake) => Promise<T>, overrides: Partial<Config> = {}): Promise<T> {
  const lake = await openLake({ ...config(), ...overrides });
  try {
    return await run(lake);
  } finally {
    await lake.close();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
const actor = () => process.env.MEDIALAKE_ACTOR ?? userInfo().username;

/** The bar shows the work left to the slowest consumer shrinking. */
async function waitWithProgress(lake: Lake): Promise<void> {
  let most = 0;
  const bar = progressBar('processing', 1);
  await lake.waitForIdle({
    onProgress: (status) => {
      const lag = Math.max(...status.map((s) => s.lag));
      most = Math.max(most, lag);
      bar.update(most - lag, most);
    },
  });
  bar.stop();
}

program
  .command('serve')
  .description('run the API, every processor and every projection (and optionally watch a folder)')
  .option('--port <port>', 'port (env MEDIALAKE_PORT, default 8080)')
  .option('--host <host>', 'address to listen on (env MEDIALAKE_HOST, default 127.0.0.1)')
  .option('--watch <dir>', 'ingest files dropped into this folder')
  .action(async (options: { port?: string; host?: string; watch?: string }) => {
    const base = config();
    const lake = await openLake({ ...base, api: { ...base.api, port: Number(options.port ?? base.api.port), host: options.host ?? base.api.host } });
    lake.start();
    const { buildServer } = await import('../api/server');
    const { watchFolder } = await import('../producers/watch');
    const app = await buildServer(lake);
    const folder = options.watch
      ? watchFolder({ log: lake.log, store: lake.store, actor: actor(), source: 'watch' }, options.watch, (path, result) =>
          result instanceof Error
            ? lake.logger.warn({ path, err: result }, 'watched file not ingested')
            : lake.logger.info({ path, ...result, event: undefined }, 'watched file ingested'),
        )
      : undefined;
    // The SQS client loads only when a queue is configured.
    const notifications = lake.config.sources.sqsQueueUrl
      ? (await import('../app/sqsPolling')).pollConfiguredSqsQueue(lake.config, lake, lake.logger)
      : undefined;
    const address = await app.listen({ port: lake.config.api.port, host: lake.config.api.host });
    lake.logger.info({ address, docs: `${address}/docs` }, 'medialake is serving');
    const shutdown = async () => {
      await folder?.close();
      await notifications?.stop();
      await app.close();
      await lake.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
  });

program
  .command('ingest <dir>')
  .description('ingest every file below a directory; the same bytes twice make one asset')
  .option('--wait', 'return only when processing and projections have caught up')
  .option('--watch', 'keep watching the directory for new files (until interrupted)')
  .option('--json', 'print the summary as JSON')
  .action(async (dir: string, options: { wait?: boolean; watch?: boolean; json?: boolean }) => {
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new Error(`${dir} is not a directory`);
    await withLake(async (lake) => {
      // Consumers run here too; if a server already runs them, its leases win and these wait.
      if (options.wait || options.watch) lake.start();
      const context = { log: lake.log, store: lake.store, actor: actor(), source: 'cli' };
      let total = 0;
      for await (const _ of filesBelow(dir)) total++;
      const bar = progressBar('ingesting', total);
      let done = 0;
      const summary = await ingestDirectory(context, dir, { onFile: () => bar.update(++done) });
      bar.stop();
      if (options.json) print(summary);
      else {
        process.stdout.write(`ingested ${summary.ingested}, duplicates ${summary.duplicates}, failed ${summary.failed.length}\n`);
        for (const failure of summary.failed) process.stdout.write(`  failed: ${failure.path}: ${failure.error}\n`);
      }
      if (options.wait) await waitWithProgress(lake);
      if (options.watch) {
        const { watchFolder } = await import('../producers/watch');
        const folder = watchFolder(context, dir, (path, result) =>
          process.stdout.write(`${path}: ${result instanceof Error ? `failed: ${result.message}` : result.status}\n`),
        );
        await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
        await folder.close();
      }
      if (summary.failed.length) process.exitCode = 2;
    });
  });

program
  .command('search [query]')
  .description('search with filters: by keyword (default), by meaning (semantic, CLIP), or both (hybrid)')
  .addOption(new Option('--mode <mode>', 'keyword, semantic or hybrid').choices(SEARCH_MODES).default('keyword'))
  .addOption(new Option('--type <type>', 'media type').choices(['image', 'video', 'audio', 'document', 'other']))
  .option('--make <make>', 'camera make')
  .option('--model <model>', 'camera model')
  .option('--from <date>', 'from date (YYYY-MM-DD), capture or ingest')
  .option('--to <date>', 'to date (YYYY-MM-DD), inclusive')
  .option('--min-size <bytes>', 'smallest size in bytes')
  .option('--max-size <bytes>', 'largest size in bytes')
  .option('--limit <n>', 'hits to show', '20')
  .option('--json', 'print the result as JSON')
  .action(async (q: string | undefined, options: Record<string, string | boolean | undefined>) => {
    const parsed = ModeSearchQuery.safeParse({ ...options, q });
    const name = (path: PropertyKey | undefined) => (path === 'q' ? 'query' : `--${String(path)}`);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${name(i.path[0])}: ${i.message}`).join('; '));
    const result = await withLake((lake) =>
      searchInMode({ search: lake.search, vectors: lake.vectors, encoder: lake.embedder }, parsed.data),
    );
    if (options.json) return print(result);
    process.stdout.write(`${result.total} found\n`);
    for (const hit of result.hits) {
      const camera = [hit.make, hit.model].filter(Boolean).join(' ');
      process.stdout.write(`${hit.assetId}  ${hit.originalName}  ${hit.date.slice(0, 10)}${camera ? `  ${camera}` : ''}\n`);
    }
  });

program
  .command('events <assetId>')
  .description("an asset's history, from the log")
  .option('--json', 'print the events as JSON')
  .action(async (assetId: string, options: { json?: boolean }) => {
    const events = await withLake((lake) => lake.log.readAsset(assetId));
    if (!events.length) throw new Error(`there is no asset ${assetId}`);
    if (options.json) return print(events);
    for (const e of events) process.stdout.write(`v${e.assetVersion}  ${e.time}  ${e.type.padEnd(27)} ${e.actor} via ${e.source}\n`);
  });

program
  .command('status')
  .description('log positions, lag and failures per consumer')
  .option('--json', 'print the status as JSON')
  .action(async (options: { json?: boolean }) => {
    const status = await withLake(async (lake) => ({ consumers: await lake.consumers(), assets: await lake.records.countByStatus() }));
    if (options.json) return print(status);
    for (const c of status.consumers) {
      const positions = Object.entries(c.positions).map(([p, o]) => `${p}:${o}`).join(' ') || 'start';
      process.stdout.write(`${c.group.padEnd(24)} at ${positions.padEnd(12)} lag ${String(c.lag).padEnd(6)} dead letters ${c.deadLetters}\n`);
    }
    process.stdout.write(`assets: ${Object.entries(status.assets).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}\n`);
  });

program
  .command('schema')
  .description('print the JSON Schema of the event envelope and every event type')
  .action(() => print(eventJsonSchema()));

const cli = { withLake, print, actor };
program.addCommand(projectionsCommand(cli)).addCommand(camerasCommand(cli)).addCommand(reprocessCommand(cli)).addCommand(auditCommand(cli)).addCommand(eraseCommand(cli));

program.parseAsync().catch((error: Error) => {
  process.stderr.write(`medialake: ${error.message}\n`);
  process.exit(1);
});
