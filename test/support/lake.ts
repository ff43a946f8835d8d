import { loadConfig, type ConfigInput } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { temporaryDirectory } from './fixtures';
import type { IngestContext } from '../../producers/ingest';
import { ingestDirectory } from '../../producers/directory';
import type { AssetRecord } from '../../projections/assetRecord';
import { TEST_CHAIN_KEY } from './chainKey';

/** A lake on the embedded defaults in a fresh directory, quiet, removed on close. */
export async function openTestLake(overrides: Record<string, unknown> = {}): Promise<Lake & { dataDir: string }> {
  const directory = temporaryDirectory('medialake-lake-');
  const shared = overrides['log.backend'] !== undefined && overrides['log.backend'] !== 'sqlite';
  const config = loadConfig({ data: directory.path, logLevel: 'silent', 'log.sync': 'normal', ...(shared && { 'chain.key': TEST_CHAIN_KEY }), ...overrides }, {});
  const lake = await openLake(config);
  const close = lake.close;
  return Object.assign(lake, {
    dataDir: directory.path,
    async close() {
      await close();
      directory.remove();
    },
  });
}

export function ingestContext(lake: Lake, actor = 'tester'): IngestContext {
  return { log: lake.log, store: lake.store, actor, source: 'cli' };
}

export type { ConfigInput };

/** A started test lake that has ingested a folder and caught up, with its records by original name. */
export async function lakeOverFolder(folder: string, timeoutMs = 30_000): Promise<{ lake: Lake & { dataDir: string }; byName: Map<string, AssetRecord> }> {
  const lake = await openTestLake();
  lake.start();
  await ingestDirectory(ingestContext(lake), folder);
  await lake.waitForIdle({ timeoutMs });
  const { assets } = await lake.records.list({ limit: 100 });
  return { lake, byName: new Map(assets.map((asset) => [asset.originalName, asset])) };
}
