import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Command } from 'commander';
import { LOG_LEVELS, SERVE_ROLES, loadConfig, type Config, type ServeRole } from '../app/config';
import type { Lake } from '../app/lake';
import { ModeSearchQuery, SEARCH_MODES, searchInMode } from '../projections/vectors/semanticSearch';
import { MEDIA_TYPES } from '../schemas/events';
import { RESOLUTION_CLASSES } from '../projections/search/mediaClasses';
import { eventJsonSchema } from '../schemas/jsonSchema';
import { choiceFlag, date, duration, existingDirectory, existingFile, flag, FlagError, queryError, text, wholeNumber } from './flags';
import { ingestCommand } from './ingest';
import { projectionsCommand } from './projections';
import { camerasCommand } from './cameras';
import { deadLettersCommand, reprocessCommand } from './reprocess';
import { auditCommand } from './audit';
import { eraseCommand } from './erase';
import { redactCommand } from './redact';
import { collectionsCommand } from './collections';
import { keysCommand, usersCommand } from './users';
import { pipelinesCommand, printExecutions } from './pipelines';
import { pipelineStatus } from '../app/pipelineCommands';
import { coordinationCommand } from './coordination';
import { usingLake } from './context';
import { formatTable, oneLine } from './table';
import { catchUp, type ProjectionStore } from '../projections/projection';
import { userInfo } from 'node:os';
import { NewUserName } from '../schemas/principals';

const program = new Command('medialake')
  .description('An event-sourced media lake: ingest, process, project and search media; every fact on a durable log.')
  .version((createRequire(import.meta.url)('../package.json') as { version: string }).version)
  .option('--data <dir>', 'data directory (env MEDIALAKE_DATA, default ./.medialake)')
  .addOption(flag('--config <file>', 'JSON config file (env MEDIALAKE_CONFIG, default ./medialake.config.json)', existingFile))
  .addOption(
    choiceFlag('--log-level <level>', 'JSON logs on stderr from this level up (env MEDIALAKE_LOG_LEVEL; default info, on a terminal only errors)', LOG_LEVELS),
  );

// A reader that stops early (`medialake search … | head`) is no error: stop quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

/**
 * The configuration with the global flags and a command's own on top. On a
 * terminal people read a progress bar and a summary, which log lines would
 * break: there only errors are logged unless a level is asked for (flag,
 * environment or config file). `serve` passes forPeople false: its logs are
 * its output.
 */
function config(overrides: Record<string, unknown> = {}, forPeople = Boolean(process.stderr.isTTY)): Config {
  const { data, config: file, logLevel } = program.opts<{ data?: string; config?: string; logLevel?: string }>();
  const environment = file ? { ...process.env, MEDIALAKE_CONFIG: file } : process.env;
  return loadConfig({ data, logLevel, ...overrides }, environment, forPeople ? { logLevel: 'error' } : {});
}

/** The lake and the API load when a command needs them: `--help` and errors in arguments stay quick. */
async function openLake(config: Config): Promise<Lake> {
  return (await import('../app/lake')).openLake(config);
}

/** Opens the lake for one command and always closes it. */
async function withLake<T>(run: (lake: Lake) => Promise<T>, settings: Config = config()): Promise<T> {
  const lake = await openLake(settings);
  return usingLake(lake, () => run(lake));
}

/**
 * Opening a lake creates it: a command that reads a lake or changes what it
 * holds must not leave an empty one behind a mistyped --data, nor start a new
 * log (and sign it) beside the projections of one whose log is gone.
 */
async function existingLake<T>(run: (lake: Lake) => Promise<T>): Promise<T> {
  const settings = config();
  const embeddedLog = settings.log.backend === 'sqlite' ? join(settings.data, 'log.db') : undefined;
  const there = existsSync(settings.data);
  if (there && !statSync(settings.data).isDirectory()) {
    throw new Error(`${settings.data} is a file, not a directory: give --data (or MEDIALAKE_DATA) the directory of an existing lake`);
  }
  if (!there || (embeddedLog && !existsSync(embeddedLog))) {
    throw new Error(`there is no lake at ${settings.data}${embeddedLog ? ' (no log.db)' : ''}: give --data (or MEDIALAKE_DATA) the directory of an existing one`);
  }
  return withLake(run, settings);
}

