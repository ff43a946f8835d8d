import { COLLECTION_ID } from '../../schemas/events';
import type { Collections } from '../../projections/collections/collections';

/** What pipelines read of the collections projection. */
export type CollectionLookup = Pick<Collections, 'get' | 'list' | 'ancestors'>;

/** A collection a definition names by id or name that is not there, or whose name more than one collection has. */
export class UnknownCollectionError extends Error {
  constructor(
    readonly code: 'COLLECTION_NOT_FOUND' | 'COLLECTION_AMBIGUOUS',
    readonly collection: string,
    message: string,
  ) {
    super(message);
  }
}

export function isUnknownCollection(error: unknown): error is UnknownCollectionError {
  return error instanceof UnknownCollectionError;
}

/** The id of the collection a definition names, by its id or its name; a name must be one collection's only. */
export async function collectionIdOf(collections: CollectionLookup, idOrName: string): Promise<string> {
  if (COLLECTION_ID.test(idOrName)) {
    if (await collections.get(idOrName)) return idOrName;
    throw new UnknownCollectionError('COLLECTION_NOT_FOUND', idOrName, `there is no collection ${idOrName}`);
  }
  const named = (await collections.list()).filter((collection) => collection.name === idOrName);
  if (named.length === 1) return named[0]!.id;
  if (named.length === 0) throw new UnknownCollectionError('COLLECTION_NOT_FOUND', idOrName, `there is no collection named "${idOrName}"`);
  throw new UnknownCollectionError('COLLECTION_AMBIGUOUS', idOrName, `${named.length} collections are named "${idOrName}": name it by its id (${named.map((c) => c.id).join(', ')})`);
}

/**
 * The ids and names of the collections an asset is in and of every
 * collection they are nested under, at any depth: an asset in "Harbour",
 * nested under "Press", is in "Press" too, as visibility counts it
 * (api/visibility.ts). Deleted collections hold nothing.
 */
export async function collectionMembership(collections: CollectionLookup, direct: readonly string[]): Promise<Set<string>> {
  const members = new Set<string>();
  for (const id of direct) {
    for (const each of [id, ...(await collections.ancestors(id))]) {
      const collection = await collections.get(each);
      if (collection) members.add(collection.id).add(collection.name);
    }
  }
  return members;
}
