import type { Config } from '../app/config';
import type { Lake } from '../app/lake';
import type { ProjectionStore } from '../projections/projection';

/** What the command modules get from cli/medialake.ts: the configuration, the lake for one command, output, the actor. */
export interface CliContext {
  /** For commands that work on a backend without opening the lake. */
  config(): Config;
  withLake<T>(run: (lake: Lake) => Promise<T>): Promise<T>;
  /** For commands that need a lake already there (they read it, or change what it holds): refuses a data directory that does not exist rather than creating an empty lake there. */
  existingLake<T>(run: (lake: Lake) => Promise<T>): Promise<T>;
  /**
   * An existing lake whose projections that `run` reads (`reads`) are brought
   * to the end of the embedded log first: on the embedded default nothing
   * else folds it but `serve` and `ingest --wait`, so a read would miss what
   * was appended since. A remote log's projections are their workers'.
   */
  readLake<T>(reads: (lake: Lake) => ProjectionStore[], run: (lake: Lake) => Promise<T>): Promise<T>;
  print(value: unknown): void;
  actor(): string;
}

/** Output of listings: a table for people, JSON or CSV for programs. */
export type OutputFormat = 'table' | 'json' | 'csv';

/**
 * Runs a command on an open lake, then closes it. Where the command fails,
 * its failure is what the user is told: a close that fails too (on the same
 * full disk) is logged, not said in its place.
 */
export async function usingLake<T>(lake: Pick<Lake, 'close' | 'logger'>, run: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await lake.close().catch((closing: unknown) => lake.logger.warn({ err: closing }, 'the lake did not close cleanly'));
    throw error;
  }
  await lake.close();
  return result;
}
