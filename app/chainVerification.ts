import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { isTamperEvident, type ChainAnchor, type ChainBreak, type ChainReport } from '../log/hashChain';

/**
 * The result of the last check of the log's hash chain, kept in the data
 * directory so that every process of the lake sees it: `audit verify`,
 * `GET /audit/verify` and the background check of `serve` write it;
 * `GET /status` and `GET /health` show it, so a broken chain is seen
 * without anyone running verify by hand.
 */
export interface ChainVerification {
  verifiedAt: string;
  ok: boolean;
  /** The first event that no longer matches, as verify names it. */
  firstBreak?: Pick<ChainBreak, 'kind' | 'partition' | 'offsets' | 'eventIds' | 'assetId' | 'versions' | 'message'>;
  /** Why the chain could not be checked (a missing key): not a pass. */
  error?: string;
}

const FILE = 'chain-verification.json';

export function summarise(reports: ChainReport[], verifiedAt = new Date()): ChainVerification {
  const firstBreak = reports.flatMap((report) => report.breaks)[0];
  return { verifiedAt: verifiedAt.toISOString(), ok: !firstBreak, ...(firstBreak && { firstBreak }) };
}

/** Written whole, then renamed over the last one: a reader never sees half of it. */
export function recordVerification(data: string, result: ChainVerification): void {
  const path = join(data, FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(result));
  renameSync(`${path}.tmp`, path);
}

/** The last result; undefined before the first check. */
export function lastVerification(data: string): ChainVerification | undefined {
  try {
    return JSON.parse(readFileSync(join(data, FILE), 'utf8')) as ChainVerification;
  } catch {
    return undefined;
  }
}

export class NoHashChainError extends Error {
  readonly code = 'NO_HASH_CHAIN';
  constructor() {
    super('this log backend keeps no hash chain: verify the embedded, Kafka or Kinesis log');
  }
}

/**
 * Verifies the lake's log and records the result: breaks, or the error that
 * kept it from being checked (which it then throws on).
 */
export async function verifyAndRecord(lake: { log: object; config: { data: string } }, anchor?: ChainAnchor): Promise<ChainReport[]> {
  if (!isTamperEvident(lake.log)) throw new NoHashChainError();
  try {
    const reports = await lake.log.verifyChain(anchor);
    recordVerification(lake.config.data, summarise(reports));
    return reports;
  } catch (error) {
    recordVerification(lake.config.data, { verifiedAt: new Date().toISOString(), ok: false, error: (error as Error).message });
    throw error;
  }
}

/** Verifies every `minutes` (none when 0) until the returned stop is called; a failed check is logged and recorded. */
export function verifyPeriodically(lake: Parameters<typeof verifyAndRecord>[0], minutes: number, logger: Logger): () => void {
  if (!minutes || !isTamperEvident(lake.log)) return () => undefined;
  let running = false;
  const check = async () => {
    if (running) return; // a long log: the last check is still reading it
    running = true;
    const reports = await verifyAndRecord(lake).finally(() => (running = false));
    const first = reports.flatMap((report) => report.breaks)[0];
    if (first) logger.error({ firstBreak: first }, `the log's hash chain is broken: ${first.message}`);
  };
  const timer = setInterval(() => void check().catch((error: unknown) => logger.error({ err: error }, 'the hash chain could not be verified')), minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
