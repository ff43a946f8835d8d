import { statSync } from 'node:fs';
import { Option } from 'commander';
import { z } from 'zod';
import { ASSET_ID } from '../schemas/envelope';

/** A flag given a value it cannot take: one sentence naming the flag, what it expects and what it got. */
export class FlagError extends Error {
  readonly code = 'INVALID_FLAG';
  constructor(
    readonly flag: string,
    readonly expects: string,
    readonly value?: string,
  ) {
    super(`${flag} expects ${expects}${value === undefined ? '' : `, not ${JSON.stringify(value)}`}`);
  }
}

/** What a flag takes: a phrase for people, and a reader that gives undefined for anything else. */
export interface FlagValue<T> {
  expects: string;
  read(text: string): T | undefined;
}

/** Text a zod schema takes (names, groups), trimmed, as a flag or argument value with its own message. */
export function schemaText(schema: z.ZodType<string>, expects: string): FlagValue<string> {
  return { expects, read: (value) => (schema.safeParse(value).success ? value.trim() : undefined) };
}

/**
 * Checks the value as commander parses it. The FlagError is not commander's
 * InvalidArgumentError on purpose: commander would wrap that in its own two
 * sentences ("option '--limit <n>' argument 'x' is invalid. …"); ours reaches
 * the CLI's one error line as it is.
 */
function checked<T>(option: Option, value: FlagValue<T>): Option {
  return option.argParser((text: string, previous: unknown) => {
    const read = value.read(text);
    if (read === undefined) throw new FlagError(option.long!, value.expects, text);
    return option.variadic ? [...((previous as T[] | undefined) ?? []), read] : read;
  });
}

export function flag<T>(flags: string, description: string, value: FlagValue<T>): Option {
  return checked(new Option(flags, description), value);
}

/** Like commander's .choices() (help lists them), with this CLI's error sentence. */
export function choiceFlag(flags: string, description: string, values: readonly string[]): Option {
  return checked(new Option(flags, description).choices(values), oneOf(values));
}

const listed = (values: readonly string[]) => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;

export function oneOf<T extends string>(values: readonly T[]): FlagValue<T> {
  return { expects: `one of ${listed(values)}`, read: (text) => values.find((v) => v === text) };
}

/** One or more of the values, comma-separated. */
export function listOf<T extends string>(values: readonly T[]): FlagValue<T[]> {
  return {
    expects: `one or more of ${listed(values)}, separated by commas`,
    read(text) {
      const items = text.split(',').map((item) => item.trim()).filter(Boolean);
      return items.length && items.every((item) => values.includes(item as T)) ? (items as T[]) : undefined;
    },
  };
}

export function wholeNumber(min: number, max = Infinity): FlagValue<number> {
  return {
    expects: max === Infinity ? `a whole number, ${min} or more` : `a whole number from ${min} to ${max}`,
    read: (text) => (/^\d+$/.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined),
  };
}

/** A duration: seconds (90, 1.5) or as a player shows it (1:30, 1:02:03). */
export const duration: FlagValue<number> = {
  expects: 'a duration in seconds (90) or as m:ss or h:mm:ss (1:30)',
  read(value) {
    if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
    if (!/^\d+(:[0-5]\d){1,2}$/.test(value)) return undefined;
    return value.split(':').reduce((seconds, part) => seconds * 60 + Number(part), 0);
  },
};

export function text(max: number): FlagValue<string> {
  return { expects: `a text of 1 to ${max} characters`, read: (value) => (value.length >= 1 && value.length <= max ? value : undefined) };
}

const calendarDate = z.iso.date();
const isoTime = z.iso.datetime({ offset: true });

/** A calendar day (2024-02-30 is none). */
export const date: FlagValue<string> = {
  expects: 'a date like 2024-01-31',
  read: (value) => (calendarDate.safeParse(value).success ? value : undefined),
};

/** A day, or an instant with its offset: the same date a person types, and times to the second for audits. */
export const dateOrTime: FlagValue<string> = {
  expects: `${date.expects}, or a time like 2024-01-31T09:30:00Z`,
  read: (value) => date.read(value) ?? (isoTime.safeParse(value).success ? value : undefined),
};

export const year: FlagValue<string> = {
  expects: 'a year like 2008',
  read: (value) => (/^\d{4}$/.test(value) ? value : undefined),
};

export const assetId: FlagValue<string> = {
  expects: 'an asset id, as search and events print it',
  read: (value) => (ASSET_ID.test(value) ? value : undefined),
};

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
const isDirectory = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

export const existingFile: FlagValue<string> = { expects: 'a file that exists', read: (path) => (isFile(path) ? path : undefined) };
export const existingDirectory: FlagValue<string> = { expects: 'a directory that exists', read: (path) => (isDirectory(path) ? path : undefined) };

/** name=value, for named parameters. */
export const nameValue: FlagValue<[string, string]> = {
  expects: 'name=value',
  read(pair) {
    const at = pair.indexOf('=');
    return at < 1 ? undefined : [pair.slice(0, at), pair.slice(at + 1)];
  },
};

/** The flag a query field came from: minSize → --min-size; `positional` names the field that is no flag. */
const flagOf = (field: PropertyKey | undefined, positional: Record<string, string>) =>
  positional[String(field)] ?? `--${String(field).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * What a query schema still refuses once each flag has been checked on its
 * own (rules across flags, such as semantic search needing a text): each
 * issue under the flag it concerns.
 */
export function queryError(error: z.ZodError, positional: Record<string, string> = {}): Error {
  return new Error(error.issues.map((issue) => `${flagOf(issue.path[0], positional)}: ${issue.message}`).join('; '));
}
