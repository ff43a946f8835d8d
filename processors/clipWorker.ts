import { parentPort } from 'node:worker_threads';
import { clipModel, type ClipModel } from './clipModel';
import { isInvalidMedia } from './processor';
import type { EmbedRequest, EmbedResponse, WireError } from './embedder';

/**
 * The embedding thread: decodes, preprocesses and runs CLIP for the process's
 * embedders (processors/embedder.ts), each model loaded on its first request.
 * onnxruntime-node runs a session synchronously on the calling thread, so on
 * the main thread every batch would stall the API and the log consumers; here
 * it stalls only this thread, and onnxruntime still spreads each run over its
 * own intra-op threads.
 */
const models = new Map<number, ClipModel>();
const port = parentPort!;

function wire(error: unknown): WireError {
  return {
    code: (error as { code?: string }).code ?? 'EMBEDDING_ERROR',
    message: (error as Error)?.message ?? String(error),
    invalidInput: isInvalidMedia(error),
  };
}

async function answer(request: EmbedRequest): Promise<EmbedResponse> {
  if (request.kind === 'release') {
    await models.get(request.model)?.dispose();
    models.delete(request.model);
    return { id: request.id, results: [] };
  }
  const model = models.get(request.model) ?? models.set(request.model, clipModel(request.options)).get(request.model)!;
  if (request.kind === 'images') {
    const results = await model.embedImages(request.images.map((bytes) => Buffer.from(bytes)));
    return { id: request.id, results: results.map((r) => (r instanceof Error ? { error: wire(r) } : { vector: r })) };
  }
  const vectors = await model.embedTexts(request.texts);
  return { id: request.id, results: vectors.map((vector) => ({ vector })) };
}

port.on('message', async (request: EmbedRequest) => {
  const response = await answer(request).catch((error: unknown) => ({ id: request.id, error: wire(error) }));
  const transfer = 'results' in response ? response.results.flatMap((r) => ('vector' in r ? [r.vector.buffer as ArrayBuffer] : [])) : [];
  port.postMessage(response, transfer);
});
