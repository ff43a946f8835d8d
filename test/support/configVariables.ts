import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The MEDIALAKE_* variables app/config.ts reads, from its own source: the
 * names its environment table maps to settings, and any it reads directly
 * (MEDIALAKE_CONFIG). A variable a deployment sets that is not here does nothing.
 */
export function variablesConfigReads(): Set<string> {
  const source = readFileSync(fileURLToPath(new URL('../../app/config.ts', import.meta.url)), 'utf8');
  const mapped = source.matchAll(/^\s+(MEDIALAKE_[A-Z0-9_]+): '[a-zA-Z.0-9]+',$/gm);
  const direct = source.matchAll(/environment\.(MEDIALAKE_[A-Z0-9_]+)/g);
  return new Set([...mapped, ...direct].map((match) => match[1]!));
}

/** The MEDIALAKE_* names among a set of environment variable names. */
export const lakeVariables = (names: Iterable<string>) => [...names].filter((name) => name.startsWith('MEDIALAKE_'));
