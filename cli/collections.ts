import { Command } from 'commander';
import type { Lake } from '../app/lake';
import { ASSET_ID, type StoredEvent } from '../schemas/envelope';
import { COLLECTION_ID, CollectionName, SHARE_ROLES, type ShareSubject } from '../schemas/events';
import { catchUp } from '../projections/projection';
import * as commands from '../producers/collections';
import type { CliContext } from './context';
import { choiceFlag, schemaText } from './flags';
import { formatTable } from './table';

/** A positional argument checked the way flags are: one readable line when it is not what it should be. */
function checked(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new Error(`${JSON.stringify(value)} is not ${what}`);
  return value;
}
const collectionArg = (value: string) => checked(value, COLLECTION_ID, 'a collection id (c and 32 hex digits, as `collections list` prints it)');
const assetArg = (value: string) => checked(value, ASSET_ID, 'an asset id, as search and events print it');
const collectionName = schemaText(CollectionName, 'a name of 1 to 200 characters');
function nameArg(value: string): string {
  const name = collectionName.read(value);
  if (name === undefined) throw new Error(`${JSON.stringify(value)} is not ${collectionName.expects}`);
  return name;
}

/**
 * The collections projection brought up to the end of the log: the commands
 * check what it holds, and a command-line process runs no projections of
 * its own.
 */
const caughtUp = (lake: Lake) => catchUp(lake.log, lake.collections, lake.logger);

/** The subject of --user (a local user's name, or a principal id) or --group: exactly one. */
async function subjectOf(lake: Lake, options: { user?: string; group?: string }): Promise<ShareSubject> {
  if ((options.user === undefined) === (options.group === undefined)) throw new Error('give either --user NAME or --group GROUP');
  if (options.group !== undefined) return { kind: 'group', id: options.group };
  await catchUp(lake.log, lake.principals, lake.logger);
  return commands.withLocalUser(lake.principals, { kind: 'principal', id: options.user! });
}

/** What a command that appended nothing prints: why (it was so already). */
interface Unchanged {
  unchanged: string;
}

/** `medialake collections …`: what the API's /collections does, as the operator (who sees the whole library). */
export function collectionsCommand(cli: CliContext): Command {
  /** Runs one command against the caught-up projection, and prints what it appended (for people, `text` of it where given), or why nothing. */
  async function write(
    json: boolean | undefined,
    run: (context: commands.CollectionContext, lake: Lake) => Promise<StoredEvent | Unchanged>,
    text?: (event: StoredEvent) => string,
  ): Promise<void> {
    const event = await cli.withLake(async (lake) => {
      await caughtUp(lake);
      return run({ log: lake.log, actor: cli.actor(), source: 'cli', collections: lake.collections }, lake);
    });
    if ('unchanged' in event) return json ? cli.print(event) : void process.stdout.write(`unchanged: ${event.unchanged}\n`);
    // A membership's event is on the asset's stream and names the collection; the others are on the collection's.
    const { collectionId } = event.payload as { collectionId?: string };
    const done = collectionId ? { type: event.type, collectionId, assetId: event.assetId, eventId: event.id } : { type: event.type, collectionId: event.assetId, eventId: event.id };
    if (json) return cli.print(done);
    process.stdout.write(`${text ? text(event) : `${done.type}: ${event.assetId} (event ${done.eventId})`}\n`);
  }

  const command = new Command('collections').description('collections of assets: create, rename, nest, delete, add and remove assets, share with users and groups');

  command
    .command('list')
    .description('every collection, with its parent and shares')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const collections = await cli.existingLake(async (lake) => {
        await caughtUp(lake);
        return lake.collections.list();
      });
      if (options.json) return cli.print(collections);
      const shares = (c: (typeof collections)[number]) => c.shares.map((s) => `${s.subject.kind}:${s.subject.id}=${s.role}`).join(' ');
      process.stdout.write(formatTable(['id', 'name', 'parent', 'shares'], collections.map((c) => [c.id, c.name, c.parentId ?? '', shares(c)])));
    });

  command
    .command('create <name>')
    .description('create a collection; its id is printed')
    .option('--parent <collection>', 'nest it under this collection')
    .option('--json', 'print the event as JSON')
    .action((name: string, options: { parent?: string; json?: boolean }) =>
      write(
        options.json,
        (context) => commands.createCollection(context, nameArg(name), options.parent === undefined ? null : collectionArg(options.parent)),
        // The id alone, for a script to take: `id=$(medialake collections create Holiday)`.
        (event) => event.assetId,
      ),
    );

  command
    .command('rename <collection> <name>')
    .description('rename a collection')
    .option('--json', 'print the event as JSON')
    .action((id: string, name: string, options: { json?: boolean }) => write(options.json, (context) => commands.renameCollection(context, collectionArg(id), nameArg(name))));

  command
    .command('move <collection>')
    .description('nest a collection under another (--parent), or move it to the top (--top); never under itself or one nested in it')
    .option('--parent <collection>', 'the collection to nest it under')
    .option('--top', 'move it to the top')
    .option('--json', 'print the event as JSON')
    .action((id: string, options: { parent?: string; top?: boolean; json?: boolean }) => {
      if (Boolean(options.top) === (options.parent !== undefined)) throw new Error('give either --parent COLLECTION or --top');
      return write(options.json, (context) => commands.moveCollection(context, collectionArg(id), options.top ? null : collectionArg(options.parent!)));
    });

  command
    .command('delete <collection>')
    .description('delete a collection (its assets stay in the library); one with collections nested under it is refused')
    .option('--json', 'print the event as JSON')
    .action((id: string, options: { json?: boolean }) => write(options.json, (context) => commands.deleteCollection(context, collectionArg(id))));

  for (const [name, member] of [['add', true], ['remove', false]] as const) {
    command
      .command(`${name} <collection> <asset>`)
      .description(member ? 'add an asset to a collection' : 'remove an asset from a collection (it stays in the library)')
      .option('--json', 'print the event as JSON')
      .action((id: string, asset: string, options: { json?: boolean }) =>
        write(options.json, async (context) => {
          const event = await commands.changeMembership(context, collectionArg(id), assetArg(asset), member);
          return event ?? { unchanged: `${asset} is ${member ? 'in' : 'not in'} collection ${id} already` };
        }),
      );
  }

  command
    .command('share <collection>')
    .description('share a collection, and those nested under it, with a principal or a group')
    .option('--user <name>', "a local user's name, or a principal id (user:USER_ID, oidc:ISSUER#SUB)")
    .option('--group <group>', 'a group name')
    .addOption(choiceFlag('--role <role>', 'what the share allows', SHARE_ROLES).default('viewer'))
    .option('--json', 'print the event as JSON')
    .action((id: string, options: { user?: string; group?: string; role: (typeof SHARE_ROLES)[number]; json?: boolean }) =>
      write(options.json, async (context, lake) => commands.shareCollection(context, collectionArg(id), await subjectOf(lake, options), options.role)),
    );

  command
    .command('revoke <collection>')
    .description("revoke a principal's or a group's share of a collection")
    .option('--user <name>', "a local user's name, or a principal id (user:USER_ID, oidc:ISSUER#SUB)")
    .option('--group <group>', 'a group name')
    .option('--json', 'print the event as JSON')
    .action((id: string, options: { user?: string; group?: string; json?: boolean }) =>
      write(options.json, async (context, lake) => commands.revokeShare(context, collectionArg(id), await subjectOf(lake, options))),
    );

  return command;
}
