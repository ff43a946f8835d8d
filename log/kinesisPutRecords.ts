import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/** Kinesis PutRecords limits: records and bytes (data + partition key) a call, bytes a record. */
export const PUT_RECORDS_MAX_RECORDS = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;
export const RECORD_MAX_BYTES = 1024 * 1024;

const MAX_ATTEMPTS = 8;
const MAX_RETRY_DELAY_MS = 2_000;

export interface PutEntry {
  partitionKey: string;
  data: Uint8Array;
}

export interface Placed {
  shardId: string;
  sequenceNumber: string;
}

const sizeOf = (entry: PutEntry) => entry.data.length + Buffer.byteLength(entry.partitionKey);

/**
 * Splits entries into PutRecords calls (indices into `entries`, in the order
 * the calls must be made) within the service limits. A call holds at most one
 * record per partition key: PutRecords keeps no order among a call's records
 * once failed ones are retried, so a key's second record waits for a later
 * call, made after the first one has landed.
 */
export function planPutRecords(entries: PutEntry[]): number[][] {
  const waves: number[][] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const wave = seen.get(entry.partitionKey) ?? 0;
    seen.set(entry.partitionKey, wave + 1);
    (waves[wave] ??= []).push(index);
  });
  const calls: number[][] = [];
  for (const wave of waves) {
    let call: number[] = [];
    let bytes = 0;
    for (const index of wave) {
      const size = sizeOf(entries[index]!);
      if (call.length === PUT_RECORDS_MAX_RECORDS || (call.length && bytes + size > PUT_RECORDS_MAX_BYTES)) {
        calls.push(call);
        call = [];
        bytes = 0;
      }
      call.push(index);
      bytes += size;
    }
    calls.push(call);
  }
  return calls;
}

export class PutRecordsFailedError extends Error {
  readonly code = 'PUT_RECORDS_FAILED';
  constructor(
    readonly stream: string,
    readonly failed: number,
    readonly reason: string,
  ) {
    super(`Kinesis refused ${failed} records of stream ${stream} ${MAX_ATTEMPTS} times (${reason}): check the stream's write throughput (shards) and try again`);
  }
}

/**
 * Writes entries in the planned calls; a partially failed call is retried
 * with backoff for its failed records only. Resolves with each entry's shard
 * and sequence number, in the order of `entries`.
 */
export async function putRecords(client: KinesisClient, stream: string, entries: PutEntry[]): Promise<Placed[]> {
  const placed: Placed[] = new Array(entries.length);
  for (const call of planPutRecords(entries)) {
    let pending = call;
    for (let attempt = 1; pending.length; attempt++) {
      const { Records = [] } = await client.send(
        new PutRecordsCommand({
          StreamName: stream,
          Records: pending.map((index) => ({ PartitionKey: entries[index]!.partitionKey, Data: entries[index]!.data })),
        }),
      );
      const failed = pending.filter((index, i) => {
        const result = Records[i];
        if (result?.SequenceNumber && result.ShardId) placed[index] = { shardId: result.ShardId, sequenceNumber: result.SequenceNumber };
        return !result?.SequenceNumber;
      });
      if (failed.length && attempt === MAX_ATTEMPTS) {
        const result = Records[pending.indexOf(failed[0]!)];
        throw new PutRecordsFailedError(stream, failed.length, `${result?.ErrorCode}: ${result?.ErrorMessage}`);
      }
      if (failed.length) await sleep(Math.min(MAX_RETRY_DELAY_MS, 50 * 2 ** attempt));
      pending = failed;
    }
  }
  return placed;
}
