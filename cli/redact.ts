import { Command } from 'commander';
import { redactText } from '../producers/commands';
import { ASSET_ID } from '../schemas/envelope';
import type { PayloadOf } from '../schemas/events';
import type { CliContext } from './context';

type RedactedField = PayloadOf<'AssetTextRedacted'>['fields'][number];

/** The flags, by the field each one redacts. */
const FLAGS: [flag: 'title' | 'description' | 'name', field: RedactedField][] = [
  ['title', 'title'],
  ['description', 'description'],
  ['name', 'originalName'],
];

/** `medialake redact ASSET_ID --title --description --name`: an AssetTextRedacted event, which names the fields and not their text. */
export function redactCommand(cli: CliContext): Command {
  return new Command('redact')
    .description(
      "take an asset's free text out of its record and search: its title, description or file name (which becomes [redacted] " +
        'with its extension); the event names the fields, not their text; the log and the audit trail keep the events that carried it',
    )
    .argument('<assetId>', 'the asset, as search and events print it')
    .option('--title', 'redact the title')
    .option('--description', 'redact the description')
    .option('--name', 'redact the original file name')
    .option('--wait', 'return only when the projections have caught up')
    .option('--json', 'print the event as JSON')
    .action(async (assetId: string, options: Partial<Record<'title' | 'description' | 'name' | 'wait' | 'json', boolean>>) => {
      if (!ASSET_ID.test(assetId)) throw new Error(`${JSON.stringify(assetId)} is not an asset id, as search and events print it`);
      const fields = FLAGS.filter(([flag]) => options[flag]).map(([, field]) => field);
      if (!fields.length) throw new Error('name what to redact: --title, --description, --name, or more than one');
      const event = await cli.existingLake(async (lake) => {
        if (options.wait) await lake.startForCommand();
        const redaction = await redactText({ log: lake.log, actor: cli.actor(), source: 'cli' }, assetId, fields);
        if (options.wait) await lake.waitForIdle();
        return redaction;
      });
      if (options.json) return cli.print(event);
      process.stdout.write(`redacted ${fields.join(', ')} of ${assetId} (version ${event.assetVersion})\n`);
    });
}
