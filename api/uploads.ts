import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { cleanName } from '../producers/fileNames';
import { temporaryName } from '../storage/localDirectory';
import { HttpError } from './errors';

/** A file part of an upload, received whole into a temporary file. */
/** The longest name an upload keeps, in characters (code points), as most file systems allow. */
const NAME_MAX = 255;

/**
 * The name an upload is kept under, however it came (multipart, tus): its
 * last path part (a client's `../../etc/passwd` is `passwd`), cleaned as a
 * folder ingest cleans names (producers/fileNames.ts: no control or
 * direction-overriding characters), and within NAME_MAX characters, cut in
 * the stem so the extension stays; never half a character.
 */
export function uploadName(given: string | undefined): string {
  const last = (given ?? '').split(/[/\\]/).pop()!;
  const clean = cleanName(last);
  const characters = [...clean];
  if (!characters.length || clean === '.' || clean === '..') return 'upload';
  if (characters.length <= NAME_MAX) return clean;
  const extension = /\.[^.]{1,16}$/.exec(clean)?.[0] ?? '';
  return characters.slice(0, NAME_MAX - [...extension].length).join('') + extension;
}

/** The most folder parts an upload's path keeps (the file's own name is the last). */
const PATH_PARTS_MAX = 32;

/**
 * The name of an upload that came with the path it had in a folder the
 * client walked (tus metadata `relativePath`, as Uppy and the web UI send
 * it: "CARD1/DCIM/100CANON/IMG_0001.JPG"), kept as a folder ingest keeps its
 * files' paths, so two cards' IMG_0001.JPG stay told apart: each part as
 * uploadName keeps a name, with empty, "." and ".." parts left out (the path
 * names the asset only; no file is written under it). The file's own name
 * where the path has none.
 */
export function uploadPath(given: string | undefined, fileName: string | undefined): string {
  const parts = (given ?? '').split(/[/\\]/).map(cleanName);
  // A path that names only its folder ("trip/day 1/") is the folder of the file.
  if (parts.at(-1) === '' && fileName !== undefined) parts.push(cleanName(fileName));
  const kept = parts.filter((part) => part && part !== '.' && part !== '..');
  if (!kept.length) return uploadName(fileName);
  return kept.slice(-PATH_PARTS_MAX).map(uploadName).join('/');
}

export interface ReceivedFile {
  path: string;
  /** As the client named it (or "upload"). */
  name: string;
}

/** api.maxUploadBytes (per file) and api.maxUploadFiles. */
export interface UploadLimits {
  maxUploadBytes: number;
  maxUploadFiles: number;
}

const tooLarge = (limits: UploadLimits) =>
  new HttpError(413, 'TOO_LARGE', `a file is over the ${limits.maxUploadBytes}-byte upload limit: nothing of this upload was kept`);

/** The multipart plugin's limits, by its error codes, said with the limit and what to do. */
const LIMIT_ERRORS = new Map<string, (limits: UploadLimits) => HttpError>([
  ['FST_REQ_FILE_TOO_LARGE', tooLarge],
  ['FST_FILES_LIMIT', (limits) => new HttpError(413, 'TOO_MANY_FILES', `an upload holds at most ${limits.maxUploadFiles} files: send the others in another upload`)],
  ['FST_PARTS_LIMIT', () => new HttpError(413, 'TOO_MANY_PARTS', 'the form has too many parts: send the files in several uploads')],
]);

const invalidMultipart = (detail: string) =>
  new HttpError(400, 'INVALID_MULTIPART', `the multipart body cannot be read (${detail}): send multipart/form-data, complete, with the boundary its parts use`);

/** What is wrong with the boundary parameter, if anything: RFC 2046 wants 1 to 70 characters, and the parser would take an empty one. */
function boundaryProblem(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) return 'no boundary parameter';
  if (!boundary.length || boundary.length > 70) return `a boundary of ${boundary.length} characters, where RFC 2046 wants 1 to 70`;
  return undefined;
}

/**
 * Whose fault a failure while receiving is: the parser's errors (no boundary,
 * one the body does not use, a body cut short) are the client's, 400; a file
 * system error (it names a syscall) is the server's and stays a 500.
 */
function receivingError(error: unknown, limits: UploadLimits): unknown {
  if (!(error instanceof Error) || error instanceof HttpError || 'syscall' in error) return error;
  const limit = LIMIT_ERRORS.get((error as NodeJS.ErrnoException).code ?? '');
  if (limit) return limit(limits);
  if ('statusCode' in error) return error; // the plugin's own 4xx: the client closed the request early
  return invalidMultipart(error.message);
}

async function receive(request: FastifyRequest, directory: string, limits: UploadLimits, into: ReceivedFile[]): Promise<void> {
  const problem = boundaryProblem(request.headers['content-type'] ?? '');
  if (problem) throw invalidMultipart(problem);
  try {
    for await (const part of request.files()) {
      const file = { path: join(directory, temporaryName()), name: uploadName(part.filename) };
      into.push(file);
      await pipeline(part.file, createWriteStream(file.path));
      if (part.file.truncated) throw tooLarge(limits);
    }
  } catch (error) {
    throw receivingError(error, limits);
  }
}

/**
 * Receives every file part of a multipart request into `directory` (the
 * lake's temporary directory), then gives them to `use`; the files are
 * removed afterwards, whatever happened. All are received before any is used,
 * so a body refused halfway (too large, cut short) ingests nothing.
 */
export async function withUploadedFiles<T>(
  request: FastifyRequest,
  directory: string,
  limits: UploadLimits,
  use: (files: ReceivedFile[]) => Promise<T>,
): Promise<T> {
  const files: ReceivedFile[] = [];
  try {
    await receive(request, directory, limits, files);
    return await use(files);
  } finally {
    await Promise.all(files.map((file) => rm(file.path, { force: true })));
  }
}
