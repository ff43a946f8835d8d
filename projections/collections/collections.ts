import { COLLECTION_EVENTS, FAVOURITE_EVENTS, type ShareRole, type ShareSubject } from '../../schemas/events';
import type { ProjectionDefinition, ProjectionStore } from '../projection';

/**
 * Collections, their nesting and shares, and each principal's favourites.
 * Which assets a collection holds is not kept here: every asset projection
 * folds it from the asset's own stream (AssetRecord.collections), so the
 * search index filters by it inside its queries.
 */
export const COLLECTIONS: ProjectionDefinition = {
  name: 'collections',
  version: 1,
  events: [...COLLECTION_EVENTS, ...FAVOURITE_EVENTS],
  description: 'collections, their nesting and shares, and favourites per principal',
};

export interface Share {
  subject: ShareSubject;
  role: ShareRole;
}

/** A share as Cedar links it (api/access/authorizer.ts): on which collection, with whom, as what. */
export interface CollectionShare extends Share {
  collectionId: string;
}

export interface Collection {
  id: string;
  name: string;
  parentId: string | null;
  /** The actor of its CollectionCreated. */
  createdBy: string;
  createdAt: string;
  shares: Share[];
}

/** Who asks, as far as shares go: a principal's id and groups (api/principal.ts). */
export interface ShareHolder {
  id: string;
  groups: readonly string[];
}

export interface Collections extends ProjectionStore {
  /** A collection that exists (not deleted); undefined otherwise. */
  get(id: string): Promise<Collection | undefined>;
  /** Every collection that exists, by name; with `within`, only those ids. */
  list(within?: readonly string[]): Promise<Collection[]>;
  /** Its ancestors, nearest first: a move under one of its own descendants would make a cycle. */
  ancestors(id: string): Promise<string[]>;
  /** Whether any collection that exists is nested under it. */
  hasChildren(id: string): Promise<boolean>;
  /**
   * The collections shared with the holder (or a group of theirs) at one of
   * `roles`, with every collection nested under them, at any depth.
   */
  sharedWith(holder: ShareHolder, roles: readonly ShareRole[]): Promise<string[]>;
  /** Every share of every collection that exists. */
  shares(): Promise<CollectionShare[]>;
  /** The assets a principal marked as favourites, latest first. */
  favourites(principalId: string): Promise<string[]>;
}
