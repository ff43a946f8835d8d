import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
export type ChainVerification = {
  verifiedAt: string;
  ok: boolean;
  /** The first event that no longer matches, as verify names it. */
  firstBreak?: Pick<ChainBreak, 'kind' | 'partition' | 'offsets' | 'eventIds' | 'assetId' | 'versions' | 'message'>;
  /** Why the chain could not be checked (a missing key): not a pass. */
  error?: string;
  /**
   * The embedded log's last event and its link as this check saw them: the
   * background check holds the log against it next time, so events dropped
   * from the end are found (Kafka and Kinesis end each asset's chain at the
   * head Redis keeps).
   */
  anchor?: ChainAnchor;
};

const FILE = 'chain-verification.json';

/**
 * The result of a check, with the head to hold the next check to: this one's
 * where it passed, else the one the last passing check recorded (a broken
 * log's head, or a check that could not run, is no head to hold it to).
 */
export function summarise(reports: ChainReport[], last: ChainVerification | undefined, verifiedAt = new Date()): ChainVerification {
  const firstBreak = reports.flatMap((report) => report.breaks)[0];
  const head = reports.length === 1 ? reports[0]!.head : undefined;
  const anchor = !firstBreak && head?.hash ? { offset: head.offset, hash: head.hash } : last?.anchor;
  return { verifiedAt: verifiedAt.toISOString(), ok: !firstBreak, ...(firstBreak && { firstBreak }), ...(anchor && { anchor }) };
}

/** Written whole, then renamed over the last one: a reader never sees half of it (nor, where it cannot be written, a part of it left behind). */
export function recordVerification(data: string, result: ChainVerification): void {
  const path = join(data, FILE);
  try {
    writeFileSync(`${path}.tmp`, JSON.stringify(result));
    renameSync(`${path}.tmp`, path);
  } catch (error) {
    rmSync(`${path}.tmp`, { force: true });
    throw error;
  }
}

/**
 * Records a check's result, or warns why it could not (a full disk): the
 * check stands and is answered, and the next one is held to the head
 * recorded before.
 */
function record(lake: Checked, result: ChainVerification): void {
  try {
    recordVerification(lake.config.data, result);
  } catch (error) {
    lake.logger.warn({ err: error }, "the hash chain's check could not be recorded: the next check is held to the head recorded before it");
  }
}

/** What a check reads and where it records. */
type Checked = { log: object; config: { data: string }; logger: Logger };

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

/** What a check that could not run records: not a pass, and the last passing check's head kept. */
const unchecked = (error: unknown, last: ChainVerification | undefined): ChainVerification => ({
  verifiedAt: new Date().toISOString(),
  ok: false,
  error: (error as Error).message,
  ...(last?.anchor && { anchor: last.anchor }),
});

/**
 * Verifies the lake's log, held against `anchor` or else the head the last
 * passing check recorded (so a check by hand finds events dropped from the
 * end as the background check does), and records the result: breaks, or the
 * error that kept it from being checked (which it then throws on).
 */
export async function verifyAndRecord(lake: Checked, anchor?: ChainAnchor): Promise<ChainReport[]> {
  if (!isTamperEvident(lake.log)) throw new NoHashChainError();
  const last = lastVerification(lake.config.data);
  const reports = await lake.log.verifyChain(anchor ?? last?.anchor).catch((error: unknown) => {
    record(lake, unchecked(error, last));
    throw error;
  });
  record(lake, summarise(reports, last));
  return reports;
}

/**
 * Verifies at start and every `minutes` (none when 0) until the returned stop
 * is called, held against the head the last check recorded. A failed check
 * is logged and recorded. A break found stays recorded until a check by hand
 * (`audit verify`, GET /audit/verify) passes: a background check that sees
 * no break (one made without the anchor the break was found with) does not
 * clear it.
 */
export function verifyPeriodically(lake: Omit<Checked, 'logger'>, minutes: number, logger: Logger): () => void {
  const { log } = lake;
  const recorded = { ...lake, logger };
  if (!minutes || !isTamperEvident(log)) return () => undefined;
  let running = false;
  const check = async () => {
    if (running) return; // a long log: the last check is still reading it
    running = true;
    const last = lastVerification(lake.config.data);
    try {
      const result = summarise(await log.verifyChain(last?.anchor), last);
      if (result.ok && last?.firstBreak) return;
      record(recorded, result);
      if (result.firstBreak) logger.error({ firstBreak: result.firstBreak }, `the log's hash chain is broken: ${result.firstBreak.message}`);
    } catch (error) {
      record(recorded, unchecked(error, last));
      throw error;
    } finally {
      running = false;
    }
  };
  const checkLogged = () => void check().catch((error: unknown) => logger.error({ err: error }, 'the hash chain could not be verified'));
  checkLogged();
  const timer = setInterval(checkLogged, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
