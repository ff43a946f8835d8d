import type { StoredEvent } from '../schemas/envelope';
import { fromDecoded } from './decodedImage';
import type { Embedder } from './embedder';
import type { Processor, ProcessorInput } from './processor';
import { isPictureSource, videoFramesOf, type RepresentativeFrames } from './videoFrames';

/** The mean of unit vectors, scaled back to unit length: the direction they share. */
export function meanDirection(vectors: Float32Array[]): Float32Array {
  const mean = new Float32Array(vectors[0]!.length);
  for (const vector of vectors) vector.forEach((value, i) => (mean[i]! += value));
  const length = Math.hypot(...mean) || 1;
  return mean.map((value) => value / length);
}

/** An image's embedding, or a video's: the mean direction of its representative frames' (docs/vectors.md). */
async function embeddingOf(embedder: Embedder, event: StoredEvent, input: ProcessorInput, frames?: RepresentativeFrames): Promise<Float32Array> {
  const taken = await videoFramesOf(event, input, frames);
  if (taken) {
    // The embedder decodes what it is given: a small PNG of each frame costs little beside the model.
    const pngs = await Promise.all(taken.map((frame) => fromDecoded(frame.image).png({ compressionLevel: 1 }).toBuffer()));
    return meanDirection(await Promise.all(pngs.map((png) => embedder.embedImage(png))));
  }
  return embedder.embedImage(await input.original());
}

/**
 * CLIP image embeddings, one EmbeddingComputed per image and per video (from
 * its frames rendition, or from its original when `frames` is given). The
 * model and its revision are part of the processor's name, so of its
 * consumer group and of every derived event id: configuring
 * another model starts a new group at the start of the log, which re-embeds
 * every asset as new events (a backfill) while the old model's vectors stay on
 * the log and in the index.
 */
export function embeddingsProcessor(embedder: Embedder, frames?: RepresentativeFrames): Processor {
  const { id, revision } = embedder.model;
  return {
    name: `embeddings:${id}:${revision}`,
    // 2: a video's blank candidates told by their grey levels, not their red channel's (a green or blue scene is no fade).
    version: '2',
    // Twice the batch: one batch runs in the worker while the next one fills.
    concurrency: embedder.batchSize * 2,
    accepts: (event) => isPictureSource(event, frames),
    async process(event, input) {
      const vector = await embeddingOf(embedder, event, input, frames);
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
