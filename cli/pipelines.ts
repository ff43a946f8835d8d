import { readFile, stat } from 'node:fs/promises';
import { Command } from 'commander';
import type { Lake } from '../app/lake';
import { assetsOfCollection, assetsOfSearch, pipelineCommands } from '../app/pipelineCommands';
import { describeCatalogue } from '../processors/pipelines/catalogue';
import { definitionFromText } from '../processors/pipelines/definitionCheck';
import { isDefaultPipeline } from '../processors/pipelines/defaults';
import { backfillPipeline, deployPipeline, PipelineNotFoundError, requestPipelineRuns, setPipelineEnabled, type RunRequests } from '../producers/pipelines';
import type { ExecutionSummary } from '../projections/pipelines/pipelineHistory';
import { catchUp, type ProjectionStore } from '../projections/projection';
import { DEFINITION_MAX_BYTES, pipelineJsonSchema } from '../schemas/pipelines';
import type { CliContext } from './context';
import { notInLake } from './reprocess';
import { choiceFlag, existingFile, flag, text, wholeNumber } from './flags';
import { formatTable, oneLine } from './table';

const printRequests = (cli: CliContext, result: RunRequests, json?: boolean) => {
  if (json) return cli.print(result);
  process.stdout.write(`${result.pipeline} v${result.version}: requested ${result.requested.length}, skipped ${result.skipped.length}\n`);
  for (const skipped of result.skipped) process.stdout.write(`  skipped ${skipped.assetId}: ${skipped.reason}\n`);
};

export const printExecutions = (executions: ExecutionSummary[]) =>
  process.stdout.write(
    formatTable(
      ['execution', 'pipeline', 'version', 'asset', 'status', 'trigger', 'started', 'failed node', 'error'],
      executions.map((e) => [e.executionId, e.pipeline, e.version, e.assetId, e.status, e.trigger.kind, e.startedAt, e.failedNode ?? '', e.error?.message ?? '']),
    ),
  );

/** Runs a command that appends; with --wait, starts the lake's consumers and returns once they caught up. */
async function appending<T>(cli: CliContext, wait: boolean | undefined, run: (lake: Lake) => Promise<T>): Promise<T> {
  return cli.withLake(async (lake) => {
    if (wait) await lake.startForCommand();
    const result = await run(lake);
    if (wait) await lake.waitForIdle();
    return result;
  });
}

