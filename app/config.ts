import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Configuration: defaults, then a JSON config file, then MEDIALAKE_*
 * environment variables, then command-line flags. Backends are chosen here,
 * never by editing code.
 */
const ConfigSchema = z.object({
  data: z.string().default('./.medialake'),
  log: z
    .object({
      backend: z.enum(['sqlite']).default('sqlite'),
      /** full: fsync every append; normal: fsync at WAL checkpoints (see log/sqlite.ts). */
      sync: z.enum(['full', 'normal']).default('full'),
    })
    .prefault({}),
  storage: z.object({ backend: z.enum(['local']).default('local') }).prefault({}),
  records: z.object({ backend: z.enum(['sqlite']).default('sqlite') }).prefault({}),
  search: z.object({ backend: z.enum(['sqlite']).default('sqlite') }).prefault({}),
  processors: z
    .object({
      concurrency: z.coerce.number().int().min(1).max(64).default(4),
      attempts: z.coerce.number().int().min(1).max(20).default(3),
      backoffMs: z.coerce.number().int().min(0).default(200),
      /** Decompression-bomb guard: images with more pixels are refused. */
      maxInputPixels: z.coerce.number().int().positive().default(100_000_000),
      maxInputBytes: z.coerce.number().int().positive().default(512 * 1024 * 1024),
      thumbnailSize: z.coerce.number().int().min(16).max(1024).default(256),
      proxySize: z.coerce.number().int().min(64).max(8192).default(1280),
      watermark: z
        .object({
          text: z.string().optional(),
          image: z.string().optional(),
          gravity: z.enum(['northwest', 'northeast', 'southwest', 'southeast', 'centre']).default('southeast'),
          opacity: z.coerce.number().min(0).max(1).default(0.5),
        })
        .prefault({}),
    })
    .prefault({}),
  api: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.coerce.number().int().min(0).max(65535).default(8080),
      maxUploadBytes: z.coerce.number().int().positive().default(512 * 1024 * 1024),
    })
    .prefault({}),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Environment variable → config path. */
const ENVIRONMENT: Record<string, string> = {
  MEDIALAKE_DATA: 'data',
  MEDIALAKE_LOG_BACKEND: 'log.backend',
  MEDIALAKE_LOG_SYNC: 'log.sync',
  MEDIALAKE_STORAGE_BACKEND: 'storage.backend',
  MEDIALAKE_RECORDS_BACKEND: 'records.backend',
  MEDIALAKE_SEARCH_BACKEND: 'search.backend',
  MEDIALAKE_CONCURRENCY: 'processors.concurrency',
  MEDIALAKE_ATTEMPTS: 'processors.attempts',
  MEDIALAKE_MAX_INPUT_PIXELS: 'processors.maxInputPixels',
  MEDIALAKE_WATERMARK_TEXT: 'processors.watermark.text',
  MEDIALAKE_WATERMARK_IMAGE: 'processors.watermark.image',
  MEDIALAKE_HOST: 'api.host',
  MEDIALAKE_PORT: 'api.port',
  MEDIALAKE_LOG_LEVEL: 'logLevel',
};

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

function readConfigFile(path: string | undefined): Record<string, unknown> {
  const file = path ?? (existsSync('medialake.config.json') ? 'medialake.config.json' : undefined);
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
}

export function loadConfig(
  overrides: Record<string, unknown> = {},
  environment: NodeJS.ProcessEnv = process.env,
): Config {
  const raw = readConfigFile(environment.MEDIALAKE_CONFIG);
  for (const [name, path] of Object.entries(ENVIRONMENT)) {
    const value = environment[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  for (const [path, value] of Object.entries(overrides)) if (value !== undefined) setPath(raw, path, value);
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration at ${issue.path.join('.')}: ${issue.message}`);
  }
  return { ...parsed.data, data: resolve(parsed.data.data) };
}
