import type { EventLog } from '../log/eventLog';
import { assetFolders } from '../storage/assetKeys';
import type { ObjectStore } from '../storage/objectStore';
import type { Processor } from './processor';

/**
 * Deletes an asset's media once its deletion is on the log. The log keeps the
 * history; the bytes go. Deleting twice is harmless, so redelivery is too.
 *
 * The same bytes ingested again after the delete are the same asset, live
 * again, whose original and renditions are written under the same keys: a
 * cleanup that comes to the delete after that (it lagged, or ran later on
 * another node) would take the live asset's media, so it deletes only while
 * the asset is still deleted. (Its later delete, if any, is cleaned up then.)
 */
export function cleanupProcessor(store: ObjectStore, log: EventLog): Processor {
  return {
    name: 'cleanup',
    version: '1',
    accepts: (event) => event.type === 'AssetDeleted',
    async process(event) {
      if ((await log.assetHead(event.assetId)).live) return { events: [] };
      const deletes: string[] = [];
      for (const prefix of assetFolders(event.assetId)) {
        for await (const object of store.list(prefix)) deletes.push(object.key);
      }
      return { events: [], deletes };
    },
  };
}
