import { CollectionNotFoundError } from '../producers/collections';
import type { PipelineCommandContext } from '../producers/pipelines';
import { SearchQuery } from '../projections/search/searchIndex';
import type { Lake } from './lake';

/** What the pipeline commands (producers/pipelines.ts) need of a lake, for the CLI and the API alike. */
export function pipelineCommands(lake: Lake, actor: string, source: string): PipelineCommandContext {
  const { history, catalogue } = lake.pipelines;
  return { log: lake.log, actor, source, catalogue, history, records: lake.records, collections: lake.collections, defaults: lake.pipelines.defaults };
}

/** The assets a keyword search finds, for a manual run over a search result (at most `limit`). */
export async function assetsOfSearch(lake: Lake, q: string, limit = 200): Promise<string[]> {
  const { hits } = await lake.search.search(SearchQuery.parse({ q, limit }));
  return hits.map((hit) => hit.assetId);
}

/** The assets of a collection and of the collections nested in it, for a manual run over a collection (all of them). */
export async function assetsOfCollection(lake: Lake, collectionId: string): Promise<string[]> {
  if (!(await lake.collections.get(collectionId))) throw new CollectionNotFoundError(collectionId);
  const within: string[] = [];
  for (const collection of await lake.collections.list()) {
    if (collection.id === collectionId || (await lake.collections.ancestors(collection.id)).includes(collectionId)) within.push(collection.id);
  }
  const assetIds: string[] = [];
  let after: string | undefined;
  do {
    const page = await lake.records.list({ limit: 500, after, within });
    assetIds.push(...page.assets.map((asset) => asset.assetId));
    after = page.next;
  } while (after);
  return assetIds;
}

/** What `status` shows of pipelines: the executions running and those that failed last. */
export async function pipelineStatus(lake: Lake) {
  const { history } = lake.pipelines;
  return { running: await history.executions({ status: 'running', limit: 50 }), failed: await history.executions({ status: 'failed', limit: 20 }) };
}
