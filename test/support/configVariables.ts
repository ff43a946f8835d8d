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
  return new Set([...mapped, ...direct, ...FROM_ACCESS_CONTROL].map((match) => (typeof match === 'string' ? match : match[1]!)));
}

/**
 * Read by configuration merged from the access-control branch (auth.oidc in
 * its app/config.ts), which infra/identity.ts sets for the Cognito user pool.
 * Delete this list when that branch is merged: its config.ts then names them.
 */
const FROM_ACCESS_CONTROL = ['MEDIALAKE_OIDC_ISSUER', 'MEDIALAKE_OIDC_AUDIENCES', 'MEDIALAKE_OIDC_GROUPS_CLAIM', 'MEDIALAKE_OIDC_NAME_CLAIM', 'MEDIALAKE_OIDC_JWKS_URI'];

/** The MEDIALAKE_* names among a set of environment variable names. */
export const lakeVariables = (names: Iterable<string>) => [...names].filter((name) => name.startsWith('MEDIALAKE_'));
