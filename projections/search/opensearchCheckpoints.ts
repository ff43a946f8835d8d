import type { Client } from '@opensearch-project/opensearch';
import { advance, type Positions } from '../../log/eventLog';
import type { StoredEvent } from '../../schemas/envelope';

/**
 * Projection checkpoints kept in OpenSearch: one small document per index a
 * projection writes (`checkpointIndexBody` in opensearchTemplate.ts), holding
 * the log positions that index reflects. Written after the batch's bulk
 * succeeded; a crash in between redelivers the batch, which versioned writes
 * make a no-op.
 */

export async function readCheckpoint(client: Client, checkpoints: string, id: string): Promise<Positions> {
  const { body } = await client.get({ index: checkpoints, id }, { ignore: [404] });
  return body.found ? (body._source as { positions: Positions }).positions : {};
}

/**
 * Merges the batch's partitions into the checkpoint (a partial update):
 * consumers of other partitions, in other processes, write theirs into the
 * same document without winding each other back.
 */
export async function writeCheckpoint(client: Client, checkpoints: string, id: string, batch: StoredEvent[]): Promise<void> {
  await client.update({
    index: checkpoints,
    id,
    retry_on_conflict: 5,
    body: { doc: { index: id, positions: advance({}, batch), updatedAt: new Date().toISOString() }, doc_as_upsert: true },
  });
}
