import { readFile } from 'node:fs/promises';

/**
 * Where pipeline nodes' credentials live, by name: never in a definition, an
 * event, a log line or an API answer. A definition names a secret; the node
 * asks the store when it runs.
 */
export interface SecretStore {
  get(name: string): Promise<string>;
}

export class SecretNotFoundError extends Error {
  readonly code = 'SECRET_NOT_FOUND';
  constructor(readonly secret: string, where: string) {
    super(`there is no secret ${secret} in ${where}`);
  }
}

export function isSecretNotFound(error: unknown): error is SecretNotFoundError {
  return error instanceof SecretNotFoundError;
}

/** Environment variables: the secret `partner-key` is MEDIALAKE_SECRET_PARTNER_KEY. */
export class EnvironmentSecrets implements SecretStore {
  constructor(private readonly environment: NodeJS.ProcessEnv = process.env) {}

  static variableOf(name: string): string {
    return `MEDIALAKE_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  }

  async get(name: string): Promise<string> {
    const variable = EnvironmentSecrets.variableOf(name);
    const value = this.environment[variable];
    if (value === undefined) throw new SecretNotFoundError(name, `the environment (${variable})`);
    return value;
  }
}

/** A JSON file of names and values (mode 0600, beside the lake's data), read at each use so an edit needs no restart. */
export class FileSecrets implements SecretStore {
  constructor(private readonly path: string) {}

  async get(name: string): Promise<string> {
    const secrets = JSON.parse(await readFile(this.path, 'utf8').catch(() => '{}')) as Record<string, unknown>;
    const value = secrets[name];
    if (typeof value !== 'string') throw new SecretNotFoundError(name, this.path);
    return value;
  }
}
