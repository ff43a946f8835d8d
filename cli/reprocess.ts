import { Command, Option } from 'commander';
import { MEDIA_TYPES, type MediaType } from '../schemas/events';
import { requestReprocessing } from '../producers/reprocess';
import type { CliContext } from './context';

/** `medialake reprocess`: runs processors again on existing assets; new results are new events. */
export function reprocessCommand(cli: CliContext): Command {
  return new Command('reprocess')
    .description('run processors again on existing assets: their new results are new events, the old ones stay in history')
    .argument('[assetIds...]', 'these assets (default: every live asset)')
    .addOption(new Option('--type <type>', 'only assets of this media type').choices(MEDIA_TYPES))
    .option('--processor <names...>', 'only these processors (default: every one that handles the asset)')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--wait', 'return only when processing and projections have caught up')
    .option('--json', 'print the outcome as JSON')
    .action(async (assetIds: string[], options: { type?: MediaType; processor?: string[]; reason?: string; wait?: boolean; json?: boolean }) => {
      const result = await cli.withLake(async (lake) => {
        if (options.wait) lake.start();
        const outcome = await requestReprocessing(
          { log: lake.log, actor: cli.actor(), source: 'cli', records: lake.records, processors: lake.processors },
          { assetIds: assetIds.length ? assetIds : undefined, mediaType: options.type, processors: options.processor, reason: options.reason },
        );
        if (options.wait) await lake.waitForIdle();
        return outcome;
      });
      if (options.json) return cli.print(result);
      process.stdout.write(`requested ${result.requested.length}, skipped ${result.skipped.length}\n`);
      for (const skipped of result.skipped) process.stdout.write(`  skipped ${skipped.assetId}: ${skipped.reason}\n`);
    });
}