/** `medialake pipelines`: definitions, their versions and executions (docs/pipelines.md). */
export function pipelinesCommand(cli: CliContext): Command {
  const command = new Command('pipelines').description('pipelines (the default-… ones ship with the lake): apply a definition, enable, disable, run, backfill, executions');
  const commands = (lake: Lake) => pipelineCommands(lake, cli.actor(), 'cli');
  /**
   * A command-line process runs no projections of its own: what a command
   * reads is brought up to the end of the log first (else a pipeline just
   * deployed is not there, and a backfill finds no asset ingested since the
   * last `serve`).
   */
  const caughtUp = async (lake: Lake, ...stores: ProjectionStore[]) => {
    for (const store of stores) await catchUp(lake.log, store, lake.logger);
  };
  const readHistory = <T>(read: (lake: Lake) => Promise<T>) =>
    cli.existingLake(async (lake) => {
      await caughtUp(lake, lake.pipelines.history);
      return read(lake);
    });
  /** The processors of a default are built when a lake opens (docs/pipelines.md). */
  const whenTaken = (name: string) => (isDefaultPipeline(name) ? ' (a default pipeline: the processes that run processors take this up at their next start)' : '');

  command
    .command('list')
    .description('the deployed pipelines')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const pipelines = await readHistory((lake) => lake.pipelines.history.pipelines());
      if (options.json) return cli.print(pipelines);
      const rows = pipelines.map((p) => [p.name, p.version, p.enabled ? 'enabled' : 'disabled', (p.definition as { trigger: { on: string } }).trigger.on, p.executions.running, p.executions.completed, p.executions.failed]);
      process.stdout.write(formatTable(['pipeline', 'version', 'state', 'trigger', 'running', 'completed', 'failed'], rows));
    });

  command
    .command('show <name>')
    .description("a pipeline's deployed definition and state")
    .option('--json', 'print it as JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const pipeline = await readHistory((lake) => lake.pipelines.history.pipeline(name));
      if (!pipeline) throw new PipelineNotFoundError(name);
      if (options.json) return cli.print(pipeline);
      process.stdout.write(`${pipeline.name} v${pipeline.version}, ${pipeline.enabled ? 'enabled' : 'disabled'}, deployed ${pipeline.deployedAt}\n`);
      process.stdout.write(`${JSON.stringify(pipeline.definition, null, 2)}\n`);
    });

  command
    .command('apply <file>')
    .description('check a definition (YAML or JSON) against the node catalogue and deploy it as its version')
    .option('--wait', 'return only when the pipelines projection (and what the deployment starts) has caught up')
    .option('--json', 'print the outcome as JSON')
    .action(async (file: string, options: { wait?: boolean; json?: boolean }) => {
      if (!existingFile.read(file)) throw new Error(`${file}: there is no such file`);
      const { size } = await stat(file);
      if (size > DEFINITION_MAX_BYTES) throw new Error(`${file} is ${size} bytes: a definition is at most ${DEFINITION_MAX_BYTES} (keep large values in the object store or the secret store)`);
      const candidate = definitionFromText(await readFile(file, 'utf8'));
      const result = await appending(cli, options.wait, async (lake) => {
        // The collections a definition names are checked against the collections projection.
        await caughtUp(lake, lake.collections);
        return deployPipeline(commands(lake), candidate);
      });
      if (options.json) return cli.print(result);
      process.stdout.write(result.deployed ? `deployed ${result.name} v${result.version}${whenTaken(result.name)}\n` : `${result.name} v${result.version} is deployed already, with this definition\n`);
      // On stderr, one a line: what deploys but may not do what was meant (a trigger naming no pipeline deployed yet).
      for (const warning of result.warnings ?? []) process.stderr.write(`warning: ${oneLine(warning)}\n`);
    });

  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    command
      .command(`${action} <name>`)
      .description(enabled ? 'let its triggers run it again' : 'stop its triggers from running it (running executions finish)')
      .option('--wait', 'return only when the pipelines projection has caught up')
      .action(async (name: string, options: { wait?: boolean }) => {
        await appending(cli, options.wait, (lake) => setPipelineEnabled(commands(lake), name, enabled));
        process.stdout.write(`${action}d ${name}${whenTaken(name)}\n`);
      });
  }

  command
    .command('run <name> [assetIds...]')
    .description("run the deployed version on these assets, on a search's hits, or on a collection's assets")
    .addOption(flag('--query <words>', 'run on the hits of this keyword search', text(500)))
    .addOption(flag('--limit <n>', 'at most this many hits of --query', wholeNumber(1, 200)).default(200))
    .option('--collection <id>', 'run on every asset of this collection and of the collections nested in it')
    .option('--wait', 'return only when the executions and projections have caught up')
    .option('--json', 'print the outcome as JSON')
    .action(async (name: string, assetIds: string[], options: { query?: string; limit: number; collection?: string; wait?: boolean; json?: boolean }) => {
      if ([assetIds.length > 0, options.query, options.collection].filter(Boolean).length !== 1) throw new Error('give asset ids, --query or --collection, one of them');
      const chosen = async (lake: Lake) => {
        if (options.collection) return assetsOfCollection(lake, options.collection);
        return options.query ? assetsOfSearch(lake, options.query, options.limit) : assetIds;
      };
      const { result, missing } = await appending(cli, options.wait, async (lake) => {
        await caughtUp(lake, lake.records, lake.collections);
        const requests = await requestPipelineRuns(commands(lake), name, await chosen(lake), 'manual');
        return { result: requests, missing: await notInLake(lake, requests.skipped) };
      });
      printRequests(cli, result, options.json);
      // An asset named that is not in the lake was not run on: exit 2, as ingest does for a file it could not take.
      if (assetIds.length && missing.length) process.exitCode = 2;
    });

  command
    .command('backfill <name>')
    .description('run the deployed version over every asset its trigger selects that the version has not run on (of a default: reprocess its processors on every asset)')
    .option('--wait', 'return only when the executions and projections have caught up')
    .option('--json', 'print the outcome as JSON')
    .action(async (name: string, options: { wait?: boolean; json?: boolean }) => {
      const result = await appending(cli, options.wait, async (lake) => {
        await caughtUp(lake, lake.records, lake.collections, lake.pipelines.history);
        return backfillPipeline(commands(lake), name);
      });
      printRequests(cli, result, options.json);
    });

  command
    .command('executions [name]')
    .description('executions, newest first: of one pipeline, or of all')
    .addOption(choiceFlag('--status <status>', 'only running, completed or failed ones', ['running', 'completed', 'failed']))
    .addOption(flag('--limit <n>', 'at most this many', wholeNumber(1, 1000)).default(50))
    .option('--json', 'print them as JSON')
    .action(async (name: string | undefined, options: { status?: ExecutionSummary['status']; limit: number; json?: boolean }) => {
      const executions = await readHistory(async (lake) => {
        // As the API answers 404: an empty list would say the pipeline never ran.
        if (name !== undefined && !(await lake.pipelines.history.pipeline(name))) throw new PipelineNotFoundError(name);
        return lake.pipelines.history.executions({ pipeline: name, status: options.status, limit: options.limit });
      });
      if (options.json) return cli.print(executions);
      printExecutions(executions);
    });

  command
    .command('catalogue')
    .description('the node types a definition may use')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const nodes = await cli.existingLake(async (lake) => describeCatalogue(lake.pipelines.catalogue));
      if (options.json) return cli.print(nodes);
      process.stdout.write(formatTable(['node', 'needs', 'gives', 'outputs', 'what it does'], nodes.map((n) => [n.type, n.needs.join(' '), n.gives.join(' '), n.outputs.join(' '), n.description])));
    });

  command
    .command('schema')
    .description('print the JSON Schema of a pipeline definition')
    .action(() => cli.print(pipelineJsonSchema()));

  return command;
}
