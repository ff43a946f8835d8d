import { Command } from 'commander';
import type { Lake } from '../app/lake';
import { catchUp } from '../projections/projection';
import { GroupName, NewUserName, ROLES, type Role } from '../schemas/principals';
import { addUser, changeUser, createKeyFor, disableUser, revokeApiKey } from '../producers/principals';
import type { CommandContext } from '../producers/commands';
import type { UserEntry } from '../projections/principals/principalDirectory';
import type { CliContext } from './context';
import { choiceFlag, flag, schemaText } from './flags';
import { formatTable } from './table';

const userName = schemaText(NewUserName, 'a name of 1 to 200 visible characters that is not a system name (medialake, anonymous, s3, [erased])');

/** --group, repeatable. */
function groupFlag() {
  const group = schemaText(GroupName, 'a group name of 1 to 100 letters, digits, space _ . @ -');
  return flag('--group <group>', 'a group the user belongs to (repeat for more)', group).argParser((value: string, previous: string[] = []) => {
    if (group.read(value) === undefined) throw new Error(`--group expects ${group.expects}, not ${JSON.stringify(value)}`);
    return [...previous, value.trim()];
  });
}

/** A user as `--json` prints them: key digests left out. */
const shownUser = (user: UserEntry) => ({
  userId: user.userId,
  name: user.name,
  role: user.role,
  groups: user.groups,
  disabled: user.disabled,
  keys: Object.entries(user.keys).map(([keyId, key]) => ({ keyId, revoked: key.revoked, createdAt: key.createdAt })),
});

/** The lake with its principals folded up to the end of the log, and who is acting. Only `users add` makes a new lake (for its first admin). */
async function withPrincipals<T>(cli: CliContext, run: (lake: Lake, context: CommandContext) => Promise<T>, open = cli.existingLake): Promise<T> {
  return open(async (lake) => {
    await catchUp(lake.log, lake.principals, lake.logger);
    return run(lake, { log: lake.log, actor: cli.actor(), source: 'cli' });
  });
}

/** `medialake users add | list | disable`: the embedded identity store (docs/access.md). */
export function usersCommand(cli: CliContext): Command {
  const command = new Command('users').description('local users and their roles: each change is an event on the log');

  command
    .command('add')
    .description('add a user with a role; prints their first API key as the last line (shown once: keep it)')
    .argument('<name>', 'the name the user signs events with (personal data: `medialake erase NAME` removes it)')
    .addOption(choiceFlag('--role <role>', 'what the user may do library-wide', ROLES).makeOptionMandatory())
    .addOption(groupFlag())
    .option('--json', 'print the user id, key id and key as JSON')
    .action(async (name: string, options: { role: Role; group?: string[]; json?: boolean }) => {
      if (userName.read(name) === undefined) throw new Error(`the user name expects ${userName.expects}, not ${JSON.stringify(name)}`);
      const added = await withPrincipals(
        cli,
        (lake, context) => addUser(context, lake.principals, { name: name.trim(), role: options.role, groups: options.group ?? [] }),
        cli.withLake,
      );
      if (options.json) return cli.print({ userId: added.userId, keyId: added.keyId, apiKey: added.apiKey });
      process.stdout.write(`added ${name.trim()} (${options.role}), user ${added.userId}, key ${added.keyId}; the API key (shown once):\n${added.apiKey}\n`);
    });

  command
    .command('list')
    .description('every user: role, groups, whether enabled, and their keys')
    .option('--json', 'print the users as JSON (key digests left out)')
    .action(async (options: { json?: boolean }) => {
      const shown = (await withPrincipals(cli, (lake) => lake.principals.users())).map(shownUser);
      if (options.json) return cli.print(shown);
      if (!shown.length) return void process.stdout.write('no users: add the first admin with `medialake users add NAME --role admin`\n');
      // A disabled user's keys are not revoked, yet none of them works.
      const active = (u: (typeof shown)[number]) => (u.disabled ? [] : u.keys.filter((k) => !k.revoked).map((k) => k.keyId));
      const rows = shown.map((u) => [u.name, u.role, u.groups.join(','), u.disabled ? 'disabled' : 'enabled', active(u).join(' '), u.userId]);
      process.stdout.write(formatTable(['name', 'role', 'groups', 'state', 'active keys', 'id'], rows));
    });

  command
    .command('set')
    .description("change a user's role or groups (each a change on the log): from their next request on")
    .argument('<user>', 'the user: a name, or a user id as `users list` shows it')
    .addOption(choiceFlag('--role <role>', 'the new role', ROLES))
    .addOption(groupFlag())
    .option('--no-groups', 'take the user out of every group')
    .option('--json', 'print the user as changed, as `users list --json` does')
    .action(async (name: string, options: { role?: Role; group?: string[]; groups?: boolean; json?: boolean }) => {
      const groups = options.group ?? (options.groups === false ? [] : undefined);
      if (!options.role && !groups) throw new Error('give --role, --group or --no-groups: there is nothing to change');
      const changed = await withPrincipals(cli, async (lake, context) => {
        const event = await changeUser(context, lake.principals, name, { ...(options.role && { role: options.role }), ...(groups && { groups }) });
        await catchUp(lake.log, lake.principals, lake.logger);
        return (await lake.principals.users()).find((user) => user.userId === event.assetId)!;
      });
      if (options.json) return cli.print(shownUser(changed));
      process.stdout.write(`changed ${name}\n`);
    });

  command
    .command('disable')
    .description('disable a user: their keys stop working at once; their history stays')
    .argument('<user>', 'the user: a name, or a user id as `users list` shows it')
    .action(async (name: string) => {
      await withPrincipals(cli, (lake, context) => disableUser(context, lake.principals, name));
      process.stdout.write(`disabled ${name}\n`);
    });
  return command;
}

/** `medialake keys create | revoke`: a user's API keys. */
export function keysCommand(cli: CliContext): Command {
  const command = new Command('keys').description("users' API keys (stored as hashes): each change is an event on the log");

  command
    .command('create')
    .description('a new API key for a user; prints it as the last line (shown once: keep it)')
    .argument('<user>', 'the user: a name, or a user id as `users list` shows it')
    .option('--json', 'print the key id and key as JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const key = await withPrincipals(cli, (lake, context) => createKeyFor(context, lake.principals, name));
      if (options.json) return cli.print({ keyId: key.keyId, apiKey: key.apiKey });
      process.stdout.write(`key ${key.keyId} for ${name} (shown once):\n${key.apiKey}\n`);
    });

  command
    .command('revoke')
    .description('revoke a key: requests with it are refused once serve has folded the event (milliseconds)')
    .argument('<keyId>', 'the key id, as `users list` shows it')
    .action(async (keyId: string) => {
      await withPrincipals(cli, (lake, context) => revokeApiKey(context, lake.principals, keyId));
      process.stdout.write(`revoked ${keyId}\n`);
    });
  return command;
}
