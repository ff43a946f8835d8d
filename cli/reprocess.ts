import { Command } from 'commander';
import { MEDIA_TYPES, type MediaType } from '../schemas/events';
import { requestReprocessing, UnknownProcessorError } from '../producers/reprocess';
import { deadLetterPage } from '../app/deadLetterPages';
import type { Lake } from '../app/lake';
import type { CliContext } from './context';
import { choiceFlag, flag, text, wholeNumber } from './flags';
import { formatTable } from './table';

/** The skipped assets that are not in the lake (never ingested, or deleted since): named by mistake, which a script must hear. */
export async function notInLake(lake: Lake, skipped: { assetId: string }[]): Promise<string[]> {
  const missing: string[] = [];
  for (const { assetId } of skipped) if (!(await lake.log.assetHead(assetId)).live) missing.push(assetId);
  return missing;
}

/** `medialake reprocess`: runs processors again on existing assets; new results are new events. */
export function reprocessCommand(cli: CliContext): Command {
  return new Command('reprocess')
    .description('run processors again on existing assets: their new results are new events, the old ones stay in history')
    .argument('[assetIds...]', 'these assets (default: every live asset)')
    .addOption(choiceFlag('--type <type>', 'only assets of this media type', MEDIA_TYPES))
    .option('--processor <names...>', 'only these processors (default: every one that handles the asset)')
    .addOption(flag('--reason <text>', 'why, for the audit trail', text(1000)))
    .option('--wait', 'return only when processing and projections have caught up')
    .option('--json', 'print the outcome as JSON')
    .action(async (assetIds: string[], options: { type?: MediaType; processor?: string[]; reason?: string; wait?: boolean; json?: boolean }) => {
      const { result, missing } = await cli.existingLake(async (lake) => {
        if (options.wait) await lake.startForCommand();
        const outcome = await requestReprocessing(
          { log: lake.log, actor: cli.actor(), source: 'cli', records: lake.records, processors: lake.processors },
          { assetIds: assetIds.length ? assetIds : undefined, mediaType: options.type, processors: options.processor, reason: options.reason },
        ).catch((error: Error) => {
          // The processors are known once the lake is open (embeddings depend on its configuration): checked there, named here.
          throw error instanceof UnknownProcessorError ? new Error(`--processor: ${error.message}`) : error;
        });
        if (options.wait) await lake.waitForIdle();
        return { result: outcome, missing: await notInLake(lake, outcome.skipped) };
      });
      // Ids given and none of them taken: a script must hear that nothing was done; some of them not in the lake: that part of it was not (2, as ingest).
      if (assetIds.length && !result.requested.length) process.exitCode = 1;
      else if (assetIds.length && missing.length) process.exitCode = 2;
      if (options.json) return cli.print(result);
      process.stdout.write(`requested ${result.requested.length}, skipped ${result.skipped.length}\n`);
      for (const skipped of result.skipped) process.stdout.write(`  skipped ${skipped.assetId}: ${skipped.reason}\n`);
    });
}

/** `medialake dead-letters`: what the processors gave up on, newest first, a page at a time. */
/** The consumer a name means: a processor's name, or a consumer as `status` names it; one the lake does not run is refused with those it does. */
function consumerNamed(name: string, consumers: string[]): string {
  const group = name.includes(':') ? name : `processor:${name}`;
  if (!consumers.includes(group)) throw new Error(`there is no consumer ${group}: the consumers are ${consumers.join(', ')}`);
  return group;
}

export function deadLettersCommand(cli: CliContext): Command {
  return new Command('dead-letters')
    .description('what processors and projections gave up on after their retries, newest first (medialake reprocess runs them again)')
    .addOption(flag('--processor <name>', "only this processor's (or any consumer's, named as `status` names it: projection:search)", text(200)))
    .addOption(flag('--asset <assetId>', "only this asset's", text(200)))
    .addOption(flag('--limit <n>', 'how many to show (at most 1000)', wholeNumber(1, 1000)).default(50))
    .addOption(flag('--after <cursor>', 'the page after the one that named this cursor', text(2000)))
    .option('--json', 'print the page as JSON')
    .action(async (options: { processor?: string; asset?: string; limit: number; after?: string; json?: boolean }) => {
      const page = await cli.existingLake(async (lake) => {
        const group = options.processor && consumerNamed(options.processor, (await lake.consumers()).map((consumer) => consumer.group));
        return deadLetterPage(lake.log, { group, assetId: options.asset, limit: options.limit, after: options.after });
      });
      if (options.json) return cli.print(page);
      const rows = page.deadLetters.map((letter) => [letter.time, letter.group, letter.assetId, letter.attempts, letter.error]);
      process.stdout.write(formatTable(['time', 'consumer', 'asset', 'attempts', 'error'], rows, 100));
      // On stderr: the rows stay one dead letter each for scripts that read them.
      if (page.next) process.stderr.write(`more: --after ${page.next}\n`);
    });
}
