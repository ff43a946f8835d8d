import { Command } from 'commander';
import type { ProjectionStatus } from '../projections/lifecycle/lifecycle';
import type { RebuildProgress } from '../projections/lifecycle/catalog';
import type { Lake } from '../app/lake';
import type { CliContext } from './context';
import { progressBar } from './progress';
import { formatTable, oneLine } from './table';

const generationOf = (p: { live?: { generation: string; version: number } }) => (p.live ? `${p.live.generation} (v${p.live.version})` : '');

function rebuildText(rebuild: ProjectionStatus['rebuild']): string {
  if (!rebuild) return '';
  const finished = rebuild.finishedAt ? ` at ${rebuild.finishedAt}` : '';
  return `${rebuild.state} ${rebuild.applied}/${rebuild.total} events, ${rebuild.eventsPerSecond}/s${finished}`;
}

/**
 * Below the table, in full (a cell is cut to its width), what needs doing:
 * each rebuild's error (interrupted: run it again), and each projection whose
 * position lies past the log's end, whose lag would else look like work to come.
 */
function problems(status: ProjectionStatus[]): string {
  return status
    .flatMap((p) => [
      ...(p.rebuild?.error ? [`${p.name}: rebuild ${p.rebuild.state}: ${oneLine(p.rebuild.error)}\n`] : []),
      ...(p.pastLogEnd
        ? [`${p.name}: its position is past the log's end (partition ${p.pastLogEnd.join(', ')}): was the log restored from an older copy? It applies nothing until rebuilt: medialake projections rebuild ${p.name}\n`]
        : []),
    ])
    .join('');
}

/** Rebuilds the projections together (the log read once), with one progress bar for all. */
export async function rebuildWithProgress(lake: Lake, names: string[]): Promise<RebuildProgress[]> {
  const bar = progressBar(`rebuilding ${names.join(', ')}`, 1);
  const latest = new Map<string, RebuildProgress>();
  const sum = (read: (p: RebuildProgress) => number) => [...latest.values()].reduce((total, p) => total + read(p), 0);
  try {
    return await lake.projections.rebuildAll(names, {
      onProgress: (progress) => {
        latest.set(progress.projection, progress);
        bar.update(sum((p) => p.applied), Math.max(1, sum((p) => Math.max(p.total, p.applied))));
      },
    });
  } finally {
    bar.stop();
  }
}

/** `medialake projections list | status | rebuild`. */
export function projectionsCommand(cli: CliContext): Command {
  const command = new Command('projections').description('the projections: versions, lag, and rebuilds from the log');

  command
    .command('list')
    .description('each projection: its version, its live generation, what it reads')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await cli.existingLake((lake) => lake.projections.list());
      if (options.json) return cli.print(list);
      const rows = list.map((p) => [p.name, p.version, generationOf(p), p.backend ?? 'not rebuildable', p.stale ? 'stale: rebuild it' : '', p.description]);
      process.stdout.write(formatTable(['name', 'version', 'live generation', 'backend', 'state', 'description'], rows, 80));
    });

  command
    .command('status [name]')
    .description('lag in events and in seconds (age of the oldest event not applied yet), and rebuild progress')
    .option('--json', 'print the status as JSON')
    .action(async (name: string | undefined, options: { json?: boolean }) => {
      const status = await cli.existingLake((lake) => lake.projections.status(name));
      if (options.json) return cli.print(status);
      const rows = status.map((p) => [p.name, p.lag, p.lagSeconds ?? 'unknown', generationOf(p), p.stale ? 'stale' : 'current', rebuildText(p.rebuild)]);
      process.stdout.write(formatTable(['name', 'lag (events)', 'lag (s)', 'live generation', 'version', 'last rebuild'], rows, 80) + problems(status));
    });

  command
    .command('rebuild <names...>')
    .description(
      'build a new generation of each from the whole log (read once for all) beside the live one, which keeps serving; then switch to it and drop the old',
    )
    .option('--json', "print each rebuild's outcome as JSON")
    .action(async (names: string[], options: { json?: boolean }) => {
      const done = await cli.existingLake((lake) => rebuildWithProgress(lake, names));
      if (options.json) return cli.print(done);
      for (const rebuild of done) process.stdout.write(`${rebuild.projection}: generation ${rebuild.generation} is live (${rebuild.applied} events)\n`);
    });

  return command;
}
