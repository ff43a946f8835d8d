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

/** What `status` shows of pipelines: the executions running and those that failed last. */
export async function pipelineStatus(lake: Lake) {
  const { history } = lake.pipelines;
  return { running: await history.executions({ status: 'running', limit: 50 }), failed: await history.executions({ status: 'failed', limit: 20 }) };
}
