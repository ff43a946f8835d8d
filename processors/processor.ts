import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '../schemas/envelope';
import type { EventType, PayloadOf } from '../schemas/events';
import type { DecodedImage } from './decodedImage';
import { isHevcHeif } from './heif';
import { startProgram } from './programLauncher';

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
 * to N" (its loaders probing past the end) before the reason; a line said
 * already, alone or within an earlier line ("Input buffer has corrupt
 * header: VipsJpeg: …"), is said once. That buffer is one per process (lovell/sharp#902):
 * what a failure reports may hold another file's complaints, or nothing
 * ("Unknown error", when another call cleared it), which the reason says
 * rather than pass on. ownReason() gets the file's own.
 */
export function decoderReason(error: Error): string {
  if (error.message === 'Unknown error') return 'the decoder gave no reason';
  const lines = error.message.split('\n').map((line) => line.replace(/source: bad seek to \d+/g, '').replace(/\s+/g, ' ').trim());
  const said: string[] = [];
  for (const line of lines) if (line && !said.some((earlier) => earlier.includes(line))) said.push(line);
  return said.join(' ');
}

/**
 * Bad pixels are bad input: retrying cannot help, so a processor records a
 * failure at once. With only the error, the reason may be another file's
 * (decoderReason); with the bytes at hand, undecodableAlone() is right.
 */
export function undecodable(error: Error, what = 'the image'): InvalidMediaError {
  return new InvalidMediaError('UNREADABLE_IMAGE', `${what} cannot be decoded: ${decoderReason(error)}`);
}

/** What failed on the bytes: their header (sharp's metadata()), or their pixels (a decode, within the pixel limit). */
export type DecoderRead = { read: 'header' } | { read: 'pixels'; maxInputPixels: number };

/** undecodable(), with the reason libvips gives for these bytes alone (ownReason). */
export async function undecodableAlone(bytes: Buffer, error: Error, read: DecoderRead, what = 'the image'): Promise<InvalidMediaError> {
  return new InvalidMediaError('UNREADABLE_IMAGE', `${what} cannot be ${read.read === 'header' ? 'read' : 'decoded'}: ${await ownReason(bytes, error, read)}`);
}

/**
 * The script of the process that reads a file again alone: sharp's entry, the file, the read (header or pixels) and
 * the pixel limit in its arguments; the decoder's message, if it fails, on stdout. stats() reads every pixel without
 * holding them, and fails as the renditions' decode does.
 */
const READ_ALONE = `
const [entry, file, read, limit] = process.argv.slice(1);
const sharp = require(entry);
const bytes = require('node:fs').readFileSync(file);
const done = read === 'header'
  ? sharp(bytes, { limitInputPixels: false }).metadata()
  : sharp(bytes, { failOn: 'error', limitInputPixels: Number(limit) }).stats();
done.then(() => undefined, (error) => process.stdout.write(String(error.message)));`;

/** A file read again alone that takes longer than this keeps the reason its own read gave. */
const READ_ALONE_MS = 30_000;

/**
 * The reason a sharp call failed on `bytes`, from the libvips of a process
 * that reads nothing else. libvips gathers every complaint of the process in
 * one buffer and every sharp call clears it when it ends (lovell/sharp#902),
 * so with calls running at once (processors.concurrency, the other
 * processors, the CLIP worker thread) a failure's message may be empty,
 * doubled, or another file's. Reading the file again under a lock in this
 * process is right only if every sharp call anywhere in it takes that lock
 * (the decode shared by the image processors, renditions, the perceptual hash,
 * documents, the embedding worker's own thread): many places to keep right,
 * each taxed on every call. Filtering the message by loader cannot bring back
 * an empty one, nor tell two JPEGs' complaints apart. A process of its own
 * (started by the program launcher, not forked from the lake: see
 * programLauncher.ts) has a buffer that holds this file's complaints only.
 * It costs a Node start (about 0.3 s of a core), on bad input only. Where it cannot
 * tell (the file reads alone, the process could not run or took too long),
 * the first message stands, cleaned.
 */
export async function ownReason(bytes: Buffer, error: Error, read: DecoderRead): Promise<string> {
  // libheif, not libvips, decodes a HEIC's pixels (processors/heif.ts): sharp alone would only say it cannot.
  if (isHevcHeif(bytes)) return decoderReason(error);
  const directory = await mkdtemp(join(tmpdir(), 'medialake-reason-'));
  try {
    const file = join(directory, 'original');
    await writeFile(file, bytes);
    const limit = read.read === 'pixels' ? String(read.maxInputPixels) : '0';
    const chunks: Buffer[] = [];
    const program = startProgram(process.execPath, ['--input-type=commonjs', '-e', READ_ALONE, sharpEntry(), file, read.read, limit], {
      stdout: (chunk) => chunks.push(chunk),
      stderr: () => undefined,
    });
    const timer = setTimeout(() => program.kill(), READ_ALONE_MS);
    const end = await program.ended.finally(() => clearTimeout(timer));
    const alone = Buffer.concat(chunks).toString('utf8');
    return end.code === 0 && alone ? decoderReason(new Error(alone)) : decoderReason(error);
  } catch {
    return decoderReason(error);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** sharp as `require` finds it from here: the one the lake runs. */
const sharpEntry = () => createRequire(import.meta.url).resolve('sharp');
