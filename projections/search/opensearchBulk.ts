import { errors, type Client, type API } from '@opensearch-project/opensearch';
import pLimit from 'p-limit';
import pRetry from 'p-retry';

/**
 * Versioned bulk writes to OpenSearch: each document carries an external
 * version (the asset version), so OpenSearch itself keeps only the newest one
 * and a repeated or late write is a no-op. A batch goes in a few requests at
 * once, bounded in number and size, and the caller waits for all of them (that
 * is the backpressure: nothing more is read meanwhile); items the cluster
 * could not take now (429, 5xx) are retried alone, with backoff and a bound;
 * an item it refuses for good is an error.
 */

export interface VersionedDocument {
  /** An index, or an alias with requireAlias. */
  index: string;
  id: string;
  version: number;
  document: object;
}

export interface BulkOptions {
  /** Targets must be aliases: a name that is gone is an error, never a new, auto-created index. */
  requireAlias?: boolean;
  /** Searchable when the call resolves. */
  refresh?: boolean;
  /** Tries per document for failures the cluster may recover from. */
  attempts?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Request body limit; more documents go in further requests. */
  maxBytes?: number;
  /** Requests in flight at once (the node indexes them in parallel). */
  concurrency?: number;
  /** Told before each retry, with the documents retried and why. */
  onRetry?: (retry: { attempt: number; documents: VersionedDocument[]; reason: string }) => void | Promise<void>;
}

export interface BulkOutcome {
  written: number;
  /** Documents whose version OpenSearch already had (or a newer one): nothing to do. */
  stale: number;
  /** The concrete indices the documents went to (an alias names its index in the answer). */
  indices: Set<string>;
}

export class SearchDocumentRejectedError extends Error {
  readonly code = 'SEARCH_DOCUMENT_REJECTED';
  constructor(
    readonly index: string,
    readonly id: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super(
      `OpenSearch refused document ${id} for ${index} (${status} ${reason}): ` +
        (status === 404
          ? 'the index or alias is gone; open the search index again to create it, or rebuild it'
          : 'it does not fit the mapping; fix projections/search/opensearchTemplate.ts and rebuild the index'),
    );
  }
}

export class SearchIndexBlockedError extends Error {
  readonly code = 'SEARCH_INDEX_BLOCKED';
  constructor(
    readonly index: string,
    readonly reason: string,
  ) {
    super(
      `${index} refuses writes (${reason}): a rebuild freezes the index it replaces for a moment, and the batch is ` +
        `applied again; if no rebuild runs, lift the block: PUT ${index}/_settings {"index.blocks.write": false}`,
    );
  }
}

export class SearchBulkRetriesExhaustedError extends Error {
  readonly code = 'SEARCH_BULK_EXHAUSTED';
  constructor(
    readonly documents: number,
    readonly attempts: number,
    readonly reason: string,
  ) {
    super(
      `OpenSearch still could not take ${documents} documents after ${attempts} attempts (${reason}): ` +
        'the cluster is overloaded or unavailable; add capacity or write smaller batches (the batch is applied again later)',
    );
  }
}

/** Some documents of a request met a failure worth retrying. */
class RetryableItemsError extends Error {
  constructor(
    readonly documents: Line[],
    reason: string,
  ) {
    super(reason);
  }
}

