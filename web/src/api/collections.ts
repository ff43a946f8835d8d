import { api, answer } from './client';
import type { paths } from './schema';

export type Collection = paths['/collections/{id}']['get']['responses']['200']['content']['application/json'];
export type ShareSubject = Collection['shares'][number]['subject'];
export type ShareRole = Collection['shares'][number]['role'];
/** GET /collections/{id}/assets: a page of its assets as search hits, newest first; `next` names the page after it. */
export type CollectionAssets = paths['/collections/{id}/assets']['get']['responses']['200']['content']['application/json'];

const path = (id: string) => ({ params: { path: { id } } });

export const listCollections = () => answer<{ collections: Collection[] }>(api.GET('/collections')).then((answered) => answered.collections);
export const getCollection = (id: string) => answer<Collection>(api.GET('/collections/{id}', path(id)));
export const createCollection = (name: string, parentId: string | null) => answer<{ collectionId: string }>(api.POST('/collections', { body: { name, parentId } }));
export const renameCollection = (id: string, name: string) => answer(api.PATCH('/collections/{id}', { ...path(id), body: { name } }));
export const deleteCollection = (id: string) => answer(api.DELETE('/collections/{id}', path(id)));

export const collectionAssets = (id: string, limit: number, after?: string) =>
  answer<CollectionAssets>(api.GET('/collections/{id}/assets', { params: { path: { id }, query: { limit, after } } }));

/** Adds (or removes) the assets one by one, as the API takes them; the number it changed (those in it already, or not, are not). */
export async function changeMembers(id: string, assetIds: readonly string[], member: boolean): Promise<number> {
  const method = member ? api.PUT : api.DELETE;
  let changed = 0;
  for (const assetId of assetIds) {
    const { eventId } = await answer<{ eventId?: string }>(method('/collections/{id}/assets/{assetId}', { params: { path: { id, assetId } } }));
    if (eventId) changed++;
  }
  return changed;
}

export const share = (id: string, subject: ShareSubject, role: ShareRole) => answer(api.PUT('/collections/{id}/shares', { ...path(id), body: { subject, role } }));
export const unshare = (id: string, subject: ShareSubject) =>
  answer(api.DELETE('/collections/{id}/shares/{kind}/{subject}', { params: { path: { id, kind: subject.kind, subject: subject.id } } }));

/** The collections as a tree: each with those nested under it, by name. */
export interface CollectionNode extends Collection {
  children: CollectionNode[];
}
export function collectionTree(collections: Collection[]): CollectionNode[] {
  const nodes = new Map(collections.map((collection) => [collection.id, { ...collection, children: [] as CollectionNode[] }]));
  const roots: CollectionNode[] = [];
  for (const node of nodes.values()) ((node.parentId ? nodes.get(node.parentId)?.children : undefined) ?? roots).push(node);
  return roots;
}
