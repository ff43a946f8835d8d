import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';

/*
 * Which model to load, apart from the code that loads it: the main thread
 * names the model without loading transformers.js, which only the embedder's
 * worker needs.
 */

/** Which model, as the events record it, and where it is loaded from. */
export interface ModelSource {
  /** A Hugging Face hub id, or the name of a local folder. */
  id: string;
  revision: string;
  /** The hub id, or the folder's absolute path. */
  location: string;
  local: boolean;
}

export class ModelUnavailableError extends Error {
  readonly code = 'MODEL_UNAVAILABLE';
}

const HUB_ID = /^[\w.-]+(\/[\w.-]+)?$/;

/** A local folder when one exists at that path, else a hub id. */
export function modelSource(model: string, revision: string): ModelSource {
  const path = resolve(model);
  if (existsSync(path) && statSync(path).isDirectory()) return { id: basename(path), revision, location: path, local: true };
  if (!HUB_ID.test(model)) {
    throw new ModelUnavailableError(`embedding model ${model} is neither a folder nor a hub id: set embeddings.model to one`);
  }
  return { id: model, revision, location: model, local: false };
}
