import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { pipeline as pipelineStreams, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile, FileTypeParser, type Detector, type FileTypeResult } from 'file-type';
import { draft, type StoredEvent } from '../schemas/envelope';
import type { MediaType, Origin } from '../schemas/events';
import { assetIdForContent, derivedEventId, sha256Hex } from '../schemas/ids';
import { isExpectedVersionConflict, type EventLog } from '../log/eventLog';
import type { ObjectStore } from '../storage/objectStore';
import { originalKey } from '../storage/assetKeys';

/** Who is ingesting, and under which correlation (law 8). */
export interface IngestContext {
  log: EventLog;
  store: ObjectStore;
  actor: string;
  source: string;
  correlationId?: string;
}

export type IngestResult =
  | { status: 'ingested'; assetId: string; event: StoredEvent }
  | { status: 'duplicate'; assetId: string };

/** Files up to this size are read once into memory (hashed, sniffed and stored from the same bytes); larger ones are streamed. */
const READ_WHOLE_BYTES = 16 * 1024 * 1024;

/** A file to ingest: its size, content hash, what it is, and its bytes to store. */
interface Content {
  size: number;
  sha256: string;
  detect(): Promise<FileTypeResult | undefined>;
  body(): Buffer | Readable;
  /** After the body was stored: whether it was the bytes hashed (a file read twice may change between the reads). */
  storedAsHashed(): boolean;
}

/** The file changed between its hash and its copy into the store (still being written): the asset would not hold its own content. */
export class FileChangedError extends Error {
  readonly code = 'FILE_CHANGED';
  constructor(path: string) {
    super(`${path} changed while it was read (is it still being written?): ingest it again once it is complete`);
  }
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Whether the bytes at the start of a file spell `text` (ASCII) at `offset`. */
const spells = (head: Uint8Array, offset: number, text: string) => [...text].every((char, i) => head[offset + i] === char.charCodeAt(0));

/** Sony Wave64's first GUID after its "riff": 66666972-912E-11CF-A5D6-28DB04C10000, stored little-endian. */
const WAVE64_RIFF = [0x72, 0x69, 0x66, 0x66, 0x2e, 0x91, 0xcf, 0x11, 0xa5, 0xd6, 0x28, 0xdb, 0x04, 0xc1, 0x00, 0x00];

/**
 * Broadcast and studio recordings file-type has no signature for, which
 * would be `application/octet-stream` and no media: WAV over 4 GiB (RF64,
 * BW64: "WAVE" behind another first chunk), Wave64, Apple's CAF, and raw DV
 * as camcorders write it (a DIF header block first: section 0, sequence 0,
 * the 625/50 or 525/60 flag aside). ffprobe reads them all.
 */
const TIME_BASED_SIGNATURES: Detector = {
  id: 'medialake:time-based',
  async detect(tokenizer) {
    const head = new Uint8Array(16);
    const read = await tokenizer.peekBuffer(head, { length: head.length, mayBeLess: true });
    if (read < 12) return undefined;
    if ((spells(head, 0, 'RF64') || spells(head, 0, 'BW64')) && spells(head, 8, 'WAVE')) return { ext: 'wav', mime: 'audio/wav' };
    if (read === 16 && WAVE64_RIFF.every((byte, i) => head[i] === byte)) return { ext: 'w64', mime: 'audio/x-w64' } as unknown as FileTypeResult;
    if (spells(head, 0, 'caff') && head[4] === 0 && head[5] === 1) return { ext: 'caf', mime: 'audio/x-caf' } as unknown as FileTypeResult;
    if (head[0] === 0x1f && head[1] === 0x07 && head[2] === 0x00 && (head[3]! & 0x7f) === 0x3f) return { ext: 'dv', mime: 'video/x-dv' } as unknown as FileTypeResult;
    return undefined;
  },
};

/** How far into a file a PDF's header may come: PDF readers look as far (PDF 1.7, annex H). */
const PDF_HEADER_WITHIN = 1024;

/**
 * A PDF whose %PDF- header comes after blank lines or a byte-order mark (as
 * some generators and mail gateways write it): file-type looks at the very
 * start alone, and would leave it unnamed. Only white space before it: text
 * that merely mentions %PDF- is no PDF.
 */
const PDF_AFTER_BLANKS: Detector = {
  id: 'medialake:pdf-after-blanks',
  async detect(tokenizer) {
    const head = new Uint8Array(PDF_HEADER_WITHIN);
    const read = await tokenizer.peekBuffer(head, { length: head.length, mayBeLess: true });
    // A UTF-8 byte-order mark, then spaces, tabs, line ends, form feeds.
    let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    while (at < read && [0x20, 0x09, 0x0a, 0x0d, 0x0c].includes(head[at]!)) at++;
    return at > 0 && spells(head, at, '%PDF-') ? { ext: 'pdf', mime: 'application/pdf' } : undefined;
  },
};

/**
 * file-type, with the signatures above before its own (theirs have no overlap with them). A parser per file: a
 * FileTypeParser keeps the file it reads in its own fields, so files sniffed at once through one would swap types.
 */
const customDetectors = [TIME_BASED_SIGNATURES, PDF_AFTER_BLANKS];

/** file-type's names for the MPEG program streams, which no registry knows: a browser or a tool knows `video/mpeg`. */
const REGISTERED_MIME: Record<string, string> = { 'video/MP1S': 'video/mpeg', 'video/MP2P': 'video/mpeg' };

/** Memory stays bounded: a large file is read three times as a stream rather than held. */
async function contentOf(path: string): Promise<Content> {
  const { size } = await stat(path);
  if (size > READ_WHOLE_BYTES) {
    const sha256 = await sha256OfFile(path);
    const stored = createHash('sha256');
    // Hashed as it passes, not by a 'data' listener: one would start the file flowing before the store reads it, and the store would miss its first chunks.
    const hashing = () =>
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          stored.update(chunk);
          done(null, chunk);
        },
      });
    const body = () => pipelineStreams(createReadStream(path), hashing(), () => undefined);
    return { size, sha256, detect: () => fileTypeFromFile(path, { customDetectors }), body, storedAsHashed: () => stored.digest('hex') === sha256 };
  }
  const bytes = await readFile(path);
  return { size: bytes.length, sha256: sha256Hex(bytes), detect: () => new FileTypeParser({ customDetectors }).fromBuffer(bytes), body: () => bytes, storedAsHashed: () => true };
}

