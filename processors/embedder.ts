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

/** What the model thread is asked: the model (by key, with its options, so a restarted thread can load it again) and the work. */
export type EmbedRequest = { id: number; model: number; options: ClipOptions } & (
  | { kind: 'images'; images: ArrayBuffer[] }
  | { kind: 'texts'; texts: string[] }
  | { kind: 'release' }
);
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

type Reply = { resolve(results: WireResult[]): void; reject(error: unknown): void };

/**
 * The process's one model thread, shared by its embedders. onnxruntime's addon is
 * not context-aware: once a thread that used it has exited, the next thread to load
 * it crashes the process at random (SIGSEGV), even with the main thread holding it
 * loaded. So the thread is started once and kept: an embedder that closes releases
 * its model's sessions, and the thread, idle and unreferenced, ends with the process.
 */
const modelThread = {
  worker: undefined as Worker | undefined,
  replies: new Map<number, Reply>(),
  users: 0,
  nextId: 0,
};

function failAll(error: unknown): void {
  for (const reply of modelThread.replies.values()) reply.reject(error);
  modelThread.replies.clear();
}

/** The thread starts (main thread holding transformers.js loaded first) on first use, and again if it died. */
function sharedWorker(): Worker {
  if (modelThread.worker) return modelThread.worker;
  const started = new Worker(new URL('./clipWorker.boot.mjs', import.meta.url));
  started.on('message', (response: EmbedResponse) => {
    const reply = modelThread.replies.get(response.id);
    modelThread.replies.delete(response.id);
    if ('error' in response) reply?.reject(toError(response.error));
    else reply?.resolve(response.results);
  });
  started.on('error', failAll);
  started.on('exit', (code) => {
    modelThread.worker = undefined;
    failAll(Object.assign(new Error(`the embedding worker exited with code ${code}`), { code: 'EMBEDDING_WORKER_EXITED' }));
  });
  if (!modelThread.users) started.unref();
  return (modelThread.worker = started);
}

/** Keeps the process alive while an embedder is open; an idle thread does not. */
function use(delta: 1 | -1): void {
  modelThread.users += delta;
  if (modelThread.users) modelThread.worker?.ref();
  else modelThread.worker?.unref();
}

let nextModel = 0;

export function startEmbedder(options: ClipOptions & { batchSize: number }): Embedder {
  // The main thread loads transformers.js (and with it the runtime) before the model thread does:
  // without it, a thread loading onnxruntime's addon can fail with "Module did not self-register".
  const runtimeLoaded = import('@huggingface/transformers');
  const { batchSize, ...clip } = options;
  const model = nextModel++;
  const queue: ImageJob[] = [];
  let batchRunning = false;
  let open = false;

  async function ask(work: DistributiveOmit<EmbedRequest, 'id' | 'model' | 'options'>, transfer: ArrayBuffer[] = []): Promise<WireResult[]> {
    await runtimeLoaded;
    if (!open) (open = true), use(1);
    const id = modelThread.nextId++;
    return new Promise((resolve, reject) => {
      modelThread.replies.set(id, { resolve, reject });
      sharedWorker().postMessage({ ...work, id, model, options: clip }, transfer);
    });
  }

  async function runBatch(): Promise<void> {
    if (batchRunning || !queue.length) return;
    batchRunning = true;
    const batch = queue.splice(0, batchSize);
    try {
      // Copies, so the bytes can be moved to the thread without detaching the caller's buffers.
      const images = batch.map((job) => new Uint8Array(job.bytes).buffer);
      const results = await ask({ kind: 'images', images }, images);
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
      const [result] = await ask({ kind: 'texts', texts: [text] });
      return vectorOf(result!);
    },
    async close() {
      if (!open) return;
      if (modelThread.worker) await ask({ kind: 'release' }).catch(() => undefined);
      open = false;
      use(-1);
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
