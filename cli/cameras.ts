import { Command } from 'commander';
import type { CliContext } from './context';
import { flag, year } from './flags';
import { formatTable } from './table';

/** `medialake cameras`: the camera inventory projection. */
export function camerasCommand(cli: CliContext): Command {
  return new Command('cameras')
    .description('live assets counted by camera make, model and capture year')
    .option('--make <make>', 'only this make (any case)')
    .option('--model <model>', 'only this model (any case)')
    .addOption(flag('--year <year>', 'only this capture year', year))
    .option('--json', 'print the counts as JSON')
    .action(async (options: { make?: string; model?: string; year?: string; json?: boolean }) => {
      const { json, ...filter } = options;
      const counts = await cli.readLake((lake) => [lake.cameras], (lake) => lake.cameras.counts(filter));
      if (json) return cli.print(counts);
      const rows = counts.map((c) => [c.make ?? '', c.model ?? '', c.year ?? '', c.assets]);
      process.stdout.write(formatTable(['make', 'model', 'year', 'assets'], rows));
    });
}
