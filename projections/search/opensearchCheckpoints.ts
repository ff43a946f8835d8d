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

async function readCheckpoint(client: Client, checkpoints: string, id: string): Promise<Positions> {
  const { body } = await client.get({ index: checkpoints, id }, { ignore: [404] });
  return body.found ? (body._source as { positions: Positions }).positions : {};
}

/**
 * Merges positions into the checkpoint (a partial update): consumers of other
 * partitions, in other processes, write theirs into the same document without
 * winding each other back.
 */
async function writeCheckpoint(client: Client, checkpoints: string, id: string, positions: Positions): Promise<void> {
  await client.update({
    index: checkpoints,
    id,
    retry_on_conflict: 5,
    body: { doc: { index: id, positions, updatedAt: new Date().toISOString() }, doc_as_upsert: true },
  });
}

/**
 * One writer's checkpoints, written behind its batches: a batch's positions
 * go out while the next batch is read and written, so the checkpoint adds no
 * round trip to a batch's own. Writes go one at a
 * time, so a checkpoint never goes back; positions not written yet (in flight,
 * or in a write that failed) are kept per index and go with the next write.
 * A crash loses at most the positions in flight: those batches are delivered
 * again, which versioned writes make a no-op.
 */
export class CheckpointWriter {
  private readonly unwritten = new Map<string, Positions>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly checkpoints: string,
  ) {}

  /** Queues the batch's positions for `index` and starts writing them; resolves once the write before has ended. */
  record(index: string, batch: StoredEvent[]): Promise<void> {
    const before = this.writing.catch(() => undefined);
    this.unwritten.set(index, advance(this.unwritten.get(index) ?? {}, batch));
    void this.flush();
    return before;
  }

  /** Resolves once every position queued is written; throws when a write fails (its positions stay queued). */
  written(): Promise<void> {
    return this.flush();
  }

  /** What `index`'s checkpoint holds, with every position this writer queued. */
  async read(index: string): Promise<Positions> {
    await this.written();
    return readCheckpoint(this.client, this.checkpoints, index);
  }

  /** One write after another: a write takes every position queued when it starts. */
  private flush(): Promise<void> {
    const next = this.writing
      .catch(() => undefined)
      .then(async () => {
        for (const [index, positions] of this.unwritten) {
          await writeCheckpoint(this.client, this.checkpoints, index, positions);
          if (this.unwritten.get(index) === positions) this.unwritten.delete(index);
        }
      });
    next.catch(() => undefined); // a failure is told to whoever waits; the positions go with the next write
    return (this.writing = next);
  }
}
