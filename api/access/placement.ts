import type { Lake } from '../../app/lake';
import type { Resource } from './authorizer';

type Facts = Pick<Lake, 'records' | 'collections'>;

/**
 * Where an asset or a collection sits among the collections that exist, as
 * Cedar needs it to decide whether a share reaches it: an asset in the
 * collections its record names, a collection in its parent, and each of
 * those in its own parent up to the top. A deleted collection reaches
 * nothing, as in the collections projection's query of what is shared
 * (api/visibility.ts), so both answer alike.
 */
export async function placed(lake: Facts, resource: Resource): Promise<Resource> {
  if (resource.type === 'Asset') return withNesting(lake, resource, (await lake.records.get(resource.id))?.collections ?? []);
  if (resource.type !== 'Collection') return resource;
  const parentId = (await lake.collections.get(resource.id))?.parentId;
  return withNesting(lake, resource, parentId ? [parentId] : []);
}

async function withNesting(lake: Facts, resource: Resource, direct: readonly string[]): Promise<Resource> {
  const parents: string[] = [];
  const nesting: Record<string, string | null> = {};
  for (const id of direct) {
    if (!(await lake.collections.get(id))) continue;
    parents.push(id);
    const chain = [id, ...(await lake.collections.ancestors(id))];
    chain.forEach((collection, i) => (nesting[collection] = chain[i + 1] ?? null));
  }
  return { ...resource, parents, nesting };
}
