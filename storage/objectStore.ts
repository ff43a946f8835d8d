import type { Readable } from 'node:stream';

/** Where media bytes live: originals and renditions, by key. */
export interface ObjectStore {
  /** Writes the whole object; readers never see a partial one. */
  put(key: string, body: Buffer | Readable, options?: { contentType?: string }): Promise<{ size: number }>;
  /** The whole object, or only `range` of it: a player seeks without the store reading the rest. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  getBuffer(key: string): Promise<Buffer>;
  /** Size, type and version, or undefined when there is no such object. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Deleting a missing object is not an error: effects happen once, requests may repeat. */
  delete(key: string): Promise<void>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /**
   * Where another program (ffprobe, ffmpeg) can read an object itself, so
   * that a large original never passes through this process's memory: a
   * local file path, or an HTTP(S) URL that needs no credentials (presigned)
   * and works for `expiresInSeconds` (default an hour). A missing object is
   * an ObjectNotFoundError.
   */
  localPathOrUrl(key: string, options?: { expiresInSeconds?: number }): Promise<string>;
}

export interface ObjectInfo {
  key: string;
  size: number;
  contentType?: string;
  /** From `head`: when the object was last written. */
  lastModified?: Date;
  /**
   * From `head`: a tag that changes whenever the bytes may have changed, even to
   * bytes of the same size within the same second (HTTP serves it as a strong ETag).
   */
  etag?: string;
}

/** Bytes `start` to `end` of an object, both included (as HTTP's Content-Range counts them). */
export interface ByteRange {
  start: number;
  end: number;
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
