import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventLog } from '../log/eventLog';
import { SqliteEventLog } from '../log/sqlite';
import type { ObjectStore } from '../storage/objectStore';
import { LocalDirectoryStore } from '../storage/localDirectory';
import type { AssetRecords } from '../projections/assets/assetRecords';
import { SqliteAssetRecords } from '../projections/assets/sqlite';
import type { SearchIndex } from '../projections/search/searchIndex';
import { SqliteSearchIndex } from '../projections/search/sqlite';
import type { Config } from './config';

/**
 * One function per concern, one case per backend: the configuration chooses,
 * the code never changes. The embedded defaults keep everything under the
 * data directory.
 */
function dataPath(config: Config, name: string): string {
  mkdirSync(config.data, { recursive: true });
  return join(config.data, name);
}

export async function openEventLog(config: Config): Promise<EventLog> {
  switch (config.log.backend) {
    case 'sqlite':
      return new SqliteEventLog({ path: dataPath(config, 'log.db'), sync: config.log.sync });
  }
}

export async function openObjectStore(config: Config): Promise<ObjectStore> {
  switch (config.storage.backend) {
    case 'local':
      return new LocalDirectoryStore(dataPath(config, 'objects'));
  }
}

export async function openAssetRecords(config: Config): Promise<AssetRecords> {
  switch (config.records.backend) {
    case 'sqlite':
      return new SqliteAssetRecords(dataPath(config, 'assets.db'));
  }
}

export async function openSearchIndex(config: Config): Promise<SearchIndex> {
  switch (config.search.backend) {
    case 'sqlite':
      return new SqliteSearchIndex(dataPath(config, 'search.db'));
  }
}
