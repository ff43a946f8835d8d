import type { Config } from '../app/config';
import type { Lake } from '../app/lake';

/** What the command modules get from cli/medialake.ts: the configuration, the lake for one command, output, the actor. */
export interface CliContext {
  /** For commands that work on a backend without opening the lake. */
  config(): Config;
  withLake<T>(run: (lake: Lake) => Promise<T>): Promise<T>;
  /** For commands that need a lake already there (they read it, or change what it holds): refuses a data directory that does not exist rather than creating an empty lake there. */
  existingLake<T>(run: (lake: Lake) => Promise<T>): Promise<T>;
  print(value: unknown): void;
  actor(): string;
}

/** Output of listings: a table for people, JSON or CSV for programs. */
export type OutputFormat = 'table' | 'json' | 'csv';