async function readLake<T>(reads: (lake: Lake) => ProjectionStore[], run: (lake: Lake) => Promise<T>): Promise<T> {
  return existingLake(async (lake) => {
    if (lake.config.log.backend === 'sqlite') for (const store of reads(lake)) await catchUp(lake.log, store, lake.logger, { upToCall: true });
    return run(lake);
  });
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
/**
 * Who the CLI's events name: MEDIALAKE_ACTOR, else the login name; as a new
 * user's name is checked (NewUserName), so that no command signs as the
 * system ("medialake", "[erased]") or with characters a reader cannot see.
 */
function actor(): string {
  const given = process.env.MEDIALAKE_ACTOR;
  const name = given ?? userInfo().username;
  const checked = NewUserName.safeParse(name);
  if (checked.success) return checked.data;
  const whose = given === undefined ? `the login name ${JSON.stringify(name)}` : `MEDIALAKE_ACTOR ${JSON.stringify(given)}`;
  throw new Error(`${whose} cannot name who acts: ${name.trim() ? checked.error.issues[0]!.message : 'it is empty'} (set MEDIALAKE_ACTOR to another name)`);
}
const cli = { config: () => config(), withLake, existingLake, readLake, print, actor };

program
  .command('serve')
  .description('run the API, the processors and the projections (or one of them: --role), and optionally watch a folder')
  .addOption(flag('--port <port>', 'port (env MEDIALAKE_PORT, default 8080); workers answer /health, /status and /metrics there', wholeNumber(0, 65535)))
  .option('--host <host>', 'address to listen on (env MEDIALAKE_HOST, default 127.0.0.1)')
  .addOption(choiceFlag('--role <role>', 'what this process runs: api (HTTP only), processors, projections, or all (env MEDIALAKE_ROLE, default all)', SERVE_ROLES))
  .addOption(flag('--watch <dir>', 'ingest files dropped into this folder (roles api and all)', existingDirectory))
  .action(async (options: { port?: number; host?: string; role?: ServeRole; watch?: string }) => {
    const settings = config({ 'api.port': options.port, 'api.host': options.host, 'serve.role': options.role }, false);
    const { role } = settings.serve;
    // Only api and all take media in: a worker given a folder would never look at it.
    if (options.watch !== undefined && (role === 'processors' || role === 'projections')) {
      throw new FlagError('--watch', `the role api or all, which take media in (this process's role is ${role}: watch the folder from an api process)`);
    }
    const lake = await openLake(settings);
    await catchUp(lake.log, lake.principals, lake.logger);
    const { auth } = lake.config;
    if (role !== 'processors' && role !== 'projections' && auth.enabled && !auth.oidc.issuer && !(await lake.principals.users()).some((user) => !user.disabled)) {
      warn(lake, 'no user can sign in yet, so every route but /health and /ready answers 401: add the first admin with `medialake users add NAME --role admin`');
    }
    // After an upgrade a projection of an older version serves what that version made until it is rebuilt.
    const stale = (await lake.projections.list()).filter((p) => p.stale).map((p) => p.name);
    if (stale.length) warn(lake, `projections built by an older version of medialake answer as that version did until they are rebuilt: run \`medialake projections rebuild ${stale.join(' ')}\``, { stale });
    const { buildServer } = await import('../api/server');
    const app = await buildServer(lake, { role });
    const address = await app.listen({ port: lake.config.api.port, host: lake.config.api.host });
    // Listening first: on a long backlog (a new host, a restored lake) the folds would hold the start past the
    // server's own plugin timeout, and /health and /ready must answer while they catch up.
    lake.start(role);
    const producers = role === 'api' || role === 'all' ? await startProducers(lake, options.watch) : undefined;
    // Before the line that says it serves: a supervisor may send its stop as soon as it reads that line.
    stopOnSignals(lake, async () => {
      await producers?.stop();
      await app.close();
      await lake.close();
    });
    lake.logger.info({ address, role, ...(producers && { docs: `${address}/docs` }) }, 'medialake is serving');
  });

/**
 * The first SIGINT or SIGTERM stops `serve` gracefully: no new requests, those
 * in flight and the batches in hand finished, the files closed. One that has
 * not stopped within `serve.shutdownSeconds` (a stalled upload, a long
 * transcode), or a second signal, exits at once: the batches it had in hand
 * are not committed, so the next start handles them again (their effects are
 * idempotent, law 4).
 */
function stopOnSignals(lake: Lake, stop: () => Promise<void>): void {
  const seconds = lake.config.serve.shutdownSeconds;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      lake.logger.warn({ signal }, 'stopping at once: the work in flight is handled again at the next start');
      process.exit(1);
    }
    stopping = true;
    lake.logger.info({ signal, shutdownSeconds: seconds }, `stopping: finishing the requests and work in flight, for up to ${seconds} s (${signal} again stops at once)`);
    setTimeout(() => {
      lake.logger.error({ shutdownSeconds: seconds }, `not stopped within ${seconds} s (serve.shutdownSeconds): exiting; the work in flight is handled again at the next start`);
      process.exit(1);
    }, seconds * 1000);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        lake.logger.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
}

