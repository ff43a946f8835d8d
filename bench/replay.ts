/**
 * Replay: events/s rebuilding every projection from a log of 1,000,000 events
 * through the real path (lake.projections.rebuild: readAll, each fold, a new
 * generation file, the swap) vs raw better-sqlite3 batched inserts of the rows
 * that replay produced, into the same tables with the same indexes. The log is
 * written straight into the embedded log's table (hash chain included), which
 * is not measured. BENCH_EVENTS changes its size.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../app/config';
import { openLake } from '../app/lake';
import { SqliteEventLog } from '../log/sqlite';
import { GENESIS, chainHash } from '../log/hashChain';
import { draft, validateEvent, type EventDraft } from '../schemas/envelope';
import { temporaryDirectory } from '../test/support/fixtures';
import { rate, report } from './report';
import { syntheticPhoto } from './syntheticPhotos';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PER_ASSET = 5;

/** Five events of one asset, as ingest, the processors and a person would write them; every tenth asset is deleted. */
function assetEvents(n: number): EventDraft[] {
  const assetId = `a${n.toString(16).padStart(32, '0')}`;
  const envelope = (source: string, actor = 'medialake') => ({ id: randomUUID(), assetId, actor, source, correlationId: `c${n}`, causationId: null });
  const rendition = (name: string, size: number) =>
    draft('RenditionCreated', {
      ...envelope('processor:renditions@1'),
      payload: { name, objectKey: `renditions/${assetId}/${name}.webp`, mimeType: 'image/webp', width: size, height: size, size: 1000, watermarked: false },
    });
  return [
    ...syntheticPhoto(n, envelope, {
      objectKey: `originals/${assetId}/original.jpg`,
      originalName: `photos/${n % 1000}/IMG_${n}.jpg`,
      path: `/library/photos/IMG_${n}.jpg`,
    }),
    rendition('thumbnail', 256),
    rendition('proxy', 1280),
    n % 10 === 9
      ? draft('AssetDeleted', { ...envelope('api', 'carol'), payload: { reason: 'duplicate' } })
      : draft('UserMetadataUpdated', { ...envelope('api', 'bob'), payload: { title: `Holiday ${n}`, tags: ['sea', `roll-${n % 50}`] } }),
  ];
}

/** Writes the log as the embedded backend stores it: one row per event, versions counted, hashes chained. */
async function writeLog(path: string): Promise<void> {
  await new SqliteEventLog({ path }).close(); // its schema
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO events (offset, id, asset_id, asset_version, type, schema_version, time, actor, source, correlation_id, causation_id, payload, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let offset = 0;
  let previous = GENESIS;
  const writeAssets = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      assetEvents(n).forEach((event, i) => {
        if (n === 0) validateEvent({ ...event, assetVersion: i + 1 }); // the shapes are valid events
        const row = { ...event, assetVersion: i + 1, payload: JSON.stringify(event.payload) };
        previous = chainHash(previous, row);
        insert.run(offset++, row.id, row.assetId, row.assetVersion, row.type, row.schemaVersion, row.time, row.actor, row.source, row.correlationId, row.causationId, row.payload, previous);
      });
    }
  });
  const assets = Math.ceil(EVENTS / PER_ASSET);
  for (let n = 0; n < assets; n += 10_000) writeAssets(n, Math.min(assets, n + 10_000));
  db.close();
}

/**
 * Copies one projection file replay built into a fresh one with plain
 * prepared inserts: the same tables and indexes, the same settings as a file
 * being built, 2000 rows per transaction. Returns the seconds spent inserting
 * (reading the rows is not counted) and how many rows there were.
 */
function rawInserts(from: string, to: string): { seconds: number; rows: number } {
  const source = new Database(from, { readonly: true });
  const objects = source
    .prepare<[], { type: string; name: string; sql: string }>(
      "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT IN ('checkpoints', 'superseded') ORDER BY type DESC, rowid",
    )
    .all();
  const virtual = objects.filter((o) => /CREATE VIRTUAL TABLE/i.test(o.sql)).map((o) => o.name);
  // A virtual table's own storage (NAME_data, …) is made by the virtual table.
  const owned = (name: string) => virtual.some((v) => name.startsWith(`${v}_`));
  const target = new Database(to);
  target.pragma('journal_mode = WAL');
  target.pragma('synchronous = OFF');
  target.pragma('cache_size = -65536');
  for (const { name, sql } of objects) if (!owned(name)) target.exec(sql);
  let seconds = 0;
  let rows = 0;
  for (const { name } of objects.filter((o) => o.type === 'table' && !owned(o.name))) {
    const select = source.prepare(`SELECT ${virtual.includes(name) ? 'rowid, ' : ''}* FROM ${name}`).raw(true);
    const columns = select.columns().map((c) => c.name);
    const insert = target.prepare(`INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const batch = target.transaction((chunk: unknown[][]) => chunk.forEach((row) => insert.run(row)));
    let chunk: unknown[][] = [];
    const flush = () => {
      const start = process.hrtime.bigint();
      batch(chunk);
      seconds += Number(process.hrtime.bigint() - start) / 1e9;
      rows += chunk.length;
      chunk = [];
    };
    for (const row of select.iterate() as Iterable<unknown[]>) if (chunk.push(row) === 2000) flush();
    flush();
  }
  source.close();
  target.close();
  return { seconds, rows };
}

const directory = temporaryDirectory('medialake-bench-');
await writeLog(join(directory.path, 'log.db'));
const lake = await openLake(loadConfig({ data: directory.path, logLevel: 'silent', 'log.sync': 'normal' }, {}));
const events = await lake.log.lag({});
const names = (await lake.projections.list()).map((p) => p.name);
const replayRate = await rate(events, async () => {
  await lake.projections.rebuildAll(names, { batchSize: 5000 });
});
await lake.close();

let rawSeconds = 0;
let rows = 0;
for (const file of readdirSync(directory.path).filter((f) => /^[a-z]+\.v\d+-[a-z0-9]+\.db$/.test(f))) {
  const copied = rawInserts(join(directory.path, file), join(directory.path, `raw-${file}`));
  rawSeconds += copied.seconds;
  rows += copied.rows;
}
directory.remove();

report(
  `replay: ${events} events into ${names.length} projections (${names.join(', ')}), ${rows} resulting rows`,
  { label: 'projections rebuild (events/s)', perSecond: replayRate },
  { label: 'raw inserts of the resulting rows (events/s)', perSecond: events / rawSeconds },
);
