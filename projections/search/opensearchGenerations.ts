import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@opensearch-project/opensearch';

/**
 * Generations of a projection kept in OpenSearch, as the search and vector
 * projections keep them: each generation is a set of indices, readers and
 * live writers reach the live one through aliases, and a rebuild switches
 * every alias in one _aliases call (atomic in OpenSearch). The switch freezes
 * the old indices (a write block) while the new ones catch up, so they hold
 * everything the old ones do when readers move; the old ones are deleted once
 * the searches that reached them are done.
 */

export class SearchAliasError extends Error {
  readonly code = 'SEARCH_ALIAS';
  constructor(
    readonly alias: string,
    readonly indices: string[],
  ) {
    super(
      indices.length
        ? `alias ${alias} points to ${indices.join(', ')}, not to one index: point it at the newest generation with _aliases`
        : `alias ${alias} does not exist: open the projection's store to create it`,
    );
  }
}

export class SearchIndexReplacedError extends Error {
  readonly code = 'SEARCH_INDEX_REPLACED';
  constructor(readonly index: string) {
    super(`${index} was replaced by a rebuild: the batch is applied again, to the new index`);
  }
}

/** The OpenSearch error type of a failed request ("index_not_found_exception"). */
export const errorType = (error: unknown) => (error as { meta?: { body?: { error?: { type?: string } } } })?.meta?.body?.error?.type;

/** How long a replaced index is kept for searches that reached it just before the switch: at least, at most. */
const RETIRE_GRACE_MS = 1_000;
const RETIRE_DRAIN_MS = 30_000;

/** Creates an index; one that another process has just created is as good. */
export async function createIndex(client: Client, index: string, body: object): Promise<void> {
  await client.indices.create({ index, body: body as never }).catch((error: unknown) => {
    if (errorType(error) !== 'resource_already_exists_exception') throw error;
  });
}

/** The one concrete index behind an alias. */
export async function aliasedIndex(client: Client, alias: string): Promise<string> {
  const { body, statusCode } = await client.indices.getAlias({ name: alias }, { ignore: [404] });
  const indices = statusCode === 404 ? [] : Object.keys(body);
  if (indices.length !== 1) throw new SearchAliasError(alias, indices);
  return indices[0]!;
}

/**
 * Documents of a generation's index by id, with one real-time mget (what the
 * previous batch wrote is seen without a refresh); an index a rebuild has
 * replaced and deleted meanwhile is a SearchIndexReplacedError.
 */
export async function readDocuments<T>(client: Client, index: string, ids: string[], includes?: string[]): Promise<Map<string, T>> {
  const { body } = await client.mget({ index, ...(includes && { _source_includes: includes }), body: { ids } }).catch((error: unknown) => {
    throw errorType(error) === 'index_not_found_exception' ? new SearchIndexReplacedError(index) : error;
  });
  const documents = new Map<string, T>();
  for (const doc of body.docs) {
    if ('error' in doc && doc.error) {
      if (doc.error.type === 'index_not_found_exception') throw new SearchIndexReplacedError(index);
      throw new Error(`reading asset ${doc._id} from ${index} failed: ${doc.error.type}: ${doc.error.reason}`);
    }
    if ('found' in doc && doc.found) documents.set(doc._id, doc._source as T);
  }
  return documents;
}

/** The indices an index expression (names, a wildcard) matches now, each with the aliases it has. */
export async function indicesWithAliases(client: Client, expression: string): Promise<Map<string, string[]>> {
  const { body } = await client.indices.getAlias({ index: expression }, { ignore: [404] });
  return new Map(
    Object.entries(body as Record<string, { aliases?: Record<string, unknown> }>).map(([index, { aliases }]) => [index, Object.keys(aliases ?? {})]),
  );
}

export type AliasAction = { add: { index: string; alias: string } } | { remove: { index: string; alias: string; must_exist?: boolean } };

export interface AliasSwitch {
  /** The live generation's indices (an index expression): frozen while the new ones catch up. */
  frozen: string;
  /** The new generation's indices (an index expression), built without refreshes: refreshed before the switch. */
  built: string;
  /** Brings the new generation to the end of the log, which stops growing in the frozen one. */
  catchUp(): Promise<void>;
  /** The alias moves, asked for after the catch-up (which may have made indices); one of them must fail if another rebuild moved an alias meanwhile. */
  actions(): Promise<AliasAction[]>;
  /** Deletes the old generation, once the switch is made and the searches that reached it are done. */
  dropFrozen(): Promise<void>;
}

/**
 * Freezes the live generation, lets the new one catch up, makes it
 * searchable and moves the aliases in one call, then retires the old one; on
 * failure before the move the live generation is thawed and keeps serving.
 */
export async function switchAliases(client: Client, { frozen, built, catchUp, actions, dropFrozen }: AliasSwitch): Promise<void> {
  await client.indices.addBlock({ index: frozen, block: 'write' });
  try {
    await catchUp();
    await client.indices.putSettings({ index: built, body: { index: { refresh_interval: null } } as never });
    await client.indices.refresh({ index: built });
    await client.indices.updateAliases({ body: { actions: await actions() } });
  } catch (error) {
    await thaw(client, frozen);
    throw error;
  }
  await retire(client, frozen, dropFrozen);
}

/** Lifts a switch's write block (a switch that failed, or whose process died). */
export async function thaw(client: Client, indices: string): Promise<void> {
  await client.indices.putSettings({ index: indices, body: { 'index.blocks.write': false } }, { ignore: [404] });
}

/** Drops replaced indices once the searches that reached them before the switch are done (deleting them fails those). */
async function retire(client: Client, indices: string, drop: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + RETIRE_DRAIN_MS;
  await sleep(RETIRE_GRACE_MS);
  while (Date.now() < deadline && (await searchesInFlight(client, indices)) > 0) await sleep(100);
  await drop();
}

async function searchesInFlight(client: Client, indices: string): Promise<number> {
  const { body } = await client.indices.stats({ index: indices, metric: 'search' });
  const search = body._all?.total?.search;
  return (search?.query_current ?? 0) + (search?.fetch_current ?? 0);
}