/** A warning an operator starting `serve` should read: in the structured log and on the terminal. */
function warn(lake: Lake, hint: string, fields: object = {}): void {
  lake.logger.warn(fields, hint);
  process.stdout.write(`medialake: ${hint}\n`);
}

/** What brings media in besides the API: a watched folder, and the SQS queue of the buckets' notifications when one is configured. */
async function startProducers(lake: Lake, watch: string | undefined): Promise<{ stop(): Promise<void> }> {
  const [{ watchFolder }, { lakeFiles }] = await Promise.all([import('../producers/watch'), import('../producers/fileNames')]);
  const folder = watch
    ? watchFolder(
        { log: lake.log, store: lake.store, actor: actor(), source: 'watch' },
        watch,
        (path, result) =>
          result instanceof Error
            ? lake.logger.warn({ path, err: result }, 'watched file not ingested')
            : lake.logger.info({ path, ...result, event: undefined }, 'watched file ingested'),
        { lakeFiles: lakeFiles(lake.config) },
      )
    : undefined;
  // The SQS client loads only when a queue is configured.
  const notifications = lake.config.sources.sqsQueueUrl
    ? (await import('../app/sqsPolling')).pollConfiguredSqsQueue(lake.config, lake, lake.logger)
    : undefined;
  return {
    async stop() {
      await folder?.close();
      await notifications?.stop();
    },
  };
}

program.addCommand(ingestCommand(cli));

/** Seconds as a player shows them, whole seconds cut down (1:29 for 89.6 s, which --min-duration 1:29 finds): 1:05, 1:02:03. */
function playerTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const [hours, minutes, rest] = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
}

program
  .command('search [query]')
  .description('search with filters: by keyword (default), by meaning (semantic, CLIP), or both (hybrid)')
  .addOption(choiceFlag('--mode <mode>', 'keyword, semantic or hybrid', SEARCH_MODES).default('keyword'))
  .addOption(choiceFlag('--type <type>', 'media type', MEDIA_TYPES))
  .addOption(flag('--make <make>', 'camera make', text(200)))
  .addOption(flag('--model <model>', 'camera model', text(200)))
  .addOption(flag('--from <date>', 'from date (YYYY-MM-DD), capture or ingest', date))
  .addOption(flag('--to <date>', 'to date (YYYY-MM-DD), inclusive', date))
  .addOption(flag('--min-size <bytes>', 'smallest size in bytes', wholeNumber(0)))
  .addOption(flag('--max-size <bytes>', 'largest size in bytes', wholeNumber(0)))
  .addOption(flag('--min-duration <time>', 'video and audio at least this long: seconds, or m:ss / h:mm:ss', duration))
  .addOption(flag('--max-duration <time>', 'video and audio at most this long: seconds, or m:ss / h:mm:ss', duration))
  .addOption(choiceFlag('--resolution <class>', 'video by display size: sd, hd (720p), fhd (1080p), uhd (2160p)', RESOLUTION_CLASSES))
  .addOption(flag('--codec <codec>', 'video or audio codec as ffprobe names it (h264, hevc, aac, mp3)', text(100)))
  .addOption(flag('--limit <n>', 'hits to show (at most 200)', wholeNumber(1, 200)).default(20))
  .addOption(flag('--offset <n>', 'hits to pass over first: how a search with words pages (at most 10,000)', wholeNumber(0, 10_000)))
  .addOption(flag('--after <cursor>', 'the page after the one that named this cursor (a listing without a query)', text(2000)))
  .option('--json', 'print the result as JSON')
  .action(async (q: string | undefined, options: Record<string, string | number | boolean | undefined>) => {
    const parsed = ModeSearchQuery.safeParse({ ...options, q });
    if (!parsed.success) throw queryError(parsed.error, { q: 'the query' });
    const reads = (lake: Lake) => (parsed.data.mode === 'keyword' ? [lake.search] : [lake.search, lake.vectors]);
    const result = await readLake(reads, (lake) => searchInMode({ search: lake.search, vectors: lake.vectors, encoder: lake.embedder }, parsed.data));
    if (options.json) return print(result);
    // Past the exact limit the total is a lower bound (totalRelation gte): "10,000+ found".
    const total = result.totalRelation === 'gte' ? `${result.total.toLocaleString('en-US')}+` : result.total;
    process.stdout.write(`${total} found\n`);
    for (const hit of result.hits) {
      const camera = [hit.make, hit.model].filter(Boolean).join(' ');
      const media = [hit.duration === undefined ? '' : playerTime(hit.duration), hit.resolution, [hit.videoCodec, hit.audioCodec].filter(Boolean).join('/')];
      const details = [camera, ...media].filter(Boolean).map((detail) => `  ${detail}`).join('');
      process.stdout.write(`${hit.assetId}  ${oneLine(hit.originalName)}  ${hit.date.slice(0, 10)}${details}\n`);
    }
    // On stderr: the hits' lines stay one hit each for scripts that read them. A listing pages by cursor, a search with words by offset.
    const passed = (parsed.data.offset ?? 0) + result.hits.length;
    if (result.next) process.stderr.write(`more: --after ${result.next}\n`);
    else if (parsed.data.q?.trim() && result.hits.length && passed < result.total) process.stderr.write(`more: --offset ${passed}\n`);
  });