interface Line {
  document: VersionedDocument;
  text: string;
  bytes: number;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** Below this a batch is not split: more requests would cost more than they save. */
const MIN_REQUEST_BYTES = 128 * 1024;
const VERSION_CONFLICT = 409;

function isTransient(error: unknown): boolean {
  if (error instanceof RetryableItemsError) return true;
  if (error instanceof errors.ResponseError) return RETRYABLE_STATUS.has(error.statusCode);
  return (
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError
  );
}

/** Action and source lines, serialised once: the size decides the requests, the text is sent as it is. */
function lineOf(document: VersionedDocument, requireAlias: boolean): Line {
  const action = {
    index: {
      _index: document.index,
      _id: document.id,
      version: document.version,
      version_type: 'external',
      ...(requireAlias && { require_alias: true }),
    },
  };
  const text = `${JSON.stringify(action)}\n${JSON.stringify(document.document)}`;
  return { document, text, bytes: Buffer.byteLength(text) + 1 };
}

function* requests(lines: Line[], maxBytes: number): Generator<Line[]> {
  let request: Line[] = [];
  let bytes = 0;
  for (const line of lines) {
    if (request.length && bytes + line.bytes > maxBytes) {
      yield request;
      request = [];
      bytes = 0;
    }
    request.push(line);
    bytes += line.bytes;
  }
  if (request.length) yield request;
}

/** One bulk request: counts what went in, throws what is left over (RetryableItemsError) or refused. */
async function send(client: Client, lines: Line[], outcome: BulkOutcome): Promise<void> {
  const { body } = await client.bulk({
    // Pre-serialised lines: the client passes strings through as NDJSON.
    body: lines.map((line) => line.text) as unknown as API.Bulk_Request['body'],
  });
  const retry: Line[] = [];
  const reasons = new Set<string>();
  body.items.forEach((item, i) => {
    const result = item.index!;
    const line = lines[i]!;
    if (result._index) outcome.indices.add(result._index);
    if (!result.error) outcome.written++;
    else if (result.status === VERSION_CONFLICT) outcome.stale++;
    else if (RETRYABLE_STATUS.has(result.status)) {
      retry.push(line);
      reasons.add(`${result.status} ${result.error.type}`);
    } else if (result.error.type === 'cluster_block_exception') {
      throw new SearchIndexBlockedError(result._index, result.error.reason ?? 'blocked');
    } else {
      const reason = `${result.error.type}: ${result.error.reason ?? ''}`;
      throw new SearchDocumentRejectedError(line.document.index, line.document.id, result.status, reason);
    }
  });
  if (retry.length) throw new RetryableItemsError(retry, [...reasons].join(', '));
}

/** Sends one request's documents, retrying those the cluster could not take, with backoff, a bounded number of times. */
async function writeRequest(client: Client, request: Line[], options: BulkOptions, outcome: BulkOutcome): Promise<void> {
  const { attempts = 6, minDelayMs = 100, maxDelayMs = 5_000 } = options;
  let pending = request;
  await pRetry(() => send(client, pending, outcome), {
    retries: attempts - 1,
    minTimeout: minDelayMs,
    maxTimeout: maxDelayMs,
    randomize: true,
    shouldRetry: ({ error }) => isTransient(error),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      // Only the failed items go again; a whole request that failed goes again whole.
      if (error instanceof RetryableItemsError) pending = error.documents;
      if (retriesLeft > 0 && isTransient(error)) {
        await options.onRetry?.({ attempt: attemptNumber, documents: pending.map((l) => l.document), reason: error.message });
      }
    },
  }).catch((error: unknown) => {
    if (isTransient(error)) throw new SearchBulkRetriesExhaustedError(pending.length, attempts, (error as Error).message);
    throw error;
  });
}

/**
 * Writes the documents in up to `concurrency` requests at once (of at most
 * `maxBytes`; small batches stay in one request), then refreshes once when
 * asked. Resolves when every document is in, or refused as stale.
 */
export async function writeVersioned(
  client: Client,
  documents: VersionedDocument[],
  options: BulkOptions = {},
): Promise<BulkOutcome> {
  const { maxBytes = 5 * 1024 * 1024, concurrency = 4 } = options;
  const outcome: BulkOutcome = { written: 0, stale: 0, indices: new Set() };
  const lines = documents.map((document) => lineOf(document, options.requireAlias ?? false));
  const bytes = lines.reduce((sum, line) => sum + line.bytes, 0);
  const requestBytes = Math.min(maxBytes, Math.max(MIN_REQUEST_BYTES, Math.ceil(bytes / concurrency)));
  const limit = pLimit(concurrency);
  await Promise.all([...requests(lines, requestBytes)].map((request) => limit(() => writeRequest(client, request, options, outcome))));
  if (options.refresh && outcome.written) await client.indices.refresh({ index: [...outcome.indices] });
  return outcome;
}
