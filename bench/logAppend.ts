/**
 * Log append: events/s through EventLog.append (validation, id dedupe, asset
 * versions, batched transactions) vs raw better-sqlite3 batched inserts of
 * the same rows into the same table shape. Same sync policy on both sides.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventLog } from '../log/sqlite';
import { ChainKeyring, newChainKey } from '../log/chainKey';
import type { EventDraft } from '../schemas/envelope';
import { ingestedDraft } from '../test/support/events';
import { temporaryDirectory } from '../test/support/fixtures';
import { compare, rate } from './report';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = 500;
const sync = (process.env.BENCH_SYNC ?? 'full') as 'full' | 'normal';

const drafts: EventDraft[] = Array.from({ length: EVENTS }, (_, i) => ingestedDraft(`asset-${i % 20_000}`));
const directory = temporaryDirectory('medialake-bench-');

let run = 0;

async function throughLog(): Promise<number> {
  // Signed, as a lake's log is: every link an HMAC.
  const log = new SqliteEventLog({ path: join(directory.path, `log-${run++}.db`), sync, chainKeys: ChainKeyring.of(newChainKey()) });
  const perSecond = await rate(EVENTS, async () => {
    for (let i = 0; i < EVENTS; i += BATCH) await log.append(drafts.slice(i, i + BATCH));
  });
  await log.close();
  return perSecond;
}

/** The same rows into the same table, with the versions counted in memory. */
async function rawInserts(): Promise<number> {
  const raw = new Database(join(directory.path, `raw-${run++}.db`));
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  raw.exec(EVENTS_TABLE);
  const insert = raw.prepare(
    `INSERT INTO events (offset, id, asset_id, asset_version, type, schema_version, time, actor, source, correlation_id, causation_id, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const versions = new Map<string, number>();
  const insertBatch = raw.transaction((batch: EventDraft[], first: number) =>
    batch.forEach((d, j) => {
      const version = (versions.get(d.assetId) ?? 0) + 1;
      versions.set(d.assetId, version);
      insert.run(first + j, d.id, d.assetId, version, d.type, d.schemaVersion, d.time, d.actor, d.source, d.correlationId, d.causationId, JSON.stringify(d.payload));
    }),
  );
  const perSecond = await rate(EVENTS, () => {
    for (let i = 0; i < EVENTS; i += BATCH) insertBatch(drafts.slice(i, i + BATCH), i);
  });
  raw.close();
  return perSecond;
}

const probe = new SqliteEventLog({ path: join(directory.path, 'schema.db') });
const EVENTS_TABLE = (probe.database.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").get() as { sql: string }).sql;
await probe.close();

await compare(
  `log append: ${EVENTS} events in batches of ${BATCH}, sync=${sync}`,
  { label: 'EventLog.append (SQLite backend)', run: throughLog },
  { label: 'raw better-sqlite3 batched inserts', run: rawInserts },
  0.5,
);
directory.remove();
