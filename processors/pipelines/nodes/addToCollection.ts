import { z } from 'zod';
import { collectionIdOf, isUnknownCollection } from '../collectionMembership';
import { NodeError, type NodeType } from '../node';

const Parameters = z.strictObject({
  /** The collection's id (c and 32 hex digits) or its name, which must be one collection's only. */
  collection: z.string().trim().min(1).max(200),
});

/**
 * Adds the asset to a collection: the AssetAddedToCollection the collections
 * API appends, on the asset's stream, with the execution as its cause. Its id
 * derives from the execution, so a retry or a redelivery adds nothing twice.
 */
export const addToCollectionNode: NodeType<z.infer<typeof Parameters>> = {
  type: 'add-to-collection',
  description: 'adds the asset to a collection, by its id or name',
  parameters: Parameters,
  needs: [],
  gives: [],
  outputs: ['collectionId'],
  async run(parameters, context) {
    const collectionId = await collectionIdOf(context.collections, parameters.collection).catch((error: unknown) => {
      throw isUnknownCollection(error) ? new NodeError(error.code, error.message, false) : error;
    });
    return { events: [{ type: 'AssetAddedToCollection', payload: { collectionId } }], outputs: { collectionId } };
  },
};