const MEDIA_TYPE_PREFIXES: [string, MediaType][] = [
  // A drawing that may name other files: only the documents processor draws it, after its safety check.
  ['image/svg+xml', 'document'],
  ['image/', 'image'],
  ['video/', 'video'],
  ['audio/', 'audio'],
  // The broadcasters' container: file-type names it an application.
  ['application/mxf', 'video'],
  ['application/pdf', 'document'],
];

/** file-type has no signature for SVG, which is XML text: a file named .svg that it cannot place, or places as XML, is taken for one. */
function svgByName(detected: FileTypeResult | undefined, extension: string): { mime: string; ext: string } | undefined {
  return extension === '.svg' && (!detected || detected.mime === 'application/xml') ? { mime: 'image/svg+xml', ext: 'svg' } : detected;
}

/** What the content is, by its bytes, and by the name it goes by where the bytes cannot tell (not the temporary file's, which an upload or a bucket's object is read from). */
async function sniff(name: string, content: Content): Promise<{ mimeType: string; mediaType: MediaType; extension: string }> {
  const ownExtension = extname(name).toLowerCase();
  const detected = svgByName(await content.detect().catch(() => undefined), ownExtension);
  const mimeType = detected ? (REGISTERED_MIME[detected.mime] ?? detected.mime) : 'application/octet-stream';
  const mediaType = MEDIA_TYPE_PREFIXES.find(([prefix]) => mimeType.startsWith(prefix))?.[1] ?? 'other';
  const extension = detected ? `.${detected.ext}` : /^\.[a-z0-9]{1,10}$/.test(ownExtension) ? ownExtension : '';
  return { mimeType, mediaType, extension };
}

export interface IngestOptions {
  /**
   * The id of an asset that a source names by where it is (an S3 bucket and
   * key), whose bytes may change; by default the content address.
   */
  assetId?: string;
}

/**
 * Ingests one file: the same bytes are the same asset (content address), so
 * ingesting them again appends nothing; an asset with a given id is ingested
 * again only when its bytes changed. The original is stored before the
 * event is appended: a crash in between leaves an object that the next try
 * overwrites, never an event without its bytes.
 */
export async function ingestFile(
  context: IngestContext,
  path: string,
  origin: Origin,
  originalName: string,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const content = await contentOf(path);
  const { sha256, size } = content;
  const assetId = options.assetId ?? assetIdForContent(sha256);
  const { version, live, sha256: liveSha256 } = await context.log.assetHead(assetId);
  if (live && liveSha256 === sha256) return { status: 'duplicate', assetId };

  const kind = await sniff(originalName, content);
  const objectKey = originalKey(assetId, kind.extension);
  await context.store.put(objectKey, content.body(), { contentType: kind.mimeType });
  if (!content.storedAsHashed()) {
    await context.store.delete(objectKey);
    throw new FileChangedError(path);
  }
  const ingested = draft('AssetIngested', {
    id: derivedEventId('ingest', assetId, version),
    assetId,
    actor: context.actor,
    source: context.source,
    correlationId: context.correlationId ?? randomUUID(),
    causationId: null,
    payload: { objectKey, originalName, mediaType: kind.mediaType, mimeType: kind.mimeType, size, sha256, origin },
  });
  try {
    const [event] = await context.log.append([ingested], { expectedVersion: version });
    return { status: 'ingested', assetId, event: event! };
  } catch (error) {
    // Someone ingested the same bytes between our read and our append; any
    // other change in between is a conflict for the caller to retry.
    if (isExpectedVersionConflict(error) && (await context.log.assetHead(assetId)).sha256 === sha256) {
      return { status: 'duplicate', assetId };
    }
    // The refusal is what the caller must hear, whatever the clean-up meets.
    if (isRefusal(error)) await removeUnnamed(context, assetId, objectKey).catch(() => undefined);
    throw error;
  }
}

/**
 * Errors of an append the log refused before writing anything, that trying
 * again does not change (a chain key not configured, an invalid or too large
 * event). Any other failure (an outage, a timeout) may yet land the event:
 * its original stays.
 */
const REFUSALS = new Set(['CHAIN_KEY_MISSING', 'CHAIN_KEY_INVALID', 'INVALID_EVENT', 'EVENT_TOO_LARGE', 'PARTITION_COUNT_MISMATCH']);
const isRefusal = (error: unknown) => REFUSALS.has((error as { code?: unknown }).code as string);

/**
 * Deletes an original stored for an append the log refused, unless an event
 * names it: an ingest of the same bytes beside this one may have appended
 * (its original is under the same key), and a re-ingest under a given asset
 * id writes where the asset's earlier ingests did. Left, it would sit in the
 * store with no event naming it, for good.
 */
async function removeUnnamed({ log, store }: IngestContext, assetId: string, objectKey: string): Promise<void> {
  if ((await log.assetHead(assetId)).version > 0) {
    const events = await log.readAsset(assetId);
    if (events.some((event) => (event.payload as { objectKey?: unknown }).objectKey === objectKey)) return;
  }
  await store.delete(objectKey);
}
