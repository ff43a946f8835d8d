import type { StoredEvent } from '../schemas/envelope';
import type { EventType, PayloadOf } from '../schemas/events';
import type { DecodedImage } from './decodedImage';

/**
 * A processor computes results from an event and the bytes it names, and
 * returns them; the runner reads, writes, retries and appends (law 2).
 */
export interface Processor {
  readonly name: string;
  /** Part of every derived event id: a new version re-derives, an old one repeats nothing. */
  readonly version: string;
  /** How many of its events run at once, when not the runner's default (a batching processor wants more). */
  readonly concurrency?: number;
  accepts(event: StoredEvent): boolean;
  process(event: StoredEvent, input: ProcessorInput): Promise<ProcessorResult>;
}

export interface ProcessorInput {
  /**
   * The original's bytes (for a RenditionCreated, the rendition's: the
   * object an event brings is its "original" here); refuses objects over
   * the configured size.
   */
  original(): Promise<Buffer>;
  /**
   * The original decoded (processors/decodedImage.ts), shared by the image
   * processors of a process; an undecodable image is an InvalidMediaError.
   */
  image(): Promise<DecodedImage>;
  /**
   * Where a program (ffprobe, ffmpeg) reads the original itself: a local path
   * or a presigned URL (ObjectStore.localPathOrUrl). Nothing is read into
   * memory and no size limit applies: for originals too large to hold.
   */
  originalLocation(): Promise<string>;
}

export type ResultEvent = { [T in EventType]: { type: T; payload: PayloadOf<T> } }[EventType];

export interface ProcessorResult {
  events: ResultEvent[];
  /** Objects to write before the events are appended. */
  objects?: { key: string; body: Buffer; contentType: string }[];
  /**
   * Objects to write from files the processor made (a transcode): the runner
   * streams each into the store, never reading it whole, before the events.
   */
  files?: { key: string; file: string; contentType: string }[];
  /** Objects to delete. */
  deletes?: string[];
  /** Called once the objects are written or given up: removes the files `files` named. */
  dispose?(): Promise<void>;
}

/** Bad input: retrying cannot help, so the runner records a failure at once. */
export class InvalidMediaError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export function isInvalidMedia(error: unknown): error is InvalidMediaError {
  return error instanceof InvalidMediaError;
}

/**
 * What an image decoder said, on one line. libvips keeps a line per complaint
 * in its error buffer, and a file cut short gives a dozen "source: bad seek
 * to N" (its loaders probing past the end) before the reason. A decode
 * failing at the same moment on another thread may clear that buffer, and
 * sharp then reports "Unknown error": the reason says so rather than pass that on.
 */
export function decoderReason(error: Error): string {
  if (error.message === 'Unknown error') return 'the decoder gave no reason';
  return error.message.replace(/source: bad seek to \d+/g, '').replace(/\s+/g, ' ').trim();
}

/** Bad pixels are bad input: retrying cannot help, so a processor records a failure at once. */
export function undecodable(error: Error, what = 'the image'): InvalidMediaError {
  return new InvalidMediaError('UNREADABLE_IMAGE', `${what} cannot be decoded: ${decoderReason(error)}`);
}