program
  .command('events <assetId>')
  .description("an asset's history, from the log")
  .option('--json', 'print the events as JSON')
  .action(async (assetId: string, options: { json?: boolean }) => {
    const events = await existingLake((lake) => lake.log.readAsset(assetId));
    if (!events.length) throw new Error(`there is no asset ${assetId}`);
    if (options.json) return print(events);
    for (const e of events) process.stdout.write(`v${e.assetVersion}  ${e.time}  ${e.type.padEnd(27)} ${e.actor} via ${e.source}\n`);
  });

program
  .command('status')
  .description('log positions, lag and failures per consumer')
  .option('--json', 'print the status as JSON')
  .action(async (options: { json?: boolean }) => {
    const status = await existingLake(async (lake) => ({ consumers: await lake.consumers(), assets: await lake.records.countByStatus(), pipelines: await pipelineStatus(lake) }));
    if (options.json) return print(status);
    const rows = status.consumers.map((c) => [c.group, Object.entries(c.positions).map(([p, o]) => `${p}:${o}`).join(' ') || 'start', c.lag, c.deadLetters]);
    // Positions of a log with many partitions are long: shown whole, as the other columns.
    process.stdout.write(formatTable(['consumer', 'position', 'lag', 'dead letters'], rows, Infinity));
    process.stdout.write(`assets: ${Object.entries(status.assets).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}\n`);
    const deadLetters = status.consumers.reduce((sum, consumer) => sum + consumer.deadLetters, 0);
    if (deadLetters) process.stdout.write(`dead letters: ${deadLetters} (medialake dead-letters lists them; medialake reprocess runs them again)\n`);
    const { running, failed } = status.pipelines;
    if (running.length + failed.length) {
      process.stdout.write(`pipeline executions: ${running.length} running, ${failed.length} failed lately\n`);
      printExecutions([...running, ...failed]);
    }
  });

program
  .command('schema')
  .description('print the JSON Schema of the event envelope and every event type')
  .action(() => print(eventJsonSchema()));

program.addCommand(projectionsCommand(cli)).addCommand(camerasCommand(cli)).addCommand(reprocessCommand(cli)).addCommand(deadLettersCommand(cli)).addCommand(auditCommand(cli)).addCommand(eraseCommand(cli)).addCommand(redactCommand(cli));
program.addCommand(collectionsCommand(cli));
program.addCommand(usersCommand(cli)).addCommand(keysCommand(cli));
program.addCommand(pipelinesCommand(cli));
program.addCommand(coordinationCommand(cli));

const errorLine = (message: string) => oneLine(message.replace(/^error: /, ''));

/** Commander's own errors (an unknown option, a missing argument) as this CLI's one line, on every command. */
function oneLineErrors(command: Command): void {
  command.configureOutput({ outputError: (message, write) => write(`medialake: ${errorLine(message)} (add --help for usage)\n`) });
  for (const subcommand of command.commands) oneLineErrors(subcommand);
}
oneLineErrors(program);

program.parseAsync().catch((error: Error) => {
  process.stderr.write(`medialake: ${errorLine(error.message)}\n`);
  process.exit(1);
});
