import type { Readable } from 'node:stream';

/** Where media bytes live: originals and renditions, by key. */
export interface ObjectStore {
  /** Writes the whole object; readers never see a partial one. */
  put(key: string, body: Buffer | Readable, options?: { contentType?: string }): Promise<{ size: number }>;
  get(key: string): Promise<Readable>;
  getBuffer(key: string): Promise<Buffer>;
  /** Size and type, or undefined when there is no such object. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Deleting a missing object is not an error: effects happen once, requests may repeat. */
  delete(key: string): Promise<void>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
}

export interface ObjectInfo {
  key: string;
  size: number;
  contentType?: string;
}

export class ObjectNotFoundError extends Error {
  readonly code = 'OBJECT_NOT_FOUND';
  constructor(readonly key: string) {
    super(`no object at key ${JSON.stringify(key)}`);
  }
}

export function isObjectNotFound(error: unknown): error is ObjectNotFoundError {
  return error instanceof ObjectNotFoundError;
}
