import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { ClipOptions } from './clipModel';
import { InvalidMediaError } from './processor';

/**
 * CLIP embeddings off the main thread (see processors/clipWorker.ts), batched:
 * images asked for while a batch runs wait and go together as the next one (up
 * to batchSize), so a busy processor fills batches and an idle one adds no delay.
 */
export interface Embedder {
  /** The model the vectors come from, as events record it. */
  readonly model: { id: string; revision: string };
  readonly batchSize: number;
  embedImage(bytes: Buffer): Promise<Float32Array>;
  embedText(text: string): Promise<Float32Array>;
  close(): Promise<void>;
}

export type EmbedRequest =
  | { id: number; kind: 'images'; images: ArrayBuffer[] }
  | { id: number; kind: 'texts'; texts: string[] };
export interface WireError {
  code: string;
  message: string;
  invalidInput: boolean;
}
export type WireResult = { vector: Float32Array } | { error: WireError };
export type EmbedResponse = { id: number; results: WireResult[] } | { id: number; error: WireError };

function toError(error: WireError): Error {
  return error.invalidInput
    ? new InvalidMediaError(error.code, error.message)
    : Object.assign(new Error(error.message), { code: error.code });
}

function vectorOf(result: WireResult): Float32Array {
  if ('error' in result) throw toError(result.error);
  return result.vector;
}

interface ImageJob {
  bytes: Buffer;
  resolve(vector: Float32Array): void;
  reject(error: unknown): void;
}

export function startEmbedder(options: ClipOptions & { batchSize: number }): Embedder {
  // onnxruntime's addon is not context-aware: once a worker that used it exits, another worker
  // fails to load it ("Module did not self-register") unless the main thread holds transformers.js
  // (and with it the runtime) loaded first. Even then a second model worker in one process can
  // crash it, so a process runs one embedder: a model switch is a restart with the new config.
  const runtimeLoaded = import('@huggingface/transformers');
  const { batchSize, ...clip } = options;
  const pending = new Map<number, { resolve(results: WireResult[]): void; reject(error: unknown): void }>();
  const queue: ImageJob[] = [];
  let worker: Worker | undefined;
  let nextId = 0;
  let batchRunning = false;

  function failAll(error: unknown): void {
    for (const request of pending.values()) request.reject(error);
    pending.clear();
  }

  /** The worker starts (and loads the model) on first use, and again if it died. */
  function thread(): Worker {
    if (worker) return worker;
    const started = new Worker(new URL('./clipWorker.boot.mjs', import.meta.url), { workerData: clip });
    started.on('message', (response: EmbedResponse) => {
      const request = pending.get(response.id);
      pending.delete(response.id);
      if ('error' in response) request?.reject(toError(response.error));
      else request?.resolve(response.results);
    });
    started.on('error', failAll);
    started.on('exit', (code) => {
      worker = undefined;
      failAll(Object.assign(new Error(`the embedding worker exited with code ${code}`), { code: 'EMBEDDING_WORKER_EXITED' }));
    });
    return (worker = started);
  }

  async function ask(request: EmbedRequest, transfer: ArrayBuffer[] = []): Promise<WireResult[]> {
    await runtimeLoaded;
    return new Promise((resolve, reject) => {
      pending.set(request.id, { resolve, reject });
      thread().postMessage(request, transfer);
    });
  }

  async function runBatch(): Promise<void> {
    if (batchRunning || !queue.length) return;
    batchRunning = true;
    const batch = queue.splice(0, batchSize);
    try {
      // Copies, so the bytes can be moved to the worker without detaching the caller's buffers.
      const images = batch.map((job) => new Uint8Array(job.bytes).buffer);
      const results = await ask({ id: nextId++, kind: 'images', images }, images);
      batch.forEach((job, i) => {
        try {
          job.resolve(vectorOf(results[i]!));
        } catch (error) {
          job.reject(error);
        }
      });
    } catch (error) {
      for (const job of batch) job.reject(error);
    } finally {
      batchRunning = false;
      void runBatch();
    }
  }

  return {
    model: { id: clip.source.id, revision: clip.source.revision },
    batchSize,
    embedImage(bytes) {
      return new Promise((resolve, reject) => {
        queue.push({ bytes, resolve, reject });
        void runBatch();
      });
    },
    async embedText(text) {
      const [result] = await ask({ id: nextId++, kind: 'texts', texts: [text] });
      return vectorOf(result!);
    },
    async close() {
      if (!worker) return;
      const exited = once(worker, 'exit');
      worker.postMessage({ kind: 'close' });
      await exited;
    },
  };
}
