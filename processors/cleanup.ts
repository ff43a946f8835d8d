import { assetFolders } from '../storage/assetKeys';
import type { ObjectStore } from '../storage/objectStore';
import type { Processor } from './processor';

/**
 * Deletes an asset's media once its deletion is on the log. The log keeps the
 * history; the bytes go. Deleting twice is harmless, so redelivery is too.
 */
export function cleanupProcessor(store: ObjectStore): Processor {
  return {
    name: 'cleanup',
    version: '1',
    accepts: (event) => event.type === 'AssetDeleted',
    async process(event) {
      const deletes: string[] = [];
      for (const prefix of assetFolders(event.assetId)) {
        for await (const object of store.list(prefix)) deletes.push(object.key);
      }
      return { events: [], deletes };
    },
  };
}
