import { randomUUID } from 'node:crypto';
import { draft, type StoredEvent } from '../schemas/envelope';
import type { MediaType } from '../schemas/events';
import type { AssetHead } from '../log/assetHead';
import { isExpectedVersionConflict, type EventLog } from '../log/eventLog';
import type { Processor } from '../processors/processor';
import { groupOf } from '../processors/runner';
import type { AssetRecords } from '../projections/assets/assetRecords';
import type { CommandContext } from './commands';

export interface ReprocessFilter {
  /** These assets; all live assets when absent. */
  assetIds?: string[];
  mediaType?: MediaType;
  /** Processor names; every processor that handles the asset's ingest when absent. */
  processors?: string[];
  reason?: string;
}

export interface ReprocessResult {
  requested: { assetId: string; eventId: string; processors: string[] }[];
  skipped: { assetId: string; reason: string }[];
}

export class UnknownProcessorError extends Error {
  readonly code = 'UNKNOWN_PROCESSOR';
  readonly statusCode = 400;
  constructor(
    readonly processor: string,
    known: string[],
  ) {
    super(`there is no processor ${processor}: the processors are ${known.join(', ')}`);
  }
}

/** The last ingest in an asset's history, when it is live (its last ingest or delete is an ingest). */
function lastLiveIngest(events: StoredEvent[]): StoredEvent<'AssetIngested'> | undefined {
  const lifecycle = events.filter((e) => e.type === 'AssetIngested' || e.type === 'AssetDeleted').at(-1);
  return lifecycle?.type === 'AssetIngested' ? (lifecycle as StoredEvent<'AssetIngested'>) : undefined;
}

/**
 * The live asset's ingest event, which the request carries: one read at the
 * place its head names (undefined where that place no longer holds it: gone
 * with the log's retention), or its history where the head names none (a
 * head kept before heads held it).
 */
export async function liveIngest(log: EventLog, assetId: string, { ingest }: AssetHead): Promise<StoredEvent<'AssetIngested'> | undefined> {
  if (!ingest) return lastLiveIngest(await log.readAsset(assetId));
  const event = await log.readAt(ingest);
  return event?.id === ingest.eventId ? (event as StoredEvent<'AssetIngested'>) : undefined;
}

/** Why an asset has no live ingest to reprocess. */
function noIngestReason(head: AssetHead): string {
  if (head.live) return 'its ingest is no longer on the log';
  return head.version ? 'deleted' : 'no such asset';
}

async function* candidates(records: AssetRecords, filter: ReprocessFilter): AsyncIterable<string> {
  if (filter.assetIds) return yield* filter.assetIds;
  let after: string | undefined;
  do {
    const page = await records.list({ limit: 500, after });
    for (const record of page.assets) if (!filter.mediaType || record.mediaType === filter.mediaType) yield record.assetId;
    after = page.next;
  } while (after);
}

const ATTEMPTS = 3;

/**
 * Asks processors to run again on existing assets: one ReprocessRequested per
 * asset, appended at the asset's version as its head on the log says (the
 * source of truth; retried when the asset changed in between), carrying the
 * live ingest read at the place the head names, not the asset's history.
 * The processors' new results are new events; the old ones stay in history.
 */
export async function requestReprocessing(
  context: CommandContext & { records: AssetRecords; processors: Processor[] },
  filter: ReprocessFilter,
): Promise<ReprocessResult> {
  const known = context.processors.map((p) => p.name);
  for (const name of filter.processors ?? []) if (!known.includes(name)) throw new UnknownProcessorError(name, known);
  const wanted = context.processors.filter((p) => !filter.processors || filter.processors.includes(p.name));
  const correlationId = context.correlationId ?? randomUUID();
  const result: ReprocessResult = { requested: [], skipped: [] };

  for await (const assetId of candidates(context.records, filter)) {
    for (let attempt = 1; ; attempt++) {
      const head = await context.log.assetHead(assetId);
      const ingest = head.live ? await liveIngest(context.log, assetId, head) : undefined;
      if (!ingest) {
        result.skipped.push({ assetId, reason: noIngestReason(head) });
        break;
      }
      if (filter.mediaType && ingest.payload.mediaType !== filter.mediaType) {
        result.skipped.push({ assetId, reason: `a ${ingest.payload.mediaType}, not a ${filter.mediaType}` });
        break;
      }
      const processors = wanted.filter((p) => p.accepts(ingest)).map((p) => p.name);
      if (!processors.length) {
        result.skipped.push({ assetId, reason: 'none of the processors handles it' });
        break;
      }
      const request = draft('ReprocessRequested', {
        id: randomUUID(),
        assetId,
        actor: context.actor,
        source: context.source,
        correlationId,
        causationId: null,
        payload: { processors, ingestEventId: ingest.id, ingested: ingest.payload, ...(filter.reason && { reason: filter.reason }) },
      });
      // Acted on: the asset's dead letters of these processors leave the list, before the request a new failure would answer.
      const groups = new Set(processors.map((name) => groupOf({ name })));
      await context.log.clearDeadLetters((await context.log.deadLetters({ assetId })).filter((letter) => groups.has(letter.group)));
      try {
        await context.log.append([request], { expectedVersion: head.version });
        result.requested.push({ assetId, eventId: request.id, processors });
        break;
      } catch (error) {
        if (!isExpectedVersionConflict(error) || attempt === ATTEMPTS) throw error;
      }
    }
  }
  return result;
}
