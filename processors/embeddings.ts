import type { Embedder } from './embedder';
import type { Processor } from './processor';

/**
 * CLIP image embeddings, one EmbeddingComputed per image. The model and its
 * revision are part of the processor's name, so of its consumer group and of
 * every derived event id: configuring another model starts a new group at the
 * start of the log, which re-embeds every image as new events (a backfill)
 * while the old model's vectors stay on the log and in the index.
 */
export function embeddingsProcessor(embedder: Embedder): Processor {
  const { id, revision } = embedder.model;
  return {
    name: `embeddings:${id}:${revision}`,
    version: '1',
    // Twice the batch: one batch runs in the worker while the next one fills.
    concurrency: embedder.batchSize * 2,
    accepts: (event) => event.type === 'AssetIngested' && event.payload.mediaType === 'image',
    async process(_event, input) {
      const vector = await embedder.embedImage(await input.original());
      return {
        events: [
          {
            type: 'EmbeddingComputed',
            payload: { model: id, revision, dimensions: vector.length, normalization: 'l2', vector: Array.from(vector) },
          },
        ],
      };
    },
  };
}
